import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import { FaultyGraph } from './faultyGraph';
import {
  TestClock,
  auditOf,
  cardText,
  click,
  findAction,
  helpdeskCard,
  personalMessages,
  requestIdOf,
  revealedValue,
  startTapHarness,
  storedRequest,
  submit,
  tapsOf,
  threadReplies,
} from './support';

async function approved(h: Harness, upn: string): Promise<string> {
  const requestId = requestIdOf(await submit(h, upn));
  await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
  return requestId;
}

describe('TAP faults: never a blind retry of the creation POST', () => {
  let h: Harness;
  let graph: FaultyGraph;
  before(async () => {
    // A short turn deadline so "no answer" is quick; the recovery listing has its own deadline.
    h = await startTapHarness({ env: { TURN_DEADLINE_MS: '1500' }, people: ['alex@contoso.example', 'lee@contoso.example', 'joni@contoso.example', 'pradeep@contoso.example'] });
    graph = await new FaultyGraph(h.helpdesk.demoTenantUrl as string).start();
    graph.attach(h);
  });
  after(async () => {
    await graph.stop();
    await h.stop();
  });

  it('after a 503 whose pass was created anyway, removes that unseen pass, keeps the request with Retry and tells both sides', async () => {
    const requestId = await approved(h, 'alex@contoso.example');
    graph.creationFaults.push('created-then-503');
    const before = graph.creations;
    const answer = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.equal(graph.creations - before, 1, 'the POST was not repeated');
    assert.doesNotMatch(JSON.stringify(answer), /"fontType":"Monospace"/, 'nothing is shown');
    assert.match(cardText(answer), /A pass was created but the connection failed before it could be shown, so it was removed/);
    assert.ok(findAction(answer, 'tap.retry'), 'Retry is offered');
    assert.deepEqual(await tapsOf(h, 'alex@contoso.example'), [], 'the pass nobody saw is gone');
    const request = await storedRequest(h, requestId);
    assert.equal(request.status, 'issue-failed');
    assert.equal(request.lastFailure.recovery, 'created-and-deleted');
    assert.match(threadReplies(h, requestId).join('\n'), /Creating the Temporary Access Pass for Alex Wilber failed .*The recipient can retry/);
    assert.match(cardText(helpdeskCard(h, requestId)), /Issuing failed/);

    const retried = await click(h, 'alex@contoso.example', 'tap.retry', { requestId });
    assert.ok(revealedValue(retried));
    const taps = await tapsOf(h, 'alex@contoso.example');
    assert.equal(taps.length, 1);
    assert.equal(taps[0].id, (await storedRequest(h, requestId)).issued.methodId, 'the one pass is the one shown');
    const events = (await auditOf(h, requestId)).map((e) => e.event);
    assert.deepEqual(events.filter((e) => ['revealed', 'issue-failed', 'issued'].includes(e)), ['revealed', 'issue-failed', 'revealed', 'issued']);
  });

  it('after no answer at all (timeout), does the same: one check, no second POST, Retry', async () => {
    const requestId = await approved(h, 'lee@contoso.example');
    graph.creationFaults.push('created-then-silence');
    const before = graph.creations;
    const answer = await click(h, 'lee@contoso.example', 'tap.reveal', { requestId });
    assert.equal(graph.creations - before, 1);
    assert.ok(findAction(answer, 'tap.retry'));
    assert.deepEqual(await tapsOf(h, 'lee@contoso.example'), []);
    const request = await storedRequest(h, requestId);
    assert.equal(request.status, 'issue-failed');
    assert.match(request.lastFailure.why, /no answer from Microsoft Graph/);
    assert.ok(revealedValue(await click(h, 'lee@contoso.example', 'tap.retry', { requestId })));
    assert.equal((await tapsOf(h, 'lee@contoso.example')).length, 1);
  });

  it('after a 503 before anything was created, says nothing was created and offers Retry', async () => {
    const requestId = await approved(h, 'joni@contoso.example');
    graph.creationFaults.push('503-before-creating');
    const answer = await click(h, 'joni@contoso.example', 'tap.reveal', { requestId });
    assert.match(cardText(answer), /Nothing was created/);
    assert.equal((await storedRequest(h, requestId)).lastFailure.recovery, 'not-created');
    assert.ok(revealedValue(await click(h, 'joni@contoso.example', 'tap.retry', { requestId })));
    assert.equal((await tapsOf(h, 'joni@contoso.example')).length, 1);
  });
});

describe('TAP faults: when Graph cannot even say whether the pass exists', () => {
  let h: Harness;
  let graph: FaultyGraph;
  const clock = new TestClock();
  before(async () => {
    h = await startTapHarness({ clock: clock.now, runJobs: false, env: { TURN_DEADLINE_MS: '1500' }, people: ['alex@contoso.example', 'pradeep@contoso.example'] });
    graph = await new FaultyGraph(h.helpdesk.demoTenantUrl as string).start();
    graph.attach(h);
  });
  after(async () => {
    await graph.stop();
    await h.stop();
  });

  it('keeps the request "issuing", and the durable recovery check settles it later', async () => {
    const requestId = await approved(h, 'alex@contoso.example');
    graph.creationFaults.push('created-then-503');
    graph.failListing = true;
    const answer = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.match(cardText(answer), /can't tell yet whether the pass was created/);
    assert.equal((await storedRequest(h, requestId)).status, 'issuing');
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 1, 'the unseen pass exists for now');
    const again = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.match(cardText(again), /being created right now/);

    graph.failListing = false;
    clock.advanceSeconds(121);
    await h.helpdesk.deps.jobs.runDue();
    const request = await storedRequest(h, requestId);
    assert.equal(request.status, 'issue-failed');
    assert.equal(request.lastFailure.recovery, 'created-and-deleted');
    assert.deepEqual(await tapsOf(h, 'alex@contoso.example'), []);
    const told = personalMessages(h, 'alex@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(told, /could not be created this time\. No pass is active\. Press Retry/);
    assert.match(threadReplies(h, requestId).join('\n'), /failed/);
    assert.ok(revealedValue(await click(h, 'alex@contoso.example', 'tap.retry', { requestId })));
  });
});
