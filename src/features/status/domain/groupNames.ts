/**
 * "Did you mean …?" for a typed group name: the tenant's group names closest to
 * what was typed. Case, accents, punctuation and words like "team" don't count;
 * a name is close when its words are (nearly) the typed ones, or the whole
 * strings are a few edits apart.
 */

/** Words that name no group ("the Finance team", "Vertrieb Abteilung"). */
const NOISE = new Set(['the', 'team', 'teams', 'group', 'groups', 'department', 'dept', 'all', 'my', 'our', 'to', 'die', 'der', 'das', 'gruppe', 'abteilung', 'le', 'la', 'les', 'equipe', 'groupe', 'el', 'los', 'equipo', 'grupo']);

/** Least similarity (0–1) for a name to be offered. */
const CLOSE_ENOUGH = 0.5;

export function normalizeGroupName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function significantWords(text: string): string[] {
  const words = normalizeGroupName(text).split(' ').filter(Boolean);
  const core = words.filter((word) => !NOISE.has(word));
  return core.length > 0 ? core : words;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

/** 0–1: how well a group name fits what was typed. */
export function groupNameSimilarity(typed: string, name: string): number {
  const typedWords = significantWords(typed);
  const nameWords = significantWords(name);
  const whole = similarity(typedWords.join(' '), nameWords.join(' '));
  // Each word of the name against its best typed word: "finance crew" still finds "Finance".
  const perWord = nameWords.reduce((sum, word) => sum + Math.max(0, ...typedWords.map((typedWord) => similarity(typedWord, word))), 0) / Math.max(1, nameWords.length);
  // Every typed word in the name: "pilot" offers "Passkey Pilot" and "Admins Pilot".
  const covered = typedWords.every((typedWord) => nameWords.some((word) => similarity(typedWord, word) >= 0.8)) ? 0.6 : 0;
  return Math.max(whole, covered, perWord * (nameWords.length <= typedWords.length ? 1 : 0.8));
}

/** The exact name (ignoring case, accents and noise words), if one is. */
export function exactGroupName(typed: string, names: readonly string[]): string | undefined {
  const wanted = significantWords(typed).join(' ');
  return names.find((name) => significantWords(name).join(' ') === wanted);
}

/** Up to `limit` names close to what was typed, closest first (ties: alphabetical). */
export function closestGroupNames(typed: string, names: readonly string[], limit = 3): string[] {
  return [...new Set(names)]
    .map((name) => ({ name, score: groupNameSimilarity(typed, name) }))
    .filter((entry) => entry.score >= CLOSE_ENOUGH)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}
