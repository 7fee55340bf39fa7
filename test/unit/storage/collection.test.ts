import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, openSqliteStores, type Stores } from '../../../src/storage';

interface Request {
  requester: string;
  status: string;
}

const byRequesterAndStatus = { indexes: { requester: (r: Request) => r.requester, status: (r: Request) => r.status } };

describe('SQLite collections', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openSqliteStores({ filename: ':memory:' });
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

  it('answers ping while open', async () => {
    assert.equal(await stores.ping(), true);
  });
});

describe('SQLite stores on disk', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-storage-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates DATA_DIR and the database file on first start, in WAL mode', async () => {
    const nested = path.join(dataDir, 'not', 'yet');
    const stores = openSqliteStores({ dataDir: nested });
    await stores.collection('x').create('k', 1);
    assert.ok(fs.existsSync(path.join(nested, 'passkey-helpdesk.sqlite')));
    assert.ok(fs.existsSync(path.join(nested, 'passkey-helpdesk.sqlite-wal')));
    await stores.close();
  });

  it('keeps documents, index entries and etags across close and reopen', async () => {
    const first = openSqliteStores({ dataDir });
    const written = await first.collection<Request>('requests', byRequesterAndStatus).create('r1', { requester: 'adele', status: 'pending' });
    await first.close();

    const second = openSqliteStores({ dataDir });
    const requests = second.collection<Request>('requests', byRequesterAndStatus);
    assert.deepEqual(await requests.get('r1'), written);
    assert.deepEqual((await requests.findBy('requester', 'adele')).map((d) => d.key), ['r1']);
    await requests.replace('r1', { requester: 'adele', status: 'approved' }, written.etag);
    await second.close();
  });

  it('indexes existing documents when a collection is reopened with a new index', async () => {
    const first = openSqliteStores({ dataDir });
    await first.collection<Request>('requests').create('r1', { requester: 'adele', status: 'pending' });
    await first.close();

    const second = openSqliteStores({ dataDir });
    const requests = second.collection<Request>('requests', byRequesterAndStatus);
    assert.deepEqual((await requests.findBy('status', 'pending')).map((d) => d.key), ['r1']);
    await second.close();
  });

  it('refuses to open a database written by a newer schema version', async () => {
    const first = openSqliteStores({ dataDir });
    await first.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path.join(dataDir, 'passkey-helpdesk.sqlite'));
    raw.prepare('update schema_version set version = 999').run();
    raw.close();
    assert.throws(() => openSqliteStores({ dataDir }), /newer than this program understands/);
  });

  it('reports ping false once closed', async () => {
    const stores = openSqliteStores({ dataDir });
    await stores.close();
    assert.equal(await stores.ping(), false);
  });

  it('refuses to open one collection with two different sets of indexes in the same process', async () => {
    const stores = openSqliteStores({ dataDir });
    stores.collection<{ status: string }>('requests', { indexes: { status: (d) => d.status } });
    stores.collection<{ status: string }>('requests', { indexes: { status: (d) => d.status } });
    assert.throws(() => stores.collection('requests'), /opened with indexes \[status\] and now with \[\]/);
    await stores.close();
  });
});
