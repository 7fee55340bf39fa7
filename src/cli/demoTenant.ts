/**
 * `passkey-helpdesk demo-tenant serve|generate`: the demo tenant on its own,
 * and big generated fixtures for benchmarks.
 */
import { parseArgs } from 'node:util';
import { createDemoTenant, defaultFixturePath, faultsFromEnv, loadFixture, writeGeneratedFixture } from '../demoTenant';
import { listenHttp } from '../server';
import { UsageError, type CliIo } from './commands';

function wholeNumber(flag: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} <n> is required`);
    return fallback;
  }
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number, got "${value}"`);
  return Number(value);
}

export async function demoTenantCommand(argv: string[], io: CliIo): Promise<number | undefined> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') {
    const { values } = parseArgs({ args: rest, options: { fixture: { type: 'string' }, port: { type: 'string' } }, strict: true });
    const fixture = loadFixture(values.fixture ?? io.env.DEMO_TENANT_FILE ?? defaultFixturePath());
    const demo = createDemoTenant(fixture, { faults: faultsFromEnv(io.env) });
    const port = wholeNumber('--port', values.port ?? io.env.DEMO_TENANT_PORT, 3979);
    const listening = await listenHttp(demo.listener, '127.0.0.1', port);
    io.stdout.write(`Demo tenant "${fixture.tenant.displayName}" (tenant id ${fixture.tenant.id}), ${fixture.users.length} users\n`);
    io.stdout.write(`Microsoft Graph emulator: ${listening.url}/v1.0   (demo-only controls: ${listening.url}/_demo)\n`);
    process.once('SIGINT', () => void listening.close().then(() => process.exit(0)));
    process.once('SIGTERM', () => void listening.close().then(() => process.exit(0)));
    return undefined;
  }
  if (sub === 'generate') {
    const { values } = parseArgs({ args: rest, options: { users: { type: 'string' }, seed: { type: 'string' } }, strict: true });
    const users = wholeNumber('--users', values.users);
    if (users < 1 || users > 1_000_000) throw new UsageError('--users expects 1 to 1000000');
    await writeGeneratedFixture(io.stdout, { users, seed: wholeNumber('--seed', values.seed, 1) });
    return 0;
  }
  throw new UsageError('demo-tenant expects "serve [--fixture <file>] [--port <n>]" or "generate --users <n> [--seed <n>]"');
}
