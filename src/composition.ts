/**
 * Composition root: wires config, ports (Graph, storage), the bot application
 * and the HTTP edge. Nothing else creates infrastructure.
 */
import path from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { createBotApplication } from './bot/application';
import { CardTemplates } from './shared/cardTemplates';
import { ConversationReferences } from './bot/conversationReferences';
import type { BotDeps } from './features/deps';
import { admitActivity } from './bot/admission';
import { Proactive } from './bot/proactive';
import { HelpdeskAdapter } from './bot/adapter';
import { cachedGroupNames } from './graph/groupNames';
import { noticeCard } from './bot/cards/general';
import { createTurnRunner, logAdapterError } from './bot/turnRunner';
import { JobRunner } from './jobs';
import { botFrameworkSettings, type Config } from './config/config';
import { createDemoTenant, defaultFixturePath, faultsFromEnv, loadFixture, type Fixture } from './demoTenant';
import { createBotTokenCredential, createGraphCredential, createGraphPort, createTenantGraphPort } from './graph';
import { TokenCredentialsFactory } from './bot/botCredentials';
import { createNlu } from './nlu';
import type { GraphPort, GraphPreflight } from './graph/port';
import type { DoctorDeps } from './ops/doctor';
import { PLAYGROUND_HELPDESK_CHANNEL_ID } from './playground/config';
import { projectRoot } from './shared/projectRoot';
import { listenHttp, startBotServer, type Listening } from './server';
import { openPostgresStores, openSqliteStores } from './storage';
import type { Stores } from './storage/ports';

export interface RunningHelpdesk {
  botUrl: string;
  /** Demo mode: the demo tenant's base URL (…/v1.0 is Graph). */
  demoTenantUrl?: string;
  tenantId: string;
  /** Demo mode: the fixture the demo tenant serves. */
  fixture?: Fixture;
  deps: BotDeps;
  adapter: CloudAdapter;
  /** Stops at once (tests, restarts): turns in flight are cut off, a running job is awaited. */
  close(): Promise<void>;
  /**
   * Graceful shutdown (SIGTERM/SIGINT): stop taking activities, let turns in flight finish within `graceMs`,
   * stop the job loop and release its unstarted claims, close storage.
   */
  shutdown(graceMs?: number): Promise<ShutdownSummary>;
}

export interface ShutdownSummary {
  /** Turns still running when the grace period ended (their HTTP requests were cut off). */
  abandonedTurns: number;
  /** false when a job was still running at the end: it keeps its lease and runs again after it. */
  jobsFinished: boolean;
}

/** Teams gives up on a turn after ~15 s, and platforms (App Service, Kubernetes) allow ~30 s after SIGTERM. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  logger: Logger;
  clock?: () => Date;
  /** Demo mode: use this fixture instead of reading DEMO_TENANT_FILE. */
  fixture?: Fixture;
  env?: NodeJS.ProcessEnv;
  /** Tests drive due-times themselves (deps.jobs.runDue()) with a fake clock. */
  runJobs?: boolean;
  /**
   * Demo mode: an already running demo tenant serving `fixture` (its base URL), shared by
   * several bot instances (test/postgres/twoInstances.test.ts), instead of starting one.
   */
  demoTenantUrl?: string;
  /** The job runner's lease (default 60 s): how soon another instance takes over a crashed instance's job. */
  jobLeaseMs?: number;
}

/** The Graph side of the world: the real tenant, or the demo tenant served on loopback. */
async function connectGraph(config: Config, options: StartOptions): Promise<{ graph: GraphPort & GraphPreflight; tenantId: string; fixture?: Fixture; demo?: Listening }> {
  if (config.mode === 'tenant') {
    const graph = createTenantGraphPort(config, options.logger, { defaultDeadlineMs: config.turnDeadlineMs });
    return { graph, tenantId: config.tenantId };
  }
  const fixture = options.fixture ?? loadFixture(config.demoTenantFile ?? defaultFixturePath());
  if (options.demoTenantUrl) {
    const shared = createGraphPort({
      baseUrl: `${options.demoTenantUrl}/v1.0`,
      credential: createGraphCredential({ kind: 'demo' }),
      tenantId: fixture.tenant.id,
      tenantCacheTtlMs: config.tenantPolicyCacheMs,
      defaultDeadlineMs: config.turnDeadlineMs,
      logger: options.logger,
    });
    return { graph: shared, tenantId: fixture.tenant.id, fixture };
  }
  const demoTenant = createDemoTenant(fixture, { faults: faultsFromEnv(options.env ?? process.env), now: options.clock });
  const demo = await listenHttp(demoTenant.listener, '127.0.0.1', config.demoTenantPort);
  const graph = createGraphPort({
    baseUrl: `${demo.url}/v1.0`,
    credential: createGraphCredential({ kind: 'demo' }),
    tenantId: fixture.tenant.id,
    tenantCacheTtlMs: config.tenantPolicyCacheMs,
    defaultDeadlineMs: config.turnDeadlineMs,
    logger: options.logger,
  });
  return { graph, tenantId: fixture.tenant.id, fixture, demo };
}

