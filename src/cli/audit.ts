/**
 * `passkey-helpdesk audit [--request <id>] [--json]`: the audit log (every TAP
 * event, refusals and look-ups) from the store in DATA_DIR, oldest first.
 * `--json` prints `[{ "at", "requestId", "event", "actor" }]`; without it, one
 * line per event. Details stay out (they are for the store, not for a pipe).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStores } from '../composition';
import { loadConfig, readEnvironment, type Config } from '../config/config';
import { createLogger } from '../logging';
import { DATABASE_FILE_NAME } from '../storage';
import { UsageError, type CliIo } from './commands';

export interface AuditRow {
  at: string;
  requestId: string | null;
  event: string;
  actor: string | null;
}

export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { request: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const requestId = values.request?.trim();
  if (values.request !== undefined && !requestId) throw new UsageError('--request needs a request id');

  const config = loadConfig(readEnvironment(io.cwd, io.env));
  const rows = await readAudit(config, requestId);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout.write(requestId ? `No audit events for request ${requestId}.\n` : 'No audit events.\n');
    return 0;
  }
  for (const row of rows) io.stdout.write(`${row.at}  ${row.event.padEnd(16)}  ${row.requestId ?? '-'}  ${row.actor ?? '-'}\n`);
  return 0;
}

/** Reads without creating: no SQLite database in DATA_DIR means no events yet. */
async function readAudit(config: Config, requestId: string | undefined): Promise<AuditRow[]> {
  if (config.storage.backend === 'sqlite' && !fs.existsSync(path.join(config.dataDir, DATABASE_FILE_NAME))) return [];
  const stores = await openStores(config, () => new Date(), createLogger('silent'));
  try {
    const events = await stores.audit.list(requestId ? { requestId } : {});
    return events.map((e) => ({ at: e.at, requestId: e.requestId, event: e.event, actor: e.actor }));
  } finally {
    await stores.close();
  }
}
