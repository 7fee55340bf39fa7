/**
 * Starts a Microsoft 365 Agents Playground instance (the `@microsoft/m365agentsplayground`
 * devDependency) as one persona of the demo tenant, pointed at the running bot.
 *
 * One instance has one current user, read once at start-up from the config file we
 * write into a per-persona work directory; several instances (different ports) can
 * talk to the same bot at once, e.g. a requester and a helpdesk member.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { findPersona, playgroundConfigFor, playgroundPersonalChatId, type PlaygroundFixture } from './config';

export const DEFAULT_PLAYGROUND_PORT = 56150;
export const DEFAULT_BOT_ENDPOINT = 'http://127.0.0.1:3978/api/messages';
export const PLAYGROUND_CONFIG_FILE_NAME = '.m365agentsplayground.yml';

/**
 * Preloaded into the Playground's process. The Playground listens on every network
 * interface; this binds its servers to loopback, because it forwards whatever it receives
 * to the bot, which in demo mode accepts unauthenticated requests.
 */
const LOOPBACK_ONLY_PRELOAD = `'use strict';
// Written by passkey-helpdesk (src/playground/launcher.ts): bind servers given only a port to loopback.
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && 'port' in first && first.host === undefined && first.path === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
`;

export interface StartPlaygroundOptions {
  /** The persona to chat as (a UPN of the fixture, or its part before the @). */
  asUpn: string;
  fixture: PlaygroundFixture;
  /** Default: the first free port from 56150 on. */
  port?: number;
  /** Default: http://127.0.0.1:3978/api/messages */
  botEndpoint?: string;
  /** Where the config file and the Playground's logs go. Default: <dataDir>/playground/<upn>. */
  workDir?: string;
  /** Default: ./data (DATA_DIR). Only used to derive workDir. */
  dataDir?: string;
  helpdeskGroupId?: string;
  /** Environment for the Playground process (default: process.env); telemetry and browser settings are always overridden. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the Playground to listen (default 30 s). */
  startupTimeoutMs?: number;
}

export interface RunningPlayground {
  /** Open this in a browser to chat. */
  url: string;
  port: number;
  /** The Playground's Bot Connector stand-in, as the bot sees it in `serviceUrl`. */
  serviceUrl: string;
  configFile: string;
  workDir: string;
  persona: { userPrincipalName: string; displayName: string; id: string };
  /** The conversation id of the persona's 1:1 chat with the bot. */
  personalChatId: string;
  child: ChildProcess;
  /** Ends the Playground process (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

/** The Playground CLI's entry file, from the package's own `bin`. */
export function playgroundCliPath(): string {
  const packageJsonPath = require.resolve('@microsoft/m365agentsplayground/package.json');
  const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as { bin: Record<string, string> | string };
  const bin = typeof packageJson.bin === 'string' ? packageJson.bin : (packageJson.bin.agentsplayground ?? Object.values(packageJson.bin)[0]);
  return path.join(path.dirname(packageJsonPath), bin);
}

/** A file-system-safe directory name for a UPN. */
export function workDirName(upn: string): string {
  return upn.toLowerCase().replace(/[^a-z0-9@._-]/g, '_');
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port from `start` on that nobody listens on (at most 100 tries). */
export async function findFreePort(start: number = DEFAULT_PLAYGROUND_PORT): Promise<number> {
  for (let port = start; port < start + 100 && port <= 65535; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`No free port in ${start}..${start + 99} for the Agents Playground`);
}

function waitForListening(child: ChildProcess, logFile: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const finish = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port!);
    };
    const logTail = () => {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      return `${output}${log}`.trim().split('\n').slice(-15).join('\n');
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Listening on (\d+)/.exec(output);
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = (code: number | null) => finish(new Error(`The Agents Playground exited (code ${code}) before listening:\n${logTail()}`));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      finish(new Error(`The Agents Playground did not start within ${timeoutMs} ms:\n${logTail()}`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground> {
  const persona = findPersona(options.fixture, options.asUpn);
  const workDir = path.resolve(options.workDir ?? path.join(options.dataDir ?? 'data', 'playground', workDirName(persona.userPrincipalName)));
  fs.mkdirSync(workDir, { recursive: true });
  const configFile = path.join(workDir, PLAYGROUND_CONFIG_FILE_NAME);
  fs.writeFileSync(configFile, playgroundConfigFor(options.fixture, { asUpn: persona.userPrincipalName, helpdeskGroupId: options.helpdeskGroupId }));
  const preloadFile = path.join(workDir, 'loopback-only.cjs');
  fs.writeFileSync(preloadFile, LOOPBACK_ONLY_PRELOAD);
  const logFile = path.join(workDir, 'playground.log');

  const port = options.port ?? (await findFreePort());
  // Pinned, because the Playground's own default says "localhost", which may resolve to ::1 where nothing listens.
  const serviceUrl = `http://127.0.0.1:${port}/_connector`;
  const child = spawn(
    process.execPath,
    ['--require', preloadFile, playgroundCliPath(), 'start', '-c', 'msteams', '-p', String(port), '--service-url', serviceUrl, '--disable-telemetry'],
    {
      cwd: workDir,
      env: {
        ...(options.env ?? process.env),
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        BOT_ENDPOINT: options.botEndpoint ?? DEFAULT_BOT_ENDPOINT,
        TEAMSAPPTESTER_BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The Playground writes its console to the log file; keep the pipes drained.
  child.stderr?.resume();
  const listeningPort = await waitForListening(child, logFile, options.startupTimeoutMs ?? 30_000);
  child.stdout?.resume();
  if (listeningPort !== port) {
    await stopChild(child);
    throw new Error(`The Agents Playground took port ${listeningPort} instead of ${port} (was ${port} taken meanwhile?); try again or pass --port`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    serviceUrl,
    configFile,
    workDir,
    persona: { userPrincipalName: persona.userPrincipalName, displayName: persona.displayName ?? persona.userPrincipalName, id: persona.id },
    personalChatId: playgroundPersonalChatId(persona.id),
    child,
    stop: () => stopChild(child),
  };
}
