/**
 * One bot instance as its own process, for the two-instance test: PostgreSQL
 * storage (DATABASE_URL, DATABASE_SCHEMA), the shared demo tenant at
 * DEMO_TENANT_URL, the helpdesk channel HELPDESK_CHANNEL_ID, job lease JOB_LEASE_MS.
 * Prints one line `READY {"botUrl": …}` when it listens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startPasskeyHelpdesk } from '../../src/composition';
import { createLogger } from '../../src/logging';
import { defaultFixturePath, loadFixture } from '../../src/demoTenant';

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-instance-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    STORAGE_BACKEND: 'postgres',
    DATABASE_URL: env.DATABASE_URL,
    DATABASE_SCHEMA: env.DATABASE_SCHEMA,
    HELPDESK_CHANNEL_ID: env.HELPDESK_CHANNEL_ID,
  });
  const running = await startPasskeyHelpdesk(config, {
    logger: createLogger(env.LOG_LEVEL ?? 'warn'),
    fixture: loadFixture(defaultFixturePath()),
    demoTenantUrl: env.DEMO_TENANT_URL,
    jobLeaseMs: Number(env.JOB_LEASE_MS ?? 60_000),
    env: {},
  });
  process.stdout.write(`READY ${JSON.stringify({ botUrl: running.botUrl })}\n`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main().catch((error) => {
  process.stderr.write(`instance failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
