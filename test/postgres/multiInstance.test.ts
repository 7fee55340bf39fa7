import assert from 'node:assert/strict';
import { ConflictError, openPostgresStores, type Stores } from '../../src/storage';
import { TEST_DATABASE_URL, TestSchemas } from './support';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute));

/** Outcomes of promises that ran at the same time: how many succeeded, and the failures. */
async function settle<T>(promises: Promise<T>[]): Promise<{ won: T[]; lost: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    won: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    lost: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

describe('PostgreSQL with several bot instances on one schema', () => {
  const schemas = new TestSchemas();
  let one: Stores;
  let two: Stores;
  beforeEach(async () => {
    const schema = schemas.newSchema();
    one = await schemas.open(schema);
    two = await schemas.open(schema); // a second pool: another bot instance
  });
  afterEach(async () => {
    await Promise.all([one.close(), two.close()]);
  });
  after(() => schemas.dropAll());

  it('holds a rate limit across instances: of 40 simultaneous takes on two instances, exactly `capacity` pass', async () => {
    const policy = { capacity: 10, refillPerMinute: 0.001 };
    const now = at(0);
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).rateLimits.take('refused-submit:adele', policy, now)));
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
  });

  it('sees one instance\'s writes from the other', async () => {
    const created = await one.collection<{ n: number }>('things').create('k', { n: 1 });
    assert.deepEqual(await two.collection<{ n: number }>('things').get('k'), created);
    await two.dueTimes.schedule({ id: 'j', kind: 'tap.poll', dueAt: at(0) });
    assert.equal((await one.dueTimes.get('j'))?.kind, 'tap.poll');
  });

  it('lets exactly one of two instances replacing with the same etag win, every time', async () => {
    const mine = one.collection<{ status: string }>('requests', { indexes: { status: (r) => r.status } });
    const theirs = two.collection<{ status: string }>('requests', { indexes: { status: (r) => r.status } });
    for (let round = 0; round < 20; round++) {
      const read = await mine.create(`r${round}`, { status: 'pending' });
      const { won, lost } = await settle([
        mine.replace(read.key, { status: 'approved' }, read.etag),
        theirs.replace(read.key, { status: 'denied' }, read.etag),
      ]);
      assert.equal(won.length, 1, `round ${round}`);
      assert.ok(lost[0] instanceof ConflictError && /etag mismatch/.test(lost[0].message), `round ${round}: ${String(lost[0])}`);
      assert.deepEqual(await mine.get(read.key), won[0]);
      assert.deepEqual((await theirs.findBy('status', won[0].value.status)).map((d) => d.key).includes(read.key), true);
    }
    // Only the winners are indexed: no document is both approved and denied.
    const approved = (await mine.findBy('status', 'approved')).map((d) => d.key);
    const denied = (await mine.findBy('status', 'denied')).map((d) => d.key);
    assert.equal(approved.length + denied.length, 20);
    assert.deepEqual((await mine.findBy('status', 'pending')).map((d) => d.key), []);
  });

  it('lets exactly one of two instances create the same key', async () => {
    const { won, lost } = await settle([one.collection('requests').create('r1', { by: 'one' }), two.collection('requests').create('r1', { by: 'two' })]);
    assert.equal(won.length, 1);
    assert.ok(lost[0] instanceof ConflictError && /already exists/.test(lost[0].message));
    assert.deepEqual((await one.collection('requests').get('r1'))?.value, won[0].value);
  });

  it('lets exactly one of two instances write bot state with the same eTag', async () => {
    await one.botState.write({ conversation: { count: 1 } });
    const read = (await one.botState.read(['conversation'])).conversation;
    const { won, lost } = await settle([
      one.botState.write({ conversation: { ...read, count: 2 } }),
      two.botState.write({ conversation: { ...read, count: 3 } }),
    ]);
    assert.equal(won.length, 1);
    assert.match(String(lost[0]), /eTag conflict/);
  });

  it('never hands the same due job to both instances claiming at once', async () => {
    const jobCount = 150;
    for (let n = 0; n < jobCount; n++) await one.dueTimes.schedule({ id: `job-${n}`, kind: 'tap.poll', dueAt: at(n % 10) });
    const claimAll = async (stores: Stores) => {
      const claimed: string[] = [];
      for (;;) {
        const batch = await stores.dueTimes.claimDue(at(10), 7, 60 * 60_000);
        if (batch.length === 0) return claimed;
        claimed.push(...batch.map((job) => job.id));
      }
    };
    // Four workers, two per instance, each claiming in small batches until nothing is left.
    const everything = (await Promise.all([claimAll(one), claimAll(two), claimAll(one), claimAll(two)])).flat();
    assert.equal(new Set(everything).size, everything.length, 'a job was claimed twice');
    assert.equal(everything.length, jobCount);
    for (const job of await one.dueTimes.list()) assert.equal(job.attempts, 1, job.id);
  });
});

describe('PostgreSQL schema set-up', () => {
  const schemas = new TestSchemas();
  after(() => schemas.dropAll());

  it('creates the schema once when several instances start at the same moment', async () => {
    const schema = schemas.newSchema();
    const instances = await Promise.all(Array.from({ length: 5 }, () => schemas.open(schema)));
    try {
      assert.deepEqual(await schemas.sql(`select version from "${schema}".schema_version`), [{ version: 2 }]);
      await instances[0].collection('x').create('k', 1);
      assert.equal((await instances[4].collection('x').get('k'))?.value, 1);
    } finally {
      await Promise.all(instances.map((stores) => stores.close()));
    }
  });

  it('indexes existing documents once when two instances open a collection with a new index at once', async () => {
    const schema = schemas.newSchema();
    const before = await schemas.open(schema);
    for (const key of ['a', 'b', 'c']) await before.collection<{ team: string }>('members').create(key, { team: key === 'b' ? 't2' : 't1' });
    await before.close();

    const [one, two] = await Promise.all([schemas.open(schema), schemas.open(schema)]);
    const byTeam = { indexes: { team: (m: { team: string }) => m.team } };
    const [found1, found2] = await Promise.all([one.collection('members', byTeam).findBy('team', 't1'), two.collection('members', byTeam).findBy('team', 't1')]);
    assert.deepEqual(found1.map((d) => d.key), ['a', 'c']);
    assert.deepEqual(found2.map((d) => d.key), ['a', 'c']);
    await Promise.all([one.close(), two.close()]);
  });

  it('refuses to open a schema written by a newer schema version', async () => {
    const schema = schemas.newSchema();
    await (await schemas.open(schema)).close();
    await schemas.sql(`update "${schema}".schema_version set version = 999`);
    await assert.rejects(schemas.open(schema), /newer than this program understands/);
  });

  it('refuses a schema name that would need quoting', async () => {
    await assert.rejects(openPostgresStores({ connectionString: TEST_DATABASE_URL, schema: 'Robert"; drop' }), /Invalid PostgreSQL schema name/);
  });

  it('connects as the PGUSER or OS user when the connection string names no user, as psql does', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = '';
    const schema = schemas.newSchema();
    const stores = await openPostgresStores({ connectionString: url.toString(), schema });
    assert.equal(await stores.ping(), true);
    await stores.close();
  });

  it('rejects opening when the server cannot be reached', async () => {
    await assert.rejects(openPostgresStores({ connectionString: 'postgres://nobody@127.0.0.1:1/test' }), /ECONNREFUSED/);
  });
});
