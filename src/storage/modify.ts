/**
 * Read → decide → compare-and-set, the one optimistic-concurrency loop every
 * feature uses for a document several turns (or instances) may change at once.
 * A concurrent write makes the write fail with ConflictError; the document is
 * read again and `decide` runs again on the fresh value, so a decision is never
 * based on a stale read. `decide` must therefore be free of side effects other
 * than reads; do the effects after `modify` returns.
 */
import { ConflictError, type Collection, type Versioned } from './ports';

/** What `decide` wants: `write` a new value (or nothing), and what `modify` returns. */
export interface Modification<T, R> {
  write?: T;
  result: R;
}

/**
 * Enough for 20+ concurrent writers of one document (the two-instance TAP test
 * approves one request 20 times at once): each round at least one writer wins,
 * and the losers usually stop on the re-read (already decided).
 */
export const MODIFY_ATTEMPTS = 40;

export class TooManyConflictsError extends Error {
  constructor(collection: string, key: string, attempts: number) {
    super(`${collection}/${key}: still changing after ${attempts} attempts`);
    this.name = 'TooManyConflictsError';
  }
}

export async function modify<T, R>(
  collection: Collection<T>,
  key: string,
  decide: (current: Versioned<T> | undefined) => Modification<T, R> | Promise<Modification<T, R>>,
  options: { attempts?: number; name?: string } = {},
): Promise<R> {
  const attempts = options.attempts ?? MODIFY_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await collection.get(key);
    const { write, result } = await decide(current);
    if (write === undefined) return result;
    try {
      if (current) await collection.replace(key, write, current.etag);
      else await collection.create(key, write);
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new TooManyConflictsError(options.name ?? 'document', key, attempts);
}
