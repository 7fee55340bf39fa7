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

/** Every string made by deleting up to `depth` characters of `word` (the word itself included). */
function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d += 1) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i += 1) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * Known words, with typo correction by a deletion index (as in SymSpell): two
 * words within edit distance d share a string made by at most d deletions
 * from each, so a lookup touches only a handful of candidates instead of the
 * whole vocabulary; each is then checked with the exact distance.
 */
export class Vocabulary {
  private readonly words = new Map<string, number>();
  /** A deletion variant → the words it comes from. */
  private readonly index = new Map<string, string[]>();
  private readonly corrections = new Map<string, string | null>();

  constructor(words: Iterable<string>) {
    for (const word of words) this.add(word);
  }

  add(word: string): void {
    if (!word || this.words.has(word)) return;
    this.words.set(word, this.words.size);
    for (const variant of deletions(word, allowedDistance(word))) {
      const list = this.index.get(variant);
      if (list) list.push(word);
      else this.index.set(variant, [word]);
    }
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
    if (max > 0 && !/\d/.test(word) && word.length <= 40) {
      const seen = new Set<string>();
      for (const variant of deletions(word, max)) {
        for (const candidate of this.index.get(variant) ?? []) {
          if (seen.has(candidate)) continue;
          seen.add(candidate);
          // The candidate must be long enough to be corrected to by this distance too.
          const limit = Math.min(max, allowedDistance(candidate));
          const d = damerauLevenshtein(word, candidate, limit);
          if (d > limit) continue;
          if (d < bestDistance || (d === bestDistance && best !== null && this.words.get(candidate)! < this.words.get(best)!)) {
            best = candidate;
            bestDistance = d;
          }
        }
      }
    }
    if (this.corrections.size > 10_000) this.corrections.clear();
    this.corrections.set(word, best);
    return best;
  }
}
