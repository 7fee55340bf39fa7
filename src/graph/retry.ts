/**
 * When to try a Graph request again, and for how long to wait — always inside the per-turn deadline.
 * (Replaces the SDK's RetryHandler, whose waits can outlast Teams' ~15 s reply limit.)
 */
import { Deadline, GraphError } from './port';

/** At most this many retries after the first attempt (the deadline usually ends things sooner). */
export const MAX_RETRIES = 3;

/** A retry needs at least this much time left after its wait to be worth sending. */
export const MIN_ATTEMPT_MS = 100;

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 4_000;

/**
 * 429 means "rejected before processing", so any request may be repeated.
 * 503/504 may come after the work was done, so only idempotent requests are repeated.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  return status === 429 || (idempotent && (status === 503 || status === 504));
}


/** Exponential backoff for a retry without `Retry-After` (retry 1 → 500 ms, 2 → 1 s, 3 → 2 s, capped). */
export function backoffMs(retry: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
}

export function deadlineExceeded(what: string): GraphError {
  return new GraphError(`Microsoft Graph did not answer ${what} within this turn's time limit`, 0, 'deadlineExceeded');
}

/**
 * Waits `waitMs` before a retry, or fails at once with `deadlineExceeded` when the wait
 * (plus a minimal attempt) would not fit in what is left of the deadline.
 */
export async function waitWithinDeadline(
  waitMs: number,
  deadline: Deadline,
  what: string,
  clock: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  if (waitMs + MIN_ATTEMPT_MS > deadline.remainingMs(clock())) {
    throw deadlineExceeded(`${what} (asked to wait ${Math.ceil(waitMs / 1000)} s)`);
  }
  if (waitMs > 0) await sleep(waitMs);
}
