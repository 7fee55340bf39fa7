/**
 * Multi-instance storage backend: PostgreSQL via a `pg` Pool. Several bot
 * instances share one schema; every write is one transaction, documents are
 * compare-and-set on their etag, and due jobs are claimed with
 * `FOR UPDATE SKIP LOCKED` so two instances never run the same job at once.
 * Semantics match the SQLite backend (src/storage/sqlite.ts).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Storage, StoreItems } from 'botbuilder';
import {
  ConflictError,
  type AuditEvent,
  type AuditLog,
  type Collection,
  type CollectionOptions,
  type DueJob,
  type DueTimes,
  type RateLimits,
  type Stores,
  type Versioned,
} from './ports';
import { takeToken } from './tokenBucket';

export const DEFAULT_POSTGRES_SCHEMA = 'passkey_helpdesk';

export interface PostgresStoresOptions {
  /** e.g. postgres://user@127.0.0.1:5432/helpdesk; without a user name, PGUSER or the OS user (as psql does). */
  connectionString: string;
  /** Schema holding the tables; created if missing. Default `passkey_helpdesk`. */
  schema?: string;
  /** Connections per instance. Default 10. */
  maxConnections?: number;
  /** An idle connection failed (e.g. the server restarted); the pool drops it and reconnects on the next query. */
  onConnectionError?: (error: Error) => void;
}

/** Table names, schema-qualified (no search_path: it does not survive transaction-mode poolers such as PgBouncer). */
interface Tables {
  schema: string;
  schemaVersion: string;
  documents: string;
  documentIndex: string;
  collectionIndexes: string;
  auditEvents: string;
  dueJobs: string;
  botState: string;
  rateBuckets: string;
}

