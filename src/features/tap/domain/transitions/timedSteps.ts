/**
 * Steps the durable jobs take: the reminder before a pending request expires, and expiry.
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
import { MINUTE, accepted, change, closedRefusal, isPast, iso } from './common';
import { markCompleted } from './endStates';

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
