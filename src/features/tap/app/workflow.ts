/**
 * The TAP workflow's application service: one method per card action. Each
 * gathers what the domain needs (Graph, store), lets the domain decide
 * (src/tap), persists with an etag compare-and-set (context.ts `transact`),
 * then performs the effects and answers the person with a card.
 *
 * Identity comes from the activity (`from.aadObjectId`); from the action data
 * only `requestId` and the inputs are taken (parsed by src/tap/actions.ts).
 * The TAP value exists only inside `issue()`: in memory, then in the one
 * invoke response card. It is never stored, logged, sent or put in an effect.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Deadline, GraphError, type IssuedTemporaryAccessPass } from '../../../graph/port';
import type { DirectoryUser } from '../../../directory/facts';
import { modify } from '../../../storage/modify';
import { safeTimeZone } from '../../../shared/text';
import {
  type ApproveAction,
  type ByIdAction,
  type DenyAction,
  type Effect,
  type HelpdeskActor,
  type MethodRef,
  type Refusal,
  type SubmitAction,
  type TapRequest,
  LOST_DEVICE_REMOVABLE_TYPES,
  TAP_VERBS,
  anotherPasskey,
  applyRecovery,
  approvalCardView,
  approve,
  beginReveal,
  cancel,
  completeIssue,
  confirmDone,
  decideRecovery,
  deliveryCardView,
  deny,
  failIssue,
  isOpen,
  recordDeliveryCard,
  isPrivilegedUser,
  neededByFromInputs,
  refuse,
  revealedOnceView,
  revoke,
  tapPolicyFacts,
  tapsCreatedSince,
  targetAccountFacts,
  validateNewRequest,
} from '../domain';
import { noticeCard } from '../../../shared/noticeCard';
import type { AdaptiveCardJson } from '../../../shared/cardTemplates';
import { approvalCard, banner, deliveryCard, requestCard, revealedCard, type Banner, type RegistrationChoice } from '../cards/cards';
import { gatherCardFacts } from './cardFacts';
import { UNKNOWN_REQUEST_MESSAGE, auditRefusal, transact, type Outcome, type TapContext } from './context';
import { TapEffects } from './effects';
import { fromCardRef, toCardRef, type TargetGuard } from './store';
import { MessageFactory } from 'botbuilder';
import type { PostedActivity } from '../../messaging';
import { cardAttachment } from '../../../shared/cardTemplates';
import type { ClickedCard } from '../../cardActions';
import { SLOW_DOWN } from '../../../shared/floodGuard';

/** The person whose activity is being answered: all from the activity, nothing from action data. */
export interface ActingPerson {
  /** Entra object id (`from.aadObjectId`). */
  id: string;
  name: string;
  /** Teams user id (`from.id`). */
  teamsId?: string;
  /** IANA zone (`localTimezone`). */
  timeZone?: string;
  /** `personal` or `channel`: decides which card a shared verb answers with. */
  conversationType?: string;
}

export type MenuHints = z.infer<typeof menuHintSchema>;

const DAY = 86_400_000;
/** Listing the user's passes after a failed creation gets its own short deadline… */
const RECOVERY_LISTING_MS = 4000;
/** …within what is left of the ~15 s Teams waits for an invoke answer. */
const INVOKE_BUDGET_MS = 14_000;

const TAP_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';

function tapRef(id: string): MethodRef {
  return { '@odata.type': TAP_TYPE, id, displayName: 'Temporary Access Pass' };
}

function describeFailure(error: unknown): string {
  if (error instanceof GraphError) {
    return error.status === 0
      ? `no answer from Microsoft Graph (${error.code})`
      : `Microsoft Graph answered ${error.status} (${error.code})`;
  }
  return `unexpected error (${(error as Error)?.name ?? 'Error'})`;
}

/**
 * What a "Request a Temporary Access Pass" button elsewhere (diagnosis card,
 * helpdesk ticket, status card) may pass along: hints that prefill the card,
 * never trusted beyond that (the submit is checked like any other).
 */
export const menuHintSchema = z
  .object({
    reason: z.string().max(64).optional(),
    lostDevice: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    targetUpn: z.string().trim().max(256).optional(),
  })
  .passthrough();

