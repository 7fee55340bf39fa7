import assert from 'node:assert/strict';
import {
  applyRecovery,
  beginReveal,
  completeIssue,
  decideRecovery,
  failIssue,
  isStaleAttempt,
  tapsCreatedSince,
} from '../../../../src/features/tap/domain';
import {
  alex,
  approvedRequest,
  effectKinds,
  expectOk,
  expectRefused,
  graphCreated,
  issuedRequest,
  issuingRequest,
  minutesAfter,
  nestor,
  pendingRequest,
  pradeep,
} from './fixtures';

const tapType = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';

describe('TAP request: delivering, shown once (reveal → issuing → issued)', () => {
  it('Reveal by the recipient moves to issuing, records when the attempt began and asks the shell to create the TAP now', () => {
    const now = minutesAfter(10);
    const decision = expectOk(beginReveal(approvedRequest(), { id: alex.id }, now));
    assert.equal(decision.request.status, 'issuing');
    assert.deepEqual(decision.request.attempt, { number: 1, startedAt: now.toISOString(), by: alex.id });
    assert.deepEqual(decision.effects[0], { kind: 'create-tap', lifetimeInMinutes: 60, isUsableOnce: false });
    assert.deepEqual(effectKinds(decision), ['create-tap', 'schedule:tap.recover']);
    assert.deepEqual(decision.events.map((e) => e.event), ['revealed']);
  });

  it('asks for a one-time TAP when the request is one-time', () => {
    const request = approvedRequest(pendingRequest({}, { tapPolicy: { isUsableOnce: true } }));
    const decision = expectOk(beginReveal(request, { id: alex.id }, minutesAfter(10)));
    assert.deepEqual(decision.effects[0], { kind: 'create-tap', lifetimeInMinutes: 60, isUsableOnce: true });
  });

  it('refuses Reveal by anyone but the recipient (on behalf: the manager, not the target)', () => {
    expectRefused(beginReveal(approvedRequest(), { id: pradeep.id }, minutesAfter(10)), 'not-recipient');
    const onBehalf = approvedRequest(pendingRequest({ requester: nestor }, { requesterIsManager: true }));
    expectRefused(beginReveal(onBehalf, { id: alex.id }, minutesAfter(10)), 'not-recipient');
    assert.equal(expectOk(beginReveal(onBehalf, { id: nestor.id }, minutesAfter(10))).request.status, 'issuing');
  });

  it('refuses a second Reveal while the first is in progress and after the TAP was shown', () => {
    const issuing = issuingRequest();
    expectRefused(beginReveal(issuing, { id: alex.id }, minutesAfter(10)), 'reveal-in-progress');
    expectRefused(beginReveal(issuedRequest(issuing), { id: alex.id }, minutesAfter(11)), 'already-issued');
  });

  it('refuses Reveal before approval and after the reveal deadline (24 h)', () => {
    expectRefused(beginReveal(pendingRequest(), { id: alex.id }, minutesAfter(1)), 'not-approved');
    expectRefused(beginReveal(approvedRequest(), { id: alex.id }, minutesAfter(5 + 24 * 60)), 'expired');
  });

  it('completes the issue from the Graph response without ever copying the value', () => {
    const now = minutesAfter(10);
    const decision = expectOk(completeIssue(issuingRequest(), graphCreated(now), now));
    assert.equal(decision.request.status, 'issued');
    assert.deepEqual(decision.request.issued, {
      methodId: 'tap-method-1',
      issuedAt: now.toISOString(),
      validUntil: minutesAfter(70).toISOString(),
      attemptStartedAt: now.toISOString(),
      lifetimeInMinutes: 60,
      isUsableOnce: false,
    });
    assert.equal(decision.request.expiresAt, minutesAfter(70).toISOString());
    assert.equal(JSON.stringify(decision).includes('Secret#Value9'), false);
    assert.deepEqual(effectKinds(decision), ['unschedule:tap.recover', 'schedule:tap.expire', 'rerender-helpdesk-card', 'schedule:tap.poll']);
    const poll = decision.effects.find((e) => e.kind === 'schedule' && e.job === 'tap.poll');
    assert.ok(poll?.kind === 'schedule' && poll.at === minutesAfter(11).toISOString(), 'first poll after TAP_POLL_SECONDS (60 s)');
  });

  it('tells the target on an on-behalf request that their TAP went to the requester', () => {
    const onBehalf = issuingRequest(approvedRequest(pendingRequest({ requester: nestor }, { requesterIsManager: true })));
    const decision = expectOk(completeIssue(onBehalf, graphCreated(), minutesAfter(10)));
    assert.ok(decision.effects.some((e) => e.kind === 'notify' && e.to === 'target' && e.message.includes('Nestor Wilke')));
  });

  it('completeIssue only applies to an issuing request (a recovery may have settled it first)', () => {
    expectRefused(completeIssue(approvedRequest(), graphCreated(), minutesAfter(10)), 'not-issuing');
  });

  it('a failed issue goes to issue-failed with Retry, and both sides are told', () => {
    const decision = expectOk(failIssue(issuingRequest(), minutesAfter(10), 'Graph 400 invalidLifetime'));
    assert.equal(decision.request.status, 'issue-failed');
    assert.equal(decision.request.lastFailure?.why, 'Graph 400 invalidLifetime');
    const told = decision.effects.filter((e) => e.kind === 'notify').map((e) => e.kind === 'notify' && e.to);
    assert.deepEqual(told, ['recipient', 'helpdesk-thread']);
    const retry = expectOk(beginReveal(decision.request, { id: alex.id }, minutesAfter(12)));
    assert.equal(retry.request.attempt?.number, 2);
    assert.deepEqual(retry.effects[0], {
      kind: 'create-tap',
      lifetimeInMinutes: 60,
      isUsableOnce: false,
      previousAttemptStartedAt: minutesAfter(10).toISOString(),
    });
  });

  it('stops retries after TAP_MAX_ISSUE_ATTEMPTS (default 3)', () => {
    let request = approvedRequest();
    for (let attempt = 1; attempt <= 3; attempt++) {
      request = expectOk(beginReveal(request, { id: alex.id }, minutesAfter(10 + attempt))).request;
      request = expectOk(failIssue(request, minutesAfter(10 + attempt), 'Graph 503')).request;
    }
    expectRefused(beginReveal(request, { id: alex.id }, minutesAfter(20)), 'too-many-attempts');
  });
});

