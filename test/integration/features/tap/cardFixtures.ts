/** Requests in a few states, built with the domain's own transitions (for the card tests). */
import { type Decision, type TapRequest, approve, beginReveal, completeIssue, validateNewRequest } from '../../../../src/features/tap/domain';
import { context } from '../../../unit/features/tap/fixtures';

const alex = { id: 'u-alex', upn: 'alex@contoso.example', displayName: 'Alex Wilber' };
const pradeep = { id: 'u-pradeep', displayName: 'Pradeep Gupta', isHelpdeskMember: true };

function ok(decision: Decision): TapRequest {
  if (!decision.ok) throw new Error(decision.message);
  return decision.request;
}

export function pendingRequest(now: Date): TapRequest {
  return ok(
    validateNewRequest(
      { id: 'req-1', targetUser: alex, requester: alex, reason: 'First day [link](http://x)' },
      context({ now }),
    ),
  );
}

export function approveAndIssue(now: Date, upTo: 'approved' | 'issued'): TapRequest {
  const approved = ok(approve(pendingRequest(now), pradeep, 'in-person', now));
  if (upTo === 'approved') return approved;
  const issuing = ok(beginReveal(approved, { id: alex.id }, now));
  return ok(completeIssue(issuing, { id: 'tap-1', startDateTime: now.toISOString(), lifetimeInMinutes: 60, isUsableOnce: false }, now));
}

export function issuedRequest(now: Date): TapRequest {
  return approveAndIssue(now, 'issued');
}