/** The diagnosis findings that lead to a TAP, as a first draft of the reason. */
const REASON_FROM_FINDING: Record<string, string> = {
  'no-mfa-for-registration': 'I have no sign-in method yet to register a passkey with.',
  'lost-device': 'I lost or replaced the phone with Microsoft Authenticator.',
  'tap-one-time-used': 'My one-time Temporary Access Pass was already used.',
  'tap-expired': 'My Temporary Access Pass expired before I could register a passkey.',
};

export class TapWorkflow {
  readonly effects: TapEffects;

  constructor(readonly ctx: TapContext) {
    this.effects = new TapEffects(ctx);
  }

  private get deps() {
    return this.ctx.deps;
  }

  private get settings() {
    return this.ctx.settings;
  }

  private notice(title: string, text: string, color: 'Default' | 'Good' | 'Warning' | 'Attention' = 'Warning'): AdaptiveCardJson {
    return noticeCard(this.deps.cards, { title, text, color });
  }

  private unknownRequestCard(): AdaptiveCardJson {
    return this.notice('Request not found', UNKNOWN_REQUEST_MESSAGE);
  }

  async isHelpdeskMember(userId: string): Promise<boolean> {
    const groupId = this.deps.config.helpdeskGroupId;
    if (!groupId) return false;
    return this.deps.graph.isTransitiveMemberOf(userId, groupId);
  }

  private async helpdeskActor(actor: ActingPerson): Promise<HelpdeskActor> {
    return { id: actor.id, displayName: actor.name, isHelpdeskMember: await this.isHelpdeskMember(actor.id) };
  }

  /** A malformed or forged payload: audited as refused-forged, answered plainly. */
  private async refusedInput(refusal: Refusal, actor: ActingPerson, verb: string, requestId: string | null = null): Promise<AdaptiveCardJson> {
    if (!(await auditRefusal(this.ctx, refusal, requestId, { verb, actor: actor.id }))) return this.notice(SLOW_DOWN.title, SLOW_DOWN.text);
    return refusal.reason === 'unknown-request' ? this.unknownRequestCard() : this.notice("That didn't work", refusal.message);
  }

  // ---------------------------------------------------------------- cards

  /** The card that answers a personal-chat action about a request: the recipient's view of it. */
  private deliveryAnswer(request: TapRequest, actor: ActingPerson, line?: Banner): AdaptiveCardJson {
    const view = deliveryCardView(request, { id: actor.id }, { now: this.deps.clock(), timeZone: actor.timeZone, settings: this.settings });
    return deliveryCard(this.deps.cards, view, line && withoutSentencesOnCard(line, [view.title, ...view.lines]));
  }

  /** A refusal on a personal card: a button of a card the request has moved past is answered kindly, with the current card. */
  private refusedOnDelivery(request: TapRequest, actor: ActingPerson, refusal: Refusal): AdaptiveCardJson {
    return this.deliveryAnswer(request, actor, staleButtonBanner(request, refusal, 'personal'));
  }

  /** The card that answers a helpdesk-channel action: that person's view of the approval card. */
  private async approvalAnswer(request: TapRequest, viewer: HelpdeskActor, timeZone: string | undefined, line?: Banner): Promise<AdaptiveCardJson> {
    const facts = await this.effects.approvalFacts(request.id);
    const view = approvalCardView(request, viewer, facts, { now: this.deps.clock(), timeZone, settings: this.settings });
    return approvalCard(this.deps.cards, view, line);
  }

  private async answerFor(request: TapRequest, actor: ActingPerson, line?: Banner, viewer?: HelpdeskActor): Promise<AdaptiveCardJson> {
    if (actor.conversationType === 'channel') return this.approvalAnswer(request, viewer ?? (await this.helpdeskActor(actor)), actor.timeZone, line);
    return this.deliveryAnswer(request, actor, line);
  }

  private linesBanner(lines: string[], color: Banner['color']): Banner | undefined {
    const text = lines.filter(Boolean).join(' ');
    return text ? banner(text, color) : undefined;
  }

  // ---------------------------------------------------------------- request card

  /**
   * "tap" / menu: the person's open request if they are waiting for a pass
   * (e.g. the delivery card never reached them), otherwise the request card.
   */
  async openFor(actor: ActingPerson, targetUpn?: string, prefill?: Partial<SubmitAction>): Promise<AdaptiveCardJson> {
    if (!targetUpn) {
      const waiting = await this.openRequestAsRecipient(actor.id);
      if (waiting) return this.deliveryAnswer(waiting, actor);
    }
    return this.requestCardFor(actor, targetUpn, undefined, prefill);
  }

