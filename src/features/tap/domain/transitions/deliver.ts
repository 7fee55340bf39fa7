/**
 * Delivery: Reveal re-checks the target and begins issuing; the Graph result completes or fails the issuance.
 *
 * Part of the TAP request state machine (pure): each function takes the stored request, who acts and
 * "now", and returns the next request with its audit events and effects, or a refusal that changes nothing.
 */
import {
  type Decision,
  type Effect,
  type TapRequest,
  refuse,
} from '../request';
import { type TapSettings, withDefaults } from '../settings';
import { type Actor, MINUTE, accepted, change, isOnBehalf, isPast, iso, plus } from './common';

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