/** The bot's outgoing tokens through @azure/identity (src/bot/botCredentials.ts says why); certificates keep botbuilder's factory. */
function botCredentialsFactory(config: Config): TokenCredentialsFactory | undefined {
  if (config.mode !== 'tenant') return undefined;
  const bot = config.bot;
  if (bot.kind === 'certificate') return undefined;
  return new TokenCredentialsFactory(bot.appId, config.tenantId, (authority) => createBotTokenCredential(bot, config.tenantId, authority));
}

/** Demo defaults: the fixture's "Passkey Helpdesk" / "Passkey Rollout" groups and the Playground's helpdesk channel. */
function withDemoDefaults(config: Config, fixture: Fixture | undefined): Config {
  if (config.mode !== 'demo' || !fixture) return config;
  const groupId = (name: string) => fixture.groups?.find((g: { id?: string; displayName?: string | null }) => g.displayName === name)?.id;
  return {
    ...config,
    helpdeskGroupId: config.helpdeskGroupId ?? groupId('Passkey Helpdesk'),
    helpdeskChannelId: config.helpdeskChannelId ?? PLAYGROUND_HELPDESK_CHANNEL_ID,
    reportGroupId: config.reportGroupId ?? groupId('Passkey Rollout'),
  };
}

/** SQLite in DATA_DIR by default; PostgreSQL when several instances share the work. */
export async function openStores(config: Config, clock: () => Date, logger: Logger): Promise<Stores> {
  if (config.storage.backend === 'postgres') {
    return openPostgresStores(
      {
        connectionString: config.storage.databaseUrl,
        schema: config.storage.schema,
        onConnectionError: (error) => logger.warn({ err: error.message }, 'PostgreSQL connection lost; the pool reconnects'),
      },
      clock,
    );
  }
  return openSqliteStores({ dataDir: config.dataDir }, clock);
}

/** What `passkey-helpdesk doctor` checks, wired as the bot wires itself (demo mode: an in-process demo tenant). */
export async function openDoctor(baseConfig: Config, options: StartOptions): Promise<{ deps: DoctorDeps; close(): Promise<void> }> {
  // The demo tenant listens on a free port: doctor may run beside a bot that holds DEMO_TENANT_PORT.
  const probeConfig: Config = baseConfig.mode === 'demo' ? { ...baseConfig, demoTenantPort: 0 } : baseConfig;
  const { graph, fixture, demo } = await connectGraph(probeConfig, options);
  const config = withDemoDefaults(baseConfig, fixture);
  const clock = options.clock ?? (() => new Date());
  return {
    deps: {
      config,
      graph,
      openStores: () => openStores(config, clock, options.logger),
      isInstalledInChannel: async (stores, channelId) => (await new ConversationReferences(stores).teamsWithChannel(channelId)).length > 0,
      clock,
    },
    close: async () => demo?.close(),
  };
}