  /**
   * "tap" typed again while a request is open shows its card as a new message: that card becomes
   * the request's card in the chat (later steps update it), and the earlier one says where it went.
   */
  async adoptCard(actor: ActingPerson, card: AdaptiveCardJson, posted: PostedActivity): Promise<void> {
    const requestId = requestIdOnCard(card);
    const stored = requestId ? (await this.ctx.store.requests.get(requestId))?.value : undefined;
    if (!stored || stored.recipient.id !== actor.id || !isOpen(stored, this.deps.clock())) return;
    const previous = fromCardRef(stored.routing.recipientCard);
    const recorded = await transact(this.ctx, stored.id, (current) => recordDeliveryCard(current, toCardRef(posted), this.deps.clock()), { verb: 'show', actor: 'system', auditRefusal: false });
    if (!recorded.ok || !previous || previous.activityId === posted.activityId) return;
    const moved = noticeCard(this.deps.cards, { title: 'Temporary Access Pass', text: "This request's card is now further down in this chat.", color: 'Default' });
    await this.deps.proactive.update(previous, MessageFactory.attachment(cardAttachment(moved))).catch(() => undefined);
  }

  /** The menu button, also used by the diagnosis and ticket cards with hints (reason, lost phone, for whom). */
  async openFromButton(actor: ActingPerson, hints: MenuHints): Promise<AdaptiveCardJson> {
    const reason = hints.reason ? REASON_FROM_FINDING[hints.reason] : undefined;
    const lostDevice = hints.lostDevice === true || hints.lostDevice === 'true';
    const prefill: Partial<SubmitAction> = { ...(reason ? { reason } : {}), ...(lostDevice ? { lostDevice } : {}) };
    return this.openFor(actor, hints.targetUpn || undefined, Object.keys(prefill).length > 0 ? prefill : undefined);
  }

  private async openRequestAsRecipient(userId: string): Promise<TapRequest | undefined> {
    const now = this.deps.clock();
    const own = (await this.ctx.store.requests.findBy('targetUserId', userId)).map((v) => v.value);
    const open = own.filter((r) => r.recipient.id === userId && isOpen(r, now));
    return open[open.length - 1];
  }

  /** The request card for the actor, or (manager / helpdesk) for someone else. */
  async requestCardFor(actor: ActingPerson, targetUpn?: string, line?: Banner, prefill?: Partial<SubmitAction>): Promise<AdaptiveCardJson> {
    let target: DirectoryUser | null;
    if (targetUpn) {
      target = await this.deps.graph.findUser(targetUpn);
      if (!target) return this.requestCardFor(actor, undefined, banner(`I can't find anyone with the sign-in name ${targetUpn}.`));
    } else {
      target = await this.deps.graph.findUser(actor.id);
      if (!target) return this.notice('Account not found', "I can't find your account in the directory.");
    }
    const self = target.id === actor.id;
    const [facts, tenant] = await Promise.all([this.deps.graph.loadUserFacts(target.id), this.deps.graph.loadTenantFacts()]);
    if (!self && facts.manager?.id !== actor.id && !(await this.isHelpdeskMember(actor.id))) {
      const refusal = refuse(
        'not-allowed-on-behalf',
        `You can ask for a Temporary Access Pass for yourself; for ${target.displayName ?? targetUpn} only their manager or the helpdesk can.`,
      );
      await auditRefusal(this.ctx, refusal, null, { verb: 'tap.open', actor: actor.id });
      return this.notice('Not allowed', refusal.message);
    }
    const registrations: RegistrationChoice[] = facts.methods
      .filter((m) => (LOST_DEVICE_REMOVABLE_TYPES as readonly string[]).includes(m['@odata.type']) && typeof m.id === 'string')
      .map((m) => ({ id: m.id as string, '@odata.type': m['@odata.type'], displayName: typeof m.displayName === 'string' ? m.displayName : null }));
    const policy = tapPolicyFacts(tenant, facts);
    return requestCard(this.deps.cards, {
      ...(self ? {} : { forPerson: { displayName: target.displayName ?? target.userPrincipalName ?? target.id, upn: target.userPrincipalName ?? '' } }),
      registrations,
      oneTimeOnly: policy.tapPolicy.isUsableOnce === true,
      ...(prefill ? { prefill: { ...prefill, targetUpn: self ? '' : (target.userPrincipalName ?? '') } } : {}),
      ...(line ? { banner: line } : {}),
    });
  }

