import assert from 'node:assert/strict';
import { modify, TooManyConflictsError } from '../../../src/storage/modify';
import { openSqliteStores } from '../../../src/storage/sqlite';
import type { Collection } from '../../../src/storage/ports';

interface Counter {
  count: number;
}

function counters(): Collection<Counter> {
  return openSqliteStores({ filename: ':memory:' }).collection<Counter>('counters');
}

describe('storage: modify (read → decide → compare-and-set)', () => {
  it('creates the document when there is none, and returns what decide says', async () => {
    const collection = counters();
    const result = await modify(collection, 'a', (current) => ({ write: { count: (current?.value.count ?? 0) + 1 }, result: 'created' }));
    assert.equal(result, 'created');
    assert.equal((await collection.get('a'))?.value.count, 1);
  });

  it('writes nothing when decide returns no value', async () => {
    const collection = counters();
    await collection.create('a', { count: 5 });
    const before = await collection.get('a');
    assert.equal(await modify(collection, 'a', () => ({ result: 'unchanged' })), 'unchanged');
    assert.equal((await collection.get('a'))?.etag, before?.etag);
  });

  it('loses no increment when 20 writers change one document at once: each losing writer decides again on the fresh value', async () => {
    const collection = counters();
    await collection.create('a', { count: 0 });
    await Promise.all(Array.from({ length: 20 }, () => modify(collection, 'a', async (current) => {
      await new Promise((resolve) => setImmediate(resolve)); // let the others read the same version
      return { write: { count: current!.value.count + 1 }, result: undefined };
    })));
    assert.equal((await collection.get('a'))?.value.count, 20);
  });

  it('gives up with a named error after the allowed attempts, never loops forever', async () => {
    const collection = counters();
    await collection.create('a', { count: 0 });
    const interfering = (current: { value: Counter; etag: string } | undefined) => {
      // Someone else writes between our read and our write, every time.
      return collection.replace('a', { count: current!.value.count + 100 }, current!.etag).then(() => ({ write: { count: -1 }, result: undefined }));
    };
    await assert.rejects(modify(collection, 'a', interfering, { attempts: 3, name: 'counter' }), (error: unknown) => error instanceof TooManyConflictsError && /counter\/a: still changing after 3 attempts/.test(error.message));
  });
});
