/**
 * The chat side of a diagnosis: gathers the facts, decides between the
 * question card and the findings card, remembers the last diagnosis per person
 * (collection `diagnoses`, read by the TAP and status features) and posts the
 * helpdesk ticket. Conversation memory comes in and goes out as a value; the
 * routes keep it in the turn state.
 */
import { MessageFactory } from 'botbuilder';
import { ANSWER_KEYS, answersToOpenQuestions, diagnose, parseAnswers, questionStep, type AnswerKey, type Answers } from '../domain';
import type { Language } from '../../../i18n';
import { Deadline } from '../../../graph/port';
import { formatTime, readableUpn } from '../../../shared/text';
import { diagnosisFindingsCard, diagnosisQuestionCard, diagnosisTicketCard, type FindingsCardModel } from '../cards/cards';
import { cardAttachment, type AdaptiveCardJson } from '../../../shared/cardTemplates';
import type { BotDeps } from '../../deps';
import { NotInstalledError } from '../../messaging';
import { reportEvidenceAvailability } from '../../permissionAlerts';
import { askedKeysOf, withSubmittedAnswers, type ConversationMemory } from './memory';
import { runDiagnosis, type DiagnosisRun } from './run';
import { DiagnosisHistory } from './history';
import { findingsCardModel, questionCardModel, ticketCardModel } from '../cards/views';

/** What the `diagnoses` collection holds, keyed by the person's object id (a contract with TAP and status). */
/** A second "Send this to the helpdesk" with the same findings within this time is not posted again. */
export const RESEND_AFTER_MS = 15 * 60 * 1000;

/** The person in the turn. */
export interface Asker {
  userId: string;
  name: string;
  timeZone?: string | null;
  /** The reply language (the message's, else the client's locale): the question card speaks it. */
  language?: Language;
}

export interface Outcome {
  card: AdaptiveCardJson;
  memory: ConversationMemory;
}

export class DiagnosisService {
  private readonly history: DiagnosisHistory;

  constructor(private readonly deps: BotDeps) {
    this.history = new DiagnosisHistory(deps.stores);
  }

  /**
   * "I can't add a passkey", the menu, "Check again" (`fresh`): questions not yet asked, else findings.
   * `stated`: answers the person's message already gave ("I scan the QR code on my laptop"); they
   * count as answered (the latest message wins over earlier answers) and are remembered.
   */
  async start(asker: Asker, memory: ConversationMemory, options: { fresh?: boolean; stated?: Answers } = {}): Promise<Outcome> {
    const stated = options.stated ?? {};
    if (memory.pending && memory.pending.length > 0 && Object.keys(stated).length > 0) {
      const answered = await this.answerInChat(asker, memory, stated, options.fresh);
      if (answered) return answered;
    }
    const withStated: ConversationMemory =
      Object.keys(stated).length > 0 ? { ...memory, answers: { ...memory.answers, ...stated }, updatedAt: this.deps.clock().toISOString() } : memory;
    const run = await this.run(asker.userId, withStated.answers, options.fresh);
    return this.next(asker, run, withStated);
  }

  /**
   * A chat message while a question card is open ("it's a Pixel 8", "I used the
   * QR code"): what it says about the open questions counts as their answers.
   * Undefined when it answers none of them (the caller starts afresh).
   */
  private async answerInChat(asker: Asker, memory: ConversationMemory, stated: Answers, fresh?: boolean): Promise<Outcome | undefined> {
    const before = await this.run(asker.userId, memory.answers, fresh);
    const open = [...new Set([...(memory.pending ?? []), ...before.result.questions])];
    const answers = answersToOpenQuestions(stated, open, memory.pending ?? []);
    const keys = Object.keys(answers) as AnswerKey[];
    if (keys.length === 0) return undefined;
    const next = withSubmittedAnswers(memory, keys, answers, this.deps.clock());
    const run = await this.run(asker.userId, next.answers);
    return this.next(asker, run, { ...next, pending: (memory.pending ?? []).filter((key) => !keys.includes(key)) });
  }

  /** The question card's submit. */
  async answer(asker: Asker, memory: ConversationMemory, data: Record<string, unknown>): Promise<Outcome> {
    const parsed = parseAnswers(data, { ignoreUnknownKeys: true });
    const submittedKeys = parsed.ok ? (Object.keys(parsed.answers) as AnswerKey[]) : [];
    const onCard = ANSWER_KEYS.filter((key) => askedKeysOf(data.asked).includes(key) || submittedKeys.includes(key));
    if (!parsed.ok) {
      // Show the same questions again with what was typed, and why it was refused.
      const run = await this.run(asker.userId, memory.answers);
      const keys = onCard.length > 0 ? onCard : run.result.questions;
      const values = Object.fromEntries(keys.map((key) => [key, typeof data[key] === 'string' ? (data[key] as string) : undefined]));
      return { card: diagnosisQuestionCard(this.deps.cards, questionCardModel(run, { keys, values, error: parsed.error, language: asker.language })), memory };
    }
    const next = withSubmittedAnswers(memory, onCard, parsed.answers, this.deps.clock());
    const run = await this.run(asker.userId, next.answers);
    return this.next(asker, run, next);
  }

  /** "Change my answers": every question that matters (or was answered), pre-filled. */
  async changeAnswers(asker: Asker, memory: ConversationMemory): Promise<Outcome> {
    const run = await this.run(asker.userId, memory.answers);
    // The same facts without any answers: which questions the diagnosis can use at all.
    const open = diagnose({ user: run.user, tenant: run.tenant, answers: {}, now: run.at }).questions;
    const keys = ANSWER_KEYS.filter((key) => open.includes(key) || memory.answers[key] !== undefined || memory.asked.includes(key));
    if (keys.filter((key) => key !== 'errorText').length === 0) {
      return this.findings(asker, run, memory, { text: 'Your answers would not change this result: it depends only on your account and the policies.', color: 'Default' });
    }
    return { card: diagnosisQuestionCard(this.deps.cards, questionCardModel(run, { keys, values: memory.answers, revisiting: true, language: asker.language })), memory };
  }