export async function startPasskeyHelpdesk(baseConfig: Config, options: StartOptions): Promise<RunningHelpdesk> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const stores = await openStores(baseConfig, clock, logger);
  const closers: Array<() => Promise<void>> = [() => stores.close()];
  try {
    const { graph, tenantId, fixture, demo } = await connectGraph(baseConfig, options);
    if (demo) closers.unshift(() => demo.close());
    const config = withDemoDefaults(baseConfig, fixture);

    const adapter = new HelpdeskAdapter(new ConfigurationBotFrameworkAuthentication(botFrameworkSettings(config), botCredentialsFactory(config)));
    adapter.onTurnError = logAdapterError(logger);
    const references = new ConversationReferences(stores);
    const jobs = new JobRunner(stores.dueTimes, logger, clock, options.jobLeaseMs ? { intervalMs: 1000, batchSize: 20, leaseMs: options.jobLeaseMs } : undefined);
    const botAppId = config.mode === 'tenant' ? config.bot.appId : 'passkey-helpdesk-demo';
    // Trained once at start (tens of milliseconds for the bundled corpus); see docs/conversation.md.
    const nlu = await createNlu(config.nlu, logger);
    logger.info({ mode: nlu.mode, loadTimeMs: Math.round(nlu.loadTimeMs) }, 'language understanding ready');
    const deps: BotDeps = {
      config,
      tenantId,
      graph,
      stores,
      references,
      proactive: new Proactive(adapter, references, botAppId),
      jobs,
      cards: new CardTemplates(path.join(projectRoot(), 'adaptiveCards')),
      nlu: nlu.port,
      // The tenant's groups in both modes (the demo tenant serves /groups), read once per 10 minutes.
      groupNames: cachedGroupNames(graph, clock),
      logger,
      clock,
    };
    const { app, jobs: featureJobs } = createBotApplication(deps);
    // Every durable job in one place: the TAP workflow's reminders, expiries, polling,
    // recovery and deletions, audit retention, the readiness refresh and nudge batches.
    await jobs.register(featureJobs);
    logger.debug({ jobs: featureJobs.map((job) => job.kind) }, 'durable jobs registered');
    const runTurn = createTurnRunner((context: TurnContext) => app.run(context), {
      logger,
      failureCard: () => noticeCard(deps.cards, { title: 'Something went wrong', text: 'Sorry, something went wrong on my side. Please try again in a minute.', color: 'Attention' }),
    });

    // Ready once storage answers and, in tenant mode, a Graph token was acquired (once is enough).
    let tokenAcquired = config.mode === 'demo';
    const ready = async () => {
      const storage = await stores.ping().catch(() => false);
      if (!tokenAcquired) {
        const token = await graph.acquireToken();
        tokenAcquired = token.ok;
        if (!token.ok) logger.warn({ reason: token.reason }, 'not ready: no Microsoft Graph token yet');
      }
      return { ready: storage && tokenAcquired, storage: storage ? 'ok' : 'unreachable', graphToken: tokenAcquired ? 'acquired' : 'not acquired' };
    };

    const bot = await startBotServer({
      host: config.host,
      port: config.port,
      maxRequestBytes: config.maxRequestBytes,
      adapter,
      runTurn,
      admit: (activity) => admitActivity(activity, tenantId),
      health: async () => {
        const [storage, graphOk] = await Promise.all([stores.ping().catch(() => false), graph.ping().catch(() => false)]);
        // Missing log access degrades the diagnosis (no evidence) but doesn't make the bot unhealthy.
        const logs = graph.evidenceAvailability?.();
        const evidence = logs === undefined ? 'not-read-yet' : logs.available ? 'ok' : `unavailable (${logs.reason === 'noPremiumLicence' ? 'no Entra ID P1/P2 licence' : logs.reason === 'forbidden' ? 'AuditLog.Read.All missing' : 'error'})`;
        return { ok: storage && graphOk, mode: config.mode, storage: storage ? 'ok' : 'unreachable', graph: graphOk ? 'ok' : 'unreachable', evidence };
      },
      ready,
      logger,
    });
    closers.unshift(() => bot.close());
    const runJobs = options.runJobs !== false;
    if (runJobs) jobs.start();

    const stopRest = async () => {
      for (const close of closers.slice(1)) await close().catch((error) => logger.warn({ err: error }, 'shutdown step failed'));
    };
    let stopping: Promise<ShutdownSummary> | undefined;
    const shutdown = (graceMs?: number) =>
      (stopping ??= (async () => {
        const started = Date.now();
        const turns = await bot.drain(graceMs ?? 0);
        const jobsStopped = runJobs ? await jobs.stop(graceMs === undefined ? undefined : Math.max(0, graceMs - (Date.now() - started))) : { finished: true };
        await stopRest();
        return { abandonedTurns: turns.abandoned, jobsFinished: jobsStopped.finished };
      })());

    return {
      botUrl: bot.url,
      demoTenantUrl: demo?.url,
      tenantId,
      fixture,
      deps,
      adapter,
      close: async () => {
        await shutdown();
      },
      shutdown: (graceMs = SHUTDOWN_GRACE_MS) => shutdown(graceMs),
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
