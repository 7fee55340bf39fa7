import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  HELPDESK_CHANNEL,
  auditOf,
  cardText,
  click,
  findAction,
  helpdeskCard,
  helpdeskThread,
  passRevealed,
  personalCardWith,
  personalMessages,
  requestApproved,
  requestSent,
  say,
  startTapHarness,
  tapsOf,
} from './support';

const ALEX = 'alex@contoso.example';

// Each `it` sets up its own request on a fresh product (requestSent / requestApproved / passRevealed), so each runs alone.
describe('TAP workflow: a new hire gets a pass approved by the helpdesk and shown once', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: [ALEX, 'pradeep@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it('answers "I need a TAP" in the 1:1 chat with the request card', async () => {
    await say(h, ALEX, 'I need a TAP');
    const cards = personalMessages(h, ALEX).filter((m) => findAction(m.attachments?.[0]?.content, 'tap.submit'));
    assert.equal(cards.length, 1);
    const card = cards[0].attachments[0].content;
    const inputs = JSON.stringify(card);
    for (const id of ['"reason"', '"neededByDate"', '"lostDevice"', '"tapKind"', '"passkeys"', '"targetUpn"']) assert.ok(inputs.includes(`"id":${id}`), `input ${id}`);
    assert.match(cardText(card), /Multi-use \(recommended/);
  });

  it('sends the request to a new thread in the helpdesk channel and tells Alex it is waiting', async () => {
    const requestId = await requestSent(h, ALEX, { reason: 'First day, no phone sign-in yet' });
    const waiting = personalCardWith(h, ALEX, 'tap.cancel');
    assert.equal(waiting, undefined, 'the waiting card is the invoke response, not a new message');
    const thread = helpdeskThread(h, requestId);
    assert.ok(thread.conversationId.startsWith(`${HELPDESK_CHANNEL};messageid=`), 'a thread in HELPDESK_CHANNEL_ID');
    const card = helpdeskCard(h, requestId);
    const text = cardText(card);
    assert.match(text, /Temporary Access Pass for Alex Wilber/);
    assert.match(text, /First day, no phone sign-in yet/);
    assert.match(text, /Waiting for a decision/);
    assert.match(text, /New account|Account created/);
    assert.ok(findAction(card, 'tap.approve'), 'the base card carries Approve (no user-specific views in demo mode)');
    assert.ok(findAction(card, 'tap.deny'));
    assert.equal(card.refresh, undefined, 'no refresh in demo mode (the Playground has no user-specific views)');
  });

  it('answers the submit with "sent to the helpdesk, waiting" on the same card', async () => {
    await say(h, ALEX, 'I need a TAP');
    const answer = await click(h, ALEX, 'tap.submit', { reason: 'First day, no phone sign-in yet', tapKind: 'multiUse', lostDevice: 'false' });
    assert.match(cardText(answer), /Sent to the helpdesk/);
    assert.match(cardText(answer), /waiting for the helpdesk/);
    assert.ok(findAction(answer, 'tap.cancel'));
  });

  it('lets a helpdesk member approve with the out-of-band verification, and re-renders the card for everyone', async () => {
    const requestId = await requestSent(h, ALEX);
    const answer = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    assert.match(cardText(answer), /Approved\. Alex Wilber gets the pass/);
    assert.equal(findAction(answer, 'tap.approve'), undefined);
    const base = helpdeskCard(h, requestId);
    assert.match(cardText(base), /Approved by Pradeep Gupta/);
    assert.match(cardText(base), /Video call with photo ID/);
    assert.equal(findAction(base, 'tap.approve'), undefined, 'no buttons after the decision');
  });

  it('turns Alex\'s request card into the "ready" card with Reveal, which never holds a pass', async () => {
    await requestApproved(h, ALEX);
    const delivered = personalCardWith(h, ALEX, 'tap.reveal');
    assert.ok(delivered, 'a delivery card with Reveal');
    assert.equal(delivered.call.method, 'PUT', 'the request card, updated in place');
    assert.match(cardText(delivered.card), /Your Temporary Access Pass is ready/);
    assert.equal((await tapsOf(h, ALEX)).length, 0, 'no pass exists before Reveal');
  });

  it('creates the pass on Reveal and shows it only in the invoke response, with registration steps', async () => {
    const { requestId, value, answer } = await passRevealed(h, ALEX);
    assert.equal(value.length, 8);
    assert.equal(answer.refresh, undefined, 'the revealed card never carries refresh');
    assert.match(cardText(answer), /iPhone/);
    assert.match(cardText(answer), /Android/);
    assert.match(cardText(answer), /Shown once/);
    const taps = await tapsOf(h, ALEX);
    assert.equal(taps.length, 1);
    assert.match(cardText(helpdeskCard(h, requestId)), /Issued at .*valid until/);
  });

  it('shows "issued at …, valid until … — shown once" afterwards, and refuses a second Reveal', async () => {
    const { requestId } = await passRevealed(h, ALEX);
    const hidden = await click(h, ALEX, 'tap.hide', { requestId });
    assert.match(cardText(hidden), /Issued at .* valid until .* shown once/);
    const again = await click(h, ALEX, 'tap.reveal', { requestId });
    assert.match(cardText(again), /already shown once/);
    assert.equal((await tapsOf(h, ALEX)).length, 1);
  });

  it('audits every step with actor, time and request id', async () => {
    const { requestId } = await passRevealed(h, ALEX);
    await click(h, ALEX, 'tap.reveal', { requestId });
    const events = (await auditOf(h, requestId)).map((e) => e.event);
    assert.deepEqual(events.slice(0, 5), ['requested', 'routed', 'approved', 'revealed', 'issued']);
    assert.ok(events.includes('refused'), 'the second Reveal is audited as refused');
  });
});
