import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  cardText,
  click,
  findAction,
  helpdeskCard,
  methodsOf,
  personalMessages,
  requestIdOf,
  say,
  startTapHarness,
  storedRequest,
  submit,
} from './support';

const JONI_AUTHENTICATOR = 'c0000004-0000-4000-8000-000000011001';

/** Joni asks for a pass after losing her phone, naming its Authenticator registration. */
async function lostPhoneRequest(h: Harness): Promise<string> {
  return requestIdOf(await submit(h, 'joni@contoso.example', { reason: 'Lost my phone on the train', lostDevice: 'true', registrationIds: JONI_AUTHENTICATOR }));
}

/** Lee asks for a pass with Markdown in his reason. */
async function leeRequest(h: Harness): Promise<string> {
  return requestIdOf(await submit(h, 'lee@contoso.example', { reason: 'My [one-time](http://evil.example) pass is **spent**' }));
}

/** …and Debra denied it. */
async function leeDenied(h: Harness): Promise<string> {
  const requestId = await leeRequest(h);
  await click(h, 'debra@contoso.example', 'tap.deny', { requestId, denyReason: 'Could not reach Lee on the HR number' }, true);
  return requestId;
}

// Each `it` sets up its own request on a fresh product, so each runs alone.
describe('TAP workflow: a lost phone, with removal of its registrations in the same decision', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['joni@contoso.example', 'pradeep@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it("offers the person's Authenticator registrations to mark as on the lost phone", async () => {
    await say(h, 'joni@contoso.example', 'tap');
    const card = personalMessages(h, 'joni@contoso.example')
      .map((m) => m.attachments?.[0]?.content)
      .find((c) => findAction(c, 'tap.submit'));
    assert.match(cardText(card), /Microsoft Authenticator: iPhone 13 mini/);
  });

  it('refuses a registration that is not among her methods (never trusted from the card)', async () => {
    const answer = await submit(h, 'joni@contoso.example', { lostDevice: 'true', registrationIds: 'someone-elses-method' });
    assert.match(cardText(answer), /not among the account's sign-in methods/);
  });

  it('shows the helpdesk the registrations and a choice to remove them', async () => {
    const card = helpdeskCard(h, await lostPhoneRequest(h));
    assert.match(cardText(card), /Registrations on the lost phone/);
    assert.match(cardText(card), /iPhone 13 mini/);
    assert.ok(JSON.stringify(card).includes('"id":"removeLostDeviceRegistrations"'));
  });

  it('removes the lost phone\'s Authenticator registration when the approver ticks it', async () => {
    const requestId = await lostPhoneRequest(h);
    assert.ok((await methodsOf(h, 'joni@contoso.example')).some((m) => m.id === JONI_AUTHENTICATOR));
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'hr-callback', removeLostDeviceRegistrations: 'true' }, true);
    assert.equal((await methodsOf(h, 'joni@contoso.example')).some((m) => m.id === JONI_AUTHENTICATOR), false);
    const approved = (await auditOf(h, requestId)).find((e) => e.event === 'approved');
    assert.equal((approved?.details as { removeLostDeviceRegistrations?: boolean }).removeLostDeviceRegistrations, true);
    assert.deepEqual(await h.helpdesk.deps.stores.dueTimes.list('tap.delete'), [], 'the durable deletion completed');
    assert.match(cardText(helpdeskCard(h, requestId)), /remove lost-phone registrations/);
  });
});

describe('TAP workflow: the helpdesk denies a request', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['lee@contoso.example', 'debra@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it('shows user text on the helpdesk card escaped, so a link in a reason stays text', async () => {
    const json = JSON.stringify(helpdeskCard(h, await leeRequest(h)));
    assert.ok(json.includes(JSON.stringify('My \\[one-time\\]\\(http://evil.example\\) pass is \\*\\*spent\\*\\*')), json);
  });

  it('requires a reason to deny', async () => {
    const requestId = await leeRequest(h);
    const answer = await click(h, 'debra@contoso.example', 'tap.deny', { requestId }, true);
    assert.match(cardText(answer), /give a reason/);
    assert.equal((await storedRequest(h, requestId)).status, 'pending');
  });

  it('denies with a reason, tells the requester why and re-renders the card', async () => {
    const requestId = await leeRequest(h);
    const answer = await click(h, 'debra@contoso.example', 'tap.deny', { requestId, denyReason: 'Could not reach Lee on the HR number' }, true);
    assert.match(cardText(answer), /Denied\. The requester has been told why/);
    assert.match(cardText(helpdeskCard(h, requestId)), /Denied by Debra Berger: Could not reach Lee on the HR number/);
    const told = personalMessages(h, 'lee@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(told, /denied the Temporary Access Pass request for Lee Gu: Could not reach Lee on the HR number/);
    assert.equal((await storedRequest(h, requestId)).status, 'denied');
    assert.ok((await auditOf(h, requestId)).some((e) => e.event === 'denied'));
  });

  it('refuses to reveal a denied request, calmly', async () => {
    const answer = await click(h, 'lee@contoso.example', 'tap.reveal', { requestId: await leeDenied(h) });
    assert.match(cardText(answer), /Denied by Debra Berger/);
    assert.match(cardText(answer), /already finished — nothing more to do/);
  });
});