  // ---------------------------------------------------------------- submit

  /**
   * `clicked`: the request card that was sent. In the person's own 1:1 chat it becomes the
   * request's card there (`routing.recipientCard`): every later step updates it in place.
   */
  async submit(actor: ActingPerson, action: SubmitAction, clicked?: ClickedCard): Promise<AdaptiveCardJson> {
    const verb = TAP_VERBS.submit;
    const graph = this.deps.graph;

    const requester = await graph.findUser(actor.id);
    if (!requester) return this.notice('Account not found', "I can't find your account in the directory.");
    const forOther = action.targetUpn !== undefined && action.targetUpn.toLowerCase() !== (requester.userPrincipalName ?? '').toLowerCase();
    const target = forOther ? await graph.findUser(action.targetUpn as string) : requester;
    if (!target) return this.requestCardFor(actor, undefined, banner(`I can't find anyone with the sign-in name ${action.targetUpn}.`), { ...action, targetUpn: undefined });
    const self = target.id === actor.id;

    const [targetFacts, tenantFacts, requesterIsHelpdeskMember] = await Promise.all([
      graph.loadUserFacts(target.id),
      graph.loadTenantFacts(),
      self ? Promise.resolve(false) : this.isHelpdeskMember(actor.id),
    ]);
    const policy = tapPolicyFacts(tenantFacts, targetFacts);
    const requesterIsManager = !self && targetFacts.manager?.id === actor.id;
    const person = (u: DirectoryUser) => ({ id: u.id, upn: u.userPrincipalName ?? u.id, displayName: u.displayName ?? u.userPrincipalName ?? u.id });
    const neededByInput = neededByFromInputs(action.neededByDate, action.neededByTime, safeTimeZone(actor.timeZone));
    if (!neededByInput.ok) return this.requestCardFor(actor, undefined, banner(neededByInput.message), { ...action, neededByDate: undefined, neededByTime: undefined });
    const neededBy = neededByInput.neededBy;

    // Serialise submissions for this person through a guard document: a concurrent submit makes the
    // compare-and-set fail, and the decision is taken again on what is stored by then.
    const decided = await modify<TargetGuard, { decision: ReturnType<typeof validateNewRequest>; now: Date }>(
      this.ctx.store.guards,
      target.id,
      async () => {
        const now = this.deps.clock();
        const existing = (await this.ctx.store.requests.findBy('targetUserId', target.id)).map((v) => v.value);
        const decision = validateNewRequest(
          {
            id: randomUUID(),
            targetUser: person(target),
            requester: person(requester),
            reason: action.reason,
            ...(neededBy ? { neededBy } : {}),
            lostDevice: { lost: action.lostDevice, registrationIds: action.registrationIds },
            ...(action.tapKind ? { tapKind: action.tapKind } : {}),
            ...(action.expectedPasskeys ? { expectedPasskeys: action.expectedPasskeys } : {}),
          },
          {
            now,
            settings: this.settings,
            ...policy,
            ...targetAccountFacts(targetFacts),
            openRequests: existing,
            // "Per day": the last 24 hours, so the limit can't be doubled around midnight.
            requestsToday: existing.filter((r) => now.getTime() - Date.parse(r.createdAt) < DAY).length,
            requesterIsManager,
            requesterIsHelpdeskMember,
            targetMethods: targetFacts.methods,
            tapPolicy: policy.tapPolicy,
          },
        );
        if (!decision.ok) return { result: { decision, now } };
        return { write: { targetUserId: target.id, lastRequestId: decision.request.id, updatedAt: now.toISOString() }, result: { decision, now } };
      },
      { name: 'TAP submissions guard', attempts: 10 },
    );
    const { decision, now } = decided;
    if (!decision.ok) {
      await auditRefusal(this.ctx, decision, null, { verb, actor: actor.id });
      const mayAskForTarget = self || requesterIsManager || requesterIsHelpdeskMember;
      return mayAskForTarget
        ? this.requestCardFor(actor, self ? undefined : target.userPrincipalName ?? target.id, banner(decision.message), action)
        : this.notice('Not allowed', decision.message);
    }

    const recipientCard = actor.conversationType === 'personal' && clicked?.activityId ? toCardRef({ reference: clicked.reference, activityId: clicked.activityId }) : undefined;
    const request: TapRequest = recipientCard ? { ...decision.request, routing: { ...decision.request.routing, recipientCard } } : decision.request;
    await this.ctx.store.requests.create(request.id, request);
    for (const event of decision.events) await this.deps.stores.audit.append(event);
    this.deps.logger.info({ requestId: request.id, event: 'requested', actor: actor.id, targetUserId: target.id }, 'TAP request event');
    const facts = await gatherCardFacts(this.ctx, { request, target: targetFacts, requester, now });
    await this.ctx.store.cardFacts.upsert(request.id, { requestId: request.id, facts, ...(actor.timeZone ? { recipientTimeZone: actor.timeZone } : {}) });

    const forActor = await this.effects.perform(request, decision.effects, actor.id);
    const current = (await this.ctx.store.requests.get(request.id))?.value ?? request;
    const sent =
      current.status === 'pending'
        ? `Sent to the helpdesk. They will contact ${self ? 'you' : target.displayName ?? 'the person'} to verify ${self ? 'your' : 'their'} identity before approving.`
        : '';
    return this.deliveryAnswer(current, actor, this.linesBanner([sent, ...forActor], current.status === 'pending' ? 'good' : 'attention'));
  }

