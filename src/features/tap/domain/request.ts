/**
 * The Temporary Access Pass request: the record that is stored, the public
 * verbs, refusal codes, effects and audit-event drafts. Pure data and small
 * helpers; the transitions live in transitions.ts.
 *
 * The record never holds the TAP value: it exists only in memory, in the one
 * invoke response to the recipient (docs/tap.md, "Show once").
 */

import { TAP_VERBS } from '../../../shared/verbs';

export { TAP_VERBS };

export type TapStatus =
  | 'pending' // waiting for the helpdesk's decision
  | 'approved' // waiting for the recipient to press Reveal
  | 'issuing' // Reveal pressed: the creation attempt started at `attempt.startedAt`
  | 'issued' // the TAP exists (value shown once); closed loop running
  | 'issue-failed' // creation failed or its outcome was undone: Retry possible
  | 'completed' // passkey registered (TAP deleted or expired)
  | 'denied'
  | 'expired'
  | 'cancelled'
  | 'revoked'; // TAP removed before the loop completed

export const TAP_STATUSES: readonly TapStatus[] = [
  'pending',
  'approved',
  'issuing',
  'issued',
  'issue-failed',
  'completed',
  'denied',
  'expired',
  'cancelled',
  'revoked',
];
/** "At most one open request per user" counts these. */
export const OPEN_STATUSES: readonly TapStatus[] = ['pending', 'approved', 'issuing', 'issued', 'issue-failed'];
export const FINAL_STATUSES: readonly TapStatus[] = ['completed', 'denied', 'expired', 'cancelled', 'revoked'];

export interface PersonRef {
  /** Entra object id (aadObjectId). */
  id: string;
  upn: string;
  displayName: string;
}

/** Who asked: the person themself, their manager (Graph `manager`), or a helpdesk member. */
export type RequesterRelation = 'self' | 'manager' | 'helpdesk';

export interface Requester extends PersonRef {
  relation: RequesterRelation;
}

