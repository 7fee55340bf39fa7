/**
 * The local understanding model: NLP.js v4 neural classifiers (one per
 * language) trained at start from the versioned corpus, typo correction
 * against the corpus vocabulary, rule-based slots, and a short grammar for
 * the bot's exact commands ("status <upn>", "nudge <group>", …) so those keep
 * their meaning whatever the classifier learns. No network, no files written.
 */
import { containerBootstrap } from '@nlpjs/core';
import { LangDe } from '@nlpjs/lang-de';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFr } from '@nlpjs/lang-fr';
import type { Nlp } from '@nlpjs/nlp';
import { Nlp as NlpPlugin } from '@nlpjs/nlp';
import { loadCorpora, utterancesOf, type Corpus } from './corpus';
import { Vocabulary } from './fuzzy';
import { LanguageDetector } from './language';
import { normalizeText, plainMessageText, tokenize } from './normalize';
import {
  CONFIDENCE_THRESHOLD,
  KNOWN_INTENTS,
  LANGUAGES,
  MAX_ALTERNATIVES,
  UnderstandingSchema,
  languageOfLocale,
  type Intent,
  type Language,
  type NluPort,
  type Slots,
  type Understanding,
  type UnderstandOptions,
} from './port';
import { SLOT_VOCABULARY, extractSlots, matchGroup } from './slots';

/** The longest message understood; the rest is ignored (a pasted log is not a request). */
const MAX_TEXT = 2000;
/** Words of a message that are classified. */
const MAX_TOKENS = 60;
/** An alternative is offered only when the classifier gives it at least this much. */
const MIN_ALTERNATIVE_SCORE = 0.05;
/** A command's argument longer than this is a sentence, not a name: the classifier reads it. */
const MAX_COMMAND_ARGUMENT_WORDS = 5;
/** Understandings kept (short messages only: "help", "status", a button's text are typed over and over). */
const RECENT_SIZE = 512;
const RECENT_MAX_TEXT = 200;

interface Classified {
  sure: boolean;
  top?: Exclude<Intent, 'unknown'>;
  confidence: number;
  alternatives: Array<Exclude<Intent, 'unknown'>>;
}

export interface LocalNluOptions {
  /** Defaults to the corpus in src/nlu/corpus. The bench passes a training split. */
  corpora?: Partial<Record<Language, Corpus>>;
}

export class LocalNlu implements NluPort {
  /** Milliseconds spent loading the corpus and training. */
  loadTimeMs = 0;

  private readonly recent = new Map<string, Understanding>();

  private constructor(
    private readonly nlp: Nlp,
    private readonly vocabularies: Record<Language, Vocabulary>,
    private readonly detector: LanguageDetector,
  ) {}

  /** Loads the corpus and trains every language's model (tens of milliseconds). */
  static async create(options: LocalNluOptions = {}): Promise<LocalNlu> {
    const started = performance.now();
    const corpora = { ...loadCorporaIfNeeded(options.corpora), ...options.corpora } as Record<Language, Corpus>;
    const container = await containerBootstrap();
    container.use(NlpPlugin);
    container.use(LangEn);
    container.use(LangDe);
    container.use(LangFr);
    container.use(LangEs);
    const nlp = container.get('nlp');
    nlp.settings.autoSave = false;
    nlp.settings.autoLoad = false;
    // NLP.js prints one console line per training epoch unless told not to.
    nlp.nluManager.settings.log = false;
    nlp.addLanguage([...LANGUAGES]);
    const vocabularies = {} as Record<Language, Vocabulary>;
    for (const language of LANGUAGES) {
      const vocabulary = new Vocabulary(SLOT_VOCABULARY);
      for (const { text, intent } of utterancesOf(corpora[language])) {
        const normalized = normalizeText(text);
        if (!normalized) continue;
        for (const token of tokenize(normalized)) vocabulary.add(token);
        nlp.addDocument(language, normalized, intent);
      }
      vocabularies[language] = vocabulary;
    }
    await nlp.train();
    const nlu = new LocalNlu(nlp, vocabularies, new LanguageDetector(vocabularies));
    nlu.loadTimeMs = performance.now() - started;
    return nlu;
  }

  /** The bot's exact commands ("status", "nudge <group>", …) understood by grammar alone; undefined for anything else. */
  async exactCommand(text: string, locale?: string, options: UnderstandOptions = {}): Promise<Understanding | undefined> {
    const read = this.read(text, locale, options);
    const command = commandOf(read.original, read.tokens, options);
    return command ? finish(read.original, { intent: command.intent, slots: { ...read.slots, ...command.slots }, language: read.language, confidence: 1 }) : undefined;
  }

