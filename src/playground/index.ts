/**
 * `passkey-helpdesk playground --as <upn> [--port <n>] [--bot <url>] [--fixture <file>]`
 * (`npm run playground -- --as <upn>`): one more Agents Playground instance, as another
 * persona, against the bot that is already running (`npm start`).
 *
 * Exit codes: 0 stopped by Ctrl+C, 1 the Playground failed, 2 bad arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/config';
import { defaultFixturePath, loadFixture } from '../demoTenant/fixture';
import { findPersona } from './config';
import { DEFAULT_BOT_ENDPOINT, findFreePort, startPlayground, type RunningPlayground } from './launcher';

export * from './config';
export * from './launcher';

/** Structurally the CLI's CliIo, so the command can be registered as it is. */
export interface PlaygroundCommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A line to print for a started instance. */
export function describePlayground(playground: RunningPlayground, botEndpoint: string): string {
  return (
    `Agents Playground as ${playground.persona.displayName} (${playground.persona.userPrincipalName}): ${playground.url}\n` +
    `  talking to the bot at ${botEndpoint}; identities in ${playground.configFile}\n`
  );
}

/** Is anything answering at the bot's origin? (Only a hint for the person starting the Playground.) */
async function botAnswers(botEndpoint: string): Promise<boolean> {
  try {
    await fetch(new URL('/healthz', botEndpoint), { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export async function runPlaygroundCommand(argv: string[], io: PlaygroundCommandIo): Promise<number> {
  const usage = 'usage: passkey-helpdesk playground --as <upn> [--port <n>] [--bot <url>] [--fixture <file>]';
  let values: { as?: string; port?: string; bot?: string; fixture?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { as: { type: 'string' }, port: { type: 'string' }, bot: { type: 'string' }, fixture: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`passkey-helpdesk playground: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const env = readEnvironment(io.cwd, io.env);
  const fixtureFile = values.fixture ? path.resolve(io.cwd, values.fixture) : env.DEMO_TENANT_FILE ? path.resolve(io.cwd, env.DEMO_TENANT_FILE) : defaultFixturePath();
  let fixture;
  try {
    fixture = loadFixture(fixtureFile);
  } catch (error) {
    io.stderr.write(`passkey-helpdesk playground: ${(error as Error).message}\n`);
    return 2;
  }
  if (!values.as) {
    const personas = fixture.users.map((user) => `  ${user.userPrincipalName}  ${user.displayName ?? ''}`).join('\n');
    io.stderr.write(`passkey-helpdesk playground: --as <upn> is required: who are you in the demo tenant?\n${usage}\nPersonas (docs/personas.md):\n${personas}\n`);
    return 2;
  }
  try {
    findPersona(fixture, values.as);
  } catch (error) {
    io.stderr.write(`passkey-helpdesk playground: ${(error as Error).message}\n`);
    return 2;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      io.stderr.write(`passkey-helpdesk playground: --port must be a port number (1-65535), got "${values.port}"\n`);
      return 2;
    }
  }
  const botPort = env.PORT?.trim() || '3978';
  const botEndpoint = values.bot ?? (env.BOT_ENDPOINT?.trim() || `http://127.0.0.1:${botPort}/api/messages`);
  try {
    new URL(botEndpoint);
  } catch {
    io.stderr.write(`passkey-helpdesk playground: --bot must be the bot's messaging URL such as ${DEFAULT_BOT_ENDPOINT}, got "${botEndpoint}"\n`);
    return 2;
  }

  if (!(await botAnswers(botEndpoint))) {
    io.stderr.write(`Warning: nothing answers at ${botEndpoint}. Start the bot first (npm start); the Playground will reach it once it runs.\n`);
  }

  let playground: RunningPlayground;
  try {
    playground = await startPlayground({
      asUpn: values.as,
      fixture,
      port: port ?? (await findFreePort()),
      botEndpoint,
      dataDir: path.resolve(io.cwd, env.DATA_DIR?.trim() || 'data'),
      helpdeskGroupId: env.HELPDESK_GROUP_ID?.trim() || undefined,
      env: io.env,
    });
  } catch (error) {
    io.stderr.write(`passkey-helpdesk playground: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`${describePlayground(playground, botEndpoint)}  Press Ctrl+C to stop.\n`);

  return new Promise<number>((resolve) => {
    const onSignal = () => void playground.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    playground.child.once('exit', (code, signal) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Ctrl+C reaches the Playground too (same process group); it then exits with 0 by itself.
      const stoppedNormally = code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';
      if (!stoppedNormally) io.stderr.write(`The Agents Playground stopped (code ${code}); its log: ${path.join(playground.workDir, 'playground.log')}\n`);
      resolve(stoppedNormally ? 0 : 1);
    });
  });
}
