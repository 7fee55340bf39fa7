import assert from 'node:assert/strict';
import { cachedGroupNames } from '../../../src/graph/groupNames';
import type { GroupSummary } from '../../../src/graph/port';

describe('Graph: the tenant\'s group names, cached for chat turns', () => {
  function world(listings: Array<GroupSummary[] | Error>) {
    let now = Date.UTC(2026, 10, 30, 9);
    let reads = 0;
    const graph = {
      listGroups: async () => {
        const next = listings[Math.min(reads++, listings.length - 1)];
        if (next instanceof Error) throw next;
        return next;
      },
    };
    return { names: cachedGroupNames(graph, () => new Date(now), 60_000), reads: () => reads, advance: (ms: number) => (now += ms) };
  }
  const group = (displayName: string) => ({ id: displayName, displayName }) as GroupSummary;
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('waits for the first listing only, and reads once within the time to live', async () => {
    const w = world([[group('Finance'), group('Sales'), group('Finance')]]);
    assert.deepEqual(await w.names(), ['Finance', 'Sales']);
    w.advance(59_000);
    assert.deepEqual(await w.names(), ['Finance', 'Sales']);
    assert.equal(w.reads(), 1);
  });

  it('answers the known names at once when they are old, and refreshes them in the background', async () => {
    const w = world([[group('Finance')], [group('Finance'), group('Research')]]);
    await w.names();
    w.advance(61_000);
    assert.deepEqual(await w.names(), ['Finance'], 'no turn waits for the refresh');
    await settle();
    assert.deepEqual(await w.names(), ['Finance', 'Research']);
    assert.equal(w.reads(), 2);
  });

  it('does not try again on every message after a failed listing, but after the time to live', async () => {
    const w = world([new Error('403'), [group('Finance')]]);
    assert.deepEqual(await w.names(), []);
    assert.deepEqual(await w.names(), []);
    assert.equal(w.reads(), 1);
    w.advance(61_000);
    await w.names();
    await settle();
    assert.deepEqual(await w.names(), ['Finance']);
  });

  it('keeps the last names when a refresh fails', async () => {
    const w = world([[group('Finance')], new Error('503')]);
    await w.names();
    w.advance(61_000);
    await w.names();
    await settle();
    assert.deepEqual(await w.names(), ['Finance']);
  });
});