function tablesIn(schema: string): Tables {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _ (starting with a letter or _).`);
  }
  const qualified = (table: string) => `"${schema}".${table}`;
  return {
    schema: `"${schema}"`,
    schemaVersion: qualified('schema_version'),
    documents: qualified('documents'),
    documentIndex: qualified('document_index'),
    collectionIndexes: qualified('collection_indexes'),
    auditEvents: qualified('audit_events'),
    dueJobs: qualified('due_jobs'),
    botState: qualified('bot_state'),
    rateBuckets: qualified('rate_buckets'),
  };
}

/** Forward-only migrations; entry i takes the schema from version i to i + 1. Never edit a shipped entry. */
const MIGRATIONS: ((t: Tables) => string)[] = [
  (t) => `
  create table ${t.documents} (
    id bigserial primary key,
    collection text not null,
    key text not null,
    value jsonb not null,
    etag text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (collection, key)
  );
  create table ${t.documentIndex} (
    collection text not null,
    name text not null,
    value text not null,
    key text not null,
    primary key (collection, name, key),
    foreign key (collection, key) references ${t.documents} (collection, key) on delete cascade
  );
  create index document_index_lookup on ${t.documentIndex} (collection, name, value);
  create index document_index_key on ${t.documentIndex} (collection, key);
  create table ${t.collectionIndexes} (
    collection text primary key,
    names text not null
  );
  create table ${t.auditEvents} (
    id bigserial primary key,
    at timestamptz not null,
    request_id text,
    event text not null,
    actor text,
    details jsonb
  );
  create index audit_events_at on ${t.auditEvents} (at);
  create index audit_events_request on ${t.auditEvents} (request_id, at);
  create index audit_events_actor on ${t.auditEvents} (actor, at);
  create table ${t.dueJobs} (
    id text collate "C" primary key,
    kind text not null,
    due_at timestamptz not null,
    payload jsonb not null,
    attempts integer not null default 0,
    lease_until timestamptz
  );
  create index due_jobs_due on ${t.dueJobs} (due_at);
  create table ${t.botState} (
    key text primary key,
    value jsonb not null,
    etag text not null
  );
  `,
  (t) => `
  create table ${t.rateBuckets} (
    key text primary key,
    tokens double precision not null,
    updated_at_ms bigint not null,
    refused integer not null default 0
  );
  `,
];

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in one transaction on one connection; rolls back on any error. */
async function inTransaction<R>(pool: pg.Pool, work: (client: Queryable) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError; // a connection that cannot roll back must not return to the pool
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Instances starting at once take turns: the advisory lock (per schema, held
 * until commit) serialises `create schema` and the migrations themselves.
 */
async function migrate(pool: pg.Pool, schemaName: string, t: Tables): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`passkey-helpdesk migrate ${schemaName}`]);
    await client.query(`create schema if not exists ${t.schema}`);
    await client.query(`create table if not exists ${t.schemaVersion} (version integer not null)`);
    const { rows } = await client.query<{ version: number }>(`select version from ${t.schemaVersion}`);
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`Database schema version ${current} is newer than this program understands (${MIGRATIONS.length}); upgrade passkey-helpdesk.`);
    }
    if (current === MIGRATIONS.length) return;
    for (let version = current; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version](t));
    await client.query(`delete from ${t.schemaVersion}`);
    await client.query(`insert into ${t.schemaVersion} (version) values ($1)`, [MIGRATIONS.length]);
  });
}

/** libpq (psql) connects as the OS user when the URL names none; node-postgres would use $USER, which CI may not set. */
function withDefaultUser(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return connectionString; // not a URL (key=value form): leave it to pg
  }
  if ((url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.username === '' && url.host !== '') {
    url.username = encodeURIComponent(process.env.PGUSER || os.userInfo().username);
  }
  return url.toString();
}

/** Connects, creates or migrates the schema, and returns the stores. Rejects if the database is unreachable. */
export async function openPostgresStores(options: PostgresStoresOptions, clock: () => Date = () => new Date()): Promise<Stores> {
  const schemaName = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  const t = tablesIn(schemaName);
  const pool = new pg.Pool({ connectionString: withDefaultUser(options.connectionString), max: options.maxConnections ?? 10 });
  // Without a listener an idle connection's error would crash the process.
  pool.on('error', (error) => options.onConnectionError?.(error));
  try {
    await migrate(pool, schemaName, t);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  // A collection's indexes are part of its definition: opening it again with other
  // index names would rebuild (and so drop) the first opener's index rows.
  const declaredIndexes = new Map<string, string>();
  const checkIndexes = (name: string, collectionOptions: CollectionOptions<unknown> | undefined) => {
    const names = Object.keys(collectionOptions?.indexes ?? {}).sort().join(',');
    const earlier = declaredIndexes.get(name);
    if (earlier !== undefined && earlier !== names) {
      throw new Error(`Collection "${name}" was opened with indexes [${earlier}] and now with [${names}]; declare them in one place.`);
    }
    declaredIndexes.set(name, names);
  };

  let closing: Promise<void> | undefined;
  return {
    botState: postgresBotState(pool, t),
    audit: postgresAuditLog(pool, t),
    dueTimes: postgresDueTimes(pool, t),
    rateLimits: postgresRateLimits(pool, t),
    collection: <T>(name: string, collectionOptions?: CollectionOptions<T>) => {
      checkIndexes(name, collectionOptions as CollectionOptions<unknown> | undefined);
      return postgresCollection<T>(pool, t, name, collectionOptions ?? {}, clock);
    },
    ping: async () => {
      try {
        return (await pool.query('select 1 as ok')).rowCount === 1;
      } catch {
        return false;
      }
    },
    close: () => (closing ??= pool.end()),
  };
}

interface DocumentRow {
  key: string;
  value: unknown;
  etag: string;
}

function toVersioned<T>(row: DocumentRow): Versioned<T> {
  return { key: row.key, value: row.value as T, etag: row.etag };
}

function postgresCollection<T>(pool: pg.Pool, t: Tables, collection: string, options: CollectionOptions<T>, clock: () => Date): Collection<T> {
  const indexes = options.indexes ?? {};
  const declaredNames = Object.keys(indexes).sort().join(',');

  // Index rows are rewritten in the same transaction as the document they describe.
  const writeIndexRows = async (client: Queryable, key: string, value: T) => {
    await client.query(`delete from ${t.documentIndex} where collection = $1 and key = $2`, [collection, key]);
    for (const [name, extract] of Object.entries(indexes)) {
      const indexed = extract(value);
      if (indexed !== undefined && indexed !== null) {
        await client.query(`insert into ${t.documentIndex} (collection, name, value, key) values ($1, $2, $3, $4)`, [collection, name, indexed, key]);
      }
    }
  };

  // Documents written before an index was declared have no rows for it: rebuild when the
  // declared set changes. collection() is synchronous, so this runs before the first use.
  const rebuildIndexesIfChanged = async () => {
    const recorded = await pool.query<{ names: string }>(`select names from ${t.collectionIndexes} where collection = $1`, [collection]);
    if ((recorded.rows[0]?.names ?? '') === declaredNames) return;
    await inTransaction(pool, async (client) => {
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`passkey-helpdesk indexes ${t.schema} ${collection}`]);
      const again = await client.query<{ names: string }>(`select names from ${t.collectionIndexes} where collection = $1`, [collection]);
      if ((again.rows[0]?.names ?? '') === declaredNames) return; // another instance just did it
      const documents = await client.query<DocumentRow>(`select key, value from ${t.documents} where collection = $1 order by id for update`, [collection]);
      for (const row of documents.rows) await writeIndexRows(client, row.key, row.value as T);
      await client.query(
        `insert into ${t.collectionIndexes} (collection, names) values ($1, $2) on conflict (collection) do update set names = excluded.names`,
        [collection, declaredNames],
      );
    });
  };
  let indexesReady: Promise<void> | undefined;
  const ready = () =>
    (indexesReady ??= rebuildIndexesIfChanged().catch((error: unknown) => {
      indexesReady = undefined; // try again on the next call
      throw error;
    }));

  const written = (key: string, json: string, etag: string) => toVersioned<T>({ key, value: JSON.parse(json), etag });

  return {
    get: async (key) => {
      await ready();
      const { rows } = await pool.query<DocumentRow>(`select key, value, etag from ${t.documents} where collection = $1 and key = $2`, [collection, key]);
      return rows[0] && toVersioned<T>(rows[0]);
    },
    create: async (key, value) => {
      await ready();
      return inTransaction(pool, async (client) => {
        const json = JSON.stringify(value);
        const etag = randomUUID();
        const now = clock().toISOString();
        const inserted = await client.query(
          `insert into ${t.documents} (collection, key, value, etag, created_at, updated_at) values ($1, $2, $3::jsonb, $4, $5, $5)
           on conflict (collection, key) do nothing`,
          [collection, key, json, etag, now],
        );
        if (inserted.rowCount === 0) throw new ConflictError(collection, key, 'exists');
        await writeIndexRows(client, key, value);
        return written(key, json, etag);
      });
    },
    replace: async (key, value, etag) => {
      await ready();
      return inTransaction(pool, async (client) => {
        const json = JSON.stringify(value);
        const newEtag = randomUUID();
        // Compare-and-set: a concurrent writer holding the same etag waits for the row lock, then matches nothing.
        const updated = await client.query(
          `update ${t.documents} set value = $3::jsonb, etag = $4, updated_at = $5 where collection = $1 and key = $2 and etag = $6`,
          [collection, key, json, newEtag, clock().toISOString(), etag],
        );
        if (updated.rowCount === 0) {
          const exists = await client.query(`select 1 from ${t.documents} where collection = $1 and key = $2`, [collection, key]);
          throw new ConflictError(collection, key, exists.rowCount === 0 ? 'missing' : 'etag-mismatch');
        }
        await writeIndexRows(client, key, value);
        return written(key, json, newEtag);
      });
    },
    upsert: async (key, value) => {
      await ready();
      return inTransaction(pool, async (client) => {
        const json = JSON.stringify(value);
        const etag = randomUUID();
        const now = clock().toISOString();
        await client.query(
          `insert into ${t.documents} (collection, key, value, etag, created_at, updated_at) values ($1, $2, $3::jsonb, $4, $5, $5)
           on conflict (collection, key) do update set value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
          [collection, key, json, etag, now],
        );
        await writeIndexRows(client, key, value);
        return written(key, json, etag);
      });
    },
    // Index rows go with the document (foreign key, on delete cascade).
    delete: async (key, etag) => {
      await ready();
      return inTransaction(pool, async (client) => {
        if (etag === undefined) {
          return ((await client.query(`delete from ${t.documents} where collection = $1 and key = $2`, [collection, key])).rowCount ?? 0) > 0;
        }
        const deleted = await client.query(`delete from ${t.documents} where collection = $1 and key = $2 and etag = $3`, [collection, key, etag]);
        if (deleted.rowCount === 0) {
          const exists = await client.query(`select 1 from ${t.documents} where collection = $1 and key = $2`, [collection, key]);
          if (exists.rowCount === 0) return false;
          throw new ConflictError(collection, key, 'etag-mismatch');
        }
        return true;
      });
    },
    findBy: async (name, value) => {
      if (!(name in indexes)) throw new Error(`Collection ${collection} has no index named ${name}`);
      await ready();
      const { rows } = await pool.query<DocumentRow>(
        `select d.key, d.value, d.etag from ${t.documentIndex} i
         join ${t.documents} d on d.collection = i.collection and d.key = i.key
         where i.collection = $1 and i.name = $2 and i.value = $3 order by d.id`,
        [collection, name, value],
      );
      return rows.map((row) => toVersioned<T>(row));
    },
    list: async () => {
      await ready();
      const { rows } = await pool.query<DocumentRow>(`select key, value, etag from ${t.documents} where collection = $1 order by id`, [collection]);
      return rows.map((row) => toVersioned<T>(row));
    },
  };
}

