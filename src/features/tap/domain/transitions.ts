/**
 * The TAP request state machine: pure decision functions. Each takes the stored
 * request, who acts and "now", and returns either the next request with the
 * audit events and effects the shell must carry out, or a refusal that changes
 * nothing. The shell persists `request` with an etag compare-and-set and only
 * then performs `effects`; on a conflict it reloads and decides again (the
 * loser of a race then gets the refusal that names who won).
 */
import {
  type Accepted,
  type Approval,
  type AuditEventDraft,
  type CompletionHow,
  type Decision,
  type Effect,
  type MethodRef,
  type PersonRef,
  type Refusal,
  type TapEventName,
  type TapKind,
  type TapRequest,
  type TapStatus,
  type VerificationMethod,
  REASON_MAX_LENGTH,
  VERIFICATION_METHODS,
  describeApprovers,
  isOpen,
  refuse,
  tapMethodRef,
} from './request';
import { type TapSettings, withDefaults } from './settings';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Actor {
  /** aadObjectId of the person acting (from the activity, never from action data). */
  id: string;
  displayName?: string;
}

export interface HelpdeskActor extends Actor {
  /** Transitive member of HELPDESK_GROUP_ID, checked by the shell through Graph. */
  isHelpdeskMember: boolean;
}

// ---------------------------------------------------------------- helpers

function iso(date: Date): string {
  return date.toISOString();
}

function plus(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString();
}

function isPast(isoTime: string | undefined, now: Date): boolean {
  return isoTime !== undefined && now.getTime() >= Date.parse(isoTime);
}

function characterCount(text: string): number {
  return [...text].length;
}

/** Applies a change: bumps the version, appends history, drafts the audit event. */
function change(
  request: TapRequest,
  now: Date,
  actor: string,
  event: TapEventName,
  patch: Partial<TapRequest>,
  details?: Record<string, unknown>,
): { request: TapRequest; event: AuditEventDraft } {
  const to: TapStatus = patch.status ?? request.status;
  const next: TapRequest = {
    ...request,
    ...patch,
    version: request.version + 1,
    updatedAt: iso(now),
    history: [...request.history, { at: iso(now), from: request.status, to, event, actor }],
  };
  return {
    request: next,
    event: { at: iso(now), requestId: request.id, event, actor, ...(details ? { details } : {}) },
  };
}

function accepted(
  changed: { request: TapRequest; event: AuditEventDraft },
  effects: Effect[],
  extraEvents: AuditEventDraft[] = [],
): Accepted {
  return { ok: true, request: changed.request, events: [changed.event, ...extraEvents], effects };
}

function isOnBehalf(request: TapRequest): boolean {
  return request.requester.relation !== 'self';
}

/** The refusal for acting on a request that is no longer in the state the action needs. */
function closedRefusal(request: TapRequest): Refusal {
  switch (request.status) {
    case 'approved':
    case 'issuing':
    case 'issued':
    case 'issue-failed':
    case 'completed':
      return refuse('not-pending', `This request was already approved by ${describeApprovers(request)}.`);
    case 'denied':
      return refuse('not-pending', `This request was already denied by ${request.denial?.displayName ?? 'the helpdesk'}.`);
    case 'expired':
      return refuse('expired', 'This request has expired. Ask for a new one if you still need a Temporary Access Pass.');
    case 'cancelled':
      return refuse('request-closed', 'This request was cancelled.');
    case 'revoked':
      return refuse('request-closed', 'This request was revoked.');
    default:
      return refuse('not-pending', 'This request is not waiting for a decision.');
  }
}

// ---------------------------------------------------------------- request

export interface NewRequestInput {
  /** Chosen by the shell (e.g. crypto.randomUUID()). */
  id: string;
  targetUser: PersonRef;
  requester: PersonRef;
  reason: string;
  /** ISO date or time. */
  neededBy?: string;
  /** `registrationIds`: method ids the person picked; resolved against the target's methods. */
  lostDevice?: { lost: boolean; registrationIds?: string[] };
  tapKind?: TapKind;
  /** E.g. 2 for an Android phone with work and personal profiles; absent → ask after the first passkey. */
  expectedPasskeys?: number;
}

export interface TapPolicyBounds {
  isUsableOnce?: boolean;
  defaultLifetimeInMinutes?: number;
  minimumLifetimeInMinutes?: number;
  maximumLifetimeInMinutes?: number;
}

type ListedMethod = { '@odata.type': string; id?: string | null; displayName?: string | null; [key: string]: unknown };

