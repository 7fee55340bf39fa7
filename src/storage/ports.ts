/**
 * Storage port. Asynchronous even where the embedded backend (better-sqlite3)
 * is synchronous, so a PostgreSQL backend can implement the same contract.
 * Every write is atomic; documents are versioned with etags so two writers
 * can't silently overwrite each other.
 */
import type { Storage } from 'botbuilder';
import type { RateLimitDecision, TokenBucketPolicy } from './tokenBucket';

export type { RateLimitDecision, TokenBucketPolicy } from './tokenBucket';

export class ConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly key: string,
    reason: 'exists' | 'etag-mismatch' | 'missing',
  ) {
    super(`${collection}/${key}: ${reason === 'exists' ? 'already exists' : reason === 'missing' ? 'does not exist' : 'changed since it was read (etag mismatch)'}`);
    this.name = 'ConflictError';
  }
}

export interface Versioned<T> {
  key: string;
  value: T;
  etag: string;
}

/**
 * A keyed collection of JSON documents. `indexes` (declared when the collection
 * is opened) extract string fields that `findBy` can look up without a scan.
 */
export interface Collection<T> {
  get(key: string): Promise<Versioned<T> | undefined>;
  /** Fails with ConflictError('exists') if the key is taken. */
  create(key: string, value: T): Promise<Versioned<T>>;
  /** Fails with ConflictError('etag-mismatch') if someone wrote since `etag` was read. */
  replace(key: string, value: T, etag: string): Promise<Versioned<T>>;
  /** Last writer wins: only for documents with a single writer (e.g. conversation references). */
  upsert(key: string, value: T): Promise<Versioned<T>>;
  /** With an etag, fails on mismatch; returns false when nothing was there. */
  delete(key: string, etag?: string): Promise<boolean>;
  /** Documents whose declared index `name` equals `value`, oldest first. */
  findBy(name: string, value: string): Promise<Versioned<T>[]>;
  /** All documents, oldest first (for small collections and admin tools). */
  list(): Promise<Versioned<T>[]>;
}

export interface CollectionOptions<T> {
  indexes?: Record<string, (value: T) => string | undefined | null>;
}

/** An audit event: append-only, retained for a configurable number of days. */
export interface AuditEvent {
  at: string; // ISO time
  requestId: string | null;
  event: string; // requested, routed, reminded, approved, denied, revealed, issue-failed, revoked, completed, expired, cancelled, refused-forged, lookup-refused, ...
  actor: string | null; // aadObjectId (or "system")
  details?: Record<string, unknown>; // never secrets
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  list(filter?: { requestId?: string; actor?: string; since?: string; limit?: number }): Promise<AuditEvent[]>;
  /** Deletes events older than `before`; returns how many. */
  purgeBefore(before: Date): Promise<number>;
}

/** A durable due-time: timed work survives restarts (never only a process timer). */
export interface DueJob<P = Record<string, unknown>> {
  id: string; // unique; scheduling the same id again moves it
  kind: string; // e.g. "tap.remind", "tap.expire", "tap.poll", "nudge.send"
  dueAt: string; // ISO time
  payload: P;
  attempts: number;
}

export interface DueTimes {
  schedule(job: { id: string; kind: string; dueAt: Date; payload?: Record<string, unknown> }): Promise<void>;
  cancel(id: string): Promise<boolean>;
  /**
   * Claims up to `limit` jobs due at `now`: each claimed job is hidden for
   * `leaseMs` (so a crash mid-job makes it due again) until completed or rescheduled.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<DueJob[]>;
  /**
   * Removes a claimed job; a no-op if the job was rescheduled (or cancelled) since it was claimed.
   * With `claimedAttempts` (the `attempts` of the claim), also a no-op if someone else claimed it
   * again after this claim's lease ran out: a slow worker never deletes another's claim.
   */
  complete(id: string, claimedAttempts?: number): Promise<void>;
  get(id: string): Promise<DueJob | undefined>;
  list(kind?: string): Promise<DueJob[]>;
}

/** Per-key token buckets shared by every instance on the store (see tokenBucket.ts). */
export interface RateLimits {
  /** Takes one token from bucket `key` (created full); atomic across instances. */
  take(key: string, policy: TokenBucketPolicy, now: Date): Promise<RateLimitDecision>;
}

export interface Stores {
  /** teams-ai / botbuilder turn state. */
  botState: Storage;
  audit: AuditLog;
  dueTimes: DueTimes;
  rateLimits: RateLimits;
  collection<T>(name: string, options?: CollectionOptions<T>): Collection<T>;
  /** Cheap liveness check for /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
