import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  refusalsOf,
  cardText,
  click,
  findAction,
  fixtureWithHelpdeskMembers,
  helpdeskCard,
  requestIdOf,
  startTapHarness,
  storedRequest,
  submit,
  tapCreations,
} from './support';
import { openTapStore } from '../../../../src/features/tap/app/store';

describe('TAP workflow: approvals the server refuses (audited, nothing changes)', () => {
  let h: Harness;
  // Two extra helpdesk members without directory roles, so they can also be requesters and targets.
  const { fixture } = fixtureWithHelpdeskMembers(2);
  // Each `it` starts its own product and request, so each runs alone.
  beforeEach(async () => {
    h = await startTapHarness({ fixture, people: ['alex@contoso.example', 'adele@contoso.example', 'pradeep@contoso.example', 'helper1@contoso.example', 'helper2@contoso.example'] });
  });
  afterEach(async () => h.stop());
  const alexRequest = async () => requestIdOf(await submit(h, 'alex@contoso.example'));

  it('refuses someone outside the helpdesk group', async () => {
    const requestId = await alexRequest();
    const answer = await click(h, 'adele@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(answer), /Only members of the helpdesk group/);
    assert.equal(findAction(answer, 'tap.approve'), undefined, 'the refused viewer sees the read-only card');
    assert.equal((await storedRequest(h, requestId)).status, 'pending');
    assert.deepEqual(await refusalsOf(h, requestId), ['refused:not-helpdesk-member']);
  });

  it('refuses the person the pass is for, even with a forged "from" name', async () => {
    const requestId = await alexRequest();
    const alex = { ...h.person('alex@contoso.example'), name: 'Pradeep Gupta' };
    const answer = await click(h, alex, 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(answer), /Only members of the helpdesk group/);
    assert.equal((await storedRequest(h, requestId)).status, 'pending');
  });

  it('refuses an approval without the out-of-band verification', async () => {
    const requestId = await alexRequest();
    const answer = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId }, true);
    assert.match(cardText(answer), /Choose how you verified the person/);
    const unknown = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'asked-nicely' }, true);
    assert.match(cardText(unknown), /Choose how you verified the person/);
    assert.equal((await storedRequest(h, requestId)).status, 'pending');
  });

  it('refuses a helpdesk member approving their own request', async () => {
    const helper1Own = requestIdOf(await submit(h, 'helper1@contoso.example', { reason: 'My own phone broke' }));
    const answer = await click(h, 'helper1@contoso.example', 'tap.approve', { requestId: helper1Own, verification: 'in-person' }, true);
    assert.match(cardText(answer), /You asked for this Temporary Access Pass/);
    assert.deepEqual(await refusalsOf(h, helper1Own), ['refused:self-approval']);
  });

  it('refuses the target when a colleague asked on their behalf', async () => {
    const forHelper1 = requestIdOf(await submit(h, 'helper2@contoso.example', { targetUpn: 'helper1@contoso.example', reason: 'Colleague lost phone' }));
    const answer = await click(h, 'helper1@contoso.example', 'tap.approve', { requestId: forHelper1, verification: 'in-person' }, true);
    assert.match(cardText(answer), /This Temporary Access Pass is for you/);
    const byRequester = await click(h, 'helper2@contoso.example', 'tap.approve', { requestId: forHelper1, verification: 'in-person' }, true);
    assert.match(cardText(byRequester), /You asked for this Temporary Access Pass/);
    assert.deepEqual(await refusalsOf(h, forHelper1), ['refused:approver-is-target', 'refused:self-approval']);
  });

  it('refuses a replayed approval and names who decided', async () => {
    const requestId = await alexRequest();
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    const replay = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    assert.match(cardText(replay), /already approved by Pradeep Gupta/);
    const late = await click(h, 'helper2@contoso.example', 'tap.deny', { requestId, denyReason: 'too late' }, true);
    assert.match(cardText(late), /already approved by Pradeep Gupta/);
    const events = (await auditOf(h, requestId)).map((e) => e.event);
    assert.equal(events.filter((e) => e === 'approved').length, 1);
    assert.equal((await storedRequest(h, requestId)).status, 'approved');
  });

  it('refuses a forged request id, and malformed action data, as refused-forged', async () => {
    const forged = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId: 'f0rged-request-id', verification: 'in-person' }, true);
    assert.match(cardText(forged), /can't find that Temporary Access Pass request/);
    assert.deepEqual(await refusalsOf(h, 'f0rged-request-id'), ['refused-forged:unknown-request']);
    const malformed = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId: { $ne: null }, verification: 'in-person' }, true);
    assert.match(cardText(malformed), /not valid/);
    const byPradeep = await refusalsOf(h, null, 'pradeep@contoso.example');
    assert.ok(byPradeep.includes('refused-forged:invalid-input'));
  });

  it('refuses Reveal by anyone but the recipient and creates nothing', async () => {
    const requestId = await alexRequest();
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    const before = await tapCreations(h);
    for (const upn of ['pradeep@contoso.example', 'adele@contoso.example']) {
      const answer = await click(h, upn, 'tap.reveal', { requestId });
      assert.match(cardText(answer), /can only be revealed by Alex Wilber/);
      assert.equal(findAction(answer, 'tap.reveal'), undefined);
    }
    assert.equal(await tapCreations(h), before);
    assert.equal((await storedRequest(h, requestId)).status, 'approved');
    assert.deepEqual((await refusalsOf(h, requestId)).filter((r) => r.endsWith('not-recipient')).length, 2);
  });
});

