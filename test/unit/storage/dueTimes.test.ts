import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores, type Stores } from '../../../src/storage';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute));
const ids = (jobs: { id: string }[]) => jobs.map((job) => job.id);

describe('SQLite due times', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openSqliteStores({ filename: ':memory:' });
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

describe('SQLite due times across a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-due-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps scheduled jobs, and resumes a job claimed before a crash once its lease passes', async () => {
    const before = openSqliteStores({ dataDir });
    await before.dueTimes.schedule({ id: 'waiting', kind: 'tap.expire', dueAt: at(30), payload: { requestId: 'r1' } });
    await before.dueTimes.schedule({ id: 'in-flight', kind: 'tap.remind', dueAt: at(0) });
    await before.dueTimes.claimDue(at(0), 10, 2 * 60_000);
    await before.close(); // the process dies without completing 'in-flight'

    const after = openSqliteStores({ dataDir });
    assert.deepEqual(ids(await after.dueTimes.list()), ['in-flight', 'waiting']);
    assert.deepEqual(await after.dueTimes.claimDue(at(1), 10, 60_000), []);
    assert.deepEqual(ids(await after.dueTimes.claimDue(at(2), 10, 60 * 60_000)), ['in-flight']);
    const expiry = await after.dueTimes.claimDue(at(30), 10, 60_000);
    assert.deepEqual(expiry.map((j) => [j.id, j.payload]), [['waiting', { requestId: 'r1' }]]);
    await after.close();
  });
});
