/**
 * Runs durable due-times (reminders, expiries, polling, nudges). The due-time
 * itself lives in the store, so a restart picks the work up again; this loop
 * only claims what is due and dispatches it by kind.
 */
import type { Logger } from 'pino';
import type { DueJob, DueTimes } from './storage/ports';

export type JobHandler = (job: DueJob) => Promise<void>;

/**
 * A feature's durable job. A recurring one has a single due-time (id = kind)
 * that its handler moves forward; it is first due at start if it isn't stored.
 */
export interface JobDefinition {
  kind: string;
  run: JobHandler;
  recurring?: boolean;
}

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly dueTimes: DueTimes,
    private readonly logger: Logger,
    private readonly clock: () => Date,
    private readonly options: { intervalMs: number; batchSize: number; leaseMs: number } = { intervalMs: 1000, batchSize: 20, leaseMs: 60_000 },
  ) {}

  on(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Registers the handlers and makes sure each recurring job has its due-time (first run: now). */
  async register(definitions: readonly JobDefinition[]): Promise<void> {
    for (const definition of definitions) this.on(definition.kind, definition.run);
    for (const definition of definitions.filter((d) => d.recurring)) {
      if (!(await this.dueTimes.get(definition.kind))) await this.dueTimes.schedule({ id: definition.kind, kind: definition.kind, dueAt: this.clock() });
    }
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error) => this.logger.error({ err: error }, 'job runner tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  /**
   * Stops claiming. The job running now may finish within `timeoutMs` (default: wait for it); jobs claimed
   * but not started are released so another instance takes them at once. A job still running when the time
   * is up keeps its lease and becomes due again when the lease ends.
   */
  async stop(timeoutMs?: number): Promise<{ finished: boolean }> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.running) return { finished: true };
    if (timeoutMs === undefined) {
      await this.running;
      return { finished: true };
    }
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.running.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
    return { finished };
  }

  /** Claims and runs everything due now; returns how many jobs ran. Tests call it directly. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const jobs = await this.dueTimes.claimDue(this.clock(), this.options.batchSize, this.options.leaseMs);
      if (jobs.length === 0) return ran;
      for (const job of jobs) {
        if (this.stopped) {
          // Shutting down: hand the claim back (scheduling the same id again clears its lease).
          await this.dueTimes.schedule({ id: job.id, kind: job.kind, dueAt: new Date(job.dueAt), payload: job.payload });
          continue;
        }
        const handler = this.handlers.get(job.kind);
        if (!handler) {
          this.logger.error({ jobId: job.id, kind: job.kind }, 'no handler for job kind; dropping it');
          await this.dueTimes.complete(job.id);
          continue;
        }
        try {
          await handler(job);
          await this.dueTimes.complete(job.id, job.attempts);
        } catch (error) {
          // Left claimed: it becomes due again when the lease ends.
          this.logger.warn({ err: error, jobId: job.id, kind: job.kind, attempts: job.attempts }, 'job failed; will retry after its lease');
        }
        ran += 1;
      }
      if (jobs.length < this.options.batchSize || this.stopped) return ran;
    }
  }
}
