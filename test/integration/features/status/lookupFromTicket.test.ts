import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import { DIAGNOSIS_VERBS } from '../../../../src/shared/verbs';
import { type Card, cardText, click, startTapHarness } from '../tap/support';

const cardOf = (call: { body?: any }): Card | undefined => call.body?.attachments?.[0]?.content;

describe('"Look up this person" on a helpdesk ticket keeps the ticket and answers in its thread', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['lidia@contoso.example', 'pradeep@contoso.example'] });
  });
  afterEach(async () => h.stop());

  /** Lidia sends her diagnosis to the helpdesk: the ticket is a new thread in the channel. */
  async function ticketPosted() {
    await click(h, 'lidia@contoso.example', DIAGNOSIS_VERBS.sendToHelpdesk);
    const post = h.connector.calls.find((c) => c.method === 'POST' && c.path === '/v3/conversations' && cardText(cardOf(c)).includes('Passkey diagnosis: Lidia Holloway'));
    assert.ok(post?.assignedId, 'the ticket was posted');
    const lookup = (cardOf(post)?.actions as Card[]).find((a) => a.verb === 'status.lookup');
    assert.ok(lookup, 'the ticket has "Look up this person"');
    return { post, ticket: cardOf(post) as Card, lookup };
  }

  it('answers the press with the ticket unchanged, so the blocker and the admin fix stay', async () => {
    const { post, ticket, lookup } = await ticketPosted();
    const answer = await click(h, 'pradeep@contoso.example', 'status.lookup', lookup.data, true, post.assignedId);
    assert.deepEqual(answer, ticket);
    assert.match(cardText(answer), /strength-excludes-tap/);
    assert.match(cardText(answer), /What the helpdesk or admin does/);
  });

  it('posts the look-up as a new reply in the ticket\'s thread, and never updates the ticket', async () => {
    const { post, lookup } = await ticketPosted();
    const before = h.connector.calls.length;
    await click(h, 'pradeep@contoso.example', 'status.lookup', lookup.data, true, post.assignedId);
    const after = h.connector.calls.slice(before);
    assert.deepEqual(after.filter((c) => c.method === 'PUT'), [], 'the ticket is not replaced');
    const replies = after.filter((c) => c.method === 'POST' && cardOf(c));
    assert.equal(replies.length, 1, 'one reply');
    assert.match(replies[0].conversationId, /;messageid=/, 'in the thread of the pressed card');
    const text = cardText(cardOf(replies[0]));
    assert.match(text, /Lidia Holloway/);
    assert.doesNotMatch(text, /Passkey diagnosis:/, 'the reply is the look-up, not a copy of the ticket');
    assert.ok((await h.helpdesk.deps.stores.audit.list({ actor: h.person('pradeep@contoso.example').aadObjectId })).some((e) => e.event === 'lookup'));
  });

  it('still answers in place in a 1:1 chat (no ticket there)', async () => {
    const { lookup } = await ticketPosted();
    const before = h.connector.calls.length;
    const answer = await click(h, 'pradeep@contoso.example', 'status.lookup', { userId: lookup.data.userId });
    assert.match(cardText(answer), /Lidia Holloway/);
    assert.equal(h.connector.calls.length, before, 'nothing posted');
  });
});
