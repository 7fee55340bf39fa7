import assert from 'node:assert/strict';
import { TAP_VERBS, isOpen, jobId, refusalEvent, validateNewRequest } from '../../../../src/features/tap/domain';
import {
  T0,
  alex,
  context,
  effectKinds,
  expectOk,
  expectRefused,
  input,
  joni,
  joniMethods,
  minutesAfter,
  nestor,
  pendingRequest,
  pradeepPerson,
  adele,
} from './fixtures';

describe('TAP request: submitting (validateNewRequest)', () => {
  it('creates a pending self-request whose recipient is the person themself', () => {
    const decision = expectOk(validateNewRequest(input(), context()));
    const request = decision.request;
    assert.equal(request.status, 'pending');
    assert.equal(request.requester.relation, 'self');
    assert.deepEqual(request.recipient, alex);
    assert.equal(request.requiredApprovals, 1);
    assert.equal(request.version, 1);
    assert.equal(request.tapKind, 'multiUse', 'multi-use is the default when the policy allows it');
    assert.equal(request.lifetimeInMinutes, 60);
    assert.deepEqual(decision.events.map((e) => e.event), ['requested']);
  });

  it('asks the shell to post the helpdesk card and schedules the reminder (30 min) and expiry (240 min) by default', () => {
    const decision = expectOk(validateNewRequest(input(), context()));
    assert.deepEqual(effectKinds(decision), ['post-helpdesk-card', 'schedule:tap.remind', 'schedule:tap.expire']);
    const schedules = decision.effects.filter((e) => e.kind === 'schedule');
    assert.deepEqual(
      schedules.map((e) => e.kind === 'schedule' && e.at),
      [minutesAfter(30).toISOString(), minutesAfter(240).toISOString()],
    );
  });

  it('honours configured reminder and expiry times', () => {
    const request = pendingRequest({}, { settings: { reminderMinutes: 5, pendingExpiryMinutes: 15 } });
    assert.equal(request.remindAt, minutesAfter(5).toISOString());
    assert.equal(request.expiresAt, minutesAfter(15).toISOString());
  });

  it('lets the manager ask on behalf: the TAP goes to the manager, and the target is told', () => {
    const decision = expectOk(validateNewRequest(input({ requester: nestor }), context({ requesterIsManager: true })));
    assert.equal(decision.request.requester.relation, 'manager');
    assert.deepEqual(decision.request.recipient, nestor);
    assert.deepEqual(decision.request.targetUser, alex);
    const notify = decision.effects.find((e) => e.kind === 'notify');
    assert.ok(notify && notify.kind === 'notify' && notify.to === 'target' && notify.message.includes('Nestor Wilke'));
  });

  it('lets a helpdesk member ask on behalf: the TAP goes to the helpdesk member', () => {
    const decision = expectOk(validateNewRequest(input({ requester: pradeepPerson }), context({ requesterIsHelpdeskMember: true })));
    assert.equal(decision.request.requester.relation, 'helpdesk');
    assert.deepEqual(decision.request.recipient, pradeepPerson);
  });

  it('refuses a request on behalf from someone who is neither the manager nor the helpdesk', () => {
    expectRefused(validateNewRequest(input({ requester: adele }), context()), 'not-allowed-on-behalf');
  });

  it('requires a reason, trims it, and limits it to 500 characters', () => {
    expectRefused(validateNewRequest(input({ reason: '   ' }), context()), 'reason-required');
    expectRefused(validateNewRequest(input({ reason: 'x'.repeat(501) }), context()), 'reason-too-long');
    assert.equal(pendingRequest({ reason: `  ${'y'.repeat(500)}  ` }).reason.length, 500);
  });

  it('stores "needed by" as an ISO time and refuses an unreadable one', () => {
    assert.equal(pendingRequest({ neededBy: '2025-03-15' }).neededBy, '2025-03-15T00:00:00.000Z');
    expectRefused(validateNewRequest(input({ neededBy: 'tomorrow-ish' }), context()), 'needed-by-invalid');
  });

  describe('says when a TAP would be useless instead of wasting an approver\'s time', () => {
    it('a guest account', () => {
      expectRefused(validateNewRequest(input(), context({ isGuest: true })), 'tap-useless:guest');
    });
    it('a disabled account', () => {
      expectRefused(validateNewRequest(input(), context({ accountEnabled: false })), 'tap-useless:account-disabled');
    });
    it('the TAP method turned off', () => {
      expectRefused(validateNewRequest(input(), context({ tapMethodEnabled: false })), 'tap-useless:tap-method-disabled');
    });
    it('a user outside the TAP policy\'s targets', () => {
      const message = expectRefused(validateNewRequest(input(), context({ tapPolicyApplies: false })), 'tap-useless:not-in-tap-policy');
      assert.match(message, /policy/);
    });
  });

  it('refuses privileged targets by default and requires two approvals when TAP_ALLOW_PRIVILEGED is on', () => {
    expectRefused(validateNewRequest(input(), context({ isPrivileged: true })), 'privileged-target-refused');
    const allowed = pendingRequest({}, { isPrivileged: true, allowPrivileged: true });
    assert.equal(allowed.privilegedTarget, true);
    assert.equal(allowed.requiredApprovals, 2);
    const bySettings = pendingRequest({}, { isPrivileged: true, settings: { allowPrivileged: true } });
    assert.equal(bySettings.requiredApprovals, 2);
  });

  it('allows at most one open request per user', () => {
    const open = pendingRequest();
    expectRefused(validateNewRequest(input({ id: 'req-2' }), context({ openRequests: [open] })), 'open-request-exists');
  });

  it('does not count a request whose deadline passed as open', () => {
    const old = pendingRequest();
    assert.equal(isOpen(old, minutesAfter(241)), false);
    expectOk(validateNewRequest(input({ id: 'req-2' }), context({ now: minutesAfter(241), openRequests: [old] })));
  });

  it('enforces the per-user daily limit (default 3, configurable)', () => {
    expectRefused(validateNewRequest(input(), context({ requestsToday: 3 })), 'daily-limit');
    expectOk(validateNewRequest(input(), context({ requestsToday: 3, settings: { dailyLimit: 5 } })));
  });

  it('forces a one-time TAP when the policy says so', () => {
    assert.equal(pendingRequest({ tapKind: 'multiUse' }, { tapPolicy: { isUsableOnce: true } }).tapKind, 'oneTime');
  });

  it('keeps the lifetime within the policy bounds', () => {
    assert.equal(pendingRequest({}, { tapPolicy: { defaultLifetimeInMinutes: 30, minimumLifetimeInMinutes: 60 } }).lifetimeInMinutes, 60);
  });

  it('resolves the lost phone\'s registrations from the user\'s methods, never from the card', () => {
    const request = pendingRequest(
      { targetUser: joni, requester: joni, lostDevice: { lost: true, registrationIds: ['auth-joni-iphone', 'fido-joni-iphone'] } },
      { targetMethods: joniMethods },
    );
    assert.deepEqual(request.lostDevice, {
      lost: true,
      registrationIds: [
        { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'auth-joni-iphone', displayName: "Joni's iPhone" },
        { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'fido-joni-iphone', displayName: 'Passkey in Authenticator' },
      ],
    });
    expectRefused(
      validateNewRequest(
        input({ targetUser: joni, requester: joni, lostDevice: { lost: true, registrationIds: ['28c10230-6103-485e-b985-444c60001490'] } }),
        context({ targetMethods: joniMethods }),
      ),
      'unknown-registration',
    );
  });

  it('names every verb in one public table', () => {
    assert.equal(TAP_VERBS.submit, 'tap.submit');
    assert.equal(TAP_VERBS.approve, 'tap.approve');
    assert.equal(TAP_VERBS.deny, 'tap.deny');
    assert.equal(TAP_VERBS.reveal, 'tap.reveal');
    assert.ok(Object.values(TAP_VERBS).every((v) => v.startsWith('tap.')));
  });

  it('gives each durable job of a request a stable id', () => {
    assert.equal(jobId('req-1', 'tap.expire'), 'tap.expire:req-1');
  });

  it('drafts an audit event for a refusal; an unknown request id counts as forged', () => {
    const refusal = validateNewRequest(input({ requester: adele }), context());
    assert.equal(refusal.ok, false);
    if (refusal.ok) return;
    assert.deepEqual(refusalEvent(refusal, { requestId: null, actor: adele.id, verb: TAP_VERBS.submit, now: T0 }), {
      at: T0.toISOString(),
      requestId: null,
      event: 'refused',
      actor: adele.id,
      details: { verb: 'tap.submit', reason: 'not-allowed-on-behalf' },
    });
    const forged = refusalEvent({ ok: false, reason: 'unknown-request', message: 'No such request.' }, { requestId: 'nope', actor: adele.id, verb: 'tap.approve', now: T0 });
    assert.equal(forged.event, 'refused-forged');
  });
});
