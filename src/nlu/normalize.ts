/**
 * Text normalisation shared by training and understanding: case, accents,
 * apostrophes and punctuation must not decide anything.
 */

/** Lower-case, accents stripped (ä→a, é→e, ß→ss), English contractions joined (can't→cant), elisions split (l'app→l app), hyphens and punctuation as spaces. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[`´’‘]/g, "'")
    // English contractions lose the apostrophe (can't → cant, I'm → im); French
    // and other elisions become two words (l'application → l application).
    .replace(/([a-z])'(t|s|re|m|ll|ve|d)\b/g, '$1$2')
    .replace(/'/g, ' ')
    .replace(/[^a-z0-9@.\s]/g, ' ')
    // A dot stays only inside a token ("17.4", "contoso.com"), never as sentence punctuation.
    .replace(/\.(?![a-z0-9])|(?<![a-z0-9])\./g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(normalized: string): string[] {
  return normalized.split(' ').filter((t) => t.length > 0);
}

/** Teams wraps typed addresses in links and sends HTML entities: the plain text a person typed. */
export function plainMessageText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
