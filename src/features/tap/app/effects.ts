/**
 * Carries out the effects a decision returned, after its write succeeded
 * (docs/tap.md, "Effects"). A failing effect is logged and doesn't stop the
 * others: the request's state is already saved. Messages meant for the person
 * whose click is being answered come back to the caller (shown on the card it
 * returns) instead of arriving as a separate chat message.
 */
import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import {
  type ApprovalCardFacts,
  type Effect,
  type MethodRef,
  type TapRequest,
  approvalCardView,
  deliveryCardView,
  jobId,
  passkeyQuestionView,
  recordDeliveryCard,
  recordRouting,
  routingFailed,
} from '../domain';
import { escapeMarkdown } from '../../../shared/text';
import { approvalCard, deliveryCard, passkeyQuestionCard } from '../cards/cards';
import { cardAttachment, type AdaptiveCardJson } from '../../../shared/cardTemplates';
import { NotInstalledError } from '../../messaging';
import { approverViews, recipientTeamsIds } from './cardFacts';
import { transact, type TapContext } from './context';
import { fromCardRef, toCardRef } from './store';

export const TAP_DELETE_JOB = 'tap.delete';

/** The payload of a `tap.delete` job: everything the deletion needs, no secrets. */
export interface DeletePayload {
  requestId: string;
  userId: string;
  methods: MethodRef[];
  why: string;
}

function errorSummary(error: unknown): { name: string; message: string } {
  const e = error as { name?: string; message?: string };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error) };
}

export class TapEffects {
  constructor(private readonly ctx: TapContext) {}

  private get deps() {
    return this.ctx.deps;
  }

  /** Performs `effects` in order; returns the messages addressed to `actorId` (shown on the answered card). */
  async perform(request: TapRequest, effects: readonly Effect[], actorId?: string): Promise<string[]> {
    const forActor: string[] = [];
    for (const effect of effects) {
      try {
        if (effect.kind === 'post-helpdesk-card') {
          const routed = await this.route(request, actorId);
          forActor.push(...routed.forActor);
          // Withdrawn: the rest (reminder, expiry, "someone asked for you") belongs to a request that no longer waits.
          if (!routed.ok) break;
          continue;
        }
        forActor.push(...(await this.performOne(request, effect, actorId)));
      } catch (error) {
        this.deps.logger.error({ requestId: request.id, effect: effect.kind, err: errorSummary(error) }, 'TAP effect failed');
      }
    }
    return forActor;
  }

  private async performOne(request: TapRequest, effect: Effect, actorId: string | undefined): Promise<string[]> {
    switch (effect.kind) {
      case 'post-helpdesk-card':
        return (await this.route(request, actorId)).forActor;
      case 'rerender-helpdesk-card':
        await this.rerenderHelpdeskCard(request.id);
        return [];
      case 'send-delivery-card':
        await this.sendDeliveryCard(request.id);
        return [];
      case 'rerender-delivery-card':
        await this.rerenderDeliveryCard(request.id);
        return [];
      case 'ask-passkey-done': {
        // The request's card in the 1:1 chat asks the question itself (deliveryCardView's passkey-question state).
        if (await this.rerenderDeliveryCard(request.id)) return [];
        const view = passkeyQuestionView(request, { now: this.deps.clock(), timeZone: await this.recipientTimeZone(request.id), settings: this.ctx.settings });
        await this.deps.proactive.sendToUser(request.recipient.id, MessageFactory.attachment(cardAttachment(passkeyQuestionCard(this.deps.cards, view))));
        return [];
      }
      case 'notify':
        return this.notify(request, effect.to, effect.message, actorId);
      case 'schedule':
        await this.deps.stores.dueTimes.schedule({ id: jobId(request.id, effect.job), kind: effect.job, dueAt: new Date(effect.at), payload: { requestId: request.id } });
        return [];
      case 'unschedule':
        await this.deps.stores.dueTimes.cancel(jobId(request.id, effect.job));
        return [];
      case 'delete-methods':
        await this.deleteMethodsDurably(request, effect.methods, effect.why);
        return [];
      case 'create-tap':
        // Only the Reveal's invoke may create a pass: its value goes into that response alone.
        this.deps.logger.error({ requestId: request.id }, 'create-tap reached the generic effect runner; ignored');
        return [];
    }
  }

