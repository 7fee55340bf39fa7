import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  cardText,
  click,
  fixtureWithHelpdeskMembers,
  helpdeskCard,
  install,
  requestIdOf,
  revealedValue,
  startTapHarness,
  storedRequest,
  submit,
  tapCreations,
  tapsOf,
} from './support';

describe('TAP races: concurrent clicks decide once', () => {
  let h: Harness;
  const { fixture, upns: helpers } = fixtureWithHelpdeskMembers(20);
  // Each `it` starts its own product and request, so each runs alone.
  beforeEach(async () => {
    h = await startTapHarness({ fixture, people: ['alex@contoso.example'] });
    for (const upn of helpers) await install(h, upn);
  });
  afterEach(async () => h.stop());

  it('20 concurrent approvals by different helpdesk members make one decision; the others are told who decided', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    const answers = await Promise.all(helpers.map((upn) => click(h, upn, 'tap.approve', { requestId, verification: 'video-call-with-id' }, true)));
    const request = await storedRequest(h, requestId);
    assert.equal(request.status, 'approved');
    assert.equal(request.approvals.length, 1);
    const winner = request.approvals[0].displayName as string;
    const won = answers.filter((a) => /Approved\. Alex Wilber gets the pass/.test(cardText(a)));
    const told = answers.filter((a) => cardText(a).includes(`already approved by ${winner}`));
    assert.equal(won.length, 1);
    assert.equal(told.length, 19);
    const events = await auditOf(h, requestId);
    assert.equal(events.filter((e) => e.event === 'approved').length, 1);
    assert.equal(events.filter((e) => e.event === 'refused' && (e.details as { reason?: string }).reason === 'not-pending').length, 19);
    assert.match(cardText(helpdeskCard(h, requestId)), new RegExp(`Approved by ${winner}`));
    // The request card in Alex's chat becomes the "ready" card: one update, no new card.
    const deliveries = h.connector.calls.filter((c) => (c.method === 'POST' || c.method === 'PUT') && JSON.stringify(c.body ?? {}).includes('"verb":"tap.reveal"'));
    assert.equal(deliveries.length, 1, 'one delivery card');
  });

  it('20 concurrent Reveals create exactly one pass at the tenant and show it once', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    await click(h, helpers[0], 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    const before = await tapCreations(h);
    const answers = await Promise.all(Array.from({ length: 20 }, () => click(h, 'alex@contoso.example', 'tap.reveal', { requestId })));
    assert.equal((await tapCreations(h)) - before, 1, 'one creation POST reached the tenant');
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 1);
    const shown = answers.filter((a) => JSON.stringify(a).includes('"fontType":"Monospace"'));
    assert.equal(shown.length, 1, 'the value is in exactly one invoke response');
    assert.ok(revealedValue(shown[0]));
    for (const other of answers.filter((a) => a !== shown[0])) assert.match(cardText(other), /being created right now|already shown once/);
    const events = await auditOf(h, requestId);
    assert.equal(events.filter((e) => e.event === 'revealed').length, 1);
    assert.equal(events.filter((e) => e.event === 'issued').length, 1);
  });
});