/** Pre-computed facts (the shell gathers them from Graph and the store; see facts.ts). */
export interface NewRequestContext {
  now: Date;
  settings?: Partial<TapSettings>;
  tapMethodEnabled: boolean;
  tapPolicyApplies: boolean;
  accountEnabled: boolean;
  isGuest: boolean;
  isPrivileged: boolean;
  /** Defaults to settings.allowPrivileged (TAP_ALLOW_PRIVILEGED). */
  allowPrivileged?: boolean;
  /** The target's requests that may still be open. */
  openRequests: readonly TapRequest[];
  /** Requests for this target today (any status). */
  requestsToday: number;
  /** The requester is the target's manager (Graph `manager`). */
  requesterIsManager: boolean;
  requesterIsHelpdeskMember: boolean;
  /** The target's methods, to resolve the lost phone's registrations. */
  targetMethods?: readonly ListedMethod[];
  tapPolicy?: TapPolicyBounds;
}

/** Method types a lost phone can hold that the approver may remove. */
export const LOST_DEVICE_REMOVABLE_TYPES = [
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  '#microsoft.graph.fido2AuthenticationMethod',
  '#microsoft.graph.softwareOathAuthenticationMethod',
] as const;

const DEFAULT_LIFETIME_MINUTES = 60;

function lifetimeFromPolicy(policy: TapPolicyBounds | undefined): number {
  const wanted = policy?.defaultLifetimeInMinutes ?? DEFAULT_LIFETIME_MINUTES;
  const min = policy?.minimumLifetimeInMinutes ?? 10;
  const max = policy?.maximumLifetimeInMinutes ?? 43200;
  return Math.min(Math.max(wanted, min), max);
}

