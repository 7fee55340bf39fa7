/**
 * Starts the whole product in demo mode (real HTTP edge, demo tenant, SQLite in
 * a temp DATA_DIR) plus a Bot Connector stand-in, for HTTP-level tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config';
import { startPasskeyHelpdesk, type RunningHelpdesk } from '../../src/composition';
import { createLogger } from '../../src/logging';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant';
import { ConnectorStandIn } from './connector';
import { postActivity, type ActivityContext, type Person } from './activities';

export interface Harness {
  helpdesk: RunningHelpdesk;
  connector: ConnectorStandIn;
  fixture: Fixture;
  ctx: ActivityContext;
  dataDir: string;
  /** Everything the product logged, as JSON lines. */
  logs: string[];
  person(upn: string): Person;
  post(activity: unknown): Promise<{ status: number; body: any }>;
  /** Restarts the product on the same DATA_DIR (a crash or deploy between steps). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  fixture?: Fixture;
  clock?: () => Date;
  /** false: no background job loop; the test drives due-times with `helpdesk.deps.jobs.runDue()`. */
  runJobs?: boolean;
  /** pino level of the product's log (default debug; the fuzzer and benchmarks log less). */
  logLevel?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-test-'));
  const fixture = options.fixture ?? loadFixture(defaultFixturePath());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const env = { PORT: '0', DEMO_TENANT_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...options.env };
  const config = loadConfig(env);
  const connector = await new ConnectorStandIn().start();
  const start = () => startPasskeyHelpdesk(config, { logger: createLogger(options.logLevel ?? 'debug', sink), fixture, clock: options.clock, env: {}, ...(options.runJobs === false ? { runJobs: false } : {}) });
  const harness: Harness = {
    helpdesk: await start(),
    connector,
    fixture,
    dataDir,
    logs,
    ctx: { serviceUrl: connector.serviceUrl, tenantId: fixture.tenant.id },
    person(upn: string): Person {
      const user = fixture.users.find((u: { userPrincipalName?: string | null }) => u.userPrincipalName === upn);
      if (!user) throw new Error(`no persona ${upn}`);
      return { aadObjectId: user.id as string, name: user.displayName as string };
    },
    post: (activity) => postActivity(harness.helpdesk.botUrl, activity),
    async restart() {
      await harness.helpdesk.close();
      harness.helpdesk = await start();
    },
    async stop() {
      await harness.helpdesk.close();
      await connector.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