/** botbuilder `Storage` with MemoryStorage's eTag rules: no eTag or '*' overwrites, a stale eTag rejects. */
function postgresRateLimits(pool: pg.Pool, t: Tables): RateLimits {
  return {
    take: (key, policy, now) =>
      inTransaction(pool, async (client) => {
        // The row exists (full) before it is locked, so two instances never both take the "new bucket" path.
        await client.query(`insert into ${t.rateBuckets} (key, tokens, updated_at_ms, refused) values ($1, $2, $3, 0) on conflict (key) do nothing`, [key, policy.capacity, now.getTime()]);
        const { rows } = await client.query<{ tokens: number; updated_at_ms: string; refused: number }>(
          `select tokens, updated_at_ms, refused from ${t.rateBuckets} where key = $1 for update`,
          [key],
        );
        const stored = rows[0] ? { tokens: Number(rows[0].tokens), updatedAtMs: Number(rows[0].updated_at_ms), refused: Number(rows[0].refused) } : undefined;
        const { row, decision } = takeToken(stored, policy, now.getTime());
        await client.query(`update ${t.rateBuckets} set tokens = $2, updated_at_ms = $3, refused = $4 where key = $1`, [key, row.tokens, row.updatedAtMs, row.refused]);
        return decision;
      }),
  };
}