  /**
   * What a message means depends only on its text, the locale and the group names, so the answers to
   * recent short messages are kept: the profile of a "help" turn showed the reading and the schema check
   * as the product's largest own cost per turn.
   */
  async understand(text: string, locale?: string, options: UnderstandOptions = {}): Promise<Understanding> {
    const key = typeof text === 'string' && text.length <= RECENT_MAX_TEXT ? `${locale ?? ''}\u0000${(options.groupNames ?? []).join('\u0001')}\u0000${text}` : undefined;
    const known = key === undefined ? undefined : this.recent.get(key);
    if (key !== undefined && known) {
      this.recent.delete(key);
      this.recent.set(key, known);
      return copyOf(known);
    }
    const understanding = await this.understandAfresh(text, locale, options);
    if (key !== undefined) {
      this.recent.set(key, copyOf(understanding));
      if (this.recent.size > RECENT_SIZE) this.recent.delete(this.recent.keys().next().value as string);
    }
    return understanding;
  }

  private async understandAfresh(text: string, locale: string | undefined, options: UnderstandOptions): Promise<Understanding> {
    const { original, tokens, language, corrected, slots } = this.read(text, locale, options);
    const command = commandOf(original, tokens, options);
    if (command) return finish(original, { intent: command.intent, slots: { ...slots, ...command.slots }, language, confidence: 1 });

    let best = await this.classify(language, corrected);
    if (!best.sure) {
      // A word from another language ("stop" in a Spanish chat): that language's model may know it.
      for (const other of LANGUAGES) {
        if (other === language) continue;
        const otherTokens = tokens.map((t) => (t.includes('@') ? t : (this.vocabularies[other].correct(t) ?? t)));
        const attempt = await this.classify(other, otherTokens);
        if (attempt.sure && attempt.confidence > best.confidence) best = attempt;
      }
    }
    // "mein Telefon ist ein Pixel 7" sounds like the lost-phone sentences, but names a phone and
    // says nothing of losing it: it answers the diagnosis's questions.
    if (best.top === 'lost-device' && !slots.lostDevice && (slots.platform ?? slots.osVersion) !== undefined) {
      return finish(original, { intent: 'diagnose', slots, language, confidence: Math.max(best.confidence, CONFIDENCE_THRESHOLD) });
    }
    if (best.sure && best.top) return finish(original, { intent: best.top, slots, language, confidence: best.confidence });
    // An address and a look-up among the likeliest: the helpdesk asking about someone.
    if (slots.targetUpn && best.alternatives.slice(0, 2).some((i) => i === 'lookup' || i === 'status')) {
      return finish(original, { intent: 'lookup', slots, language, confidence: CONFIDENCE_THRESHOLD });
    }
    return finish(original, fallback(slots, language, Math.min(best.confidence, CONFIDENCE_THRESHOLD - 0.01), best.alternatives));
  }

  /** What every path needs: the plain text, its tokens, language, typo-corrected tokens and slots. */
  private read(text: string, locale: string | undefined, options: UnderstandOptions) {
    const original = plainMessageText(String(text ?? '')).slice(0, MAX_TEXT);
    // The first words say what a message is about; a pasted log adds nothing but time.
    const tokens = tokenize(normalizeText(original)).slice(0, MAX_TOKENS);
    const localeLanguage = languageOfLocale(locale);
    const language = tokens.length > 0 ? this.detector.detect(original, tokens, localeLanguage) : (localeLanguage ?? 'en');
    const vocabulary = this.vocabularies[language];
    const corrected = tokens.map((t) => (t.includes('@') ? t : (vocabulary.correct(t) ?? t)));
    const slots = extractSlots(original, corrected.join(' '), options);
    return { original, tokens, language, corrected, slots };
  }

  /** One language's classifier on typo-corrected tokens. */
  private async classify(language: Language, tokens: readonly string[]): Promise<Classified> {
    if (!tokens.some((t) => this.vocabularies[language].has(t))) return { sure: false, confidence: 0, alternatives: [] };
    const result = await this.nlp.process(language, tokens.join(' '));
    const ranked = result.classifications
      .filter((c) => (KNOWN_INTENTS as readonly string[]).includes(c.intent))
      .sort((a, b) => b.score - a.score) as Array<{ intent: Exclude<Intent, 'unknown'>; score: number }>;
    const top = ranked[0];
    // The "unknown" class (off-topic sentences) and NLP.js's "None" both mean: nothing we do.
    const topIsKnown = top !== undefined && result.intent === top.intent;
    const confidence = clamp(top?.score ?? 0);
    return {
      sure: topIsKnown && confidence >= CONFIDENCE_THRESHOLD,
      top: top?.intent,
      confidence,
      alternatives: ranked.filter((c) => c.score >= MIN_ALTERNATIVE_SCORE).slice(0, MAX_ALTERNATIVES).map((c) => c.intent),
    };
  }
}

function loadCorporaIfNeeded(given: Partial<Record<Language, Corpus>> | undefined): Partial<Record<Language, Corpus>> {
  return given && LANGUAGES.every((l) => given[l]) ? {} : loadCorpora();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(1, Number.isFinite(value) ? Math.round(value * 1000) / 1000 : 0));
}

/**
 * Nothing classified with confidence: facts in the message still say what it
 * is about. A pasted error or AADSTS code asks for a diagnosis; a lost phone
 * for the lost-device path; facts about the phone ("it's a Pixel 8", "I used
 * the QR code") answer the diagnosis's questions.
 */
