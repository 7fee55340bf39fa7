import assert from 'node:assert/strict';
import {
  TAP_VERBS,
  approvalCardView,
  deliveryCardView,
  escapeMarkdown,
  failIssue,
  formatAge,
  formatTime,
  maskEmail,
  maskPhone,
  passkeyQuestionView,
  pollMethods,
  revealedOnceView,
  safeTimeZone,
} from '../../../../src/features/tap/domain';
import { readerTime } from '../../../../src/features/tap/cards/views';
import {
  T0,
  adele,
  alex,
  approvedRequest,
  debra,
  debraPerson,
  expectOk,
  issuedRequest,
  issuingRequest,
  joni,
  joniMethods,
  minutesAfter,
  nestor,
  outsider,
  pendingRequest,
  pradeep,
  pradeepPerson,
} from './fixtures';

/** A link as a CommonMark renderer would see it once backslash escapes are taken out. */
function rendersLink(markdown: string): boolean {
  const unescaped = markdown.replace(/\\./g, 'X');
  return /\[[^\]]*\]\([^)]*\)/.test(unescaped) || /<https?:[^>]*>/.test(unescaped);
}

describe('TAP views: text safety', () => {
  it('escapes Markdown so a link can\'t be injected into a TextBlock', () => {
    const evil = '[Reset your password](http://evil.example/login)';
    assert.equal(escapeMarkdown(evil), '\\[Reset your password\\]\\(http://evil.example/login\\)');
    assert.equal(rendersLink(escapeMarkdown(evil)), false);
    assert.equal(rendersLink(escapeMarkdown('<http://evil.example>')), false);
    assert.equal(rendersLink(evil), true, 'the detector itself sees the raw link');
  });

  it('escapes emphasis, block syntax at line starts and control characters', () => {
    assert.equal(escapeMarkdown('**urgent** _now_'), '\\*\\*urgent\\*\\* \\_now\\_');
    assert.equal(escapeMarkdown('# Title\n- item\n1. first'), '\\# Title\n\\- item\n1\\. first');
    assert.equal(escapeMarkdown('a\u0007b'), 'ab');
    assert.equal(escapeMarkdown('plain text, 3.5 days - ok'), 'plain text, 3.5 days - ok');
    assert.equal(escapeMarkdown('3.5 days\n+41 79'), '3.5 days\n+41 79');
    assert.equal(escapeMarkdown(undefined), '');
  });

  it('masks e-mail addresses, hiding the local part\'s length', () => {
    assert.equal(maskEmail('adele.vance@contoso.example'), 'a•••e@contoso.example');
    assert.equal(maskEmail('al@contoso.example'), 'a•••@contoso.example');
    assert.equal(maskEmail('not-an-address'), '•••');
    assert.equal(maskEmail(null), '');
  });

  it('masks phone numbers down to the last two digits, with Markdown-safe mask characters', () => {
    assert.equal(maskPhone('+1 425-555-0100'), '+• •••-•••-••00');
    assert.equal(maskPhone('+41791234567'), '+•••••••••67');
    assert.equal(escapeMarkdown(maskPhone('+1 425 555 0100')), '+• ••• ••• ••00');
  });

  it('formats times in the viewer\'s IANA zone and falls back to UTC on an invalid zone', () => {
    assert.equal(formatTime(T0, 'Europe/Zurich'), '14 Mar 2025, 10:00 CET');
    assert.equal(formatTime(T0.toISOString(), 'Not/AZone'), '14 Mar 2025, 09:00 UTC');
    assert.equal(formatTime(T0, undefined), '14 Mar 2025, 09:00 UTC');
    assert.equal(formatTime(T0, 'Europe/Zurich', 'no-such-locale-!!'), '14 Mar 2025, 10:00 CET');
    assert.equal(formatTime('garbage', 'UTC'), '');
    assert.equal(safeTimeZone('Asia/Kolkata'), 'Asia/Kolkata');
    assert.equal(safeTimeZone(''), 'UTC');
  });

  it('writes times on the helpdesk channel\'s card as DATE/TIME functions, which each reader\'s client shows in their own zone', () => {
    assert.equal(readerTime(T0.toISOString()), '{{DATE(2025-03-14T09:00:00Z, SHORT)}} {{TIME(2025-03-14T09:00:00Z)}}');
    assert.equal(readerTime('garbage'), '');
    assert.equal(readerTime(undefined), '');
  });

  it('describes ages in words', () => {
    assert.equal(formatAge(T0, minutesAfter(60)), 'today');
    assert.equal(formatAge(T0, minutesAfter(3 * 1440)), '3 days');
    assert.equal(formatAge(T0, minutesAfter(800 * 1440)), '2 years');
  });
});

