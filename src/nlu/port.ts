/**
 * The language-understanding port: what a chat message asks for (intent), the
 * facts it already states (slots) and its language. Two implementations serve
 * it: the local NLP.js model (always) and, when configured, a hosted model
 * that falls back to the local one (docs/conversation.md).
 */
import { z } from 'zod';

/** The intents a message can be classified as. */
export const KNOWN_INTENTS = [
  'diagnose',
  'tap-request',
  'tap-problem',
  'lost-device',
  'status',
  'am-i-done',
  'report',
  'nudge',
  'lookup',
  'help',
  'greeting',
  'thanks',
  'cancel',
] as const;
/** Every intent a result can carry: `unknown` is what is left. */
export const INTENTS = [...KNOWN_INTENTS, 'unknown'] as const;
export type Intent = (typeof INTENTS)[number];

export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Below this confidence the result is `unknown` and `alternatives` carries the
 * likeliest intents (tuned on the held-out corpus; see docs/benchmarks.md).
 */
export const CONFIDENCE_THRESHOLD = 0.6;
/** How many likeliest intents an unsure result offers. */
export const MAX_ALTERNATIVES = 3;

export const SlotsSchema = z
  .object({
    platform: z.enum(['ios', 'android']),
    /** "13", "17.4": the OS version the message names. */
    osVersion: z.string().regex(/^\d{1,3}(\.\d{1,5}){0,3}$/),
    registration: z.enum(['same-device', 'cross-device']),
    androidProfile: z.enum(['work', 'personal']),
    bluetooth: z.boolean(),
    /** The number of an AADSTS code, e.g. "53003". */
    errorCode: z.string().regex(/^\d{4,6}$/),
    /** A pasted error message. */
    errorText: z.string().min(1).max(2000),
    lostDevice: z.boolean(),
    /** A group's display name: one of the caller's known names when one matched, else the text as typed. */
    group: z.string().min(1).max(256),
    /** A user principal name, or the name typed after a look-up ("check megan"). */
    targetUpn: z.string().min(1).max(320),
  })
  .partial()
  .strict();
export type Slots = z.infer<typeof SlotsSchema>;
export type SlotName = keyof Slots;
export const SLOT_NAMES = Object.keys(SlotsSchema.shape) as SlotName[];

export const UnderstandingSchema = z
  .object({
    intent: z.enum(INTENTS),
    slots: SlotsSchema,
    language: z.enum(LANGUAGES),
    confidence: z.number().min(0).max(1),
    /** When unsure (intent `unknown`): the likeliest intents, best first. */
    alternatives: z.array(z.enum(KNOWN_INTENTS)).max(MAX_ALTERNATIVES).optional(),
  })
  .strict();
export type Understanding = z.infer<typeof UnderstandingSchema>;

export interface UnderstandOptions {
  /**
   * The tenant's group display names: the `group` slot is matched fuzzily
   * against them ("the finanse team" → "Finance"). The caller supplies them
   * because only it knows the tenant (and can cache the list).
   */
  groupNames?: readonly string[];
}

export interface NluPort {
  /** `locale` is the client's (e.g. "de-DE"); the text itself decides when it clearly is another language. */
  understand(text: string, locale?: string, options?: UnderstandOptions): Promise<Understanding>;
}

/** "de-DE", "fr", "es-419" → a supported language, else undefined. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : undefined;
}