function postgresBotState(pool: pg.Pool, t: Tables): Storage {
  return {
    read: async (keys) => {
      if (!keys) throw new ReferenceError('Keys are required when reading.');
      const items: StoreItems = {};
      if (keys.length === 0) return items;
      const { rows } = await pool.query<{ key: string; value: Record<string, unknown>; etag: string }>(
        `select key, value, etag from ${t.botState} where key = any($1::text[])`,
        [keys],
      );
      const byKey = new Map(rows.map((row) => [row.key, row]));
      for (const key of keys) {
        const row = byKey.get(key);
        if (row) items[key] = { ...row.value, eTag: row.etag };
      }
      return items;
    },
    // Unlike MemoryStorage, a conflict on one key writes none of the others.
    write: async (changes) => {
      if (!changes) throw new ReferenceError('Changes are required when writing.');
      // Keys are locked in one order so two instances writing overlapping keys cannot deadlock.
      const keys = Object.keys(changes).sort();
      if (keys.length === 0) return;
      await inTransaction(pool, async (client) => {
        for (const key of keys) {
          const { eTag, ...value } = (changes[key] ?? {}) as { eTag?: string } & Record<string, unknown>;
          const stored = await client.query<{ etag: string }>(`select etag from ${t.botState} where key = $1 for update`, [key]);
          const storedEtag = stored.rows[0]?.etag;
          if (storedEtag !== undefined && eTag && eTag !== '*' && eTag !== storedEtag) {
            throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          }
          if (storedEtag === undefined && eTag && eTag !== '*') {
            // Nothing to lock yet: of two instances creating the key at once, the second must see a conflict, not overwrite.
            const created = await client.query(`insert into ${t.botState} (key, value, etag) values ($1, $2::jsonb, $3) on conflict (key) do nothing`, [key, JSON.stringify(value), randomUUID()]);
            if (created.rowCount === 0) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
            continue;
          }
          await client.query(
            `insert into ${t.botState} (key, value, etag) values ($1, $2::jsonb, $3)
             on conflict (key) do update set value = excluded.value, etag = excluded.etag`,
            [key, JSON.stringify(value), randomUUID()],
          );
        }
      });
    },
    delete: async (keys) => {
      if (keys.length === 0) return;
      await pool.query(`delete from ${t.botState} where key = any($1::text[])`, [keys]);
    },
  };
}

