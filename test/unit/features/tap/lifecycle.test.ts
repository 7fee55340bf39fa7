import assert from 'node:assert/strict';
import {
  type TapRequest,
  TAP_STATUSES,
  cancel,
  expire,
  failIssue,
  recordDeliveryCard,
  recordRouting,
  remind,
  revoke,
  routingFailed,
} from '../../../../src/features/tap/domain';
import {
  adele,
  alex,
  approvedRequest,
  effectKinds,
  expectOk,
  expectRefused,
  issuedRequest,
  issuingRequest,
  minutesAfter,
  outsider,
  pendingRequest,
  pradeep,
} from './fixtures';

describe('TAP request: routing, reminders and expiry (durable timed steps)', () => {
  it('stores where the approval card was posted (opaque to the domain) and audits "routed"', () => {
    const ref = { serviceUrl: 'http://localhost:56150/_connector', conversationId: '19:helpdesk;messageid=1', activityId: 'a-1' };
    const decision = recordRouting(pendingRequest(), ref, minutesAfter(0.1));
    assert.deepEqual(decision.request.routing.helpdeskCard, ref);
    assert.deepEqual(decision.events.map((e) => e.event), ['routed']);
    assert.equal(decision.request.status, 'pending');
    const delivered = recordDeliveryCard(approvedRequest(), { conversationId: 'a:1', activityId: 'd-1' }, minutesAfter(6));
    assert.equal(delivered.request.routing.recipientCard?.activityId, 'd-1');
  });

  it('withdraws the request when the helpdesk channel is unreachable and tells the requester', () => {
    const decision = expectOk(routingFailed(pendingRequest(), minutesAfter(0.1), 'bot not installed in the helpdesk team'));
    assert.equal(decision.request.status, 'cancelled');
    assert.deepEqual(decision.events.map((e) => e.event), ['routing-failed']);
    assert.deepEqual(effectKinds(decision), ['unschedule:tap.remind', 'unschedule:tap.expire', 'notify']);
  });

  it('reminds the helpdesk thread once when no decision came within the reminder time', () => {
    expectRefused(remind(pendingRequest(), minutesAfter(29)), 'not-due');
    const reminded = expectOk(remind(pendingRequest(), minutesAfter(30)));
    assert.equal(reminded.request.remindedAt, minutesAfter(30).toISOString());
    const notify = reminded.effects[0];
    assert.ok(notify?.kind === 'notify' && notify.to === 'helpdesk-thread' && /30 minutes/.test(notify.message));
    expectRefused(remind(reminded.request, minutesAfter(31)), 'not-due');
    expectRefused(remind(approvedRequest(), minutesAfter(30)), 'not-pending');
  });

  it('expires a pending request after the expiry time and tells the recipient', () => {
    expectRefused(expire(pendingRequest(), minutesAfter(239)), 'not-due');
    const decision = expectOk(expire(pendingRequest(), minutesAfter(240)));
    assert.equal(decision.request.status, 'expired');
    assert.deepEqual(decision.events[0]?.details, { stage: 'pending' });
    assert.ok(decision.effects.some((e) => e.kind === 'notify' && e.to === 'recipient'));
  });

  it('expires an approval not revealed within the reveal deadline, and a failed issue left without retry', () => {
    const late = minutesAfter(5 + 24 * 60);
    assert.equal(expectOk(expire(approvedRequest(), late)).request.status, 'expired');
    const failed = expectOk(failIssue(issuingRequest(), minutesAfter(10), 'Graph 503')).request;
    assert.equal(expectOk(expire(failed, late)).request.status, 'expired');
  });

  it('leaves an issuing request to the recovery check', () => {
    expectRefused(expire(issuingRequest(), minutesAfter(5 + 24 * 60)), 'reveal-in-progress');
  });

  it('expires an issued TAP that ran out without a passkey (nothing to delete: Graph expired it)', () => {
    const decision = expectOk(expire(issuedRequest(), minutesAfter(70)));
    assert.equal(decision.request.status, 'expired');
    assert.equal(decision.effects.some((e) => e.kind === 'delete-methods'), false);
    assert.ok(decision.effects.some((e) => e.kind === 'unschedule' && e.job === 'tap.poll'));
  });

  it('ignores the expiry job for a request already closed', () => {
    const denied = { ...pendingRequest(), status: 'denied' } as TapRequest;
    expectRefused(expire(denied, minutesAfter(500)), 'request-closed');
  });
});

describe('TAP request: cancel and revoke', () => {
  it('the requester can cancel a pending request; the helpdesk card is re-rendered', () => {
    const decision = expectOk(cancel(pendingRequest(), { id: alex.id, isHelpdeskMember: false }, minutesAfter(1)));
    assert.equal(decision.request.status, 'cancelled');
    assert.deepEqual(effectKinds(decision), ['unschedule:tap.remind', 'unschedule:tap.expire', 'rerender-helpdesk-card']);
  });

  it('a helpdesk member can cancel an approved request; the recipient is told', () => {
    const decision = expectOk(cancel(approvedRequest(), pradeep, minutesAfter(6), 'Duplicate'));
    assert.equal(decision.request.cancellation?.reason, 'Duplicate');
    assert.ok(decision.effects.some((e) => e.kind === 'notify' && e.to === 'recipient'));
  });

  it('nobody else can cancel, and an issued TAP is revoked rather than cancelled', () => {
    expectRefused(cancel(pendingRequest(), outsider, minutesAfter(1)), 'not-allowed');
    expectRefused(cancel(issuedRequest(), pradeep, minutesAfter(12)), 'already-issued');
  });

  it('revoking an issued TAP deletes it and stops the loop', () => {
    const issued = issuedRequest();
    const decision = expectOk(revoke(issued, pradeep, minutesAfter(15), 'Reported as phished'));
    assert.equal(decision.request.status, 'revoked');
    assert.deepEqual(
      decision.effects.find((e) => e.kind === 'delete-methods'),
      {
        kind: 'delete-methods',
        why: 'tap-no-longer-needed',
        methods: [{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: 'tap-method-1', displayName: 'Temporary Access Pass' }],
      },
    );
    assert.ok(decision.effects.some((e) => e.kind === 'unschedule' && e.job === 'tap.poll'));
  });

  it('only the helpdesk or the person it is for can revoke', () => {
    expectRefused(revoke(issuedRequest(), { id: adele.id, isHelpdeskMember: false }, minutesAfter(15)), 'not-allowed');
    assert.equal(expectOk(revoke(issuedRequest(), { id: alex.id, isHelpdeskMember: false }, minutesAfter(15))).request.status, 'revoked');
  });
});

describe('TAP request: history and version', () => {
  it('records every change with from/to, event, actor and time, and bumps the version', () => {
    const issued = issuedRequest();
    assert.deepEqual(
      issued.history.map((h) => `${h.from ?? '∅'}→${h.to} ${h.event} by ${h.actor}`),
      [
        '∅→pending requested by u-alex',
        'pending→approved approved by u-pradeep',
        'approved→issuing revealed by u-alex',
        'issuing→issued issued by u-alex',
      ],
    );
    assert.equal(issued.version, 4);
  });

  it('knows exactly ten statuses', () => {
    assert.deepEqual([...TAP_STATUSES].sort(), [
      'approved',
      'cancelled',
      'completed',
      'denied',
      'expired',
      'issue-failed',
      'issued',
      'issuing',
      'pending',
      'revoked',
    ]);
  });
});
