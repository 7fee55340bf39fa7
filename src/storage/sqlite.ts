/**
 * Embedded storage backend: one SQLite file in DATA_DIR via better-sqlite3.
 * better-sqlite3 is synchronous; every method is still async so callers are
 * written against the Promise-based port and a PostgreSQL backend can slot in.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import { takeToken, type BucketRow } from './tokenBucket';

export const DATABASE_FILE_NAME = 'passkey-helpdesk.sqlite';

/** Forward-only migrations; entry i takes the schema from version i to i + 1. Never edit a shipped entry. */
const MIGRATIONS: string[] = [
  `
  create table documents (
    id integer primary key autoincrement,
    collection text not null,
    key text not null,
    value text not null,
    etag text not null,
    created_at text not null,
    updated_at text not null,
    unique (collection, key)
  );
  create table document_index (
    collection text not null,
    name text not null,
    value text not null,
    key text not null,
    primary key (collection, name, key)
  );
  create index document_index_lookup on document_index (collection, name, value);
  create table collection_indexes (
    collection text primary key,
    names text not null
  );
  create table audit_events (
    id integer primary key autoincrement,
    at text not null,
    request_id text,
    event text not null,
    actor text,
    details text
  );
  create index audit_events_at on audit_events (at);
  create index audit_events_request on audit_events (request_id, at);
  create index audit_events_actor on audit_events (actor, at);
  create table due_jobs (
    id text primary key,
    kind text not null,
    due_at text not null,
    payload text not null,
    attempts integer not null default 0,
    leased_until text
  );
  create index due_jobs_due on due_jobs (due_at);
  create table bot_state (
    key text primary key,
    value text not null,
    etag text not null
  );
  `,
  `
  create table rate_buckets (
    key text primary key,
    tokens real not null,
    updated_at_ms integer not null,
    refused integer not null default 0
  );
  `,
];

type Db = Database.Database;

function migrate(db: Db): void {
  db.exec('create table if not exists schema_version (version integer not null)');
  const row = db.prepare('select version from schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(`Database schema version ${current} is newer than this program understands (${MIGRATIONS.length}); upgrade passkey-helpdesk.`);
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]);
    db.prepare('delete from schema_version').run();
    db.prepare('insert into schema_version (version) values (?)').run(MIGRATIONS.length);
  }).immediate();
}