function isoTime(value: string | Date, what: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid ${what}: ${String(value)}`);
  return date.toISOString();
}

interface AuditRow {
  at: Date;
  request_id: string | null;
  event: string;
  actor: string | null;
  details: Record<string, unknown> | null;
}

function postgresAuditLog(pool: pg.Pool, t: Tables): AuditLog {
  return {
    append: async (event) => {
      await pool.query(`insert into ${t.auditEvents} (at, request_id, event, actor, details) values ($1, $2, $3, $4, $5::jsonb)`, [
        isoTime(event.at, 'audit time'),
        event.requestId,
        event.event,
        event.actor,
        event.details === undefined ? null : JSON.stringify(event.details),
      ]);
    },
    list: async (filter = {}) => {
      const conditions: string[] = [];
      const parameters: (string | number)[] = [];
      const parameter = (value: string | number) => `$${parameters.push(value)}`;
      if (filter.requestId !== undefined) conditions.push(`request_id = ${parameter(filter.requestId)}`);
      if (filter.actor !== undefined) conditions.push(`actor = ${parameter(filter.actor)}`);
      if (filter.since !== undefined) conditions.push(`at >= ${parameter(isoTime(filter.since, 'since'))}`);
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const limit = filter.limit !== undefined ? `limit ${parameter(Math.max(0, Math.floor(filter.limit)))}` : '';
      const { rows } = await pool.query<AuditRow>(`select at, request_id, event, actor, details from ${t.auditEvents} ${where} order by at, id ${limit}`, parameters);
      return rows.map((row): AuditEvent => {
        const event: AuditEvent = { at: row.at.toISOString(), requestId: row.request_id, event: row.event, actor: row.actor };
        if (row.details !== null) event.details = row.details;
        return event;
      });
    },
    purgeBefore: async (before) => (await pool.query(`delete from ${t.auditEvents} where at < $1`, [before.toISOString()])).rowCount ?? 0,
  };
}

interface DueJobRow {
  id: string;
  kind: string;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

function toDueJob(row: DueJobRow): DueJob {
  return { id: row.id, kind: row.kind, dueAt: row.due_at.toISOString(), payload: row.payload, attempts: row.attempts };
}

/**
 * A claimed job keeps its dueAt and gets `lease_until`; it is due again once the
 * lease has passed (the worker crashed or failed) unless completed or rescheduled.
 * Scheduling resets attempts: it is a new due-time, not a retry. complete()
 * removes only a claimed job, so a job its handler rescheduled survives.
 */
function postgresDueTimes(pool: pg.Pool, t: Tables): DueTimes {
  const columns = 'id, kind, due_at, payload, attempts';
  return {
    schedule: async (job) => {
      await pool.query(
        `insert into ${t.dueJobs} (id, kind, due_at, payload, attempts, lease_until) values ($1, $2, $3, $4::jsonb, 0, null)
         on conflict (id) do update set kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload, attempts = 0, lease_until = null`,
        [job.id, job.kind, isoTime(job.dueAt, 'dueAt'), JSON.stringify(job.payload ?? {})],
      );
    },
    cancel: async (id) => ((await pool.query(`delete from ${t.dueJobs} where id = $1`, [id])).rowCount ?? 0) > 0,
    // SKIP LOCKED: a job another instance is claiming right now is passed over, never claimed twice.
    claimDue: async (now, limit, leaseMs) => {
      const { rows } = await pool.query<DueJobRow>(
        `update ${t.dueJobs} set lease_until = $2, attempts = attempts + 1
         where id in (
           select id from ${t.dueJobs}
           where due_at <= $1 and (lease_until is null or lease_until <= $1)
           order by due_at, id limit $3
           for update skip locked
         )
         returning ${columns}`,
        [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), Math.max(0, Math.floor(limit))],
      );
      // RETURNING has no order of its own.
      return rows.map(toDueJob).sort((a, b) => (a.dueAt === b.dueAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.dueAt < b.dueAt ? -1 : 1));
    },
    complete: async (id, claimedAttempts) => {
      await pool.query(`delete from ${t.dueJobs} where id = $1 and lease_until is not null and ($2::int is null or attempts = $2::int)`, [id, claimedAttempts ?? null]);
    },
    get: async (id) => {
      const { rows } = await pool.query<DueJobRow>(`select ${columns} from ${t.dueJobs} where id = $1`, [id]);
      return rows[0] && toDueJob(rows[0]);
    },
    list: async (kind) => {
      const { rows } =
        kind === undefined
          ? await pool.query<DueJobRow>(`select ${columns} from ${t.dueJobs} order by due_at, id`)
          : await pool.query<DueJobRow>(`select ${columns} from ${t.dueJobs} where kind = $1 order by due_at, id`, [kind]);
      return rows.map(toDueJob);
    },
  };
}
