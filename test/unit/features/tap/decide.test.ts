import assert from 'node:assert/strict';
import { type HelpdeskActor, approve, checkDecider, deny } from '../../../../src/features/tap/domain';
import {
  alex,
  debra,
  debraPerson,
  effectKinds,
  expectOk,
  expectRefused,
  joni,
  joniMethods,
  minutesAfter,
  nestor,
  outsider,
  pendingRequest,
  pradeep,
  pradeepPerson,
} from './fixtures';

const now = minutesAfter(5);

describe('TAP request: the helpdesk decides (approve / deny)', () => {
  it('approves a pending request: status approved, the approval records who and how they verified', () => {
    const decision = expectOk(approve(pendingRequest(), pradeep, 'video-call-with-id', now));
    assert.equal(decision.request.status, 'approved');
    assert.deepEqual(decision.request.approvals, [
      { approverId: pradeep.id, displayName: 'Pradeep Gupta', verification: 'video-call-with-id', at: now.toISOString() },
    ]);
    assert.equal(decision.request.version, 2);
    assert.deepEqual(decision.events.map((e) => [e.event, e.actor]), [['approved', pradeep.id]]);
  });

  it('on approval: cancels the reminder, moves the expiry to the reveal deadline (24 h), re-renders the card and sends the delivery card', () => {
    const decision = expectOk(approve(pendingRequest(), pradeep, 'in-person', now));
    assert.deepEqual(effectKinds(decision), ['unschedule:tap.remind', 'schedule:tap.expire', 'rerender-helpdesk-card', 'send-delivery-card']);
    assert.equal(decision.request.expiresAt, minutesAfter(5 + 24 * 60).toISOString());
    assert.equal(decision.request.remindAt, undefined);
  });

  it('uses the configured reveal deadline', () => {
    const decision = expectOk(approve(pendingRequest(), pradeep, 'in-person', now, { settings: { revealExpiryHours: 2 } }));
    assert.equal(decision.request.expiresAt, minutesAfter(125).toISOString());
  });

  describe('refuses with a clear message (the request is unchanged)', () => {
    it('an outsider (not in the helpdesk group)', () => {
      expectRefused(approve(pendingRequest(), outsider, 'in-person', now), 'not-helpdesk-member');
    });

    it('the requester approving their own request (helpdesk member asking on behalf)', () => {
      const request = pendingRequest({ requester: pradeepPerson }, { requesterIsHelpdeskMember: true });
      expectRefused(approve(request, pradeep, 'in-person', now), 'self-approval');
    });

    it('the person the TAP is for, even when they are a helpdesk member', () => {
      const request = pendingRequest({ targetUser: debraPerson, requester: nestor }, { requesterIsManager: true });
      expectRefused(approve(request, debra, 'in-person', now), 'approver-is-target');
    });

    it('a replayed approval after the decision, naming who decided', () => {
      const approved = expectOk(approve(pendingRequest(), pradeep, 'in-person', now)).request;
      const message = expectRefused(approve(approved, debra, 'in-person', minutesAfter(6)), 'not-pending');
      assert.match(message, /Pradeep Gupta/);
      expectRefused(deny(approved, debra, 'no', minutesAfter(6)), 'not-pending');
    });

    it('an approval after a denial', () => {
      const denied = expectOk(deny(pendingRequest(), debra, 'Could not reach the person', now)).request;
      assert.match(expectRefused(approve(denied, pradeep, 'in-person', minutesAfter(6)), 'not-pending'), /Debra Berger/);
    });

    it('a late approval after the pending deadline, even before the expiry job ran', () => {
      expectRefused(approve(pendingRequest(), pradeep, 'in-person', minutesAfter(240)), 'expired');
    });

    it('an approval without an out-of-band verification method, or with an unknown one', () => {
      expectRefused(approve(pendingRequest(), pradeep, undefined, now), 'verification-required');
      expectRefused(approve(pendingRequest(), pradeep, 'teams-chat', now), 'verification-required');
    });

    it('removing lost-phone registrations on a request that names none', () => {
      expectRefused(approve(pendingRequest(), pradeep, 'in-person', now, { removeLostDeviceRegistrations: true }), 'nothing-to-remove');
    });
  });

  describe('privileged targets', () => {
    it('are refused by default, also when the roles appeared after the request', () => {
      expectRefused(approve(pendingRequest(), pradeep, 'in-person', now, { targetIsPrivileged: true }), 'privileged-target-refused');
      const privileged = pendingRequest({}, { isPrivileged: true, allowPrivileged: true });
      expectRefused(approve(privileged, pradeep, 'in-person', now), 'privileged-target-refused');
    });

    it('need two distinct approvers when allowed; the first approval leaves the request pending', () => {
      const request = pendingRequest({}, { isPrivileged: true, allowPrivileged: true });
      const first = expectOk(approve(request, pradeep, 'video-call-with-id', now, { allowPrivileged: true }));
      assert.equal(first.request.status, 'pending');
      assert.deepEqual(effectKinds(first), ['rerender-helpdesk-card', 'notify']);
      expectRefused(approve(first.request, pradeep, 'in-person', minutesAfter(6), { allowPrivileged: true }), 'same-approver-twice');
      const second = expectOk(approve(first.request, debra, 'hr-callback', minutesAfter(7), { allowPrivileged: true }));
      assert.equal(second.request.status, 'approved');
      assert.deepEqual(second.request.approvals.map((a) => a.approverId), [pradeep.id, debra.id]);
      assert.deepEqual(second.events[0]?.details, { verification: 'hr-callback', approvals: 2, requiredApprovals: 2 });
    });

    it('a target who became privileged after submission needs the second approver too', () => {
      const first = expectOk(approve(pendingRequest(), pradeep, 'in-person', now, { allowPrivileged: true, targetIsPrivileged: true }));
      assert.equal(first.request.status, 'pending');
      assert.equal(first.request.requiredApprovals, 2);
    });
  });

  it('a lost-phone approval with removal asks the shell to delete the phone\'s registrations', () => {
    const request = pendingRequest(
      { targetUser: joni, requester: joni, lostDevice: { lost: true, registrationIds: ['auth-joni-iphone', 'fido-joni-iphone'] } },
      { targetMethods: joniMethods },
    );
    const decision = expectOk(approve(request, pradeep, 'video-call-with-id', now, { removeLostDeviceRegistrations: true }));
    const deletion = decision.effects.find((e) => e.kind === 'delete-methods');
    assert.deepEqual(deletion, {
      kind: 'delete-methods',
      why: 'lost-device',
      methods: request.lostDevice?.registrationIds,
    });
    assert.equal(decision.request.approvals[0]?.removeLostDeviceRegistrations, true);
    const without = expectOk(approve(request, pradeep, 'video-call-with-id', now));
    assert.equal(without.effects.some((e) => e.kind === 'delete-methods'), false, 'removal is the approver\'s choice');
  });

  it('denies with a reason the requester sees; the reason is required', () => {
    expectRefused(deny(pendingRequest(), pradeep, '  ', now), 'deny-reason-required');
    const decision = expectOk(deny(pendingRequest(), pradeep, 'Could not verify identity on the call', now));
    assert.equal(decision.request.status, 'denied');
    assert.deepEqual(decision.request.denial, { by: pradeep.id, displayName: 'Pradeep Gupta', reason: 'Could not verify identity on the call', at: now.toISOString() });
    assert.deepEqual(effectKinds(decision), ['unschedule:tap.remind', 'unschedule:tap.expire', 'rerender-helpdesk-card', 'notify']);
    const notify = decision.effects.at(-1);
    assert.ok(notify?.kind === 'notify' && notify.to === 'recipient' && notify.message.includes('Could not verify identity'));
  });

  it('applies the same actor checks to denials', () => {
    expectRefused(deny(pendingRequest(), outsider, 'no', now), 'not-helpdesk-member');
    const onBehalf = pendingRequest({ requester: pradeepPerson }, { requesterIsHelpdeskMember: true });
    expectRefused(deny(onBehalf, pradeep, 'no', now), 'self-approval');
  });

  it('checkDecider tells a card whom to show the buttons', () => {
    const request = pendingRequest();
    assert.equal(checkDecider(request, pradeep, now), null);
    const alexAsMember: HelpdeskActor = { id: alex.id, isHelpdeskMember: true };
    assert.equal(checkDecider(request, alexAsMember, now)?.reason, 'self-approval');
  });

  it('never mutates the request it was given', () => {
    const request = pendingRequest();
    const snapshot = structuredClone(request);
    approve(request, pradeep, 'in-person', now);
    deny(request, pradeep, 'reason', now);
    assert.deepEqual(request, snapshot);
  });
});