describe('TAP request: never a blind retry (recovery after a 5xx or timeout)', () => {
  const started = minutesAfter(10).toISOString();

  it('decides "created" when a TAP created at or after the attempt start is listed', () => {
    const methods = [{ id: 'tap-late', '@odata.type': tapType, createdDateTime: minutesAfter(10.1).toISOString() }];
    assert.deepEqual(decideRecovery({ attemptStartedAt: started, methods }), { outcome: 'created', methodIds: ['tap-late'] });
  });

  it('decides "not-created" when only older TAPs (beyond the clock-skew tolerance) or none exist', () => {
    const older = [{ id: 'tap-old', '@odata.type': tapType, createdDateTime: minutesAfter(-30).toISOString() }];
    assert.deepEqual(decideRecovery({ attemptStartedAt: started, methods: older }), { outcome: 'not-created' });
    assert.deepEqual(decideRecovery({ attemptStartedAt: started, methods: [] }), { outcome: 'not-created' });
  });

  it('tolerates clock skew between this server and Graph, and ignores other method types', () => {
    const skewed = [{ id: 'tap-skew', createdDateTime: minutesAfter(9.5).toISOString() }];
    assert.equal(decideRecovery({ attemptStartedAt: started, methods: skewed }).outcome, 'created');
    assert.equal(decideRecovery({ attemptStartedAt: started, methods: skewed, clockSkewSeconds: 0 }).outcome, 'not-created');
    const phone = [{ id: 'p', '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', createdDateTime: started }];
    assert.deepEqual(tapsCreatedSince(phone, started, 120), []);
  });

  it('treats a TAP without a readable creation time as created (a credential of unknown origin is removed)', () => {
    assert.equal(decideRecovery({ attemptStartedAt: started, methods: [{ id: 'tap-x', createdDateTime: null }] }).outcome, 'created');
  });

  it('decides "unknown" when the listing failed too', () => {
    assert.deepEqual(decideRecovery({ attemptStartedAt: started, methods: null }), { outcome: 'unknown' });
  });

  it('created → deletes the unseen TAP and leaves issue-failed with Retry', () => {
    const decision = expectOk(applyRecovery(issuingRequest(), { outcome: 'created', methodIds: ['tap-late'] }, minutesAfter(11), 'Graph 503'));
    assert.equal(decision.request.status, 'issue-failed');
    assert.equal(decision.request.lastFailure?.recovery, 'created-and-deleted');
    assert.deepEqual(decision.effects[0], {
      kind: 'delete-methods',
      why: 'tap-value-unknown',
      methods: [{ '@odata.type': tapType, id: 'tap-late', displayName: 'Temporary Access Pass' }],
    });
    assert.equal(decision.request.issued, undefined);
  });

  it('not-created → issue-failed with Retry, nothing to delete', () => {
    const decision = expectOk(applyRecovery(issuingRequest(), { outcome: 'not-created' }, minutesAfter(11), 'timeout'));
    assert.equal(decision.request.status, 'issue-failed');
    assert.equal(decision.request.lastFailure?.recovery, 'not-created');
    assert.equal(decision.effects.some((e) => e.kind === 'delete-methods'), false);
  });

  it('unknown → stays issuing (nothing to write) and checks again later', () => {
    const issuing = issuingRequest();
    const decision = expectOk(applyRecovery(issuing, { outcome: 'unknown' }, minutesAfter(11), 'timeout'));
    assert.equal(decision.request, issuing);
    assert.deepEqual(effectKinds(decision), ['schedule:tap.recover']);
  });

  it('an attempt becomes stale for the recovery job after recoverAfterSeconds (crash mid-issue)', () => {
    const issuing = issuingRequest(approvedRequest(), minutesAfter(10));
    assert.equal(isStaleAttempt(issuing, minutesAfter(11)), false);
    assert.equal(isStaleAttempt(issuing, minutesAfter(12)), true);
  });
});
