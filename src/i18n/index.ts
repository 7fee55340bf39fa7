/**
 * The conversation's message catalogue in English, German, French and
 * Spanish (i18next). Cards and replies take whole messages from here with
 * named placeholders, never glued-together fragments, so a translation can
 * reorder words freely. The findings' texts stay English for now; they can
 * move here key by key.
 */
import i18next, { type TFunction } from 'i18next';
import type { Language } from '../nlu/port';
import { de } from './messages/de';
import { en, type Messages } from './messages/en';
import { es } from './messages/es';
import { fr } from './messages/fr';

export type { Language } from '../nlu/port';
export type { Messages } from './messages/en';

export const MESSAGES: Readonly<Record<Language, Messages>> = { en, de, fr, es };

/** "conversation.greeting", "questions.platform.choices.ios", … : every leaf of the English catalogue. */
export type MessageKey = Leaves<typeof en>;
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageParams = Record<string, string | number>;

const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(Object.entries(MESSAGES).map(([language, messages]) => [language, { translation: messages }])),
  lng: 'en',
  fallbackLng: 'en',
  // Resources are in memory: initialise synchronously, so `t` works from the first call.
  initAsync: false,
  // Cards are not HTML; their text is escaped for Markdown by the card code.
  interpolation: { escapeValue: false },
  // Keys like "tap-request" contain no separators to worry about, but "." nests.
  keySeparator: '.',
  nsSeparator: false,
  returnNull: false,
  showSupportNotice: false,
} as Parameters<typeof instance.init>[0]);

/** One fixed translator per language, made once when the module loads (immutable afterwards). */
const translators = new Map<Language, TFunction>((Object.keys(MESSAGES) as Language[]).map((language) => [language, instance.getFixedT(language)]));

/** The message `key` in `language` (English when a key has no translation), with `{{placeholders}}` filled. */
export function t(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const translate = translators.get(language) ?? instance.getFixedT(language);
  return translate(key, params) as string;
}
