import assert from 'node:assert/strict';
import { message } from '../../support/activities';
import type { Harness } from '../../support/harness';
import { HELPDESK_GROUP_ID, cardText as shownText, click, helpdeskCard, requestIdOf, startTapHarness, submit } from '../features/tap/support';

/** Characters that must never reach a card: bidi controls, zero-width characters, line breaks. */
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF\r\n\u2028\u2029]/;

/** Every string of a card (text, titles, values), raw as sent to Teams. */
function strings(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

const EVIL = 'Need it\u202Enow\u200B\n\n# Approved by the CISO\n[verify here](http://evil.example)';

describe('Text hygiene on cards (free text from people and the directory)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['alex@contoso.example'], env: { HELPDESK_GROUP_ID } });
  });
  afterEach(async () => h.stop());

  it('greets with a cleaned first name: no bidi override, no Markdown from the client-supplied name', async () => {
    const alex = { ...h.person('alex@contoso.example'), name: '**Al\u202Eex**\u200B [x](http://evil.example)' };
    h.connector.clear();
    await h.post(message(h.ctx, alex, 'hi'));
    const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.body?.attachments?.[0]?.content?.actions?.[0]?.verb === 'menu.diagnose');
    const title = reply.body.attachments[0].content.body[0].text as string;
    assert.doesNotMatch(title, HIDDEN);
    assert.ok(title.startsWith('Hi \\*\\*Alex\\*\\*,'), title);
  });

  it("shows a reason with bidi overrides, zero-width characters and line breaks on one clean line of the helpdesk card", async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example', { reason: EVIL }));
    const card = helpdeskCard(h, requestId);
    for (const text of strings(card)) assert.doesNotMatch(text, HIDDEN, `card string ${JSON.stringify(text)}`);
    assert.match(shownText(card), /Need itnow # Approved by the CISO \[verify here\]\(http:\/\/evil\.example\)/);
    assert.ok(!strings(card).some((s) => s.includes('](http')), 'no Markdown link survives');
  });

  it('shows a denial reason cleaned the same way', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example', { reason: 'New phone' }));
    await click(h, 'pradeep@contoso.example', 'tap.deny', { requestId, denyReason: 'Call\u202E me\r\nback\u200D' }, true);
    const card = helpdeskCard(h, requestId);
    for (const text of strings(card)) assert.doesNotMatch(text, HIDDEN, `card string ${JSON.stringify(text)}`);
    assert.match(shownText(card), /Denied by Pradeep Gupta: Call me back/);
  });
});
