/**
 * Which of the supported languages a message is in: the corpus vocabularies
 * vote (a word known to fewer languages weighs more), NLP.js's trigram
 * guesser breaks ties between other languages (English wins a tie it is in), and the client's locale wins unless the text clearly
 * says otherwise ("am I done?" from a German Teams client is English).
 */
import { Language as LanguageGuesser } from '@nlpjs/language';
import type { Vocabulary } from './fuzzy';
import { LANGUAGES, type Language } from './port';

const ALPHA3: Record<string, Language> = { eng: 'en', deu: 'de', fra: 'fr', spa: 'es' };
/** How much more vocabulary evidence the text needs to overrule the locale. */
const OVERRULE_MARGIN = 1.5;

export class LanguageDetector {
  private readonly guesser = new LanguageGuesser();

  constructor(private readonly vocabularies: Record<Language, Vocabulary>) {}

  /** Vocabulary evidence per language: each known word adds 1/(number of languages that know it). */
  scores(tokens: readonly string[]): Record<Language, number> {
    const scores = { en: 0, de: 0, fr: 0, es: 0 } as Record<Language, number>;
    for (const token of tokens) {
      const knownBy = LANGUAGES.filter((l) => this.vocabularies[l].has(token));
      for (const l of knownBy) scores[l] += 1 / knownBy.length;
    }
    return scores;
  }

  detect(text: string, tokens: readonly string[], locale: Language | undefined): Language {
    const scores = this.scores(tokens);
    const ranked = [...LANGUAGES].sort((a, b) => scores[b] - scores[a]);
    const best = ranked[0]!;
    if (locale) return scores[best] >= scores[locale] + OVERRULE_MARGIN ? best : locale;
    const tied = ranked.filter((l) => scores[l] === scores[best]);
    if (tied.length === 1) return best;
    // A bare command word ("report", "status") is shared: English is the product's own language.
    if (tied.includes('en')) return 'en';
    const guess = this.guesser.guess(text, tied.map((l) => Object.keys(ALPHA3).find((k) => ALPHA3[k] === l)!), 1)[0];
    return (guess && ALPHA3[guess.alpha3]) || (tied.includes('en') ? 'en' : tied[0]!);
  }
}