export function openSqliteStores(options: { dataDir: string } | { filename: ':memory:' }, clock: () => Date = () => new Date()): Stores {
  let filename: string;
  if ('dataDir' in options) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    filename = path.join(options.dataDir, DATABASE_FILE_NAME);
  } else {
    filename = options.filename;
  }
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

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

  return {
    botState: sqliteBotState(db),
    audit: sqliteAuditLog(db),
    dueTimes: sqliteDueTimes(db),
    rateLimits: sqliteRateLimits(db),
    collection: <T>(name: string, collectionOptions?: CollectionOptions<T>) => {
      checkIndexes(name, collectionOptions as CollectionOptions<unknown> | undefined);
      return sqliteCollection<T>(db, name, collectionOptions ?? {}, clock);
    },
    ping: async () => {
      try {
        return db.prepare('select 1 as ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: async () => {
      db.close();
    },
  };
}

interface DocumentRow {
  key: string;
  value: string;
  etag: string;
}

function toVersioned<T>(row: DocumentRow): Versioned<T> {
  return { key: row.key, value: JSON.parse(row.value) as T, etag: row.etag };
}

function sqliteCollection<T>(db: Db, collection: string, options: CollectionOptions<T>, clock: () => Date): Collection<T> {
  const indexes = options.indexes ?? {};
  const selectOne = db.prepare('select key, value, etag from documents where collection = ? and key = ?');
  const insert = db.prepare('insert into documents (collection, key, value, etag, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  const update = db.prepare('update documents set value = ?, etag = ?, updated_at = ? where collection = ? and key = ?');
  const upsert = db.prepare(
    `insert into documents (collection, key, value, etag, created_at, updated_at) values (?, ?, ?, ?, ?, ?)
     on conflict (collection, key) do update set value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
  );
  const deleteDoc = db.prepare('delete from documents where collection = ? and key = ?');
  const deleteIndexRows = db.prepare('delete from document_index where collection = ? and key = ?');
  const insertIndexRow = db.prepare('insert into document_index (collection, name, value, key) values (?, ?, ?, ?)');

  // Index rows are rewritten in the same transaction as the document they describe.
  const writeIndexRows = (key: string, value: T) => {
    deleteIndexRows.run(collection, key);
    for (const [name, extract] of Object.entries(indexes)) {
      const indexed = extract(value);
      if (indexed !== undefined && indexed !== null) insertIndexRow.run(collection, name, indexed, key);
    }
  };

  // Documents written before an index was declared have no rows for it: rebuild when the declared set changes.
  const declaredNames = Object.keys(indexes).sort().join(',');
  const recorded = db.prepare('select names from collection_indexes where collection = ?').get(collection) as { names: string } | undefined;
  if ((recorded?.names ?? '') !== declaredNames) {
    db.transaction(() => {
      const rows = db.prepare('select key, value from documents where collection = ?').all(collection) as DocumentRow[];
      for (const row of rows) writeIndexRows(row.key, JSON.parse(row.value) as T);
      db.prepare('insert into collection_indexes (collection, names) values (?, ?) on conflict (collection) do update set names = excluded.names').run(collection, declaredNames);
    }).immediate();
  }

  const get = (key: string) => selectOne.get(collection, key) as DocumentRow | undefined;
  const save = (statement: 'insert' | 'upsert', key: string, value: T) => {
    const json = JSON.stringify(value);
    const etag = randomUUID();
    const now = clock().toISOString();
    (statement === 'insert' ? insert : upsert).run(collection, key, json, etag, now, now);
    writeIndexRows(key, value);
    return toVersioned<T>({ key, value: json, etag });
  };

  return {
    get: async (key) => {
      const row = get(key);
      return row && toVersioned<T>(row);
    },
    create: async (key, value) =>
      db.transaction(() => {
        if (get(key)) throw new ConflictError(collection, key, 'exists');
        return save('insert', key, value);
      }).immediate(),
    replace: async (key, value, etag) =>
      db.transaction(() => {
        const row = get(key);
        if (!row) throw new ConflictError(collection, key, 'missing');
        if (row.etag !== etag) throw new ConflictError(collection, key, 'etag-mismatch');
        const json = JSON.stringify(value);
        const newEtag = randomUUID();
        update.run(json, newEtag, clock().toISOString(), collection, key);
        writeIndexRows(key, value);
        return toVersioned<T>({ key, value: json, etag: newEtag });
      }).immediate(),
    upsert: async (key, value) => db.transaction(() => save('upsert', key, value)).immediate(),
    delete: async (key, etag) =>
      db.transaction(() => {
        const row = get(key);
        if (!row) return false;
        if (etag !== undefined && row.etag !== etag) throw new ConflictError(collection, key, 'etag-mismatch');
        deleteDoc.run(collection, key);
        deleteIndexRows.run(collection, key);
        return true;
      }).immediate(),
    findBy: async (name, value) => {
      if (!(name in indexes)) throw new Error(`Collection ${collection} has no index named ${name}`);
      const rows = db
        .prepare(
          `select d.key, d.value, d.etag from document_index i
           join documents d on d.collection = i.collection and d.key = i.key
           where i.collection = ? and i.name = ? and i.value = ? order by d.id`,
        )
        .all(collection, name, value) as DocumentRow[];
      return rows.map((row) => toVersioned<T>(row));
    },
    list: async () => {
      const rows = db.prepare('select key, value, etag from documents where collection = ? order by id').all(collection) as DocumentRow[];
      return rows.map((row) => toVersioned<T>(row));
    },
  };
}

function sqliteRateLimits(db: Db): RateLimits {
  const select = db.prepare('select tokens, updated_at_ms as updatedAtMs, refused from rate_buckets where key = ?');
  const save = db.prepare(
    'insert into rate_buckets (key, tokens, updated_at_ms, refused) values (?, ?, ?, ?) on conflict (key) do update set tokens = excluded.tokens, updated_at_ms = excluded.updated_at_ms, refused = excluded.refused',
  );
  return {
    take: async (key, policy, now) =>
      db
        .transaction(() => {
          const { row, decision } = takeToken(select.get(key) as BucketRow | undefined, policy, now.getTime());
          save.run(key, row.tokens, row.updatedAtMs, row.refused);
          return decision;
        })
        .immediate(),
  };
}

/** botbuilder `Storage` with MemoryStorage's eTag rules: no eTag or '*' overwrites, a stale eTag rejects. */
function sqliteBotState(db: Db): Storage {
  const selectOne = db.prepare('select value, etag from bot_state where key = ?');
  const save = db.prepare('insert into bot_state (key, value, etag) values (?, ?, ?) on conflict (key) do update set value = excluded.value, etag = excluded.etag');
  const remove = db.prepare('delete from bot_state where key = ?');

  return {
    read: async (keys) => {
      if (!keys) throw new ReferenceError('Keys are required when reading.');
      const items: StoreItems = {};
      for (const key of keys) {
        const row = selectOne.get(key) as { value: string; etag: string } | undefined;
        if (row) items[key] = { ...(JSON.parse(row.value) as Record<string, unknown>), eTag: row.etag };
      }
      return items;
    },
    // Unlike MemoryStorage, a conflict on one key writes none of the others.
    write: async (changes) => {
      if (!changes) throw new ReferenceError('Changes are required when writing.');
      db.transaction(() => {
        for (const [key, item] of Object.entries(changes)) {
          const stored = selectOne.get(key) as { etag: string } | undefined;
          const { eTag, ...value } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
          if (stored && eTag && eTag !== '*' && eTag !== stored.etag) {
            throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          }
          save.run(key, JSON.stringify(value), randomUUID());
        }
      }).immediate();
    },
    delete: async (keys) => {
      db.transaction(() => {
        for (const key of keys) remove.run(key);
      }).immediate();
    },
  };
}

interface AuditRow {
  at: string;
  request_id: string | null;
  event: string;
  actor: string | null;
  details: string | null;
}

function isoTime(value: string | Date, what: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid ${what}: ${String(value)}`);
  return date.toISOString();
}

function sqliteAuditLog(db: Db): AuditLog {
  const insert = db.prepare('insert into audit_events (at, request_id, event, actor, details) values (?, ?, ?, ?, ?)');
  const purge = db.prepare('delete from audit_events where at < ?');

  return {
    // Times are normalised to ISO UTC so that text order is time order.
    append: async (event) => {
      insert.run(isoTime(event.at, 'audit time'), event.requestId, event.event, event.actor, event.details === undefined ? null : JSON.stringify(event.details));
    },
    list: async (filter = {}) => {
      const conditions: string[] = [];
      const parameters: (string | number)[] = [];
      if (filter.requestId !== undefined) {
        conditions.push('request_id = ?');
        parameters.push(filter.requestId);
      }
      if (filter.actor !== undefined) {
        conditions.push('actor = ?');
        parameters.push(filter.actor);
      }
      if (filter.since !== undefined) {
        conditions.push('at >= ?');
        parameters.push(isoTime(filter.since, 'since'));
      }
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const limit = filter.limit !== undefined ? `limit ${Math.max(0, Math.floor(filter.limit))}` : '';
      const rows = db.prepare(`select at, request_id, event, actor, details from audit_events ${where} order by at, id ${limit}`).all(...parameters) as AuditRow[];
      return rows.map((row): AuditEvent => {
        const event: AuditEvent = { at: row.at, requestId: row.request_id, event: row.event, actor: row.actor };
        if (row.details !== null) event.details = JSON.parse(row.details) as Record<string, unknown>;
        return event;
      });
    },
    purgeBefore: async (before) => purge.run(before.toISOString()).changes,
  };
}

interface DueJobRow {
  id: string;
  kind: string;
  due_at: string;
  payload: string;
  attempts: number;
}

function toDueJob(row: DueJobRow): DueJob {
  return { id: row.id, kind: row.kind, dueAt: row.due_at, payload: JSON.parse(row.payload) as Record<string, unknown>, attempts: row.attempts };
}

/**
 * A claimed job keeps its dueAt and gets `leased_until`; it is due again once the
 * lease has passed (the worker crashed or failed) unless completed or rescheduled.
 * Scheduling resets attempts: it is a new due-time, not a retry. complete()
 * removes only a claimed job, so a job its handler rescheduled survives.
 */
function sqliteDueTimes(db: Db): DueTimes {
  const columns = 'id, kind, due_at, payload, attempts';
  const schedule = db.prepare(
    `insert into due_jobs (id, kind, due_at, payload, attempts, leased_until) values (?, ?, ?, ?, 0, null)
     on conflict (id) do update set kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload, attempts = 0, leased_until = null`,
  );
  const remove = db.prepare('delete from due_jobs where id = ?');
  const selectDue = db.prepare(
    `select ${columns} from due_jobs where due_at <= ? and (leased_until is null or leased_until <= ?) order by due_at, id limit ?`,
  );
  const lease = db.prepare('update due_jobs set leased_until = ?, attempts = attempts + 1 where id = ?');
  // A handler that rescheduled its own job (clearing the lease) must not lose it to the worker's complete().
  const removeClaimed = db.prepare('delete from due_jobs where id = ? and leased_until is not null and (? is null or attempts = ?)');

  return {
    schedule: async (job) => {
      schedule.run(job.id, job.kind, isoTime(job.dueAt, 'dueAt'), JSON.stringify(job.payload ?? {}));
    },
    cancel: async (id) => remove.run(id).changes > 0,
    claimDue: async (now, limit, leaseMs) =>
      db.transaction(() => {
        const nowIso = now.toISOString();
        const leasedUntil = new Date(now.getTime() + leaseMs).toISOString();
        const rows = selectDue.all(nowIso, nowIso, Math.max(0, Math.floor(limit))) as DueJobRow[];
        for (const row of rows) lease.run(leasedUntil, row.id);
        return rows.map((row) => toDueJob({ ...row, attempts: row.attempts + 1 }));
      }).immediate(),
    complete: async (id, claimedAttempts) => {
      const attempts = claimedAttempts ?? null;
      removeClaimed.run(id, attempts, attempts);
    },
    get: async (id) => {
      const row = db.prepare(`select ${columns} from due_jobs where id = ?`).get(id) as DueJobRow | undefined;
      return row && toDueJob(row);
    },
    list: async (kind) => {
      const rows = (
        kind === undefined
          ? db.prepare(`select ${columns} from due_jobs order by due_at, id`).all()
          : db.prepare(`select ${columns} from due_jobs where kind = ? order by due_at, id`).all(kind)
      ) as DueJobRow[];
      return rows.map(toDueJob);
    },
  };
}
