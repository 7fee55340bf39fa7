import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  cardText,
  click,
  helpdeskCard,
  helpdeskThread,
  personalCardWith,
  requestIdOf,
  revealedValue,
  startTapHarness,
  storedRequest,
  submit,
  tapsOf,
} from './support';

describe('TAP workflow across restarts: nothing is lost', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['alex@contoso.example', 'pradeep@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it('keeps a routed request through a restart before the approval, and still updates the same channel post', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    const thread = helpdeskThread(h, requestId);
    await h.restart();
    const answer = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.match(cardText(answer), /Approved/);
    const update = h.connector.calls.find((c) => c.method === 'PUT' && c.activityId === thread.assignedId);
    assert.ok(update, 'the original thread post was updated after the restart');
    assert.match(cardText(helpdeskCard(h, requestId)), /Approved by Pradeep Gupta/);
    assert.ok(personalCardWith(h, 'alex@contoso.example', 'tap.reveal'), 'the delivery card went out');
  });

  it('keeps an approved request through a restart before the reveal, with its expiry still scheduled', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    await h.restart();
    const jobs = await h.helpdesk.deps.stores.dueTimes.list('tap.expire');
    assert.ok(jobs.some((j) => j.id === `tap.expire:${requestId}`));
    const revealed = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.ok(revealedValue(revealed));
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 1);
    assert.equal((await storedRequest(h, requestId)).status, 'issued');
    assert.deepEqual(
      (await auditOf(h, requestId)).map((e) => e.event),
      ['requested', 'routed', 'approved', 'revealed', 'issued'],
    );
  });
});