describe('TAP workflow: requests the bot refuses before bothering an approver', () => {
  let h: Harness;
  before(async () => {
    h = await startTapHarness({
      env: { TAP_DAILY_LIMIT: '2' },
      people: ['allan@contoso.example', 'enrico@contoso.example', 'miriam@contoso.example', 'lee@contoso.example', 'pradeep@contoso.example'],
    });
  });
  after(async () => h.stop());

  const threads = () => h.connector.calls.filter((c) => c.path === '/v3/conversations').length;

  it('refuses a privileged target (a Global Administrator) by default', async () => {
    const answer = await submit(h, 'allan@contoso.example', { reason: 'Admin without MFA' });
    assert.match(cardText(answer), /holds a directory \(admin\) role/);
    assert.equal(threads(), 0);
    assert.ok((await refusalsOf(h, null, 'allan@contoso.example')).includes('refused:privileged-target-refused'));
  });

  it('says a pass would be useless for someone excluded from the TAP policy, disabled, or a guest', async () => {
    assert.match(cardText(await submit(h, 'enrico@contoso.example')), /not included in \(or is excluded from\) the Temporary Access Pass policy/);
    assert.match(cardText(await submit(h, 'pradeep@contoso.example', { targetUpn: 'miriam@contoso.example' })), /Miriam Graham's account is disabled/);
    assert.match(
      cardText(await submit(h, 'pradeep@contoso.example', { targetUpn: 'lynne_fabrikam.example#EXT#@contoso.example' })),
      /guest account/,
    );
    assert.equal(threads(), 0, 'no approver was bothered');
  });

  it('keeps at most one open request per person and a daily limit', async () => {
    const first = requestIdOf(await submit(h, 'lee@contoso.example'));
    assert.match(cardText(await submit(h, 'lee@contoso.example')), /already an open Temporary Access Pass request for Lee Gu/);
    await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: first });
    const second = requestIdOf(await submit(h, 'lee@contoso.example'));
    await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: second });
    assert.match(cardText(await submit(h, 'lee@contoso.example')), /reached today's limit of 2/);
    assert.match(cardText(helpdeskCard(h, first)), /Cancelled/);
  });

  it('allows one open request per person even when two submits race', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => submit(h, 'pradeep@contoso.example', { targetUpn: 'joni@contoso.example' })));
    const accepted = answers.filter((a) => /Sent to the helpdesk/.test(cardText(a)));
    assert.equal(accepted.length, 1);
    const open = (await openTapStore(h.helpdesk.deps.stores).requests.list()).map((d) => d.value).filter((r) => r.targetUser.upn === 'joni@contoso.example');
    assert.equal(open.length, 1);
  });
});

describe('TAP workflow with TAP_ALLOW_PRIVILEGED=true', () => {
  let h: Harness;
  before(async () => {
    h = await startTapHarness({ env: { TAP_ALLOW_PRIVILEGED: 'true' }, people: ['allan@contoso.example', 'pradeep@contoso.example', 'debra@contoso.example'] });
  });
  after(async () => h.stop());

  it('needs two distinct approvers for a privileged target', async () => {
    const requestId = requestIdOf(await submit(h, 'allan@contoso.example', { reason: 'Admin without MFA' }));
    assert.match(cardText(helpdeskCard(h, requestId)), /Privileged account \(Global Administrator\): two different approvers are required/);
    const first = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(first), /A second helpdesk member must approve too/);
    assert.equal((await storedRequest(h, requestId)).status, 'pending');
    const twice = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(twice), /a second, different helpdesk member must approve/);
    await click(h, 'debra@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    assert.equal((await storedRequest(h, requestId)).status, 'approved');
    assert.match(cardText(helpdeskCard(h, requestId)), /Approved by Pradeep Gupta and Debra Berger/);
  });
});