  // ---------------------------------------------------------------- helpdesk thread

  /** The approval card as everyone sees it (no viewer), from the stored request. */
  async baseApprovalCard(request: TapRequest): Promise<AdaptiveCardJson> {
    const facts = await this.approvalFacts(request.id);
    return approvalCard(this.deps.cards, approvalCardView(request, undefined, facts, { now: this.deps.clock(), settings: this.ctx.settings }));
  }

  async approvalFacts(requestId: string): Promise<ApprovalCardFacts> {
    const stored = (await this.ctx.store.cardFacts.get(requestId))?.value.facts ?? {};
    return { ...stored, ...(await approverViews(this.ctx)), allowPrivileged: this.ctx.settings.allowPrivileged };
  }

  private async route(request: TapRequest, actorId: string | undefined): Promise<{ ok: boolean; forActor: string[] }> {
    const channelId = this.deps.config.helpdeskChannelId;
    let why: string;
    try {
      if (!channelId) throw new NotInstalledError('HELPDESK_CHANNEL_ID is not set.');
      const posted = await this.deps.proactive.postToChannel(channelId, MessageFactory.attachment(cardAttachment(await this.baseApprovalCard(request))));
      const recorded = await transact(this.ctx, request.id, (current) => recordRouting(current, toCardRef(posted), this.deps.clock()), {
        verb: 'route',
        actor: 'system',
        auditRefusal: false,
      });
      if (!recorded.ok) this.deps.logger.warn({ requestId: request.id, reason: recorded.refusal.reason }, 'approval card posted but its routing could not be recorded');
      return { ok: true, forActor: [] };
    } catch (error) {
      why = error instanceof NotInstalledError ? error.message : `posting to the helpdesk channel failed (${errorSummary(error).name})`;
      this.deps.logger.error({ requestId: request.id, channelId, err: errorSummary(error) }, 'TAP request could not be routed to the helpdesk channel');
    }
    const failed = await transact(this.ctx, request.id, (current) => routingFailed(current, this.deps.clock(), why), {
      verb: 'route',
      actor: 'system',
      auditRefusal: false,
    });
    return { ok: false, forActor: failed.ok ? await this.perform(failed.request, failed.effects, actorId) : [] };
  }

  /** Re-renders from the stored request (not the caller's copy), so a late update can't show an older state. */
  async rerenderHelpdeskCard(requestId: string): Promise<void> {
    const request = (await this.ctx.store.requests.get(requestId))?.value;
    const posted = fromCardRef(request?.routing.helpdeskCard);
    if (!request || !posted) return;
    await this.deps.proactive.update(posted, MessageFactory.attachment(cardAttachment(await this.baseApprovalCard(request))));
  }

  // ---------------------------------------------------------------- recipient's 1:1

  async recipientTimeZone(requestId: string): Promise<string | undefined> {
    return (await this.ctx.store.cardFacts.get(requestId))?.value.recipientTimeZone;
  }

  /** The delivery card as the chat keeps it: never the value (see docs/tap.md, "Show once"). */
  async baseDeliveryCard(request: TapRequest): Promise<AdaptiveCardJson> {
    const refreshUserIds = await recipientTeamsIds(this.ctx, request.recipient.id);
    const view = deliveryCardView(request, undefined, {
      now: this.deps.clock(),
      timeZone: await this.recipientTimeZone(request.id),
      settings: this.ctx.settings,
      ...(refreshUserIds ? { refreshUserIds } : {}),
    });
    return deliveryCard(this.deps.cards, view);
  }