  // ---------------------------------------------------------------- approve / deny

  async decide(actor: ActingPerson, action: ApproveAction | DenyAction): Promise<AdaptiveCardJson> {
    const verb = action.verb;
    const stored = (await this.ctx.store.requests.get(action.requestId))?.value;
    if (!stored) return this.refusedInput(refuse('unknown-request', UNKNOWN_REQUEST_MESSAGE), actor, verb, action.requestId);

    const viewer = await this.helpdeskActor(actor);
    // A target who became privileged since submission gets the stricter rule (fresh role check).
    let targetIsPrivileged: boolean | undefined;
    if (verb === TAP_VERBS.approve && viewer.isHelpdeskMember) {
      targetIsPrivileged = await this.deps.graph
        .loadUserFacts(stored.targetUser.id)
        .then(isPrivilegedUser)
        .catch(() => undefined);
    }
    const outcome = await transact(
      this.ctx,
      action.requestId,
      (request) =>
        verb === TAP_VERBS.approve
          ? approve(request, viewer, (action as ApproveAction).verification, this.deps.clock(), {
              settings: this.settings,
              allowPrivileged: this.settings.allowPrivileged,
              ...(targetIsPrivileged !== undefined ? { targetIsPrivileged } : {}),
              removeLostDeviceRegistrations: (action as ApproveAction).removeLostDeviceRegistrations,
            })
          : deny(request, viewer, (action as DenyAction).denyReason, this.deps.clock()),
      { verb, actor: actor.id },
    );
    if (!outcome.ok) {
      return outcome.request ? this.approvalAnswer(outcome.request, viewer, actor.timeZone, staleButtonBanner(outcome.request, outcome.refusal, 'helpdesk')) : this.unknownRequestCard();
    }
    const forActor = await this.effects.perform(outcome.request, outcome.effects, actor.id);
    const done =
      verb === TAP_VERBS.deny
        ? 'Denied. The requester has been told why.'
        : outcome.request.status === 'pending'
          ? 'Your approval is recorded. A second helpdesk member must approve too.'
          : `Approved. ${outcome.request.recipient.displayName} gets the pass in a 1:1 chat and reveals it when ready.`;
    return this.approvalAnswer(outcome.request, viewer, actor.timeZone, this.linesBanner([done, ...forActor], 'good'));
  }

  // ---------------------------------------------------------------- reveal (show once)

