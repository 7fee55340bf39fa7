/**
 * The storage port's behaviour, written once and run against every backend:
 * SQLite in `npm test` (test/unit/storage) and PostgreSQL in `npm run test:postgres`
 * (test/postgres). A backend passes by behaving like the other, not by its SQL.
 */
import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type Storage } from 'botbuilder';
import { Application, TurnState, type DefaultTempState, type DefaultUserState } from '@microsoft/teams-ai';
import { ConflictError, type AuditEvent, type Stores } from '../../src/storage';

export interface StoresBackend {
  /** Stores on a new, empty database. */
  openEmpty(): Promise<Stores>;
  /** A new, empty database that can be opened, closed and opened again (a restart). */
  newDatabase(): Promise<{ open(): Promise<Stores> }>;
}

interface Request {
  requester: string;
  status: string;
}

const byRequesterAndStatus = { indexes: { requester: (r: Request) => r.requester, status: (r: Request) => r.status } };
const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute));
const ids = (jobs: { id: string }[]) => jobs.map((job) => job.id);

export function describeStoresContract(name: string, backend: StoresBackend): void {
  describe(`${name} collections`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.openEmpty();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('creates a document and reads it back with an etag', async () => {
      const requests = stores.collection<Request>('requests');
      const created = await requests.create('r1', { requester: 'adele', status: 'pending' });
      assert.ok(created.etag);
      assert.deepEqual(await requests.get('r1'), created);
      assert.equal(await requests.get('nope'), undefined);
    });

    it('refuses to create the same key twice and keeps the first document', async () => {
      const requests = stores.collection<Request>('requests');
      await requests.create('r1', { requester: 'adele', status: 'pending' });
      await assert.rejects(requests.create('r1', { requester: 'megan', status: 'pending' }), (error: unknown) => error instanceof ConflictError && /already exists/.test(error.message));
      assert.equal((await requests.get('r1'))?.value.requester, 'adele');
    });

    it('lets only the first of two writers holding the same etag replace, losing nothing', async () => {
      const requests = stores.collection<Request>('requests');
      const read = await requests.create('r1', { requester: 'adele', status: 'pending' });
      const first = await requests.replace('r1', { requester: 'adele', status: 'approved' }, read.etag);
      assert.notEqual(first.etag, read.etag);
      await assert.rejects(requests.replace('r1', { requester: 'adele', status: 'denied' }, read.etag), (error: unknown) => error instanceof ConflictError && /etag mismatch/.test(error.message));
      assert.deepEqual(await requests.get('r1'), first);
    });

    it('refuses to replace a document that does not exist', async () => {
      const requests = stores.collection<Request>('requests');
      await assert.rejects(requests.replace('ghost', { requester: 'x', status: 'pending' }, 'any'), (error: unknown) => error instanceof ConflictError && /does not exist/.test(error.message));
      assert.equal(await requests.get('ghost'), undefined);
    });

    it('upserts with last writer winning and a fresh etag each time', async () => {
      const references = stores.collection<{ serviceUrl: string }>('conversationReferences');
      const first = await references.upsert('c1', { serviceUrl: 'http://a' });
      const second = await references.upsert('c1', { serviceUrl: 'http://b' });
      assert.notEqual(first.etag, second.etag);
      assert.deepEqual((await references.get('c1'))?.value, { serviceUrl: 'http://b' });
    });

    it('deletes with a current etag, refuses a stale one and reports when nothing was there', async () => {
      const requests = stores.collection<Request>('requests');
      const original = await requests.create('r1', { requester: 'adele', status: 'pending' });
      await requests.replace('r1', { requester: 'adele', status: 'approved' }, original.etag);
      await assert.rejects(requests.delete('r1', original.etag), ConflictError);
      assert.ok(await requests.get('r1'));
      const current = await requests.get('r1');
      assert.equal(await requests.delete('r1', current!.etag), true);
      assert.equal(await requests.get('r1'), undefined);
      assert.equal(await requests.delete('r1'), false);
    });

    it('finds documents by a declared index, oldest first, reflecting updates and deletes', async () => {
      const requests = stores.collection<Request>('requests', byRequesterAndStatus);
      const a = await requests.create('a', { requester: 'adele', status: 'pending' });
      await requests.create('b', { requester: 'megan', status: 'pending' });
      await requests.create('c', { requester: 'adele', status: 'pending' });
      assert.deepEqual((await requests.findBy('requester', 'adele')).map((d) => d.key), ['a', 'c']);

      await requests.replace('a', { requester: 'adele', status: 'approved' }, a.etag);
      assert.deepEqual((await requests.findBy('status', 'pending')).map((d) => d.key), ['b', 'c']);
      assert.deepEqual((await requests.findBy('status', 'approved')).map((d) => d.key), ['a']);

      await requests.upsert('b', { requester: 'megan', status: 'denied' });
      assert.deepEqual((await requests.findBy('status', 'pending')).map((d) => d.key), ['c']);

      await requests.delete('c');
      assert.deepEqual(await requests.findBy('status', 'pending'), []);
    });

    it('leaves documents out of an index when the index function returns nothing', async () => {
      const items = stores.collection<{ team?: string }>('items', { indexes: { team: (v) => v.team } });
      await items.create('x', {});
      await items.create('y', { team: 't1' });
      assert.deepEqual((await items.findBy('team', 't1')).map((d) => d.key), ['y']);
    });

    it('refuses to search by an index that was never declared', async () => {
      const requests = stores.collection<Request>('requests');
      await assert.rejects(requests.findBy('requester', 'adele'), /no index named requester/);
    });

    it('keeps collections apart even when keys collide', async () => {
      const one = stores.collection<Request>('one', byRequesterAndStatus);
      const two = stores.collection<Request>('two', byRequesterAndStatus);
      await one.create('k', { requester: 'adele', status: 'pending' });
      await two.create('k', { requester: 'adele', status: 'pending' });
      await one.delete('k');
      assert.equal((await two.findBy('requester', 'adele')).length, 1);
      assert.deepEqual((await two.list()).map((d) => d.key), ['k']);
      assert.deepEqual(await one.list(), []);
    });

    it('lists all documents oldest first', async () => {
      const requests = stores.collection<Request>('requests');
      for (const key of ['z', 'a', 'm']) await requests.create(key, { requester: key, status: 'pending' });
      assert.deepEqual((await requests.list()).map((d) => d.key), ['z', 'a', 'm']);
    });

    it('stores any JSON value and returns a copy, not the caller\'s object', async () => {
      const things = stores.collection<unknown>('things');
      await things.create('number', 1);
      const object = { list: [1, 2], nested: { text: 'é ✓' }, nothing: null };
      const created = await things.create('object', object);
      object.list.push(3);
      assert.equal((await things.get('number'))?.value, 1);
      assert.deepEqual(created.value, { list: [1, 2], nested: { text: 'é ✓' }, nothing: null });
      assert.deepEqual((await things.get('object'))?.value, created.value);
    });

    it('refuses to open one collection with two different sets of indexes in the same process', async () => {
      stores.collection<{ status: string }>('requests', { indexes: { status: (d) => d.status } });
      stores.collection<{ status: string }>('requests', { indexes: { status: (d) => d.status } });
      assert.throws(() => stores.collection('requests'), /opened with indexes \[status\] and now with \[\]/);
    });

    it('answers ping while open and false once closed', async () => {
      assert.equal(await stores.ping(), true);
      await stores.close();
      assert.equal(await stores.ping(), false);
    });
  });

  describe(`${name} stores across close and reopen`, () => {
    it('keeps documents, index entries and etags', async () => {
      const database = await backend.newDatabase();
      const first = await database.open();
      const written = await first.collection<Request>('requests', byRequesterAndStatus).create('r1', { requester: 'adele', status: 'pending' });
      await first.close();

      const second = await database.open();
      const requests = second.collection<Request>('requests', byRequesterAndStatus);
      assert.deepEqual(await requests.get('r1'), written);
      assert.deepEqual((await requests.findBy('requester', 'adele')).map((d) => d.key), ['r1']);
      await requests.replace('r1', { requester: 'adele', status: 'approved' }, written.etag);
      await second.close();
    });

    it('indexes existing documents when a collection is reopened with a new index', async () => {
      const database = await backend.newDatabase();
      const first = await database.open();
      await first.collection<Request>('requests').create('r1', { requester: 'adele', status: 'pending' });
      await first.close();

      const second = await database.open();
      const requests = second.collection<Request>('requests', byRequesterAndStatus);
      assert.deepEqual((await requests.findBy('status', 'pending')).map((d) => d.key), ['r1']);
      await second.close();
    });

    it('keeps scheduled jobs, and resumes a job claimed before a crash once its lease passes', async () => {
      const database = await backend.newDatabase();
      const before = await database.open();
      await before.dueTimes.schedule({ id: 'waiting', kind: 'tap.expire', dueAt: at(30), payload: { requestId: 'r1' } });
      await before.dueTimes.schedule({ id: 'in-flight', kind: 'tap.remind', dueAt: at(0) });
      await before.dueTimes.claimDue(at(0), 10, 2 * 60_000);
      await before.close(); // the process dies without completing 'in-flight'

      const after = await database.open();
      assert.deepEqual(ids(await after.dueTimes.list()), ['in-flight', 'waiting']);
      assert.deepEqual(await after.dueTimes.claimDue(at(1), 10, 60_000), []);
      assert.deepEqual(ids(await after.dueTimes.claimDue(at(2), 10, 60 * 60_000)), ['in-flight']);
      const expiry = await after.dueTimes.claimDue(at(30), 10, 60_000);
      assert.deepEqual(expiry.map((j) => [j.id, j.payload]), [['waiting', { requestId: 'r1' }]]);
      await after.close();
    });
  });

  describe(`${name} bot state (botbuilder Storage)`, () => {
    let stores: Stores;
    let storage: Storage;
    beforeEach(async () => {
      stores = await backend.openEmpty();
      storage = stores.botState;
    });
    afterEach(async () => {
      await stores.close();
    });

    it('returns only the keys that exist, each with an eTag', async () => {
      await storage.write({ a: { count: 1 } });
      const items = await storage.read(['a', 'missing']);
      assert.deepEqual(Object.keys(items), ['a']);
      assert.equal(items.a.count, 1);
      assert.equal(typeof items.a.eTag, 'string');
    });

    it('overwrites when the item has no eTag or the eTag "*"', async () => {
      await storage.write({ a: { count: 1 } });
      await storage.write({ a: { count: 2 } });
      await storage.write({ a: { count: 3, eTag: '*' } });
      assert.equal((await storage.read(['a'])).a.count, 3);
    });

    it('accepts a write carrying the current eTag and gives the item a new one', async () => {
      await storage.write({ a: { count: 1 } });
      const read = (await storage.read(['a'])).a;
      await storage.write({ a: { ...read, count: 2 } });
      const after = (await storage.read(['a'])).a;
      assert.equal(after.count, 2);
      assert.notEqual(after.eTag, read.eTag);
    });

    it('rejects a write carrying a stale eTag, like MemoryStorage, and keeps the newer item', async () => {
      await storage.write({ a: { count: 1 } });
      const stale = (await storage.read(['a'])).a;
      await storage.write({ a: { ...stale, count: 2 } });
      await assert.rejects(storage.write({ a: { ...stale, count: 99 } }), /eTag conflict/);
      assert.equal((await storage.read(['a'])).a.count, 2);

      const memory = new MemoryStorage();
      await memory.write({ a: { count: 1 } });
      const memoryStale = (await memory.read(['a'])).a;
      await memory.write({ a: { ...memoryStale, count: 2 } });
      await assert.rejects(memory.write({ a: { ...memoryStale, count: 99 } }), /eTag conflict/);
    });

    it('writes none of the changes when one of them conflicts', async () => {
      await storage.write({ a: { count: 1 } });
      const stale = (await storage.read(['a'])).a;
      await storage.write({ a: { ...stale, count: 2 } });
      await assert.rejects(storage.write({ b: { count: 1 }, a: { ...stale, count: 3 } }));
      assert.deepEqual(await storage.read(['b']), {});
    });

    it('writes an item carrying an eTag when nothing is stored under its key', async () => {
      await storage.write({ a: { count: 1, eTag: 'from-elsewhere' } });
      assert.equal((await storage.read(['a'])).a.count, 1);
    });

    it('deletes keys, ignoring ones that are absent', async () => {
      await storage.write({ a: { count: 1 }, b: { count: 2 } });
      await storage.delete(['a', 'missing']);
      assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
    });

    it('stores the item as JSON, not the caller\'s object', async () => {
      const item = { nested: { list: [1, 2] }, when: new Date('2025-01-02T03:04:05.000Z') };
      await storage.write({ a: item });
      item.nested.list.push(3);
      const read = (await storage.read(['a'])).a;
      assert.deepEqual(read.nested, { list: [1, 2] });
      assert.equal(read.when, '2025-01-02T03:04:05.000Z');
    });
  });

  describe(`${name} bot state as teams-ai turn state`, () => {
    type CountingState = TurnState<{ count?: number }, DefaultUserState, DefaultTempState>;
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.openEmpty();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('remembers conversation state from one turn to the next', async () => {
      const app = new Application<CountingState>({ storage: stores.botState, startTypingTimer: false, turnStateFactory: () => new TurnState() as CountingState });
      app.activity('message', async (context, state) => {
        const count = (state.conversation.count ?? 0) + 1;
        state.conversation.count = count;
        await context.sendActivity(`turn ${count}`);
      });
      const adapter = new TestAdapter((context) => app.run(context).then(() => undefined));
      await adapter.send('hi').assertReply('turn 1').send('again').assertReply('turn 2').startTest();
    });
  });

  describe(`${name} audit log`, () => {
    let stores: Stores;
    const events: AuditEvent[] = [
      { at: '2025-03-01T10:00:00.000Z', requestId: 'r1', event: 'requested', actor: 'adele' },
      { at: '2025-03-01T10:05:00.000Z', requestId: 'r1', event: 'approved', actor: 'helpdesk-1', details: { reason: 'verified by phone' } },
      { at: '2025-03-02T09:00:00.000Z', requestId: 'r2', event: 'requested', actor: 'megan' },
      { at: '2025-03-03T08:00:00.000Z', requestId: null, event: 'lookup-refused', actor: 'system' },
    ];
    beforeEach(async () => {
      stores = await backend.openEmpty();
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

  describe(`${name} rate limits (token buckets)`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.openEmpty();
    });
    afterEach(async () => {
      await stores.close();
    });
    const policy = { capacity: 3, refillPerMinute: 6 };
    const second = (s: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, s));

    it('lets a burst of `capacity` through, then refuses and counts the refusals in a row', async () => {
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await stores.rateLimits.take('refused-submit:adele', policy, second(0)));
      assert.deepEqual(
        decisions.map((d) => [d.allowed, d.refusedInRow]),
        [[true, 0], [true, 0], [true, 0], [false, 1], [false, 2]],
      );
    });

    it('refills over time and reports how many were refused when the flood ends', async () => {
      for (let i = 0; i < 5; i++) await stores.rateLimits.take('k', policy, second(0));
      assert.equal((await stores.rateLimits.take('k', policy, second(5))).allowed, false, 'half a token after 5 s');
      const after = await stores.rateLimits.take('k', policy, second(10));
      assert.deepEqual(after, { allowed: true, refusedInRow: 0, floodEnded: 3 });
      assert.equal((await stores.rateLimits.take('k', policy, second(10))).floodEnded, undefined);
    });

    it('keeps one bucket per key', async () => {
      for (let i = 0; i < 4; i++) await stores.rateLimits.take('a', policy, second(0));
      assert.equal((await stores.rateLimits.take('b', policy, second(0))).allowed, true);
    });

    it('allows exactly `capacity` of many simultaneous takes', async () => {
      const decisions = await Promise.all(Array.from({ length: 20 }, () => stores.rateLimits.take('burst', { capacity: 5, refillPerMinute: 0.001 }, second(0))));
      assert.equal(decisions.filter((d) => d.allowed).length, 5);
    });
  });

  describe(`${name} due times`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.openEmpty();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('claims only jobs that are due, earliest first, up to the limit', async () => {
      await stores.dueTimes.schedule({ id: 'later', kind: 'tap.expire', dueAt: at(30) });
      await stores.dueTimes.schedule({ id: 'second', kind: 'tap.remind', dueAt: at(5), payload: { requestId: 'r2' } });
      await stores.dueTimes.schedule({ id: 'first', kind: 'tap.remind', dueAt: at(1), payload: { requestId: 'r1' } });
      await stores.dueTimes.schedule({ id: 'third', kind: 'tap.remind', dueAt: at(10) });

      const claimed = await stores.dueTimes.claimDue(at(10), 2, 60_000);
      assert.deepEqual(claimed, [
        { id: 'first', kind: 'tap.remind', dueAt: at(1).toISOString(), payload: { requestId: 'r1' }, attempts: 1 },
        { id: 'second', kind: 'tap.remind', dueAt: at(5).toISOString(), payload: { requestId: 'r2' }, attempts: 1 },
      ]);
      assert.deepEqual(ids(await stores.dueTimes.claimDue(at(10), 10, 60_000)), ['third']);
    });

    it('orders jobs due at the same time by id, comparing ids as plain text', async () => {
      for (const id of ['b', 'B', 'a', 'A']) await stores.dueTimes.schedule({ id, kind: 'tap.poll', dueAt: at(0) });
      assert.deepEqual(ids(await stores.dueTimes.list()), ['A', 'B', 'a', 'b']);
      assert.deepEqual(ids(await stores.dueTimes.claimDue(at(0), 3, 60_000)), ['A', 'B', 'a']);
    });

    it('hides a claimed job during its lease and makes it due again after, counting attempts', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'tap.poll', dueAt: at(0) });
      assert.deepEqual(ids(await stores.dueTimes.claimDue(at(0), 10, 5 * 60_000)), ['j']);
      assert.deepEqual(await stores.dueTimes.claimDue(at(4), 10, 5 * 60_000), []);
      const again = await stores.dueTimes.claimDue(at(5), 10, 5 * 60_000);
      assert.deepEqual(ids(again), ['j']);
      assert.equal(again[0].attempts, 2);
      assert.equal((await stores.dueTimes.get('j'))?.attempts, 2);
    });

    it('forgets a completed job', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'tap.poll', dueAt: at(0) });
      await stores.dueTimes.claimDue(at(0), 10, 60_000);
      await stores.dueTimes.complete('j');
      assert.equal(await stores.dueTimes.get('j'), undefined);
      assert.deepEqual(await stores.dueTimes.claimDue(at(60), 10, 60_000), []);
    });

    it('lets a slow worker whose lease ran out not complete a job someone else claimed since', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'tap.poll', dueAt: at(0) });
      const [slow] = await stores.dueTimes.claimDue(at(0), 10, 60_000);
      const [fast] = await stores.dueTimes.claimDue(at(2), 10, 60_000);
      await stores.dueTimes.complete('j', slow.attempts);
      assert.equal((await stores.dueTimes.get('j'))?.attempts, 2, 'the second claim stands');
      await stores.dueTimes.complete('j', fast.attempts);
      assert.equal(await stores.dueTimes.get('j'), undefined);
    });

    it('does not remove a job on complete() unless it is claimed', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'tap.poll', dueAt: at(0) });
      await stores.dueTimes.complete('j');
      assert.equal((await stores.dueTimes.get('j'))?.id, 'j');
    });

    it('moves a job when the same id is scheduled again, resetting its lease and attempts', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'nudge.send', dueAt: at(0), payload: { n: 1 } });
      await stores.dueTimes.claimDue(at(0), 10, 60 * 60_000);
      await stores.dueTimes.schedule({ id: 'j', kind: 'nudge.send', dueAt: at(20), payload: { n: 2 } });
      assert.deepEqual(await stores.dueTimes.claimDue(at(19), 10, 60_000), []);
      const claimed = await stores.dueTimes.claimDue(at(20), 10, 60_000);
      assert.deepEqual(claimed.map((j) => [j.id, j.payload, j.attempts]), [['j', { n: 2 }, 1]]);
    });

    it('keeps a job that its handler rescheduled when the worker then completes it', async () => {
      await stores.dueTimes.schedule({ id: 'poll', kind: 'tap.poll', dueAt: at(0) });
      await stores.dueTimes.claimDue(at(0), 10, 60_000);
      await stores.dueTimes.schedule({ id: 'poll', kind: 'tap.poll', dueAt: at(1) });
      await stores.dueTimes.complete('poll');
      assert.equal((await stores.dueTimes.get('poll'))?.dueAt, at(1).toISOString());
    });

    it('cancels a job and says whether there was one', async () => {
      await stores.dueTimes.schedule({ id: 'j', kind: 'tap.expire', dueAt: at(0) });
      assert.equal(await stores.dueTimes.cancel('j'), true);
      assert.equal(await stores.dueTimes.cancel('j'), false);
      assert.deepEqual(await stores.dueTimes.claimDue(at(10), 10, 60_000), []);
    });

    it('lists jobs by due time, optionally of one kind', async () => {
      await stores.dueTimes.schedule({ id: 'b', kind: 'tap.expire', dueAt: at(2) });
      await stores.dueTimes.schedule({ id: 'a', kind: 'tap.remind', dueAt: at(1) });
      await stores.dueTimes.schedule({ id: 'c', kind: 'tap.remind', dueAt: at(3) });
      assert.deepEqual(ids(await stores.dueTimes.list()), ['a', 'b', 'c']);
      assert.deepEqual(ids(await stores.dueTimes.list('tap.remind')), ['a', 'c']);
    });
  });
}