  /** The "ready" card: the request's card in the 1:1 chat becomes it (updated in place); a new card only when there is none yet. */
  private async sendDeliveryCard(requestId: string): Promise<void> {
    const request = (await this.ctx.store.requests.get(requestId))?.value;
    if (!request) return;
    try {
      if (await this.rerenderDeliveryCard(requestId)) return;
    } catch (error) {
      // Deleted by the person, or a client that lost it: a new card still gets the pass to them.
      this.deps.logger.warn({ requestId, err: errorSummary(error) }, 'the request card could not be updated; sending a new one');
    }
    try {
      const posted = await this.deps.proactive.sendToUser(request.recipient.id, MessageFactory.attachment(cardAttachment(await this.baseDeliveryCard(request))));
      await transact(this.ctx, requestId, (current) => recordDeliveryCard(current, toCardRef(posted), this.deps.clock()), {
        verb: 'deliver',
        actor: 'system',
        auditRefusal: false,
      });
    } catch (error) {
      this.deps.logger.error({ requestId, err: errorSummary(error) }, 'TAP delivery card could not be sent to the recipient');
      await this.notify(
        request,
        'helpdesk-thread',
        `I couldn't send the approved pass to ${request.recipient.displayName}: they haven't opened a chat with Passkey Helpdesk. Ask them to open it and type "tap".`,
        undefined,
      );
    }
  }

  /** Updates the request's card in the recipient's chat from the stored request; false when there is none. */
  async rerenderDeliveryCard(requestId: string): Promise<boolean> {
    const request = (await this.ctx.store.requests.get(requestId))?.value;
    const posted = fromCardRef(request?.routing.recipientCard);
    if (!request || !posted) return false;
    await this.deps.proactive.update(posted, MessageFactory.attachment(cardAttachment(await this.baseDeliveryCard(request))));
    return true;
  }

  // ---------------------------------------------------------------- messages

  private async notify(request: TapRequest, to: 'recipient' | 'requester' | 'target' | 'helpdesk-thread', message: string, actorId: string | undefined): Promise<string[]> {
    if (to === 'helpdesk-thread') {
      const posted = fromCardRef(request.routing.helpdeskCard);
      if (!posted) {
        this.deps.logger.warn({ requestId: request.id }, 'no helpdesk thread to reply in');
        return [];
      }
      await this.deps.proactive.replyInThread(posted, MessageFactory.text(escapeMarkdown(message)));
      return [];
    }
    const person = to === 'recipient' ? request.recipient : to === 'requester' ? request.requester : request.targetUser;
    if (person.id === actorId) return [message];
    try {
      await this.deps.proactive.sendToUser(person.id, MessageFactory.text(escapeMarkdown(message)));
    } catch (error) {
      if (!(error instanceof NotInstalledError)) throw error;
      // People who lost their phone often can't sign in to Teams at all: not an error.
      this.deps.logger.info({ requestId: request.id, to }, 'TAP notification skipped: no chat with that person');
    }
    return [];
  }

  // ---------------------------------------------------------------- deletions

  /**
   * Durable: the `tap.delete` job is stored first, the deletion runs now, and the
   * job is removed once Graph answered (404 counts as deleted). Returns whether
   * every method is gone.
   */
  async deleteMethodsDurably(request: TapRequest, methods: readonly MethodRef[], why: string): Promise<boolean> {
    if (methods.length === 0) return true;
    const payload: DeletePayload = { requestId: request.id, userId: request.targetUser.id, methods: [...methods], why };
    const id = `${jobId(request.id, 'tap.delete')}:${randomUUID()}`;
    await this.deps.stores.dueTimes.schedule({
      id,
      kind: TAP_DELETE_JOB,
      dueAt: new Date(this.deps.clock().getTime() + 2 * 60_000),
      payload: payload as unknown as Record<string, unknown>,
    });
    const done = await this.deleteMethods(payload);
    if (done) await this.deps.stores.dueTimes.cancel(id);
    return done;
  }

  async deleteMethods(payload: DeletePayload): Promise<boolean> {
    let allGone = true;
    for (const method of payload.methods) {
      try {
        await this.deps.graph.deleteAuthenticationMethod(payload.userId, method);
        this.deps.logger.info({ requestId: payload.requestId, methodType: method['@odata.type'], methodId: method.id, why: payload.why }, 'authentication method removed');
      } catch (error) {
        allGone = false;
        this.deps.logger.warn({ requestId: payload.requestId, methodId: method.id, why: payload.why, err: errorSummary(error) }, 'authentication method could not be removed yet');
      }
    }
    return allGone;
  }
}
