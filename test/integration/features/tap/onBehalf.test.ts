import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  cardText,
  click,
  findAction,
  helpdeskCard,
  personalCardWith,
  personalMessages,
  requestIdOf,
  revealedValue,
  say,
  startTapHarness,
  submit,
  tapsOf,
} from './support';

/** Nestor (Alex's manager) asks for a pass for Alex. */
async function managerRequest(h: Harness): Promise<{ requestId: string; answer: Record<string, any> }> {
  const answer = await submit(h, 'nestor@contoso.example', { targetUpn: 'alex@contoso.example', reason: 'Alex starts today and has no phone sign-in' });
  return { requestId: requestIdOf(answer), answer };
}

// Each `it` sets up its own request on a fresh product, so each runs alone.
describe('TAP workflow on behalf: a manager asks for a new hire who cannot sign in to Teams', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['nestor@contoso.example', 'alex@contoso.example', 'debra@contoso.example', 'adele@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it('opens the request card for the person named in "tap for <upn>" when the asker is their manager', async () => {
    await say(h, 'nestor@contoso.example', 'tap for <a href="mailto:alex@contoso.example">alex@contoso.example</a>');
    const card = personalMessages(h, 'nestor@contoso.example')
      .map((m) => m.attachments?.[0]?.content)
      .find((c) => findAction(c, 'tap.submit'));
    assert.ok(card, 'a request card');
    assert.match(cardText(card), /Temporary Access Pass for Alex Wilber/);
    assert.ok(JSON.stringify(card).includes('"value":"alex@contoso.example"'), 'the target is prefilled');
  });

  it('refuses to open it for someone who is neither their manager nor the helpdesk, and audits the refusal', async () => {
    await say(h, 'adele@contoso.example', 'tap for alex@contoso.example');
    const last = personalMessages(h, 'adele@contoso.example').pop();
    assert.match(cardText(last.attachments[0].content), /only their manager or the helpdesk can/);
    const refused = await h.helpdesk.deps.stores.audit.list({ actor: h.person('adele@contoso.example').aadObjectId });
    assert.ok(refused.some((e) => e.event === 'refused' && (e.details as { reason?: string }).reason === 'not-allowed-on-behalf'));
  });

  it('refuses a submit on behalf by someone who is neither their manager nor the helpdesk', async () => {
    const answer = await submit(h, 'adele@contoso.example', { targetUpn: 'alex@contoso.example' });
    assert.match(cardText(answer), /only their manager or the helpdesk can/);
    assert.equal(findAction(answer, 'tap.submit'), undefined, "the refused asker doesn't get the target's card");
  });

  it('routes the manager\'s request, says who asked, and tells the person the pass is for', async () => {
    const { requestId, answer } = await managerRequest(h);
    assert.match(cardText(answer), /Sent to the helpdesk\. They will contact Alex Wilber/);
    const card = helpdeskCard(h, requestId);
    assert.match(cardText(card), /Nestor Wilke \(their manager\)/);
    assert.match(cardText(card), /Asked on their behalf by their manager: the pass goes to Nestor Wilke for handover/);
    const toAlex = personalMessages(h, 'alex@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(toAlex, /Nestor Wilke asked the helpdesk for a Temporary Access Pass for your account/);
  });

  it('delivers the approved pass to the manager, for handover in person, and creates it for the new hire', async () => {
    const { requestId } = await managerRequest(h);
    await click(h, 'debra@contoso.example', 'tap.approve', { requestId, verification: 'manager-confirmed' }, true);
    const delivered = personalCardWith(h, 'nestor@contoso.example', 'tap.reveal');
    assert.ok(delivered, 'the delivery card goes to the manager');
    assert.equal(personalCardWith(h, 'alex@contoso.example', 'tap.reveal'), undefined, 'not to the new hire');
    assert.match(cardText(delivered.card), /Hand it over in person/);

    const refused = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.match(cardText(refused), /can only be revealed by Nestor Wilke/);
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 0);

    const revealed = await click(h, 'nestor@contoso.example', 'tap.reveal', { requestId });
    assert.ok(revealedValue(revealed));
    assert.match(cardText(revealed), /Hand it over in person or read it out on a call/);
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 1, 'the pass is for Alex');
    assert.equal((await tapsOf(h, 'nestor@contoso.example')).length, 0);
    const toAlex = personalMessages(h, 'alex@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(toAlex, /was issued to Nestor Wilke, who will hand it to you/);
  });

  it('lets a helpdesk member ask for someone too', async () => {
    const answer = await submit(h, 'debra@contoso.example', { targetUpn: 'lee@contoso.example', reason: 'Called the service desk: one-time pass spent' });
    const id = requestIdOf(answer);
    assert.match(cardText(helpdeskCard(h, id)), /Debra Berger \(the helpdesk\)/);
    const events = await auditOf(h, id);
    assert.equal((events[0].details as { relation?: string }).relation, 'helpdesk');
  });
});