/** Checks a new request and, when it may go to the helpdesk, builds it (status `pending`). */
export function validateNewRequest(input: NewRequestInput, context: NewRequestContext): Decision {
  const settings = withDefaults(context.settings);
  const now = context.now;
  const self = input.requester.id === input.targetUser.id;

  // Who may ask first: nobody learns anything about someone they may not ask for.
  let relation: 'self' | 'manager' | 'helpdesk';
  if (self) relation = 'self';
  else if (context.requesterIsManager) relation = 'manager';
  else if (context.requesterIsHelpdeskMember) relation = 'helpdesk';
  else
    return refuse(
      'not-allowed-on-behalf',
      `You can ask for a Temporary Access Pass for yourself; for ${input.targetUser.displayName} only their manager or the helpdesk can.`,
    );

  const reason = (input.reason ?? '').trim();
  if (reason === '') return refuse('reason-required', 'Please say why the Temporary Access Pass is needed.');
  if (characterCount(reason) > REASON_MAX_LENGTH)
    return refuse('reason-too-long', `Please keep the reason under ${REASON_MAX_LENGTH} characters.`);

  let neededBy: string | undefined;
  if (input.neededBy !== undefined && input.neededBy.trim() !== '') {
    const parsed = Date.parse(input.neededBy);
    if (Number.isNaN(parsed)) return refuse('needed-by-invalid', 'The "needed by" date is not a valid date.');
    neededBy = new Date(parsed).toISOString();
  }

  // What would make the TAP useless: say so instead of wasting an approver's time.
  const whose = self ? 'Your account' : `${input.targetUser.displayName}'s account`;
  if (context.isGuest)
    return refuse(
      'tap-useless:guest',
      `${whose} is a guest account: guests sign in at their home organisation, so a Temporary Access Pass here wouldn't help. Register the passkey with your home organisation.`,
    );
  if (!context.accountEnabled)
    return refuse('tap-useless:account-disabled', `${whose} is disabled, so a Temporary Access Pass couldn't be used. Ask IT to enable it first.`);
  if (!context.tapMethodEnabled)
    return refuse(
      'tap-useless:tap-method-disabled',
      'Temporary Access Pass is turned off in this organisation\'s authentication methods policy. An administrator must enable it first.',
    );
  if (!context.tapPolicyApplies)
    return refuse(
      'tap-useless:not-in-tap-policy',
      `${whose} is not included in (or is excluded from) the Temporary Access Pass policy, so a pass couldn't be used. An administrator must add it to the policy's groups first.`,
    );

  const allowPrivileged = context.allowPrivileged ?? settings.allowPrivileged;
  if (context.isPrivileged && !allowPrivileged)
    return refuse(
      'privileged-target-refused',
      `${whose} holds a directory (admin) role. Temporary Access Passes for admin accounts are refused here; contact the identity team.`,
    );

  const open = context.openRequests.find((r) => r.targetUser.id === input.targetUser.id && isOpen(r, now));
  if (open)
    return refuse(
      'open-request-exists',
      `There is already an open Temporary Access Pass request for ${input.targetUser.displayName} (${open.status}). Finish or cancel it first.`,
    );

  if (context.requestsToday >= settings.dailyLimit)
    return refuse(
      'daily-limit',
      `${input.targetUser.displayName} has reached today's limit of ${settings.dailyLimit} Temporary Access Pass requests. Please contact the helpdesk.`,
    );

  let lostDevice: TapRequest['lostDevice'];
  if (input.lostDevice?.lost) {
    const registrations: MethodRef[] = [];
    for (const id of new Set(input.lostDevice.registrationIds ?? [])) {
      const method = context.targetMethods?.find(
        (m) => m.id === id && (LOST_DEVICE_REMOVABLE_TYPES as readonly string[]).includes(m['@odata.type']),
      );
      if (!method)
        return refuse('unknown-registration', 'One of the chosen phone registrations is not among the account\'s sign-in methods. Please pick again.');
      registrations.push({ '@odata.type': method['@odata.type'], id, displayName: method.displayName ?? method['@odata.type'] });
    }
    lostDevice = { lost: true, registrationIds: registrations };
  }

  const tapKind: TapKind = context.tapPolicy?.isUsableOnce ? 'oneTime' : (input.tapKind ?? 'multiUse');
  const expectedPasskeys =
    input.expectedPasskeys !== undefined && Number.isInteger(input.expectedPasskeys) && input.expectedPasskeys >= 1
      ? Math.min(input.expectedPasskeys, 4)
      : undefined;
  const privileged = context.isPrivileged;
  const remindAt = plus(now, settings.reminderMinutes * MINUTE);
  const expiresAt = plus(now, settings.pendingExpiryMinutes * MINUTE);

  const request: TapRequest = {
    id: input.id,
    version: 1,
    createdAt: iso(now),
    updatedAt: iso(now),
    targetUser: { ...input.targetUser },
    requester: { ...input.requester, relation },
    recipient: self ? { ...input.targetUser } : { ...input.requester },
    reason,
    ...(neededBy ? { neededBy } : {}),
    ...(lostDevice ? { lostDevice } : {}),
    tapKind,
    lifetimeInMinutes: lifetimeFromPolicy(context.tapPolicy),
    status: 'pending',
    approvals: [],
    privilegedTarget: privileged,
    requiredApprovals: privileged ? 2 : 1,
    routing: {},
    expiresAt,
    remindAt,
    issueAttempts: 0,
    closedLoop: { ...(expectedPasskeys ? { expectedPasskeys } : {}), passkeysSeen: [] },
    history: [{ at: iso(now), from: null, to: 'pending', event: 'requested', actor: input.requester.id }],
  };
  const effects: Effect[] = [
    { kind: 'post-helpdesk-card' },
    { kind: 'schedule', job: 'tap.remind', at: remindAt },
    { kind: 'schedule', job: 'tap.expire', at: expiresAt },
  ];
  if (!self)
    effects.push({
      kind: 'notify',
      to: 'target',
      message: `${input.requester.displayName} asked the helpdesk for a Temporary Access Pass for your account. If you didn't expect this, tell the helpdesk.`,
    });
  return {
    ok: true,
    request,
    events: [
      {
        at: iso(now),
        requestId: request.id,
        event: 'requested',
        actor: input.requester.id,
        details: { targetUserId: input.targetUser.id, relation, lostDevice: Boolean(lostDevice), privileged, tapKind },
      },
    ],
    effects,
  };
}

/** The approval card was posted: store where (opaque), so later changes can re-render it. */
export function recordRouting(request: TapRequest, helpdeskCard: Record<string, string>, now: Date): Accepted {
  const changed = change(request, now, 'system', 'routed', { routing: { ...request.routing, helpdeskCard: { ...helpdeskCard } } });
  return accepted(changed, []);
}

/** The 1:1 delivery card was sent: store where. No audit event (not a decision). */
export function recordDeliveryCard(request: TapRequest, recipientCard: Record<string, string>, now: Date): Accepted {
  return {
    ok: true,
    request: { ...request, version: request.version + 1, updatedAt: iso(now), routing: { ...request.routing, recipientCard: { ...recipientCard } } },
    events: [],
    effects: [],
  };
}