describe('TAP views: approval card', () => {
  const now = minutesAfter(1);
  const facts = {
    target: { jobTitle: 'Sales [Rep](http://x)', department: 'Sales', managerDisplayName: 'Nestor Wilke', mail: 'alex@contoso.example', phoneNumbers: ['+1 425 555 0109'] },
    currentMethods: ['Password'],
    risk: { accountCreatedDateTime: minutesAfter(-2 * 1440).toISOString(), recentTapCount: 1, recentDenialCount: 1 },
    lastDiagnosis: { at: T0.toISOString(), findingTitles: ['No MFA method to register a passkey'] },
  };

  it('shows approvers Approve and Deny, with the verification choice, and names only the request id in action data', () => {
    const view = approvalCardView(pendingRequest(), pradeep, facts, { now, timeZone: 'Europe/Zurich' });
    assert.equal(view.mode, 'decide');
    assert.deepEqual(view.actions.map((a) => [a.verb, a.data]), [
      [TAP_VERBS.approve, { requestId: 'req-1' }],
      [TAP_VERBS.deny, { requestId: 'req-1' }],
    ]);
    assert.deepEqual(view.verificationChoices.map((c) => c.value), ['video-call-with-id', 'hr-callback', 'in-person', 'manager-confirmed']);
    assert.equal(view.status.text, 'Waiting for a decision');
  });

  it('is read-only, with the reason, for an outsider, the requester and the target', () => {
    assert.equal(approvalCardView(pendingRequest(), outsider, facts, { now }).mode, 'read-only');
    const onBehalf = pendingRequest({ requester: pradeepPerson }, { requesterIsHelpdeskMember: true });
    const own = approvalCardView(onBehalf, pradeep, facts, { now });
    assert.equal(own.mode, 'read-only');
    assert.match(own.readOnlyNote, /another helpdesk member/);
    assert.deepEqual(own.actions, []);
    const forDebra = pendingRequest({ targetUser: debraPerson, requester: nestor }, { requesterIsManager: true });
    assert.equal(approvalCardView(forDebra, debra, facts, { now }).mode, 'read-only');
  });

  it('base card: buttons for everyone without user-specific views (Playground); read-only with a refresh for approvers otherwise', () => {
    const playground = approvalCardView(pendingRequest(), undefined, { ...facts, userSpecificViews: false, approverTeamsIds: ['29:p', '29:d'] }, { now });
    assert.equal(playground.mode, 'decide');
    assert.equal(playground.refresh, null);
    const teams = approvalCardView(pendingRequest(), undefined, { ...facts, approverTeamsIds: ['29:p', '29:d'] }, { now });
    assert.equal(teams.mode, 'read-only');
    assert.deepEqual(teams.refresh, { verb: TAP_VERBS.refresh, userIds: ['29:p', '29:d'], data: { requestId: 'req-1' } });
    const crowd = Array.from({ length: 61 }, (_, i) => `29:${i}`);
    const many = approvalCardView(pendingRequest(), undefined, { ...facts, approverTeamsIds: crowd }, { now });
    assert.equal(many.mode, 'decide', 'more than 60 approvers: the buttons show to everyone and the server protects');
    assert.equal(many.refresh, null);
  });

  it('masks contact details and escapes directory strings', () => {
    const view = approvalCardView(pendingRequest(), pradeep, facts, { now });
    assert.equal(view.target.email, 'a•••x@contoso.example');
    assert.deepEqual(view.target.phones, ['+• ••• ••• ••09']);
    assert.equal(view.target.jobTitle, 'Sales \\[Rep\\]\\(http://x\\)');
    assert.equal(JSON.stringify(view).includes('alex@contoso.example') && view.target.upn === 'alex@contoso.example', true, 'the UPN is an identifier, not masked');
  });

  it('escapes the user-supplied reason', () => {
    const view = approvalCardView(pendingRequest({ reason: 'Call me [here](http://evil.example)' }), pradeep, facts, { now });
    assert.equal(rendersLink(view.reason), false);
  });

  it('lists risk hints: new account, recent TAPs and denials, on-behalf, privileged, lost phone', () => {
    const view = approvalCardView(pendingRequest({ requester: nestor }, { requesterIsManager: true }), pradeep, facts, { now });
    assert.deepEqual(
      view.riskHints.map((h) => [h.level, h.text]),
      [
        ['warning', 'New account: created 2 days ago'],
        ['warning', '1 other TAP request(s) for this person in the last 30 days'],
        ['warning', '1 denied TAP request(s) for this person in the last 30 days'],
        ['warning', 'Asked on their behalf by their manager: the pass goes to Nestor Wilke for handover. Verify both.'],
      ],
    );
    const privileged = approvalCardView(
      pendingRequest({}, { isPrivileged: true, allowPrivileged: true }),
      pradeep,
      { risk: { directoryRoleNames: ['Global Administrator'] }, allowPrivileged: true },
      { now },
    );
    assert.deepEqual(privileged.riskHints, [
      { level: 'warning', text: 'Privileged account (Global Administrator): two different approvers are required' },
    ]);
  });

  it('offers removal of the lost phone\'s registrations to approvers', () => {
    const request = pendingRequest(
      { targetUser: joni, requester: joni, lostDevice: { lost: true, registrationIds: ['auth-joni-iphone'] } },
      { targetMethods: joniMethods },
    );
    const view = approvalCardView(request, pradeep, {}, { now });
    assert.deepEqual(view.lostDevice, { registrations: ["Joni's iPhone"], canRemove: true });
    assert.ok(view.riskHints.some((h) => h.text.startsWith('Lost or replaced phone')));
  });

  it('tells everyone who decided, after the decision, without buttons', () => {
    const approved = approvedRequest();
    const view = approvalCardView(approved, debra, facts, { now: minutesAfter(6), timeZone: 'Europe/Zurich' });
    assert.equal(view.mode, 'read-only');
    assert.equal(view.status.text, 'Approved by Pradeep Gupta: waiting for Alex Wilber to reveal it');
    // The channel's card carries Adaptive Card DATE/TIME functions: each reader's client shows its own zone.
    assert.deepEqual(view.approvals, ['Pradeep Gupta: Video call with photo ID, {{DATE(2025-03-14T09:05:00Z, SHORT)}} {{TIME(2025-03-14T09:05:00Z)}}']);
  });

  it('shows "Completed: passkey registered" when the loop closed', () => {
    const fido = { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'pk', aaGuid: '90a3ccdf-635c-4729-a248-9b709135078f', createdDateTime: minutesAfter(20).toISOString() };
    const seen = expectOk(pollMethods(issuedRequest(), [fido], minutesAfter(21))).request;
    assert.match(approvalCardView(seen, debra, {}, { now: minutesAfter(21) }).status.text, /1 passkey\(s\) registered/);
  });
});

