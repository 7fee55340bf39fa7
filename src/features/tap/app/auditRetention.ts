/**
 * Audit retention: once a day, events older than AUDIT_RETENTION_DAYS are
 * purged. A durable due-time like every timed step, so a restart doesn't
 * skip or double it; the next run is stored before the purge runs.
 */
import type { JobDefinition } from '../../../jobs';
import type { BotDeps } from '../../deps';

const AUDIT_PURGE_JOB = { id: 'audit.purge', kind: 'audit.purge' } as const;

const DAY = 86_400_000;

export function auditRetentionJob(deps: BotDeps): JobDefinition {
  return {
    kind: AUDIT_PURGE_JOB.kind,
    recurring: true,
    run: async () => {
      const now = deps.clock();
      await deps.stores.dueTimes.schedule({ ...AUDIT_PURGE_JOB, dueAt: new Date(now.getTime() + DAY) });
      const before = new Date(now.getTime() - deps.config.auditRetentionDays * DAY);
      const purged = await deps.stores.audit.purgeBefore(before);
      deps.logger.info({ purged, before: before.toISOString(), retentionDays: deps.config.auditRetentionDays }, 'audit events past retention purged');
    },
  };
}