/** The approval card couldn't be posted (bot not installed in the helpdesk channel, ...): the request is withdrawn. */
export function routingFailed(request: TapRequest, now: Date, why: string): Decision {
  if (request.status !== 'pending') return closedRefusal(request);
  const changed = change(
    request,
    now,
    'system',
    'routing-failed',
    { status: 'cancelled', cancellation: { by: 'system', at: iso(now), reason: why }, remindAt: undefined, expiresAt: undefined },
    { why },
  );
  return accepted(changed, [
    { kind: 'unschedule', job: 'tap.remind' },
    { kind: 'unschedule', job: 'tap.expire' },
    {
      kind: 'notify',
      to: 'requester',
      message:
        "Your request couldn't be sent to the helpdesk because the helpdesk channel isn't reachable for this bot. Nothing was issued. Please contact the helpdesk directly.",
    },
  ]);
}

// ---------------------------------------------------------------- decide

export interface ApproveOptions {
  /** TAP_ALLOW_PRIVILEGED. */
  allowPrivileged?: boolean;
  /** Roles re-checked at decision time: a target who became privileged needs the stricter rule. */
  targetIsPrivileged?: boolean;
  /** Lost-phone requests: also delete the phone's registrations. */
  removeLostDeviceRegistrations?: boolean;
  settings?: Partial<TapSettings>;
}

/** The checks approve and deny share; also tells a card whether to show a viewer the buttons. */
export function checkDecider(request: TapRequest, actor: HelpdeskActor, now: Date): Refusal | null {
  if (!actor.isHelpdeskMember) return refuse('not-helpdesk-member', 'Only members of the helpdesk group can approve or deny Temporary Access Pass requests.');
  if (actor.id === request.requester.id)
    return refuse('self-approval', 'You asked for this Temporary Access Pass, so another helpdesk member must decide.');
  if (actor.id === request.targetUser.id)
    return refuse('approver-is-target', 'This Temporary Access Pass is for you, so another helpdesk member must decide.');
  if (request.status !== 'pending') return closedRefusal(request);
  if (isPast(request.expiresAt, now))
    return refuse('expired', 'This request has expired without a decision. The person can ask again.');
  return null;
}

export function approve(
  request: TapRequest,
  actor: HelpdeskActor,
  verification: string | undefined,
  now: Date,
  options: ApproveOptions = {},
): Decision {
  const settings = withDefaults(options.settings);
  const refusal = checkDecider(request, actor, now);
  if (refusal) return refusal;

  const privileged = request.privilegedTarget || options.targetIsPrivileged === true;
  const allowPrivileged = options.allowPrivileged ?? settings.allowPrivileged;
  if (privileged && !allowPrivileged)
    return refuse(
      'privileged-target-refused',
      `${request.targetUser.displayName} holds a directory (admin) role: Temporary Access Passes for admin accounts are refused by policy (TAP_ALLOW_PRIVILEGED).`,
    );
  if (request.approvals.some((a) => a.approverId === actor.id))
    return refuse('same-approver-twice', 'You already approved this request; a second, different helpdesk member must approve too.');
  if (!verification || !(VERIFICATION_METHODS as readonly string[]).includes(verification))
    return refuse('verification-required', 'Choose how you verified the person out of band (video call with ID, HR call-back, in person, or manager).');
  if (options.removeLostDeviceRegistrations && !(request.lostDevice?.lost && request.lostDevice.registrationIds.length > 0))
    return refuse('nothing-to-remove', 'This request names no lost-phone registrations to remove.');

  const approval: Approval = {
    approverId: actor.id,
    displayName: actor.displayName ?? actor.id,
    verification: verification as VerificationMethod,
    at: iso(now),
    ...(options.removeLostDeviceRegistrations ? { removeLostDeviceRegistrations: true } : {}),
  };
  const approvals = [...request.approvals, approval];
  const requiredApprovals = privileged ? 2 : 1;
  const details = {
    verification,
    approvals: approvals.length,
    requiredApprovals,
    ...(options.removeLostDeviceRegistrations ? { removeLostDeviceRegistrations: true } : {}),
  };

  if (approvals.length < requiredApprovals) {
    const changed = change(request, now, actor.id, 'approved', { approvals, requiredApprovals, privilegedTarget: privileged }, details);
    return accepted(changed, [
      { kind: 'rerender-helpdesk-card' },
      {
        kind: 'notify',
        to: 'helpdesk-thread',
        message: `${approval.displayName} approved (1 of ${requiredApprovals}). ${request.targetUser.displayName} holds an admin role, so a second helpdesk member must approve too.`,
      },
    ]);
  }

  const expiresAt = plus(now, settings.revealExpiryHours * HOUR);
  const changed = change(
    request,
    now,
    actor.id,
    'approved',
    { status: 'approved', approvals, requiredApprovals, privilegedTarget: privileged, expiresAt, remindAt: undefined },
    details,
  );
  const effects: Effect[] = [
    { kind: 'unschedule', job: 'tap.remind' },
    { kind: 'schedule', job: 'tap.expire', at: expiresAt },
    { kind: 'rerender-helpdesk-card' },
    { kind: 'send-delivery-card' },
  ];
  if (approvals.some((a) => a.removeLostDeviceRegistrations) && request.lostDevice)
    effects.push({ kind: 'delete-methods', methods: request.lostDevice.registrationIds, why: 'lost-device' });
  return accepted(changed, effects);
}

