/**
 * Token buckets (one per person and kind of request), kept in the store so a limit
 * holds across instances. Pure arithmetic here; each backend reads and writes a
 * bucket inside one transaction.
 */
export interface TokenBucketPolicy {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added back per minute (fractions accumulate). */
  refillPerMinute: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Refusals in a row since the bucket last had a token (this one included when refused). */
  refusedInRow: number;
  /** On the first allowed request after a run of refusals: how many were refused. */
  floodEnded?: number;
}

export interface BucketRow {
  tokens: number;
  updatedAtMs: number;
  refused: number;
}

export function takeToken(row: BucketRow | undefined, policy: TokenBucketPolicy, nowMs: number): { row: BucketRow; decision: RateLimitDecision } {
  const elapsedMinutes = row ? Math.max(0, nowMs - row.updatedAtMs) / 60_000 : 0;
  const tokens = row ? Math.min(policy.capacity, row.tokens + elapsedMinutes * policy.refillPerMinute) : policy.capacity;
  if (tokens >= 1) {
    const floodEnded = row && row.refused > 0 ? row.refused : undefined;
    return { row: { tokens: tokens - 1, updatedAtMs: nowMs, refused: 0 }, decision: { allowed: true, refusedInRow: 0, ...(floodEnded ? { floodEnded } : {}) } };
  }
  const refused = (row?.refused ?? 0) + 1;
  return { row: { tokens, updatedAtMs: nowMs, refused }, decision: { allowed: false, refusedInRow: refused } };
}