/** How the approver verified the person out of band (a required choice on the card). */
export const VERIFICATION_METHODS = ['video-call-with-id', 'hr-callback', 'in-person', 'manager-confirmed'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_LABELS: Record<VerificationMethod, string> = {
  'video-call-with-id': 'Video call with photo ID',
  'hr-callback': 'Called back on a number from HR records',
  'in-person': 'In person',
  'manager-confirmed': 'Confirmed by their manager',
};

export type TapKind = 'multiUse' | 'oneTime';

/** A registration (method) on the lost phone, as Graph lists it. */
export interface MethodRef {
  '@odata.type': string;
  id: string;
  displayName: string;
}

export interface LostDevice {
  lost: boolean;
  /** The registrations the lost phone holds (resolved from the user's methods at submission). */
  registrationIds: MethodRef[];
}

export interface Approval {
  approverId: string;
  displayName: string;
  verification: VerificationMethod;
  at: string;
  /** This approver asked to remove the lost phone's registrations. */
  removeLostDeviceRegistrations?: boolean;
}

export interface Denial {
  by: string;
  displayName: string;
  reason: string;
  at: string;
}

/** Where a card was posted (serviceUrl, conversation and activity ids): opaque to the domain. */
export type CardRef = Readonly<Record<string, string>>;

export interface Routing {
  /** The approval card's thread in the helpdesk channel. */
  helpdeskCard?: CardRef;
  /** The recipient's 1:1 delivery card. */
  recipientCard?: CardRef;
}

/** The Reveal in progress: the lead persists it with an etag compare-and-set before creating the TAP. */
export interface IssueAttempt {
  number: number;
  startedAt: string;
  by: string;
}

export interface IssueFailure {
  at: string;
  /** Human, no secrets (a Graph error code and message). */
  why: string;
  /** The failed attempt's start: a Retry first removes any TAP created since (late result). */
  attemptStartedAt?: string;
  /** Set when a "never a blind retry" check ran. */
  recovery?: 'created-and-deleted' | 'not-created';
}

/** The issued TAP's metadata. NEVER the value. */
export interface IssuedInfo {
  methodId: string;
  issuedAt: string;
  validUntil: string;
  attemptStartedAt: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

export interface SeenPasskey {
  id: string;
  displayName: string;
  createdDateTime?: string;
}

/** Closed-loop state: passkeys seen since the TAP was issued. */
export interface ClosedLoop {
  /** Known when the person said so (e.g. Android work + personal profile → 2); undefined → ask them. */
  expectedPasskeys?: number;
  passkeysSeen: SeenPasskey[];
}

export type CompletionHow =
  | 'user-confirmed' // "Done? Remove my TAP"
  | 'expected-passkeys-registered' // all expected passkeys seen
  | 'tap-expired'; // the TAP ran out after a passkey was registered

export interface HistoryEntry {
  at: string;
  from: TapStatus | null;
  to: TapStatus;
  event: TapEventName;
  /** aadObjectId, or "system" for timed steps. */
  actor: string;
}

export interface TapRequest {
  id: string;
  /** +1 on every change: lets the shell skip writes when nothing changed. The store's etag guards races. */
  version: number;
  createdAt: string;
  updatedAt: string;
  targetUser: PersonRef;
  requester: Requester;
  /** Who gets the TAP: the target for self-requests, the requester on behalf. */
  recipient: PersonRef;
  /** Required, at most REASON_MAX_LENGTH characters. Shown escaped on cards. */
  reason: string;
  /** ISO time. */
  neededBy?: string;
  lostDevice?: LostDevice;
  tapKind: TapKind;
  /** Lifetime asked of Graph at Reveal (from the TAP policy, within its bounds). */
  lifetimeInMinutes: number;
  status: TapStatus;
  approvals: Approval[];
  denial?: Denial;
  privilegedTarget: boolean;
  /** 1, or 2 when the target is privileged and privileged TAPs are allowed. */
  requiredApprovals: number;
  routing: Routing;
  /** When the current state times out: pending → expiry, approved/issue-failed → reveal expiry, issued → TAP end. */
  expiresAt?: string;
  /** Pending only. */
  remindAt?: string;
  remindedAt?: string;
  attempt?: IssueAttempt;
  issueAttempts: number;
  lastFailure?: IssueFailure;
  issued?: IssuedInfo;
  closedLoop: ClosedLoop;
  completion?: { how: CompletionHow; at: string };
  cancellation?: { by: string; at: string; reason: string };
  revocation?: { by: string; at: string; reason: string };
  history: HistoryEntry[];
}

export const REASON_MAX_LENGTH = 500;

/** Audit event names written by the TAP workflow (docs/tap.md). */
export type TapEventName =
  | 'requested'
  | 'routed'
  | 'routing-failed'
  | 'reminded'
  | 'approved'
  | 'denied'
  | 'revealed'
  | 'issued'
  | 'issue-failed'
  | 'passkey-detected'
  | 'another-passkey'
  | 'revoked'
  | 'completed'
  | 'expired'
  | 'cancelled'
  | 'refused'
  | 'refused-forged'
  /** Reveal found the target privileged since approval: back to pending for a second approver. */
  | 'second-approval-required';

/** Structurally an `AuditEvent` of the storage port: append it as is. Never carries secrets. */
export interface AuditEventDraft {
  at: string;
  requestId: string | null;
  event: TapEventName;
  actor: string | null;
  details?: Record<string, unknown>;
}

/** Durable due-times the workflow schedules (job id: `jobId(requestId, job)`). */
export type TapJob = 'tap.remind' | 'tap.expire' | 'tap.poll' | 'tap.recover' | 'tap.delete';

export function jobId(requestId: string, job: TapJob): string {
  return `${job}:${requestId}`;
}

export type NotifyTarget = 'recipient' | 'requester' | 'target' | 'helpdesk-thread';

/**
 * What the shell must do after persisting the new request (effects are
 * performed only once the compare-and-set write succeeded). Strings are plain
 * text: escape them before putting them into a card or message.
 */
export type Effect =
  /** Post the approval card as a new thread in the helpdesk channel, then `recordRouting`. */
  | { kind: 'post-helpdesk-card' }
  /** `updateActivity` of `routing.helpdeskCard` with the current approval card view. */
  | { kind: 'rerender-helpdesk-card' }
  /** Send the recipient the 1:1 delivery card ("Your TAP is ready"), then `recordDeliveryCard`. */
  | { kind: 'send-delivery-card' }
  /** `updateActivity` of `routing.recipientCard` (never right after a reveal: see docs/tap.md). */
  | { kind: 'rerender-delivery-card' }
  /** Closed loop: ask the recipient "Done? Remove my TAP" / "I need another passkey". */
  | { kind: 'ask-passkey-done' }
  | { kind: 'notify'; to: NotifyTarget; message: string }
  | { kind: 'schedule'; job: TapJob; at: string }
  | { kind: 'unschedule'; job: TapJob }
  /** Graph DELETE of each method (404 = already gone). Make it durable with a `tap.delete` job. */
  | { kind: 'delete-methods'; methods: MethodRef[]; why: 'lost-device' | 'tap-no-longer-needed' | 'tap-value-unknown' }
  /**
   * Graph POST temporaryAccessPassMethods; the value goes only into the invoke response.
   * On a Retry, `previousAttemptStartedAt` is set: first list the user's TAPs and delete any
   * created since then (`tapsCreatedSince`): a late result of the earlier attempt nobody saw.
   */
  | { kind: 'create-tap'; lifetimeInMinutes: number; isUsableOnce: boolean; previousAttemptStartedAt?: string };

/** Refusal codes: a public contract (docs/tap.md). */
export const USELESS_REASONS = ['guest', 'account-disabled', 'tap-method-disabled', 'not-in-tap-policy'] as const;
export const REFUSAL_CODES = [
  'invalid-input',
  'unknown-request',
  'reason-required',
  'reason-too-long',
  'needed-by-invalid',
  'not-allowed-on-behalf',
  'unknown-registration',
  'open-request-exists',
  'daily-limit',
  ...USELESS_REASONS.map((why) => `tap-useless:${why}` as const),
  'not-helpdesk-member',
  'self-approval',
  'approver-is-target',
  'not-pending',
  'expired',
  'verification-required',
  'privileged-target-refused',
  'same-approver-twice',
  'nothing-to-remove',
  'deny-reason-required',
  'not-recipient',
  'target-disabled',
  'not-approved',
  'reveal-in-progress',
  'already-issued',
  'too-many-attempts',
  'request-closed',
  'not-issuing',
  'not-issued',
  'not-allowed',
  'not-due',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  ok: false;
  reason: RefusalCode;
  /** Clear and human; safe to show to the actor. */
  message: string;
}

export interface Accepted {
  ok: true;
  request: TapRequest;
  events: AuditEventDraft[];
  effects: Effect[];
}

export type Decision = Accepted | Refusal;

export function refuse(reason: RefusalCode, message: string): Refusal {
  return { ok: false, reason, message };
}

/** Open = blocks a new request for the same user (deadlines past due count as closed). */
export function isOpen(request: TapRequest, now: Date): boolean {
  if (!OPEN_STATUSES.includes(request.status)) return false;
  // A request whose deadline passed is closed even before the expiry job ran (issuing waits for recovery).
  if (request.status !== 'issuing' && request.expiresAt && now.getTime() >= Date.parse(request.expiresAt)) return false;
  return true;
}

/** The audit event for a refused action (the shell appends it; a refusal never changes the request). */
export function refusalEvent(
  refusal: Refusal,
  input: { requestId: string | null; actor: string | null; verb: string; now: Date },
): AuditEventDraft {
  return {
    at: input.now.toISOString(),
    requestId: input.requestId,
    event: refusal.reason === 'unknown-request' || refusal.reason === 'invalid-input' ? 'refused-forged' : 'refused',
    actor: input.actor,
    details: { verb: input.verb, reason: refusal.reason },
  };
}

/** The delete target for the issued TAP (its method id is all Graph needs). */
export function tapMethodRef(issued: IssuedInfo): MethodRef {
  return {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    id: issued.methodId,
    displayName: 'Temporary Access Pass',
  };
}

export function describeApprovers(request: TapRequest): string {
  return request.approvals.map((a) => a.displayName).join(' and ');
}
