import assert from 'node:assert/strict';
import { openSqliteStores, type AuditEvent, type Stores } from '../../../src/storage';

describe('SQLite audit log', () => {
  let stores: Stores;
  const events: AuditEvent[] = [
    { at: '2025-03-01T10:00:00.000Z', requestId: 'r1', event: 'requested', actor: 'adele' },
    { at: '2025-03-01T10:05:00.000Z', requestId: 'r1', event: 'approved', actor: 'helpdesk-1', details: { reason: 'verified by phone' } },
    { at: '2025-03-02T09:00:00.000Z', requestId: 'r2', event: 'requested', actor: 'megan' },
    { at: '2025-03-03T08:00:00.000Z', requestId: null, event: 'lookup-refused', actor: 'system' },
  ];
  beforeEach(async () => {
    stores = openSqliteStores({ filename: ':memory:' });
    // appended out of order: listing is by time, not by arrival
    for (const event of [events[2], events[0], events[3], events[1]]) await stores.audit.append(event);
  });
  afterEach(async () => {
    await stores.close();
  });

  it('lists every event oldest first, with details when there were any', async () => {
    assert.deepEqual(await stores.audit.list(), events);
  });

  it('filters by request, by actor, and by a start time (inclusive)', async () => {
    assert.deepEqual((await stores.audit.list({ requestId: 'r1' })).map((e) => e.event), ['requested', 'approved']);
    assert.deepEqual((await stores.audit.list({ actor: 'megan' })).map((e) => e.requestId), ['r2']);
    assert.deepEqual((await stores.audit.list({ since: '2025-03-02T09:00:00.000Z' })).map((e) => e.event), ['requested', 'lookup-refused']);
    assert.deepEqual(await stores.audit.list({ requestId: 'r1', actor: 'megan' }), []);
  });

  it('returns at most `limit` events, the oldest matching ones', async () => {
    assert.deepEqual((await stores.audit.list({ limit: 2 })).map((e) => e.at), [events[0].at, events[1].at]);
  });

  it('compares times as instants even when written with an offset', async () => {
    await stores.audit.append({ at: '2025-03-01T11:01:00+01:00', requestId: 'r1', event: 'revealed', actor: 'adele' });
    assert.deepEqual((await stores.audit.list({ requestId: 'r1' })).map((e) => e.event), ['requested', 'revealed', 'approved']);
  });

  it('refuses an event whose time is not a time', async () => {
    await assert.rejects(stores.audit.append({ at: 'yesterday', requestId: null, event: 'x', actor: null }), /Invalid audit time/);
  });

  it('purges events older than a cut-off and says how many went', async () => {
    assert.equal(await stores.audit.purgeBefore(new Date('2025-03-02T09:00:00.000Z')), 2);
    assert.deepEqual((await stores.audit.list()).map((e) => e.event), ['requested', 'lookup-refused']);
    assert.equal(await stores.audit.purgeBefore(new Date('2025-01-01T00:00:00.000Z')), 0);
  });
});