  async reveal(actor: ActingPerson, action: ByIdAction): Promise<AdaptiveCardJson> {
    const { verb, requestId } = action;

    // Issue 11 F2: the target's roles and account state are read again for the recipient (a Graph failure
    // fails the action: no pass without the check).
    const stored = (await this.ctx.store.requests.get(requestId))?.value;
    const target =
      stored && stored.recipient.id === actor.id ? targetAccountFacts(await this.deps.graph.loadUserFacts(stored.targetUser.id)) : undefined;
    // The compare-and-set to `issuing` happens before any pass exists: only its winner creates one.
    const outcome = await transact(this.ctx, requestId, (request) => beginReveal(request, { id: actor.id, displayName: actor.name }, this.deps.clock(), this.settings, target), {
      verb,
      actor: actor.id,
    });
    if (!outcome.ok) return outcome.request ? this.refusedOnDelivery(outcome.request, actor, outcome.refusal) : this.unknownRequestCard();

    const create = outcome.effects.find((e): e is Extract<Effect, { kind: 'create-tap' }> => e.kind === 'create-tap');
    // The recovery due-time is stored before the POST, so a crash in between is settled later.
    await this.effects.perform(outcome.request, outcome.effects.filter((e) => e.kind !== 'create-tap'), actor.id);
    if (!create) return this.deliveryAnswer(outcome.request, actor);
    return this.issue(outcome.request, create, actor, verb);
  }

  private async issue(request: TapRequest, create: Extract<Effect, { kind: 'create-tap' }>, actor: ActingPerson, verb: string): Promise<AdaptiveCardJson> {
    const graph = this.deps.graph;
    const userId = request.targetUser.id;
    const attemptStartedAt = request.attempt?.startedAt ?? this.deps.clock().toISOString();

    if (create.previousAttemptStartedAt) {
      // A Retry: a late result of the earlier attempt (a pass whose value nobody saw) goes first.
      const listed = await graph.listTemporaryAccessPasses(userId, { deadline: new Deadline(RECOVERY_LISTING_MS) }).catch(() => null);
      const removed =
        listed !== null &&
        (await this.effects.deleteMethodsDurably(
          request,
          tapsCreatedSince(listed, create.previousAttemptStartedAt, this.settings.clockSkewSeconds).map((t) => tapRef(t.id)),
          'tap-value-unknown',
        ));
      if (!removed) {
        return this.settle(request, actor, verb, (current) =>
          failIssue(current, this.deps.clock(), 'could not make sure no pass from the earlier attempt is left', { settings: this.settings }),
        );
      }
    }

    const startedAt = Date.now();
    let created: IssuedTemporaryAccessPass;
    try {
      // Retried only on 429 by the port: a repeated POST could issue a second pass.
      created = await graph.createTemporaryAccessPass(
        userId,
        { lifetimeInMinutes: create.lifetimeInMinutes, isUsableOnce: create.isUsableOnce },
        { deadline: new Deadline(this.deps.config.turnDeadlineMs) },
      );
    } catch (error) {
      const left = INVOKE_BUDGET_MS - (Date.now() - startedAt);
      return this.settleFailedCreation(request, attemptStartedAt, error, actor, verb, Math.max(1000, Math.min(RECOVERY_LISTING_MS, left)));
    }

    // The value stays in this scope; only the metadata reaches the record.
    const passValue = created.temporaryAccessPass;
    const metadata = {
      id: created.id,
      startDateTime: created.startDateTime,
      createdDateTime: created.createdDateTime,
      lifetimeInMinutes: created.lifetimeInMinutes,
      isUsableOnce: created.isUsableOnce,
    };
    const outcome = await transact(this.ctx, request.id, (current) => completeIssue(current, metadata, this.deps.clock(), this.settings), {
      verb,
      actor: actor.id,
      auditRefusal: false,
    });
    if (!outcome.ok) {
      // The recovery check settled this attempt first: a pass nobody tracks must not stay valid, nor be shown.
      this.deps.logger.warn({ requestId: request.id, reason: outcome.refusal.reason }, 'created pass could not be recorded; removing it');
      await this.effects.deleteMethodsDurably(request, [tapRef(metadata.id)], 'tap-value-unknown');
      return outcome.request
        ? this.deliveryAnswer(outcome.request, actor, banner('The pass could not be shown safely, so it was removed. No pass is active.'))
        : this.unknownRequestCard();
    }
    this.deps.logger.info({ requestId: request.id, methodId: metadata.id, validUntil: outcome.request.issued?.validUntil }, 'Temporary Access Pass created; its value goes only into the invoke response');
    await this.effects.perform(outcome.request, outcome.effects, actor.id);
    const view = revealedOnceView(outcome.request, passValue, { now: this.deps.clock(), timeZone: actor.timeZone, settings: this.settings });
    return revealedCard(this.deps.cards, view);
  }

