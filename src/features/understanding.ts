/**
 * The message router's input: what a chat message means (the NLU port,
 * issue 9), worked out once per turn and shared by every route's selector.
 * Routes ask `understood(context)` for the intent and the slots; the slots a
 * diagnosis can use come as typed answers (`statedAnswers`).
 */
import type { TurnContext } from 'botbuilder';
import type { Answers } from './diagnosis/domain';
import { KNOWN_INTENTS, languageOfLocale, type Intent, type Language, type Understanding } from '../nlu/port';
import type { BotDeps } from './deps';

const TURN_KEY = Symbol('passkeyHelpdesk.understanding');

/** A button of the "did you mean" card sends its intent along (`value.intent`), so it needs no guessing. */
function chosenIntent(context: TurnContext): Exclude<Intent, 'unknown'> | undefined {
  const value = context.activity.value as { intent?: unknown } | undefined;
  const intent = value?.intent;
  return typeof intent === 'string' && (KNOWN_INTENTS as readonly string[]).includes(intent) ? (intent as Exclude<Intent, 'unknown'>) : undefined;
}

/** The understanding of this turn's message (computed on first use; never throws). */
export function understood(context: TurnContext, deps: BotDeps): Promise<Understanding> {
  const cached = context.turnState.get(TURN_KEY) as Promise<Understanding> | undefined;
  if (cached) return cached;
  const promise = understand(context, deps);
  context.turnState.set(TURN_KEY, promise);
  return promise;
}

async function understand(context: TurnContext, deps: BotDeps): Promise<Understanding> {
  const locale = context.activity.locale ?? undefined;
  const chosen = chosenIntent(context);
  if (chosen) return { intent: chosen, slots: {}, language: languageOfLocale(locale) ?? 'en', confidence: 1 };
  const text = context.activity.text ?? '';
  try {
    const groupNames = deps.groupNames ? await deps.groupNames().catch(() => []) : [];
    return await deps.nlu.understand(text, locale, { groupNames });
  } catch (error) {
    const err = error as Error;
    deps.logger.error({ err: { name: err?.name, message: err?.message } }, 'language understanding failed');
    return { intent: 'unknown', slots: {}, language: languageOfLocale(locale) ?? 'en', confidence: 0, alternatives: [] };
  }
}

/** A route selector: a message whose understood intent is one of these. */
export function messageMeans(deps: BotDeps, ...intents: Intent[]): (context: TurnContext) => Promise<boolean> {
  return async (context) => {
    if (context.activity.type !== 'message') return false;
    if (!(context.activity.text ?? '').trim() && !chosenIntent(context)) return false;
    return intents.includes((await understood(context, deps)).intent);
  };
}

/** The reply language of this turn: the message's, else the client's locale, else English. */
export async function replyLanguage(context: TurnContext, deps: BotDeps): Promise<Language> {
  return (await understood(context, deps)).language;
}

/**
 * What the message already says that the diagnosis asks (pre-filled answers):
 * "I scan the QR code on my laptop" → registration cross-device, "Samsung" →
 * android, a pasted error → errorText, a lost-device message → lostDevice.
 */
export function statedAnswers(understanding: Understanding): Answers {
  const { slots } = understanding;
  const answers: Answers = {};
  if (slots.platform) answers.platform = slots.platform;
  if (slots.osVersion) answers.osVersion = slots.osVersion;
  if (slots.registration) answers.registration = slots.registration;
  if (slots.androidProfile) answers.androidProfile = slots.androidProfile;
  if (slots.bluetooth !== undefined) answers.bluetooth = slots.bluetooth;
  if (slots.lostDevice !== undefined || understanding.intent === 'lost-device') answers.lostDevice = slots.lostDevice ?? true;
  const errorText = slots.errorText ?? (slots.errorCode ? `AADSTS${slots.errorCode}` : undefined);
  if (errorText) answers.errorText = errorText;
  return answers;
}

/** "report Finance" / "nudge Passkey Pilot" as typed, when the understanding named no group. */
export function commandArgument(messageText: string | undefined, command: string): string {
  const withoutMarkup = (messageText ?? '').replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').trim();
  const match = new RegExp(`^${command}\\b\\s*(.*)$`, 'i').exec(withoutMarkup);
  return match?.[1]?.trim() ?? '';
}
