import assert from 'node:assert/strict';
import { message, personalConversationId } from '../../support/activities';
import { startHarness, type Harness } from '../../support/harness';

const PEOPLE = ['adele', 'alex', 'bianca', 'christie', 'diego', 'grady', 'henrietta', 'irvin', 'isaiah', 'johanna'].map((name) => `${name}@contoso.example`);

describe('Overlapping turns of one conversation (F4)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('answers 200 concurrent turns, 20 per conversation, with 200 replies and no error', async function () {
    this.timeout(60_000);
    // "diagnose" reads and writes the conversation's turn state, so overlapping turns race on it.
    const turns = PEOPLE.flatMap((upn) => Array.from({ length: 20 }, (_, i) => message(h.ctx, h.person(upn), i % 2 === 0 ? 'diagnose' : 'my passkey will not register')));
    const results = await Promise.all(turns.map((activity) => h.post(activity)));
    assert.deepEqual(
      results.filter((r) => r.status !== 200),
      [],
      'every turn answered 200',
    );
    const replies = h.connector.sent().filter((a) => a.type === 'message');
    assert.equal(replies.length, 200);
    for (const upn of PEOPLE) assert.equal(h.connector.sent(personalConversationId(h.person(upn))).length, 20, `${upn}: one reply per turn`);
    assert.ok(!replies.some((r) => /something went wrong/i.test(r.text ?? '')), 'no apology for a failed turn');
    assert.deepEqual(
      h.logs.filter((line) => /"level":(50|60)/.test(line)),
      [],
      'nothing logged as an error',
    );
  });
});