  /**
   * Never a blind retry: a 4xx (429 included, after the port's retries) was
   * rejected before processing, so nothing exists. After a 5xx or no answer the
   * pass may exist: ask Graph which passes were created since the attempt began.
   */
  private async settleFailedCreation(
    request: TapRequest,
    attemptStartedAt: string,
    error: unknown,
    actor: ActingPerson,
    verb: string,
    listingMs: number,
  ): Promise<AdaptiveCardJson> {
    const status = error instanceof GraphError ? error.status : 0;
    const why = describeFailure(error);
    this.deps.logger.warn({ requestId: request.id, status, code: error instanceof GraphError ? error.code : undefined }, 'creating the Temporary Access Pass failed');
    if (status >= 400 && status < 500) {
      return this.settle(request, actor, verb, (current) => failIssue(current, this.deps.clock(), why, { settings: this.settings }));
    }
    const listed = await this.deps.graph
      .listTemporaryAccessPasses(request.targetUser.id, { deadline: new Deadline(listingMs) })
      .catch(() => null);
    const decision = decideRecovery({ attemptStartedAt, methods: listed, clockSkewSeconds: this.settings.clockSkewSeconds });
    return this.settle(request, actor, verb, (current) => applyRecovery(current, decision, this.deps.clock(), why, this.settings), (settled) =>
      settled.status === 'issuing'
        ? "Microsoft Graph didn't answer, so I can't tell yet whether the pass was created. I'll check again in two minutes and tell you (and the helpdesk)."
        : '',
    );
  }

  private async settle(
    request: TapRequest,
    actor: ActingPerson,
    verb: string,
    decide: Parameters<typeof transact>[2],
    extra: (settled: TapRequest) => string = () => '',
  ): Promise<AdaptiveCardJson> {
    const outcome: Outcome = await transact(this.ctx, request.id, decide, { verb, actor: 'system', auditRefusal: false });
    if (!outcome.ok) return outcome.request ? this.deliveryAnswer(outcome.request, actor, banner(outcome.refusal.message)) : this.unknownRequestCard();
    const forActor = await this.effects.perform(outcome.request, outcome.effects, actor.id);
    return this.deliveryAnswer(outcome.request, actor, this.linesBanner([...forActor, extra(outcome.request)], 'attention'));
  }

  /** "Hide it" and the delivery card's refresh: the "shown once" view, never the value. */
  async show(actor: ActingPerson, action: ByIdAction): Promise<AdaptiveCardJson> {
    const { verb, requestId } = action;
    const request = (await this.ctx.store.requests.get(requestId))?.value;
    if (!request) return this.refusedInput(refuse('unknown-request', UNKNOWN_REQUEST_MESSAGE), actor, verb, requestId);
    if (actor.conversationType === 'channel') {
      // Issue 11 F6: in the channel the approval card (reason, job, manager, contacts) is for the helpdesk only.
      const viewer = await this.helpdeskActor(actor);
      if (!viewer.isHelpdeskMember) {
        const refusal = refuse('not-helpdesk-member', 'Only members of the helpdesk group can see Temporary Access Pass requests here.');
        if (!(await auditRefusal(this.ctx, refusal, requestId, { verb, actor: actor.id }))) return this.notice(SLOW_DOWN.title, SLOW_DOWN.text);
        return this.notice('Only for the helpdesk', refusal.message);
      }
      return this.answerFor(request, actor, undefined, viewer);
    }
    return this.answerFor(request, actor);
  }

  // ---------------------------------------------------------------- closed loop and withdrawals

