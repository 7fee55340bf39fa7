/**
 * The product for the turn-cost benchmark, in its own process: demo mode with
 * SQLite in a temp DATA_DIR, Graph at the demo tenant DEMO_TENANT_URL (another
 * process), logging at LOG_LEVEL (info, as in production). Prints `READY {"url", "pid"}`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startPasskeyHelpdesk } from '../../src/composition';
import { createLogger } from '../../src/logging';
import { defaultFixturePath, loadFixture } from '../../src/demoTenant';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-bench-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
  // Logs go where production sends them (stdout of the process); here /dev/null.
  const logger = createLogger(config.logLevel, fs.createWriteStream('/dev/null'));
  const running = await startPasskeyHelpdesk(config, { logger, fixture: loadFixture(defaultFixturePath()), demoTenantUrl: process.env.DEMO_TENANT_URL, env: {} });
  process.stdout.write(`READY ${JSON.stringify({ url: running.botUrl, pid: process.pid })}\n`);
}
void main();
// A normal exit on SIGTERM, so --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