  /** "Send this to the helpdesk": a ticket card in the helpdesk channel (a fresh diagnosis, never the card's data). */
  async sendToHelpdesk(asker: Asker, memory: ConversationMemory): Promise<Outcome> {
    const run = await this.run(asker.userId, memory.answers);
    const now = this.deps.clock();
    const findingIds = run.result.findings.map((f) => f.id);
    const channelId = this.deps.config.helpdeskChannelId;
    if (!channelId) {
      this.deps.logger.warn('diagnosis ticket not sent: HELPDESK_CHANNEL_ID is not configured');
      return this.findings(asker, run, memory, {
        text: "I can't send this: no helpdesk channel is set up for Passkey Helpdesk. Please contact your helpdesk another way and show them this card.",
        color: 'Attention',
      });
    }
    const sent = memory.sent;
    if (sent && sameIds(sent.findingIds, findingIds) && now.getTime() - Date.parse(sent.at) < RESEND_AFTER_MS) {
      return this.findings(asker, run, memory, {
        text: `Your helpdesk already has this (sent ${formatTime(sent.at, asker.timeZone)}). They will contact you in Teams.`,
        color: 'Good',
      });
    }
    const ticket = diagnosisTicketCard(this.deps.cards, ticketCardModel(run, { sentBy: run.user.user.displayName || readableUpn(run.user.user.userPrincipalName) || asker.name }));
    try {
      await this.deps.proactive.postToChannel(channelId, MessageFactory.attachment(cardAttachment(ticket)));
    } catch (error) {
      const notInstalled = error instanceof NotInstalledError;
      this.deps.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message }, channelId }, 'diagnosis ticket could not be posted');
      return this.findings(asker, run, memory, {
        text: notInstalled
          ? "I couldn't send this: Passkey Helpdesk isn't installed in your helpdesk's Teams channel yet. Please contact your helpdesk another way and show them this card."
          : "I couldn't reach the helpdesk channel just now. Please try again in a few minutes.",
        color: 'Attention',
      });
    }
    await this.deps.stores.audit
      .append({ at: now.toISOString(), requestId: null, event: 'diagnosis-sent', actor: asker.userId, details: { findingIds, channelId } })
      .catch((error: Error) => this.deps.logger.warn({ err: { name: error.name, message: error.message } }, 'audit of a diagnosis ticket failed'));
    const nextMemory: ConversationMemory = { ...memory, sent: { at: now.toISOString(), findingIds }, updatedAt: now.toISOString() };
    return this.findings(asker, run, nextMemory, { text: 'Sent to your helpdesk. They will contact you in Teams.', color: 'Good' });
  }

  // ---------------------------------------------------------------- steps

  private async run(userId: string, answers: Answers, fresh = false): Promise<DiagnosisRun> {
    const run = await runDiagnosis(this.deps.graph, userId, {
      answers,
      fresh,
      deadline: new Deadline(this.deps.config.turnDeadlineMs),
      now: this.deps.clock(),
    });
    // Logs unreadable: the helpdesk hears it once (never the person); readable again: cleared.
    await reportEvidenceAvailability(this.deps, run.user.evidence);
    return run;
  }

  /**
   * Questions nobody asked yet in this conversation → the question card, one
   * step at a time (the phone first); else the findings.
   */
  private async next(asker: Asker, run: DiagnosisRun, memory: ConversationMemory): Promise<Outcome> {
    const unasked = run.result.questions.filter((key) => !memory.asked.includes(key));
    // The error text alone is never worth a card.
    const worthACard = unasked.some((key) => key !== 'errorText');
    // Something already stands in the way (the account, the tenant, Intune, or what the message
    // said): say so first, with its fix; the phone questions stay one press away ("Answer …").
    const alreadyBlocked = run.result.findings.some((f) => f.severity === 'blocker');
    if (worthACard && !alreadyBlocked) {
      const keys = questionStep(unasked);
      const card = diagnosisQuestionCard(this.deps.cards, questionCardModel(run, { keys, language: asker.language }));
      return { card, memory: { ...memory, pending: keys } };
    }
    const { pending: _answered, ...rest } = memory;
    return this.findings(asker, run, { ...rest, updatedAt: this.deps.clock().toISOString() });
  }

  private async findings(asker: Asker, run: DiagnosisRun, memory: ConversationMemory, banner?: FindingsCardModel['banner']): Promise<Outcome> {
    await this.remember(run);
    const canChangeAnswers = memory.asked.length > 0 || Object.keys(memory.answers).length > 0 || run.result.questions.length > 0;
    const questionsWaiting = run.result.questions.some((key) => key !== 'errorText' && !memory.asked.includes(key));
    const model = findingsCardModel(run, { timeZone: asker.timeZone, banner, unanswered: run.result.questions, canChangeAnswers, questionsWaiting });
    this.deps.logger.info({ userId: asker.userId, findings: run.result.findings.map((f) => f.id) }, 'diagnosis shown');
    return { card: diagnosisFindingsCard(this.deps.cards, model), memory };
  }

  /** The last diagnosis per person; a storage hiccup must not cost the person their answer. */
  private async remember(run: DiagnosisRun): Promise<void> {
    await this.history.record(run).catch((error: Error) => {
      this.deps.logger.warn({ err: { name: error.name, message: error.message } }, 'could not store the last diagnosis');
    });
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
