import assert from 'node:assert/strict';
import { FLOOD_LIMITS } from '../../../../src/shared/floodGuard';
import type { Harness } from '../../../support/harness';
import { click, startTapHarness, TestClock } from './support';

describe('Rate limits on refusals and unknown verbs (per person, in the store)', () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    h = await startTapHarness({ clock: clock.now, runJobs: false });
  });
  afterEach(async () => h.stop());

  const auditOfActor = (actor: string) => h.helpdesk.deps.stores.audit.list({ actor });

  it('audits a flood of refused submits as one flood-limited event, not one event per refusal', async () => {
    const lee = h.person('lee@contoso.example');
    const burst = FLOOD_LIMITS['refused-submit'].capacity;
    for (let i = 0; i < burst + 40; i++) await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: `no-such-request-${i}` });
    const events = await auditOfActor(lee.aadObjectId);
    assert.equal(events.filter((e) => e.event !== 'flood-limited').length, burst, 'the burst is audited one by one');
    assert.equal(events.filter((e) => e.event === 'flood-limited').length, 1);
    const answer = await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: 'again' });
    assert.match(JSON.stringify(answer), /Please slow down/);
  });

  it('ends the flood with one event that counts what was not audited, once the bucket refills', async () => {
    const lee = h.person('lee@contoso.example');
    const burst = FLOOD_LIMITS['refused-submit'].capacity;
    for (let i = 0; i < burst + 7; i++) await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: `x-${i}` });
    clock.advanceMinutes(1);
    await click(h, 'lee@contoso.example', 'tap.cancel', { requestId: 'after-a-minute' });
    const ended = (await auditOfActor(lee.aadObjectId)).filter((e) => e.event === 'flood-ended');
    assert.equal(ended.length, 1);
    assert.deepEqual(ended[0].details, { kind: 'refused-submit', refusedWithoutAudit: 7 });
  });

  it("limits one person's unknown verbs without touching anyone else", async () => {
    const burst = FLOOD_LIMITS['unknown-verb'].capacity;
    for (let i = 0; i < burst + 5; i++) await click(h, 'lee@contoso.example', `no.such.verb.${i}`);
    assert.match(JSON.stringify(await click(h, 'lee@contoso.example', 'no.such.verb')), /Please slow down/);
    assert.match(JSON.stringify(await click(h, 'adele@contoso.example', 'no.such.verb')), /That button no longer works/);
    const warned = h.logs.filter((line) => line.includes('unknown card verb'));
    assert.equal(warned.length, burst + 1, "lee's burst and adele's one");
  });
});
