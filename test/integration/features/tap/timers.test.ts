import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  TestClock,
  auditOf,
  cardText,
  click,
  findAction,
  helpdeskCard,
  personalCardWith,
  personalMessages,
  requestIdOf,
  startTapHarness,
  storedRequest,
  submit,
  threadReplies,
} from './support';
import { openTapStore } from '../../../../src/features/tap/app/store';

describe('TAP workflow: reminders and expiry are durable due-times', () => {
  let h: Harness;
  const clock = new TestClock();
  const runDue = () => h.helpdesk.deps.jobs.runDue();
  before(async () => {
    h = await startTapHarness({ clock: clock.now, runJobs: false, people: ['alex@contoso.example', 'lee@contoso.example', 'pradeep@contoso.example'] });
  });
  after(async () => h.stop());

  it('reminds the helpdesk thread once when a request waits past TAP_REMINDER_MINUTES', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    clock.advanceMinutes(29);
    await runDue();
    assert.deepEqual(threadReplies(h, requestId), [], 'not before 30 minutes');
    clock.advanceMinutes(2);
    await runDue();
    const replies = threadReplies(h, requestId);
    assert.equal(replies.length, 1);
    assert.match(replies[0], /Reminder: the Temporary Access Pass request for Alex Wilber has been waiting 31 minutes/);
    clock.advanceMinutes(5);
    await runDue();
    assert.equal(threadReplies(h, requestId).length, 1, 'only one reminder');
    assert.ok((await auditOf(h, requestId)).some((e) => e.event === 'reminded' && e.actor === 'system'));
  });

  it('expires a pending request after TAP_PENDING_EXPIRY_MINUTES, even across a restart, and tells the requester', async () => {
    const requestId = (await openTapStore(h.helpdesk.deps.stores).requests.list()).map((d) => d.value).find((r) => r.targetUser.upn === 'alex@contoso.example')!.id;
    await h.restart();
    clock.advanceMinutes(240);
    await h.helpdesk.deps.jobs.runDue();
    assert.equal((await storedRequest(h, requestId)).status, 'expired');
    const card = helpdeskCard(h, requestId);
    assert.match(cardText(card), /Expired without a decision/);
    assert.equal(findAction(card, 'tap.approve'), undefined);
    const told = personalMessages(h, 'alex@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(told, /didn't decide on the Temporary Access Pass request for Alex Wilber in time, so it expired/);
    const late = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(late), /expired/);
    assert.deepEqual(await h.helpdesk.deps.stores.dueTimes.list('tap.remind'), []);
  });

  it('refuses a late approval after the deadline even before the expiry job ran', async () => {
    const requestId = requestIdOf(await submit(h, 'lee@contoso.example'));
    clock.advanceMinutes(241);
    const late = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(late), /expired without a decision/);
    await runDue();
    assert.equal((await storedRequest(h, requestId)).status, 'expired');
  });

  it('expires an approval that was not revealed within TAP_REVEAL_EXPIRY_HOURS and updates the delivery card', async () => {
    const requestId = requestIdOf(await submit(h, 'lee@contoso.example'));
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    clock.advanceMinutes(24 * 60 + 1);
    await runDue();
    assert.equal((await storedRequest(h, requestId)).status, 'expired');
    assert.match(cardText(helpdeskCard(h, requestId)), /Expired: approved but not revealed in time/);
    const delivery = personalCardWith(h, 'lee@contoso.example', 'tap.reveal');
    assert.ok(delivery, 'the request card became the "ready" card');
    const updates = h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === delivery.call.activityId);
    assert.equal(updates.length, 2, 'ready, then expired: the same card');
    assert.equal(findAction(updates[1].body.attachments[0].content, 'tap.reveal'), undefined, 'no Reveal on an expired approval');
    const revealed = await click(h, 'lee@contoso.example', 'tap.reveal', { requestId });
    assert.match(cardText(revealed), /expired/);
  });
});
