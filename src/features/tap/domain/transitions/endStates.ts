/**
 * How a request ends: completed (passkey registered), cancelled, revoked.
 *
 * Part of the TAP request state machine (pure): each function takes the stored request, who acts and
 * "now", and returns the next request with its audit events and effects, or a refusal that changes nothing.
 */
import {
  type CompletionHow,
  type Decision,
  type Effect,
  type TapRequest,
  REASON_MAX_LENGTH,
  refuse,
  tapMethodRef,
} from '../request';
import { type HelpdeskActor, accepted, change, iso } from './common';

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
