/**
 * What a conversation already told us, so nothing is asked twice: the answers
 * per person (a group chat has several), which questions were on a card (a
 * question left blank was still asked), and the last ticket sent. Kept in the
 * teams-ai conversation state (persisted in the bot-state storage).
 *
 * Answers describe a phone and a moment; after `ANSWER_MEMORY_MS` they are
 * forgotten and the next diagnosis asks again.
 */
import { ANSWER_KEYS, parseAnswers, type AnswerKey, type Answers } from '../domain';

import { LANGUAGES, type Language } from '../../../nlu/port';

export const ANSWER_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface ConversationMemory {
  answers: Answers;
  /** Keys that were on a question card (answered or left blank). */
  asked: AnswerKey[];
  updatedAt: string;
  /** The language the person last wrote in: a card's button (no text) is answered in it. */
  language?: Language;
  /** Keys on the question card shown last and not answered since: a chat message may answer them. */
  pending?: AnswerKey[];
  /** The last "Send this to the helpdesk": a second press with the same findings is not posted again. */
  sent?: { at: string; findingIds: string[] };
}

/** The slice of teams-ai conversation state this feature owns. */
const STATE_KEY = 'passkeyDiagnosis';

type ConversationState = Record<string, unknown>;

function empty(now: Date): ConversationMemory {
  return { answers: {}, asked: [], updatedAt: now.toISOString() };
}

function isAnswerKey(value: unknown): value is AnswerKey {
  return typeof value === 'string' && (ANSWER_KEYS as readonly string[]).includes(value);
}

/** The person's memory in this conversation; stale or unreadable memory is forgotten. */
export function recall(conversation: object, userId: string, now: Date): ConversationMemory {
  const all = (conversation as ConversationState)[STATE_KEY] as Record<string, unknown> | undefined;
  const stored = all?.[userId] as Partial<ConversationMemory> | undefined;
  if (!stored || typeof stored.updatedAt !== 'string') return empty(now);
  if (now.getTime() - Date.parse(stored.updatedAt) > ANSWER_MEMORY_MS) return empty(now);
  // Stored by an older version, or tampered with: re-validate like any input.
  const parsed = parseAnswers(stored.answers ?? {}, { ignoreUnknownKeys: true });
  return {
    answers: parsed.ok ? parsed.answers : {},
    asked: Array.isArray(stored.asked) ? stored.asked.filter(isAnswerKey) : [],
    updatedAt: stored.updatedAt,
    ...(typeof stored.language === 'string' && (LANGUAGES as readonly string[]).includes(stored.language) ? { language: stored.language } : {}),
    ...(Array.isArray(stored.pending) && stored.pending.length > 0 ? { pending: stored.pending.filter(isAnswerKey) } : {}),
    ...(stored.sent && typeof stored.sent.at === 'string' && Array.isArray(stored.sent.findingIds) ? { sent: stored.sent } : {}),
  };
}

export function remember(conversation: object, userId: string, memory: ConversationMemory): void {
  const state = conversation as ConversationState;
  const all = { ...((state[STATE_KEY] as Record<string, unknown> | undefined) ?? {}) };
  all[userId] = memory;
  state[STATE_KEY] = all;
}

/**
 * Merges a question card's submit: keys on the card take the submitted value,
 * or become unknown when left blank (so "Change my answers" can clear one).
 */
export function withSubmittedAnswers(memory: ConversationMemory, askedOnCard: readonly AnswerKey[], submitted: Answers, now: Date): ConversationMemory {
  const answers: Answers = { ...memory.answers };
  for (const key of askedOnCard) {
    const value = submitted[key];
    if (value === undefined) delete answers[key];
    else (answers as Record<string, unknown>)[key] = value;
  }
  const asked = ANSWER_KEYS.filter((key) => memory.asked.includes(key) || askedOnCard.includes(key));
  return { ...memory, answers, asked, updatedAt: now.toISOString() };
}

/** The comma-separated `asked` of a card's action data → answer keys (anything else is dropped). */
export function askedKeysOf(raw: unknown): AnswerKey[] {
  if (typeof raw !== 'string') return [];
  const keys = new Set(raw.split(',').map((k) => k.trim()));
  return ANSWER_KEYS.filter((key) => keys.has(key));
}