function fallback(slots: Slots, language: Language, confidence: number, alternatives: Understanding['alternatives'] & object): Understanding {
  if (slots.errorCode || slots.errorText) return { intent: 'diagnose', slots, language, confidence: CONFIDENCE_THRESHOLD };
  if (slots.lostDevice) return { intent: 'lost-device', slots, language, confidence: CONFIDENCE_THRESHOLD };
  const phoneFacts = slots.platform ?? slots.osVersion ?? slots.registration ?? slots.androidProfile ?? slots.bluetooth;
  if (phoneFacts !== undefined) return { intent: 'diagnose', slots, language, confidence: CONFIDENCE_THRESHOLD };
  return { intent: 'unknown', slots, language, confidence: clamp(confidence), alternatives };
}

/** Intent-specific finishing: a look-up names someone; a lost-device message states the lost device. */
/** A copy callers may change without changing the kept one. */
function copyOf(understanding: Understanding): Understanding {
  return { ...understanding, slots: { ...understanding.slots }, ...(understanding.alternatives ? { alternatives: [...understanding.alternatives] } : {}) };
}

function finish(original: string, understanding: Understanding): Understanding {
  const u = { ...understanding, slots: { ...understanding.slots } };
  if (u.intent === 'status' && u.slots.targetUpn) u.intent = 'lookup';
  if (u.intent === 'lookup' && !u.slots.targetUpn) {
    const name = lookupName(original);
    if (name) u.slots.targetUpn = name;
  }
  if (u.intent === 'lost-device') u.slots.lostDevice = true;
  if (u.intent !== 'unknown') delete u.alternatives;
  return UnderstandingSchema.parse(u);
}

interface Command {
  intent: Exclude<Intent, 'unknown'>;
  slots: Slots;
}

const EMAIL_ONLY = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The bot's exact commands, which mean what they always meant. */
function commandOf(original: string, tokens: readonly string[], options: UnderstandOptions): Command | undefined {
  const text = original.trim().replace(/[\s.!]+$/, '');
  const [head, ...rest] = text.split(/\s+/);
  const word = normalizeText(head ?? '');
  const argument = rest.join(' ').trim();
  if (rest.length > MAX_COMMAND_ARGUMENT_WORDS) return undefined;
  if (tokens.length === 0 && text === '?') return { intent: 'help', slots: {} };
  switch (word) {
    case 'help':
      return argument ? undefined : { intent: 'help', slots: {} };
    case 'diagnose':
    case 'diagnosis':
    case 'troubleshoot':
      return argument ? undefined : { intent: 'diagnose', slots: {} };
    case 'cancel':
      return argument ? undefined : { intent: 'cancel', slots: {} };
    case 'status':
      if (!argument) return { intent: 'status', slots: {} };
      // "status <upn>", "status <object id>", "status megan": one word after "status" names the person.
      return EMAIL_ONLY.test(argument) || !/\s/.test(argument) ? { intent: 'lookup', slots: { targetUpn: argument } } : undefined;
    case 'tap':
      if (!argument) return { intent: 'tap-request', slots: {} };
      {
        const target = /^(?:for\s+)?(\S+@\S+)$/i.exec(argument)?.[1];
        return target ? { intent: 'tap-request', slots: { targetUpn: target } } : undefined;
      }
    case 'report':
    case 'nudge': {
      if (!argument) return { intent: word, slots: {} };
      // With the tenant's names, only a known group is a group; without them, the name as typed.
      if (options.groupNames?.length) {
        const known = matchGroup(normalizeText(argument), options.groupNames);
        return { intent: word, slots: known ? { group: known } : {} };
      }
      return { intent: word, slots: { group: argument } };
    }
    default:
      return undefined;
  }
}

/** The typed name after "check" / "look up" / "prüfe" / "vérifie" / "busca" …, for a look-up without an address. */
const LOOKUP_NAME = /^(?:check(?: on)?|look ?up|lookup|find|search(?: for)?|investigate|prufe|uberprufe|suche?(?: nach)?|finde|schau nach|verifie|cherche|recherche|controle|comprueba|busca(?: a)?|revisa|consulta|encuentra(?: a)?)\s+(?:(?:the )?user |benutzer |l utilisateur |utilisateur |al usuario |usuario )?([a-z][a-z.'-]*(?: [a-z][a-z.'-]*)?)$/;
const NOT_A_NAME = new Set(['my', 'me', 'mein', 'meine', 'mon', 'ma', 'mes', 'mi', 'mis', 'someone', 'somebody', 'a', 'an', 'the', 'this', 'another', 'jemand', 'einen', 'un', 'une', 'cette', 'otro', 'esta', 'status', 'statut', 'estado', 'passkey', 'd', 'de', 'user', 'utilisateur', 'usuario', 'benutzer']);

/** "check megan" → "megan" (the look-up resolves it), when no address was given. */
export function lookupName(original: string): string | undefined {
  const match = LOOKUP_NAME.exec(normalizeText(original));
  const name = match?.[1];
  if (!name) return undefined;
  if (name.split(' ').some((w) => NOT_A_NAME.has(w))) return undefined;
  return name;
}
