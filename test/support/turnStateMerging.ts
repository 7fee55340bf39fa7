/**
 * The bot-state contract teams-ai needs under concurrency, for any backend:
 * overlapping turns (one instance or several on one database) each read the
 * conversation state, change their own part and write it back with the eTag
 * they read. With mergingBotState none of them fails and none of their changes
 * is lost. Run against SQLite (npm test) and PostgreSQL (test/postgres).
 */
import assert from 'node:assert/strict';
import type { Storage } from 'botbuilder';
import { mergingBotState } from '../../src/storage/mergingBotState';

type Instances = { states: Storage[]; close(): Promise<void> };

/** One turn as teams-ai plays it: read, change this person's entry, write the same object back. */
async function turn(storage: Storage, key: string, person: string, note: string): Promise<void> {
  const items = await storage.read([key]);
  const state = (items[key] ?? {}) as Record<string, any>;
  // Time passes inside a turn (Graph calls): let the other turns read the same version.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
  state.people = { ...(state.people ?? {}), [person]: { note } };
  await storage.write({ [key]: state });
}

export function describeTurnStateMerging(backend: string, open: () => Promise<Instances>): void {
  describe(`Turn state under concurrency (${backend})`, () => {
    let instances: Instances;
    beforeEach(async () => {
      instances = await open();
    });
    afterEach(async () => instances.close());

    it('keeps every change of 40 overlapping turns on one conversation, spread over the instances', async () => {
      const states = instances.states.map((s) => mergingBotState(s));
      await states[0].write({ conversation: { people: {} } });
      const people = Array.from({ length: 40 }, (_, i) => `person-${i}`);
      await Promise.all(people.map((person, i) => turn(states[i % states.length], 'conversation', person, `note of ${person}`)));
      const stored = (await instances.states[0].read(['conversation'])).conversation;
      assert.deepEqual(Object.keys(stored.people).sort(), [...people].sort());
    });

    it('keeps both first turns of a new conversation (both found nothing stored)', async () => {
      const states = instances.states.map((s) => mergingBotState(s));
      await Promise.all([turn(states[0], 'new', 'a', 'first'), turn(states[states.length - 1], 'new', 'b', 'second'), turn(states[0], 'new', 'c', 'third')]);
      const stored = (await instances.states[0].read(['new'])).new;
      assert.deepEqual(Object.keys(stored.people).sort(), ['a', 'b', 'c']);
    });

    it('lets the later writer decide a field both turns changed, and keeps what only one changed', async () => {
      const [first, second] = [mergingBotState(instances.states[0]), mergingBotState(instances.states[instances.states.length - 1])];
      await first.write({ k: { shared: 'base', mine: 'base', theirs: 'base' } });
      const a = (await first.read(['k'])).k;
      const b = (await second.read(['k'])).k;
      b.shared = 'b';
      b.theirs = 'b';
      await second.write({ k: b });
      a.shared = 'a';
      a.mine = 'a';
      await first.write({ k: a });
      const stored = (await instances.states[0].read(['k'])).k;
      assert.deepEqual({ shared: stored.shared, mine: stored.mine, theirs: stored.theirs }, { shared: 'a', mine: 'a', theirs: 'b' });
    });
  });
}