export function deny(request: TapRequest, actor: HelpdeskActor, reason: string | undefined, now: Date): Decision {
  const refusal = checkDecider(request, actor, now);
  if (refusal) return refusal;
  const text = (reason ?? '').trim();
  if (text === '') return refuse('deny-reason-required', 'Please give a reason for the denial; the requester will see it.');
  if (characterCount(text) > REASON_MAX_LENGTH) return refuse('deny-reason-required', `Please keep the reason under ${REASON_MAX_LENGTH} characters.`);
  const displayName = actor.displayName ?? actor.id;
  const changed = change(
    request,
    now,
    actor.id,
    'denied',
    { status: 'denied', denial: { by: actor.id, displayName, reason: text, at: iso(now) }, remindAt: undefined, expiresAt: undefined },
    { reason: text },
  );
  return accepted(changed, [
    { kind: 'unschedule', job: 'tap.remind' },
    { kind: 'unschedule', job: 'tap.expire' },
    { kind: 'rerender-helpdesk-card' },
    {
      kind: 'notify',
      to: 'recipient',
      message: `${displayName} (helpdesk) denied the Temporary Access Pass request for ${request.targetUser.displayName}: ${text}`,
    },
  ]);
}

// ---------------------------------------------------------------- deliver

/** Reveal or Retry: only the recipient; moves to `issuing` so concurrent reveals create exactly one TAP. */
/** The target as the directory shows it at Reveal/Retry (read again, not the facts from submission). */
export interface TargetRecheck {
  isPrivileged: boolean;
  accountEnabled: boolean;
}

export function beginReveal(request: TapRequest, actor: Actor, now: Date, settings?: Partial<TapSettings>, target?: TargetRecheck): Decision {
  const s = withDefaults(settings);
  if (actor.id !== request.recipient.id)
    return refuse('not-recipient', `This Temporary Access Pass can only be revealed by ${request.recipient.displayName}, who asked for it.`);
  switch (request.status) {
    case 'pending':
      return refuse('not-approved', 'The helpdesk hasn\'t approved this request yet.');
    case 'issuing':
      return refuse('reveal-in-progress', 'The Temporary Access Pass is being created right now. Wait a moment.');
    case 'issued':
    case 'completed':
      return refuse('already-issued', 'This Temporary Access Pass was already shown once and can\'t be shown again.');
    case 'expired':
      return refuse('expired', 'This approval has expired. Ask for a new Temporary Access Pass if you still need one.');
    case 'denied':
    case 'cancelled':
    case 'revoked':
      return refuse('request-closed', `This request was ${request.status}.`);
    case 'approved':
    case 'issue-failed':
      break;
  }
  if (isPast(request.expiresAt, now))
    return refuse('expired', 'This approval has expired. Ask for a new Temporary Access Pass if you still need one.');
  if (request.issueAttempts >= s.maxIssueAttempts)
    return refuse('too-many-attempts', 'Creating the Temporary Access Pass failed too many times. The helpdesk has been told; please contact them.');
  // Issue 11 F2: the approval was for the account as it was then.
  if (target && !target.accountEnabled)
    return refuse('target-disabled', `${request.targetUser.displayName}'s account is disabled, so no Temporary Access Pass can be created. Please contact the helpdesk.`);
  if (target?.isPrivileged && !s.allowPrivileged)
    return refuse(
      'privileged-target-refused',
      `${request.targetUser.displayName} now holds a directory (admin) role: Temporary Access Passes for admin accounts are refused by policy (TAP_ALLOW_PRIVILEGED).`,
    );
  if (target?.isPrivileged && request.approvals.length < 2) {
    const expiresAt = plus(now, s.pendingExpiryMinutes * MINUTE);
    const changed = change(
      request,
      now,
      actor.id,
      'second-approval-required',
      { status: 'pending', requiredApprovals: 2, privilegedTarget: true, expiresAt },
      { approvals: request.approvals.length, requiredApprovals: 2 },
    );
    return accepted(changed, [
      { kind: 'unschedule', job: 'tap.expire' },
      { kind: 'schedule', job: 'tap.expire', at: expiresAt },
      { kind: 'rerender-helpdesk-card' },
      { kind: 'rerender-delivery-card' },
      {
        kind: 'notify',
        to: 'helpdesk-thread',
        message: `${request.targetUser.displayName} now holds an admin role, so a second helpdesk member must approve before the pass can be revealed.`,
      },
    ]);
  }

  const attempt = { number: request.issueAttempts + 1, startedAt: iso(now), by: actor.id };
  const changed = change(request, now, actor.id, 'revealed', { status: 'issuing', attempt, issueAttempts: attempt.number }, { attempt: attempt.number });
  return accepted(changed, [
    {
      kind: 'create-tap',
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: request.tapKind === 'oneTime',
      ...(request.lastFailure?.attemptStartedAt ? { previousAttemptStartedAt: request.lastFailure.attemptStartedAt } : {}),
    },
    // A crash between here and completeIssue/failIssue is picked up by the recovery job.
    { kind: 'schedule', job: 'tap.recover', at: plus(now, s.recoverAfterSeconds * 1000) },
  ]);
}