describe('TAP views: delivery card and the one-time reveal', () => {
  const options = { now: minutesAfter(6), timeZone: 'Europe/Zurich' };

  it('ready: a Reveal button for the recipient; the card never contains a value', () => {
    const view = deliveryCardView(approvedRequest(), { id: alex.id }, options);
    assert.equal(view.state, 'ready');
    assert.deepEqual(view.actions.map((a) => a.verb), [TAP_VERBS.reveal, TAP_VERBS.cancel]);
  });

  it('anyone else sees "not for you" and no buttons', () => {
    const view = deliveryCardView(approvedRequest(), { id: adele.id }, options);
    assert.equal(view.state, 'not-for-you');
    assert.deepEqual(view.actions, []);
    const onBehalf = approvedRequest(pendingRequest({ requester: nestor }, { requesterIsManager: true }));
    assert.equal(deliveryCardView(onBehalf, { id: alex.id }, options).state, 'not-for-you', 'on behalf, the pass goes to the requester');
  });

  it('after the reveal every rendering says "issued at T, valid until T′: shown once"', () => {
    const view = deliveryCardView(issuedRequest(), { id: alex.id }, { now: minutesAfter(11), timeZone: 'Europe/Zurich' });
    assert.equal(view.state, 'shown-once');
    assert.equal(view.lines[0], 'Issued at 14 Mar 2025, 10:10 CET, valid until 14 Mar 2025, 11:10 CET. It was shown once and can\'t be shown again.');
    assert.deepEqual(view.actions.map((a) => a.verb), [TAP_VERBS.done]);
  });

  it('failed: explains and offers Retry while attempts remain', () => {
    const failed = expectOk(failIssue(issuingRequest(), minutesAfter(10), 'Graph 503', { recovery: 'created-and-deleted' })).request;
    const view = deliveryCardView(failed, { id: alex.id }, options);
    assert.equal(view.state, 'failed');
    assert.match(view.lines[0] ?? '', /removed for your safety/);
    assert.deepEqual(view.actions.map((a) => a.verb), [TAP_VERBS.retry]);
  });

  it('on behalf: the recipient is told how to hand the pass over', () => {
    const onBehalf = approvedRequest(pendingRequest({ requester: nestor }, { requesterIsManager: true }));
    assert.match(deliveryCardView(onBehalf, { id: nestor.id }, options).handover, /in person/);
  });

  it('the reveal view carries the value raw (for a TextRun), steps for iOS and Android, and a Hide action', () => {
    const view = revealedOnceView(issuedRequest(), 'Ab#1*x_[', { now: minutesAfter(10), timeZone: 'Europe/Zurich' });
    assert.equal(view.passValue, 'Ab#1*x_[');
    assert.equal(view.validUntil, 'Valid until 14 Mar 2025, 11:10 CET');
    assert.equal(view.steps.ios.length, 4);
    assert.match(view.steps.android.join(' '), /work profile/);
    assert.deepEqual(view.actions.map((a) => a.verb), [TAP_VERBS.hide]);
  });

  it('the closed-loop question offers "Done: remove my TAP" and "I still need another passkey"', () => {
    const fido = { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'pk', displayName: 'iPhone', aaGuid: '90a3ccdf-635c-4729-a248-9b709135078f', createdDateTime: minutesAfter(20).toISOString() };
    const seen = expectOk(pollMethods(issuedRequest(), [fido], minutesAfter(21))).request;
    const view = passkeyQuestionView(seen, { now: minutesAfter(21), timeZone: 'UTC' });
    assert.deepEqual(view.actions.map((a) => a.verb), [TAP_VERBS.done, TAP_VERBS.another]);
    assert.deepEqual(view.passkeys, ['iPhone (14 Mar 2025, 09:20 UTC)']);
  });
});
