import assert from 'node:assert/strict';
import { MemoryStorage, type Storage } from 'botbuilder';
import { openSqliteStores, type Stores } from '../../../src/storage';

describe('SQLite bot state (botbuilder Storage)', () => {
  let stores: Stores;
  let storage: Storage;
  beforeEach(() => {
    stores = openSqliteStores({ filename: ':memory:' });
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
