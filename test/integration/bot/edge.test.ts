import assert from 'node:assert/strict';
import { actionExecute, message, personalInstall } from '../../support/activities';
import { startHarness, type Harness } from '../../support/harness';
import { cardElements } from '../../support/cards';

describe('The bot over HTTP (/api/messages)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('answers any message with the menu card, as a reply at the activity serviceUrl', async () => {
    const adele = h.person('adele@contoso.example');
    const activity = message(h.ctx, adele, 'hello there');
    const { status } = await h.post(activity);
    assert.equal(status, 200);
    const reply = await h.connector.waitFor((c) => c.method === 'POST');
    assert.equal(reply.activityId, activity.id, 'a reply to the message');
    const card = reply.body.attachments[0];
    assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(card.content.body[0].text, /Hi Adele/);
    assert.deepEqual(
      card.content.actions.map((a: { verb: string }) => a.verb),
      ['menu.diagnose', 'menu.tap', 'menu.status'],
    );
  });

  it('answers "help" with the command list', async () => {
    await h.post(message(h.ctx, h.person('adele@contoso.example'), 'help'));
    const reply = await h.connector.waitFor((c) => c.method === 'POST');
    const facts = cardElements(reply.body.attachments[0].content).find((b) => b.type === 'FactSet').facts;
    assert.deepEqual(
      facts.map((f: { title: string }) => f.title).slice(0, 3),
      ['diagnose', 'tap', 'status'],
    );
  });

  it('welcomes a person who installs the app with the menu', async () => {
    await h.post(personalInstall(h.ctx, h.person('alex@contoso.example')));
    const reply = await h.connector.waitFor((c) => c.method === 'POST');
    assert.equal(reply.body.attachments[0].content.actions[0].verb, 'menu.diagnose');
  });

  it('refuses activities from a foreign tenant without replying', async () => {
    const foreign = { ...h.ctx, tenantId: '11111111-2222-3333-4444-555555555555' };
    const { status } = await h.post(message(foreign, h.person('adele@contoso.example'), 'help'));
    assert.equal(status, 403);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(h.connector.calls.length, 0);
    assert.ok(h.logs.some((l) => l.includes('foreign tenant')), 'the refusal is logged');
  });

  it('refuses an activity whose conversation and channelData name different tenants', async () => {
    const activity = message(h.ctx, h.person('adele@contoso.example'), 'help');
    activity.conversation.tenantId = '11111111-2222-3333-4444-555555555555';
    const { status } = await h.post(activity);
    assert.equal(status, 403);
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and a non-activity with 400', async () => {
    const url = `${h.helpdesk.botUrl}/api/messages`;
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message",' });
    assert.equal(bad.status, 400);
    const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(form.status, 415);
    const notActivity = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2,3]' });
    assert.equal(notActivity.status, 400);
    // Still alive afterwards.
    const health = await fetch(`${h.helpdesk.botUrl}/healthz`);
    assert.equal(health.status, 200);
  });

  it('refuses a body larger than MAX_REQUEST_BYTES with 413', async () => {
    const huge = JSON.stringify(message(h.ctx, h.person('adele@contoso.example'), 'x'.repeat(300_000)));
    const response = await fetch(`${h.helpdesk.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    assert.equal(response.status, 413);
  });

  it('reports storage and Graph reachability on /healthz', async () => {
    const response = await fetch(`${h.helpdesk.botUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true, mode: 'demo', storage: 'ok', graph: 'ok', evidence: 'not-read-yet' });
  });

  it('answers an unknown card verb with a clear error instead of crashing', async () => {
    const { status, body } = await h.post(actionExecute(h.ctx, h.person('adele@contoso.example'), 'no.such.verb'));
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal(body.value.body[0].text, 'That button no longer works');
  });
});
