/**
 * Durable due-times of the TAP workflow (docs/tap.md, "Effects"): reminder,
 * expiry, closed-loop polling, recovery of an interrupted creation, and
 * deletions. A refusal such as `not-due` or `request-closed` means there is
 * nothing to do: the job just completes. A handler that throws leaves its job
 * claimed; it becomes due again when the lease ends.
 */
import type { DueJob } from '../../../storage/ports';
import { applyRecovery, decideRecovery, expire, isStaleAttempt, jobId, pollMethods, remind } from '../domain';
import type { JobDefinition, JobHandler } from '../../../jobs';
import { transact, type TapContext } from './context';
import { TAP_DELETE_JOB, type DeletePayload, type TapEffects } from './effects';

/** A deletion Graph keeps refusing (e.g. 403) is given up after this many tries, loudly. */
const MAX_DELETE_ATTEMPTS = 10;

function requestIdOf(job: DueJob): string | undefined {
  return typeof job.payload.requestId === 'string' ? job.payload.requestId : undefined;
}

export function tapJobs(ctx: TapContext, effects: TapEffects): JobDefinition[] {
  const jobs: JobDefinition[] = [];
  const on = (kind: string, run: JobHandler) => jobs.push({ kind, run });
  const { deps } = ctx;
  const system = (verb: string) => ({ verb, actor: 'system', auditRefusal: false });

  on('tap.remind', async (job) => {
    const requestId = requestIdOf(job);
    if (!requestId) return;
    const outcome = await transact(ctx, requestId, (request) => remind(request, deps.clock()), system('tap.remind'));
    if (outcome.ok) await effects.perform(outcome.request, outcome.effects);
  });

  on('tap.expire', async (job) => {
    const requestId = requestIdOf(job);
    if (!requestId) return;
    const outcome = await transact(ctx, requestId, (request) => expire(request, deps.clock()), system('tap.expire'));
    if (outcome.ok) {
      await effects.perform(outcome.request, outcome.effects);
    } else if (outcome.refusal.reason === 'reveal-in-progress') {
      // A creation attempt is being settled by the recovery check: expire after it.
      await deps.stores.dueTimes.schedule({
        id: jobId(requestId, 'tap.expire'),
        kind: 'tap.expire',
        dueAt: new Date(deps.clock().getTime() + ctx.settings.recoverAfterSeconds * 1000),
        payload: { requestId },
      });
    }
  });

  on('tap.poll', async (job) => {
    const requestId = requestIdOf(job);
    const stored = requestId ? (await ctx.store.requests.get(requestId))?.value : undefined;
    if (!requestId || !stored || stored.status !== 'issued') return;
    // A failed listing throws: the job is due again after its lease.
    const methods = await deps.graph.listAuthenticationMethods(stored.targetUser.id);
    const outcome = await transact(ctx, requestId, (request) => pollMethods(request, methods, deps.clock(), ctx.settings), system('tap.poll'));
    if (outcome.ok) await effects.perform(outcome.request, outcome.effects);
  });

  on('tap.recover', async (job) => {
    const requestId = requestIdOf(job);
    const stored = requestId ? (await ctx.store.requests.get(requestId))?.value : undefined;
    if (!requestId || !stored || stored.status !== 'issuing' || !stored.attempt) return;
    const now = deps.clock();
    if (!isStaleAttempt(stored, now, ctx.settings)) {
      await deps.stores.dueTimes.schedule({
        id: jobId(requestId, 'tap.recover'),
        kind: 'tap.recover',
        dueAt: new Date(Date.parse(stored.attempt.startedAt) + ctx.settings.recoverAfterSeconds * 1000),
        payload: { requestId },
      });
      return;
    }
    const listed = await deps.graph.listTemporaryAccessPasses(stored.targetUser.id).catch(() => null);
    const decision = decideRecovery({ attemptStartedAt: stored.attempt.startedAt, methods: listed, clockSkewSeconds: ctx.settings.clockSkewSeconds });
    const outcome = await transact(
      ctx,
      requestId,
      (request) =>
        request.attempt?.startedAt === stored.attempt?.startedAt
          ? applyRecovery(request, decision, deps.clock(), 'the creation of the pass was not confirmed', ctx.settings)
          : { ok: false, reason: 'not-issuing', message: 'A different attempt is in progress.' },
      system('tap.recover'),
    );
    if (outcome.ok) await effects.perform(outcome.request, outcome.effects);
  });

  on(TAP_DELETE_JOB, async (job) => {
    const payload = job.payload as unknown as DeletePayload;
    if (!payload?.userId || !Array.isArray(payload.methods)) return;
    if (await effects.deleteMethods(payload)) return;
    if (job.attempts >= MAX_DELETE_ATTEMPTS) {
      deps.logger.error({ requestId: payload.requestId, methods: payload.methods.map((m) => m.id), why: payload.why }, 'giving up removing authentication methods; remove them by hand');
      return;
    }
    throw new Error('authentication methods not removed yet');
  });
  return jobs;
}
