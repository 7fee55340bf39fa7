/**
 * "Never a blind retry". The creation POST is retried only on 429 (rejected
 * before processing). After a 5xx or a timeout the TAP may or may not exist, so
 * the shell lists the user's TAP methods and asks `decideRecovery`.
 *
 * Decision when a TAP created after the attempt began exists: its value was
 * never seen by anyone, so it is useless to the recipient yet a live
 * credential. The safest course is to delete it and leave the request in
 * `issue-failed` with Retry; a Retry creates a fresh pass whose value is
 * returned in that invoke response. Nothing is ever shown from a listing
 * (Graph returns the value only in the creation response).
 */
import { type Decision, type TapRequest, refuse } from './request';
import { type TapSettings, withDefaults } from './settings';
import { failIssue } from './transitions';

/** A TAP method as Graph lists it (`listTemporaryAccessPasses`, or any method list: others are ignored). */
export interface ListedTap {
  id: string;
  '@odata.type'?: string;
  createdDateTime?: string | null;
  [property: string]: unknown;
}

export type RecoveryDecision =
  /** A TAP created after the attempt began exists: delete it (value unknown) → issue-failed, Retry. */
  | { outcome: 'created'; methodIds: string[] }
  /** Nothing was created: issue-failed, Retry. */
  | { outcome: 'not-created' }
  /** The listing itself failed: stay `issuing`, check again later (the `tap.recover` job). */
  | { outcome: 'unknown' };

const TAP_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';

/**
 * TAPs created at or after `since` (minus the tolerated clock skew). A TAP
 * without a readable creation time counts as created since: a credential of
 * unknown origin is removed rather than left behind (the user can retry).
 */
export function tapsCreatedSince(methods: readonly ListedTap[], since: string, clockSkewSeconds: number): ListedTap[] {
  const threshold = Date.parse(since) - clockSkewSeconds * 1000;
  return methods.filter((m) => {
    if (m['@odata.type'] !== undefined && m['@odata.type'] !== TAP_TYPE) return false;
    const created = m.createdDateTime ? Date.parse(m.createdDateTime) : Number.NaN;
    return Number.isNaN(created) || created >= threshold;
  });
}

export function decideRecovery(input: {
  attemptStartedAt: string;
  /** The listing after the failure; null when the listing failed too. */
  methods: readonly ListedTap[] | null;
  clockSkewSeconds?: number;
}): RecoveryDecision {
  if (input.methods === null) return { outcome: 'unknown' };
  const skew = input.clockSkewSeconds ?? withDefaults().clockSkewSeconds;
  const created = tapsCreatedSince(input.methods, input.attemptStartedAt, skew);
  return created.length > 0 ? { outcome: 'created', methodIds: created.map((m) => m.id) } : { outcome: 'not-created' };
}

/** Is the `issuing` request's attempt old enough for the recovery job to settle it? */
export function isStaleAttempt(request: TapRequest, now: Date, settings?: Partial<TapSettings>): boolean {
  if (request.status !== 'issuing' || !request.attempt) return false;
  return now.getTime() - Date.parse(request.attempt.startedAt) >= withDefaults(settings).recoverAfterSeconds * 1000;
}

/** Applies a recovery decision to an `issuing` request. `why` describes the original failure (no secrets). */
export function applyRecovery(
  request: TapRequest,
  decision: RecoveryDecision,
  now: Date,
  why: string,
  settings?: Partial<TapSettings>,
): Decision {
  if (request.status !== 'issuing' || !request.attempt)
    return refuse('not-issuing', 'No creation of a Temporary Access Pass is in progress for this request.');
  const s = withDefaults(settings);

  if (decision.outcome === 'unknown')
    return {
      ok: true,
      request, // unchanged: same version, nothing to write
      events: [],
      effects: [{ kind: 'schedule', job: 'tap.recover', at: new Date(now.getTime() + s.recoverAfterSeconds * 1000).toISOString() }],
    };

  if (decision.outcome === 'not-created') return failIssue(request, now, why, { recovery: 'not-created', settings });

  const failed = failIssue(request, now, `${why}; a pass was created but could not be shown, so it was removed`, {
    recovery: 'created-and-deleted',
    settings,
  });
  if (!failed.ok) return failed;
  return {
    ...failed,
    effects: [
      {
        kind: 'delete-methods',
        methods: decision.methodIds.map((id) => ({
          '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
          id,
          displayName: 'Temporary Access Pass',
        })),
        why: 'tap-value-unknown',
      },
      ...failed.effects,
    ],
  };
}
