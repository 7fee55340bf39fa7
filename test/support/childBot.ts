/**
 * The product as a child process (`passkey-helpdesk start --no-playground`), as an operator runs it:
 * real signals, real exit codes, the environment it gets (e.g. NODE_EXTRA_CA_CERTS) read at start-up.
 * CHILD_BOT_CPU_PROF=<dir> profiles it (`--cpu-prof`); stop() then ends it with SIGTERM so the profile is written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ChildBot {
  process: ChildProcess;
  botUrl: string;
  /** Demo mode: the in-process demo tenant's base URL. */
  demoTenantUrl?: string;
  /** Everything it printed (stdout and stderr), line by line. */
  output: string[];
  /** JSON log lines, parsed. */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function startChildBot(env: Record<string, string>, timeoutMs = 90_000): Promise<ChildBot> {
  const profileDir = process.env.CHILD_BOT_CPU_PROF;
  const child = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'start', '--no-playground'], {
    cwd: ROOT,
    // Only what the test gives: no developer .env or shell variables leak in (cwd's .env is still read, as in production).
    env: { PATH: process.env.PATH ?? '', PORT: '0', DEMO_TENANT_PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let botUrl: string | undefined;
  let demoTenantUrl: string | undefined;
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start within ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      const bot = /listening on (http\S+)\/api\/messages/.exec(line);
      if (bot) botUrl = bot[1];
      const demo = /Demo tenant \(Microsoft Graph emulator\): (http\S+)\/v1\.0/.exec(line);
      if (demo) demoTenantUrl = demo[1];
      if (botUrl && (demoTenantUrl || !/demo mode/.test(output.join('\n')))) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffer = '';
      stream.on('data', (chunk) => {
        buffer += String(chunk);
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the bot exited before it listened:\n${output.join('\n')}`));
    });
  });
  await started;
  return {
    process: child,
    botUrl: botUrl!,
    demoTenantUrl,
    output,
    logs: () =>
      output.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
      await exited;
    },
  };
}
