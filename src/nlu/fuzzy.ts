/**
 * Typo correction against a known vocabulary ("regster" → "register",
 * "passky" → "passkey"): optimal-string-alignment Damerau-Levenshtein distance,
 * allowed distance by word length so short words are not turned into others.
 */

/** Edit distance with adjacent transpositions (optimal string alignment); stops early above `max`. */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i += 1) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, prevPrev[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[cols - 1]!;
}

/** Words up to 3 letters are never corrected, 4–7 letters by one edit, longer ones by two. */
export function allowedDistance(word: string): number {
  if (word.length <= 3) return 0;
  if (word.length <= 7) return 1;
  return 2;
}

export class Vocabulary {
  private readonly words = new Set<string>();
  private readonly byLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string | null>();

  constructor(words: Iterable<string>) {
    for (const word of words) this.add(word);
  }

  add(word: string): void {
    if (!word || this.words.has(word)) return;
    this.words.add(word);
    const list = this.byLength.get(word.length) ?? [];
    list.push(word);
    this.byLength.set(word.length, list);
    this.corrections.clear();
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  get size(): number {
    return this.words.size;
  }

  /** The closest known word within the allowed distance (ties: the first learned), or null. */
  correct(word: string): string | null {
    if (this.words.has(word)) return word;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    const max = allowedDistance(word);
    let best: string | null = null;
    let bestDistance = max + 1;
    if (max > 0 && !/\d/.test(word)) {
      for (let length = word.length - max; length <= word.length + max && bestDistance > 1; length += 1) {
        for (const candidate of this.byLength.get(length) ?? []) {
          // The candidate must be long enough to be corrected to by this distance too.
          const d = damerauLevenshtein(word, candidate, Math.min(max, allowedDistance(candidate)));
          if (d < bestDistance && d <= allowedDistance(candidate)) {
            best = candidate;
            bestDistance = d;
            if (d === 1) break;
          }
        }
      }
    }
    if (this.corrections.size > 10_000) this.corrections.clear();
    this.corrections.set(word, best);
    return best;
  }
}
