/**
 * `passkey-helpdesk doctor [--json]`: preflight checks with the production settings (docs/cli.md, docs/deploy.md#doctor).
 * Exit code 0 when no check fails (warnings allowed), 1 when one does, 2 for bad flags.
 */
import { parseArgs } from 'node:util';
import { openDoctor } from '../composition';
import { ConfigError, loadConfig, readEnvironment, type Config } from '../config/config';
import { createLogger } from '../logging';
import { exitCodeOf, runDoctor, type DoctorReport } from '../ops/doctor';
import type { CliIo } from './commands';

export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false });
  const report = await doctorReport(io);
  io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : doctorText(report));
  return exitCodeOf(report);
}

async function doctorReport(io: CliIo): Promise<DoctorReport> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment(io.cwd, io.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Nothing else can be checked without a valid configuration.
    return { checks: [{ id: 'config', status: 'fail', detail: `invalid configuration: ${error.message}`, fix: `Set ${error.variable} as docs/configuration.md describes.` }] };
  }
  const doctor = await openDoctor(config, { logger: createLogger('silent'), env: io.env });
  try {
    return await runDoctor(doctor.deps);
  } finally {
    await doctor.close();
  }
}

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** One line per check, then the fix under each that is not ok. */
export function doctorText(report: DoctorReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`[${MARK[check.status]}] ${check.id}: ${check.detail}`);
    if (check.fix) lines.push(`       fix: ${check.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('', failed === 0 ? `Ready (${warned} warning${warned === 1 ? '' : 's'}).` : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}
