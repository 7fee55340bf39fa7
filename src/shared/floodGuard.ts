/**
 * Rate limits on what costs without doing anything: refused submits and card
 * verbs the bot does not know. Each refusal used to write an audit event, so a
 * script could fill the audit log (500 refusals in 3 s ≈ 150 KB). Per person and
 * kind, a token bucket in the store (so the limit holds across instances) lets a
 * burst through and then about one refusal every ten seconds; beyond that the
 * refusals are not audited one by one but as one `flood-limited` event when the
 * flood starts and one `flood-ended` event (with the count) when it stops.
 */
import type { Logger } from 'pino';
import type { Stores, TokenBucketPolicy } from '../storage/ports';

export type FloodKind = 'refused-submit' | 'unknown-verb';

export const FLOOD_LIMITS: Record<FloodKind, TokenBucketPolicy> = {
  'refused-submit': { capacity: 20, refillPerMinute: 6 },
  'unknown-verb': { capacity: 20, refillPerMinute: 6 },
};

export interface FloodGuardDeps {
  stores: Pick<Stores, 'rateLimits' | 'audit'>;
  clock: () => Date;
  logger: Logger;
}

/**
 * Call before handling (and auditing) a refusal or an unknown verb. True: handle
 * it as usual. False: this person is over the limit; answer briefly and record
 * nothing (the aggregated flood events are written here).
 */
export async function allowRefusal(deps: FloodGuardDeps, actor: string | null | undefined, kind: FloodKind): Promise<boolean> {
  const who = actor || 'unknown';
  const now = deps.clock();
  const decision = await deps.stores.rateLimits.take(`${kind}:${who}`, FLOOD_LIMITS[kind], now);
  if (decision.floodEnded) {
    await deps.stores.audit.append({ at: now.toISOString(), requestId: null, event: 'flood-ended', actor: who, details: { kind, refusedWithoutAudit: decision.floodEnded } });
  }
  if (!decision.allowed && decision.refusedInRow === 1) {
    const limit = FLOOD_LIMITS[kind];
    await deps.stores.audit.append({ at: now.toISOString(), requestId: null, event: 'flood-limited', actor: who, details: { kind, burst: limit.capacity, perMinute: limit.refillPerMinute } });
    deps.logger.warn({ actor: who, kind }, 'flood limited: further refusals are counted, not audited one by one');
  }
  return decision.allowed;
}

/** The brief answer for a person over the limit. */
export const SLOW_DOWN = { title: 'Please slow down', text: 'That was refused several times in a row. Wait a minute before trying again.' };