  async loopAnswer(actor: ActingPerson, action: ByIdAction): Promise<AdaptiveCardJson> {
    const { verb, requestId } = action;
    const stored = (await this.ctx.store.requests.get(requestId))?.value;
    if (!stored) return this.refusedInput(refuse('unknown-request', UNKNOWN_REQUEST_MESSAGE), actor, verb, requestId);
    // Counts passkeys the last poll hasn't seen yet; without a listing the poll's knowledge is used.
    const methodsNow =
      verb === TAP_VERBS.done ? await this.deps.graph.listAuthenticationMethods(stored.targetUser.id).catch(() => undefined) : undefined;
    const who = { id: actor.id, displayName: actor.name };
    const outcome = await transact(
      this.ctx,
      requestId,
      (request) =>
        verb === TAP_VERBS.done
          ? confirmDone(request, who, this.deps.clock(), methodsNow, this.settings)
          : anotherPasskey(request, who, this.deps.clock()),
      { verb, actor: actor.id },
    );
    if (!outcome.ok) return outcome.request ? this.refusedOnDelivery(outcome.request, actor, outcome.refusal) : this.unknownRequestCard();
    const forActor = await this.effects.perform(outcome.request, outcome.effects, actor.id);
    return this.deliveryAnswer(outcome.request, actor, this.linesBanner(forActor, 'good'));
  }

  async withdraw(actor: ActingPerson, action: ByIdAction): Promise<AdaptiveCardJson> {
    const { verb, requestId } = action;
    const stored = (await this.ctx.store.requests.get(requestId))?.value;
    if (!stored) return this.refusedInput(refuse('unknown-request', UNKNOWN_REQUEST_MESSAGE), actor, verb, requestId);
    const own = actor.id === stored.requester.id || actor.id === stored.targetUser.id || actor.id === stored.recipient.id;
    const viewer: HelpdeskActor = { id: actor.id, displayName: actor.name, isHelpdeskMember: own ? false : await this.isHelpdeskMember(actor.id) };
    const outcome = await transact(
      this.ctx,
      requestId,
      (request) =>
        verb === TAP_VERBS.cancel ? cancel(request, viewer, this.deps.clock()) : revoke(request, viewer, this.deps.clock()),
      { verb, actor: actor.id },
    );
    if (!outcome.ok) return outcome.request ? this.answerFor(outcome.request, actor, staleButtonBanner(outcome.request, outcome.refusal, actor.conversationType === 'channel' ? 'helpdesk' : 'personal'), viewer) : this.unknownRequestCard();
    const forActor = await this.effects.perform(outcome.request, outcome.effects, actor.id);
    return this.answerFor(outcome.request, actor, this.linesBanner([verb === TAP_VERBS.cancel ? 'Cancelled.' : 'Revoked.', ...forActor], 'good'), viewer);
  }
}

/** Refusals that only mean "this button belongs to an earlier state of the request". */
const STALE_BUTTON_REASONS: ReadonlySet<Refusal['reason']> = new Set(['request-closed', 'already-issued', 'not-issued', 'not-approved', 'not-pending', 'expired', 'reveal-in-progress']);
const FINISHED: ReadonlySet<TapRequest['status']> = new Set(['completed', 'denied', 'cancelled', 'revoked', 'expired']);

/**
 * The banner for a refused button: a stale card (pressed after the request moved
 * on, e.g. on another device) is told calmly where things stand, in neutral
 * colour, above the current card; a real refusal (not yours, not allowed) keeps
 * the attention colour. The helpdesk keeps the refusal's words (they name who decided).
 */
export function staleButtonBanner(request: TapRequest, refusal: Refusal, audience: 'personal' | 'helpdesk'): Banner {
  if (!STALE_BUTTON_REASONS.has(refusal.reason)) return banner(refusal.message);
  if (audience === 'personal' && FINISHED.has(request.status)) return banner('This request is already finished — nothing more to do.', 'default');
  return banner(refusal.message, 'default');
}

/** Drops the banner's sentences the card already says (no sentence twice on one card). */
export function withoutSentencesOnCard(line: Banner, cardLines: readonly string[]): Banner | undefined {
  const plain = (text: string) => text.replace(/\\(.)/g, '$1').trim();
  const onCard = cardLines.map(plain);
  const kept = line.text
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => sentence.trim() !== '' && !onCard.some((cardLine) => cardLine.includes(plain(sentence))));
  return kept.length > 0 ? { ...line, text: kept.join(' ') } : undefined;
}

/** The request a TAP card is about: the `requestId` its buttons carry. */
function requestIdOnCard(card: AdaptiveCardJson): string | undefined {
  const found = JSON.stringify(card).match(/"requestId":"([A-Za-z0-9][A-Za-z0-9._:-]{0,79})"/);
  return found?.[1];
}