/** What Graph answered to the creation POST, minus the value (pass the response: only these fields are read). */
export interface CreatedTap {
  id: string;
  startDateTime?: string | null;
  createdDateTime?: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

export function completeIssue(request: TapRequest, created: CreatedTap, now: Date, settings?: Partial<TapSettings>): Decision {
  const s = withDefaults(settings);
  if (request.status !== 'issuing' || !request.attempt)
    return refuse('not-issuing', 'No creation of a Temporary Access Pass is in progress for this request.');
  const start = created.startDateTime && !Number.isNaN(Date.parse(created.startDateTime)) ? new Date(created.startDateTime) : now;
  const validUntil = new Date(start.getTime() + created.lifetimeInMinutes * MINUTE).toISOString();
  // Field by field on purpose: the Graph response also carries the secret, which must not be copied.
  const issued = {
    methodId: String(created.id),
    issuedAt: start.toISOString(),
    validUntil,
    attemptStartedAt: request.attempt.startedAt,
    lifetimeInMinutes: Number(created.lifetimeInMinutes),
    isUsableOnce: Boolean(created.isUsableOnce),
  };
  const changed = change(
    request,
    now,
    request.attempt.by,
    'issued',
    { status: 'issued', issued, expiresAt: validUntil, attempt: undefined, lastFailure: undefined },
    { methodId: issued.methodId, validUntil, isUsableOnce: issued.isUsableOnce, attempt: request.attempt.number },
  );
  const effects: Effect[] = [
    { kind: 'unschedule', job: 'tap.recover' },
    { kind: 'schedule', job: 'tap.expire', at: validUntil },
    { kind: 'rerender-helpdesk-card' },
  ];
  const firstPoll = now.getTime() + s.pollSeconds * 1000;
  if (firstPoll < Date.parse(validUntil)) effects.push({ kind: 'schedule', job: 'tap.poll', at: new Date(firstPoll).toISOString() });
  if (isOnBehalf(request))
    effects.push({
      kind: 'notify',
      to: 'target',
      message: `A Temporary Access Pass for your account was issued to ${request.recipient.displayName}, who will hand it to you in person or on a verified call.`,
    });
  return accepted(changed, effects);
}

export function failIssue(
  request: TapRequest,
  now: Date,
  why: string,
  options: { recovery?: 'created-and-deleted' | 'not-created'; settings?: Partial<TapSettings> } = {},
): Decision {
  const s = withDefaults(options.settings);
  if (request.status !== 'issuing') return refuse('not-issuing', 'No creation of a Temporary Access Pass is in progress for this request.');
  const canRetry = request.issueAttempts < s.maxIssueAttempts && !isPast(request.expiresAt, now);
  const changed = change(
    request,
    now,
    'system',
    'issue-failed',
    {
      status: 'issue-failed',
      attempt: undefined,
      lastFailure: {
        at: iso(now),
        why,
        ...(request.attempt ? { attemptStartedAt: request.attempt.startedAt } : {}),
        ...(options.recovery ? { recovery: options.recovery } : {}),
      },
    },
    { why, attempt: request.attempt?.number, canRetry, ...(options.recovery ? { recovery: options.recovery } : {}) },
  );
  return accepted(changed, [
    { kind: 'unschedule', job: 'tap.recover' },
    { kind: 'rerender-helpdesk-card' },
    {
      kind: 'notify',
      to: 'recipient',
      message: canRetry
        ? 'Your Temporary Access Pass could not be created this time. No pass is active. Press Retry on the card to try again.'
        : 'Your Temporary Access Pass could not be created, and no more retries are allowed. The helpdesk has been told.',
    },
    {
      kind: 'notify',
      to: 'helpdesk-thread',
      message: `Creating the Temporary Access Pass for ${request.targetUser.displayName} failed (${why}). ${canRetry ? 'The recipient can retry.' : 'No retries left.'}`,
    },
  ]);
}

// ---------------------------------------------------------------- timed steps

export function remind(request: TapRequest, now: Date): Decision {
  if (request.status !== 'pending') return closedRefusal(request);
  if (request.remindedAt) return refuse('not-due', 'A reminder was already sent.');
  if (!isPast(request.remindAt, now)) return refuse('not-due', 'The reminder is not due yet.');
  if (isPast(request.expiresAt, now)) return refuse('expired', 'This request has expired without a decision.');
  const waited = Math.round((now.getTime() - Date.parse(request.createdAt)) / MINUTE);
  const changed = change(request, now, 'system', 'reminded', { remindedAt: iso(now) });
  return accepted(changed, [
    {
      kind: 'notify',
      to: 'helpdesk-thread',
      message: `Reminder: the Temporary Access Pass request for ${request.targetUser.displayName} has been waiting ${waited} minutes for a decision.`,
    },
  ]);
}

/** The `tap.expire` job: closes whatever state timed out. */
export function expire(request: TapRequest, now: Date): Decision {
  if (request.status === 'issuing')
    return refuse('reveal-in-progress', 'A creation attempt is in progress; the recovery check must settle it first.');
  if (!['pending', 'approved', 'issue-failed', 'issued'].includes(request.status))
    return refuse('request-closed', `This request is already ${request.status}.`);
  if (!isPast(request.expiresAt, now)) return refuse('not-due', 'This request has not timed out yet.');

  if (request.status === 'issued') {
    if (request.closedLoop.passkeysSeen.length > 0) return markCompleted(request, now, 'tap-expired');
    const changed = change(request, now, 'system', 'expired', { status: 'expired', expiresAt: undefined }, { stage: 'issued' });
    return accepted(changed, [
      { kind: 'unschedule', job: 'tap.poll' },
      { kind: 'rerender-helpdesk-card' },
      { kind: 'rerender-delivery-card' },
      {
        kind: 'notify',
        to: 'recipient',
        message: 'Your Temporary Access Pass has expired and no passkey was registered with it. Ask again if you still need one.',
      },
    ]);
  }

  const stage = request.status;
  const changed = change(request, now, 'system', 'expired', { status: 'expired', expiresAt: undefined, remindAt: undefined }, { stage });
  const effects: Effect[] = [{ kind: 'unschedule', job: 'tap.remind' }, { kind: 'rerender-helpdesk-card' }];
  if (stage === 'pending')
    effects.push({
      kind: 'notify',
      to: 'recipient',
      message: `The helpdesk didn't decide on the Temporary Access Pass request for ${request.targetUser.displayName} in time, so it expired. You can ask again.`,
    });
  else
    effects.push(
      { kind: 'rerender-delivery-card' },
      { kind: 'notify', to: 'recipient', message: 'The approved Temporary Access Pass was not revealed in time, so the approval expired. You can ask again.' },
    );
  return accepted(changed, effects);
}

// ---------------------------------------------------------------- end states

/** The loop closed: passkey registered. Deletes the TAP unless it already ran out. */
export function markCompleted(request: TapRequest, now: Date, how: CompletionHow, actor = 'system'): Decision {
  if (request.status !== 'issued' || !request.issued)
    return refuse('not-issued', 'Only an issued Temporary Access Pass can be completed.');
  const changed = change(
    request,
    now,
    actor,
    'completed',
    { status: 'completed', completion: { how, at: iso(now) }, expiresAt: undefined },
    { how, passkeys: request.closedLoop.passkeysSeen.length },
  );
  const effects: Effect[] = [
    { kind: 'unschedule', job: 'tap.poll' },
    { kind: 'unschedule', job: 'tap.expire' },
  ];
  if (how !== 'tap-expired') effects.push({ kind: 'delete-methods', methods: [tapMethodRef(request.issued)], why: 'tap-no-longer-needed' });
  effects.push(
    { kind: 'rerender-helpdesk-card' },
    { kind: 'rerender-delivery-card' },
    {
      kind: 'notify',
      to: 'recipient',
      message:
        how === 'tap-expired'
          ? 'Your Temporary Access Pass has expired. Your passkey stays registered: sign in with it from now on.'
          : 'All set: your passkey is registered and the Temporary Access Pass has been removed. Sign in with your passkey from now on.',
    },
  );
  return accepted(changed, effects);
}

/** Withdraw a request before anything was issued: requester, target or a helpdesk member. */
export function cancel(request: TapRequest, actor: HelpdeskActor, now: Date, reason = 'Cancelled'): Decision {
  const allowed = actor.id === request.requester.id || actor.id === request.targetUser.id || actor.isHelpdeskMember;
  if (!allowed) return refuse('not-allowed', 'Only the requester, the person it is for, or the helpdesk can cancel this request.');
  if (request.status === 'issuing') return refuse('reveal-in-progress', 'The pass is being created right now; try again in a moment.');
  if (request.status === 'issued') return refuse('already-issued', 'The pass was already issued: use "Remove my TAP" (revoke) instead.');
  if (!['pending', 'approved', 'issue-failed'].includes(request.status))
    return refuse('request-closed', `This request is already ${request.status}.`);
  const text = reason.trim().slice(0, REASON_MAX_LENGTH) || 'Cancelled';
  const changed = change(
    request,
    now,
    actor.id,
    'cancelled',
    { status: 'cancelled', cancellation: { by: actor.id, at: iso(now), reason: text }, expiresAt: undefined, remindAt: undefined },
    { reason: text },
  );
  const effects: Effect[] = [
    { kind: 'unschedule', job: 'tap.remind' },
    { kind: 'unschedule', job: 'tap.expire' },
    { kind: 'rerender-helpdesk-card' },
  ];
  if (request.routing.recipientCard) effects.push({ kind: 'rerender-delivery-card' });
  if (actor.id !== request.recipient.id)
    effects.push({
      kind: 'notify',
      to: 'recipient',
      message: `${actor.displayName ?? 'The helpdesk'} cancelled the Temporary Access Pass request for ${request.targetUser.displayName}.`,
    });
  return accepted(changed, effects);
}

/** Remove an issued TAP (or an approval not yet revealed) now: helpdesk, recipient or target. */
export function revoke(request: TapRequest, actor: HelpdeskActor, now: Date, reason = 'Revoked'): Decision {
  const own = actor.id === request.recipient.id || actor.id === request.targetUser.id;
  if (!own && !actor.isHelpdeskMember)
    return refuse('not-allowed', 'Only the helpdesk or the person the pass is for can revoke it.');
  if (request.status === 'issuing') return refuse('reveal-in-progress', 'The pass is being created right now; try again in a moment.');
  if (!['approved', 'issue-failed', 'issued'].includes(request.status))
    return request.status === 'pending'
      ? refuse('not-approved', 'The request is still waiting for a decision: deny or cancel it instead.')
      : refuse('request-closed', `This request is already ${request.status}.`);
  const text = reason.trim().slice(0, REASON_MAX_LENGTH) || 'Revoked';
  const changed = change(
    request,
    now,
    actor.id,
    'revoked',
    { status: 'revoked', revocation: { by: actor.id, at: iso(now), reason: text }, expiresAt: undefined },
    { reason: text, hadTap: Boolean(request.issued) },
  );
  const effects: Effect[] = [
    { kind: 'unschedule', job: 'tap.poll' },
    { kind: 'unschedule', job: 'tap.expire' },
  ];
  if (request.status === 'issued' && request.issued)
    effects.push({ kind: 'delete-methods', methods: [tapMethodRef(request.issued)], why: 'tap-no-longer-needed' });
  effects.push({ kind: 'rerender-helpdesk-card' }, { kind: 'rerender-delivery-card' });
  if (!own)
    effects.push({
      kind: 'notify',
      to: 'recipient',
      message: `${actor.displayName ?? 'The helpdesk'} revoked the Temporary Access Pass for ${request.targetUser.displayName}: ${text}`,
    });
  else effects.push({ kind: 'notify', to: 'helpdesk-thread', message: `${request.recipient.displayName} removed the Temporary Access Pass for ${request.targetUser.displayName}.` });
  return accepted(changed, effects);
}
