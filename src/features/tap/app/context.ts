/**
 * What every part of the TAP shell shares, and the one way a request changes:
 * load it with its etag, decide, write it back with that etag (on a conflict
 * reload and decide again, so the loser of a race gets the refusal that names
 * who won), then audit. Effects are the caller's job, after this returns.
 */
import type { AuditEvent } from '../../../storage/ports';
import { modify } from '../../../storage/modify';
import {
  type Decision,
  type Effect,
  type Refusal,
  type TapRequest,
  type TapSettings,
  refusalEvent,
  refuse,
  withDefaults,
} from '../domain';
import type { BotDeps } from '../../deps';
import { allowRefusal } from '../../../shared/floodGuard';
import { openTapStore, type TapStore } from './store';

export interface TapContext {
  /** Read at call time (`deps.graph` etc.), never copied: one object for the process. */
  deps: BotDeps;
  store: TapStore;
  settings: TapSettings;
}

export function createTapContext(deps: BotDeps): TapContext {
  return { deps, store: openTapStore(deps.stores), settings: withDefaults({ ...deps.config.tap }) };
}

export type Outcome =
  | { ok: true; request: TapRequest; effects: Effect[] }
  | { ok: false; refusal: Refusal; request?: TapRequest };

export interface AuditAs {
  verb: string;
  /** aadObjectId of the person acting, or "system" for jobs. */
  actor: string;
  /** Timed jobs and internal steps don't audit their (expected) refusals. */
  auditRefusal?: boolean;
}

export const UNKNOWN_REQUEST_MESSAGE = "I can't find that Temporary Access Pass request. Please start again from the menu.";

export async function transact(
  ctx: TapContext,
  requestId: string,
  decide: (request: TapRequest) => Decision | Promise<Decision>,
  as: AuditAs,
): Promise<Outcome> {
  const { outcome, events } = await modify<TapRequest, { outcome: Outcome; events: AuditEvent[] }>(
    ctx.store.requests,
    requestId,
    async (loaded) => {
      if (!loaded) return { result: { outcome: { ok: false, refusal: refuse('unknown-request', UNKNOWN_REQUEST_MESSAGE) }, events: [] } };
      const decision = await decide(loaded.value);
      if (!decision.ok) return { result: { outcome: { ok: false, refusal: decision, request: loaded.value }, events: [] } };
      const changed = decision.request.version !== loaded.value.version;
      return {
        ...(changed ? { write: decision.request } : {}),
        result: { outcome: { ok: true, request: decision.request, effects: decision.effects }, events: decision.events },
      };
    },
    { name: 'TAP request' },
  );
  if (!outcome.ok) {
    if (as.auditRefusal !== false) await auditRefusal(ctx, outcome.refusal, requestId, as);
    return outcome;
  }
  // Audited only once the decision is stored: a lost compare-and-set leaves no trace.
  for (const event of events) {
    await ctx.deps.stores.audit.append(event);
    ctx.deps.logger.info({ requestId, event: event.event, actor: event.actor, status: outcome.request.status }, 'TAP request event');
  }
  return outcome;
}

/** Audits a refusal, unless the person is flooding (then the flood guard aggregates); false when flooding. */
export async function auditRefusal(ctx: TapContext, refusal: Refusal, requestId: string | null, as: Pick<AuditAs, 'verb' | 'actor'>): Promise<boolean> {
  if (!(await allowRefusal(ctx.deps, as.actor, 'refused-submit'))) return false;
  const event = refusalEvent(refusal, { requestId, actor: as.actor, verb: as.verb, now: ctx.deps.clock() });
  await ctx.deps.stores.audit.append(event);
  ctx.deps.logger.info({ requestId, event: event.event, actor: as.actor, verb: as.verb, reason: refusal.reason }, 'TAP action refused');
  return true;
}
