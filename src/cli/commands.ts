/**
 * Command dispatch. Each command parses its own flags (node:util parseArgs),
 * validates them and returns an exit code; `start` keeps running and returns undefined.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, readEnvironment } from '../config/config';
import { consoleDestination, createLogger } from '../logging';
import { startTelemetry } from '../ops/telemetry';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Command = (argv: string[], io: CliIo) => Promise<number | undefined>;

const USAGE = `Usage: passkey-helpdesk <command> [options]

Commands:
  start [--no-playground] [--as <upn>]     Run the bot (demo tenant by default) and the Agents Playground
  playground --as <upn> [--port <n>]        Another Playground instance, as another persona
  demo-tenant serve [--fixture <file>] [--port <n>]
  demo-tenant generate --users <n> [--seed <n>] > big.json
  diagnose --user <upn> [--fixture <file>] [--answers '<json>'] [--json]
  status --user <upn> [--fixture <file>] [--json]
  report [--fixture <file>] [--group <id>] (--json | --csv)
  audit [--request <id>] [--json]
  package [--out <file>]                    Write the Teams app package (zip)
  doctor [--json]                           Preflight checks of the configuration, Graph permissions, groups and storage
  understand --text "<message>" [--locale <tag>] [--json]   What the bot understands from a message
`;

const commands: Record<string, Command> = {
  start: startCommand,
  'demo-tenant': async (argv, io) => (await import('./demoTenant')).demoTenantCommand(argv, io),
  diagnose: async (argv, io) => (await import('./diagnose')).diagnoseCommand(argv, io),
  audit: async (argv, io) => (await import('./audit')).auditCommand(argv, io),
  status: async (argv, io) => (await import('./status')).statusCommand(argv, io),
  report: async (argv, io) => (await import('./report')).reportCommand(argv, io),
  playground: async (argv, io) => (await import('../playground')).runPlaygroundCommand(argv, io),
  package: async (argv, io) => (await import('../packaging')).runPackageCommand(argv, io),
  doctor: async (argv, io) => (await import('./doctor')).doctorCommand(argv, io),
  understand: async (argv, io) => (await import('./understand')).understandCommand(argv, io),
  help: async (_argv, io) => {
    io.stdout.write(USAGE);
    return 0;
  },
};

/** Lets feature modules add their commands without this file knowing them all. */
export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

export async function runCommand(argv: string[], io: CliIo): Promise<number | undefined> {
  const [name, ...rest] = argv;
  const command = commands[name ?? 'help'];
  if (!command) {
    io.stderr.write(`passkey-helpdesk: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.stderr.write(`passkey-helpdesk: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`passkey-helpdesk: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function startCommand(argv: string[], io: CliIo): Promise<number | undefined> {
  const { values } = parseArgs({ args: argv, options: { 'no-playground': { type: 'boolean' }, as: { type: 'string' } }, strict: true });
  const config = loadConfig(readEnvironment(io.cwd, io.env));
  const logger = createLogger(config.logLevel, consoleDestination(config.logFormat));
  startTelemetry(io.env, logger);
  const { startPasskeyHelpdesk } = await import('../composition');
  const running = await startPasskeyHelpdesk(config, { logger, env: io.env });
  io.stdout.write(`Passkey Helpdesk (${config.mode} mode) is listening on ${running.botUrl}/api/messages\n`);
  if (running.demoTenantUrl) io.stdout.write(`Demo tenant (Microsoft Graph emulator): ${running.demoTenantUrl}/v1.0\n`);

  // Graceful shutdown (docs/deploy.md#operations): a second signal stops at once.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing turns in flight');
    running
      .shutdown()
      .then((summary) => {
        logger.info(summary, 'stopped');
        process.exit(0);
      })
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  if (config.mode === 'demo' && !values['no-playground']) {
    const { startPlaygroundFor } = await import('./playground');
    await startPlaygroundFor(running, { asUpn: values.as, io });
  }
  return undefined;
}
