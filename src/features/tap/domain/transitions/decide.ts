/**
 * The helpdesk decides: who may approve or deny (never the requester or the target; two approvers for a privileged target), approve, deny.
 *
 * Part of the TAP request state machine (pure): each function takes the stored request, who acts and
 * "now", and returns the next request with its audit events and effects, or a refusal that changes nothing.
 */
import {
  type Approval,
  type Decision,
  type Effect,
  type Refusal,
  type TapRequest,
  type VerificationMethod,
  REASON_MAX_LENGTH,
  VERIFICATION_METHODS,
  refuse,
} from '../request';
import { type TapSettings, withDefaults } from '../settings';
import { HOUR, type HelpdeskActor, accepted, change, characterCount, closedRefusal, isPast, iso, plus } from './common';

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
