/**
 * Shared helpers of the end-to-end tests in a real chat client: the Microsoft 365
 * Agents Playground, driven by Debian's Chromium through playwright-core, talking to
 * Passkey Helpdesk in demo mode (or to a minimal echo bot, E2E_BOT=echo).
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; CHROMIUM_PATH overrides).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ActivityTypes, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import restify from 'restify';
import { startPasskeyHelpdesk, type RunningHelpdesk } from '../../src/composition';
import { loadConfig } from '../../src/config/config';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant/fixture';
import { createLogger } from '../../src/logging';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, startPlayground, type RunningPlayground } from '../../src/playground';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // The Playground's web fonts live on a CDN: on an offline machine, fail those look-ups at once rather than wait on a resolver.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Where a screenshot goes: the committed one in docs/screenshots is refreshed only on
 * request (E2E_UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
 */
export function screenshotPath(fileName: string): string {
  if (!process.env.E2E_UPDATE_SCREENSHOT) return resultPath(fileName);
  return path.resolve(__dirname, '..', '..', 'docs', 'screenshots', fileName);
}

/** A file in test-results/ (ignored by git): pictures and logs of a run. */
export function resultPath(fileName: string): string {
  const directory = path.resolve(__dirname, '..', '..', 'test-results');
  fs.mkdirSync(directory, { recursive: true });
  return path.join(directory, fileName);
}

/** Durations of the named steps of one test file, printed at its end. */
export class Stopwatch {
  private readonly steps: Array<[string, number]> = [];

  async timed<T>(name: string, step: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await step();
    } finally {
      this.steps.push([name, Date.now() - started]);
    }
  }

  report(title: string): string {
    return `\n  ${title}:\n${this.steps.map(([name, ms]) => `    ${name}: ${ms} ms`).join('\n')}\n`;
  }
}

// ---------------------------------------------------------------- the bot under test

export interface BotUnderTest {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  endpoint: string;
  kind: 'product' | 'echo';
  /** The product only. */
  running?: RunningHelpdesk;
  close(): Promise<void>;
}

/**
 * Passkey Helpdesk in demo mode on loopback (ports chosen by the system, data in
 * `dataDir`), with the Playground's helpdesk channel. `env` adds or overrides
 * settings (e.g. TAP_POLL_SECONDS). E2E_LOG_LEVEL shows the bot's logs.
 */
export async function startProductBot(fixture: Fixture, dataDir: string, env: Record<string, string> = {}): Promise<BotUnderTest> {
  const logLevel = process.env.E2E_LOG_LEVEL ?? 'error';
  const config = loadConfig({
    PORT: '0',
    DEMO_TENANT_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: logLevel,
    HELPDESK_CHANNEL_ID: PLAYGROUND_HELPDESK_CHANNEL_ID,
    ...env,
  });
  const running = await startPasskeyHelpdesk(config, { logger: createLogger(logLevel), fixture, env: {} });
  return { endpoint: `${running.botUrl}/api/messages`, kind: 'product', running, close: () => running.close() };
}

/** A minimal bot: echoes text and answers any card button with a card naming the verb. */
export async function startEchoBot(): Promise<BotUnderTest> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        const card = CardFactory.adaptiveCard({
          type: 'AdaptiveCard',
          version: '1.5',
          body: [{ type: 'TextBlock', text: `echo: ${context.activity.text}` }],
          actions: [{ type: 'Action.Execute', title: 'My sign-in methods', verb: 'echo.press', data: {} }],
        });
        await context.sendActivity(MessageFactory.attachment(card));
      } else if (context.activity.type === ActivityTypes.Invoke) {
        const verb = (context.activity.value as { action?: { verb?: string } }).action?.verb;
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 200,
            body: {
              statusCode: 200,
              type: 'application/vnd.microsoft.card.adaptive',
              value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `pressed ${verb}` }] },
            },
          },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${port}/api/messages`, kind: 'echo', close: async () => void server.close() };
}

// ---------------------------------------------------------------- what the Playground sends

export interface RecordingProxy {
  endpoint: string;
  /** Every activity the Playground instances sent to the bot, in order. */
  activities: any[];
  /** The bot's answers to invokes, by the invoke's position in `activities`. */
  invokeAnswers: Map<number, string>;
  close(): Promise<void>;
}

/** A loopback proxy in front of the bot that keeps every activity the Playground sends (and the invoke answers), to check identities. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const activities: any[] = [];
  const invokeAnswers = new Map<number, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let index = -1;
      if (body.length > 0) {
        try {
          const activity = JSON.parse(body.toString('utf8'));
          index = activities.push(activity) - 1;
        } catch {
          // Not JSON: forwarded as it is; the bot answers it.
        }
      }
      const headers = { ...req.headers, host: new URL(target).host };
      const forward = http.request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => {
          answerChunks.push(chunk);
          res.write(chunk);
        });
        answer.on('end', () => {
          if (index >= 0 && activities[index]?.type === 'invoke') invokeAnswers.set(index, Buffer.concat(answerChunks).toString('utf8'));
          res.end();
        });
      });
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    activities,
    invokeAnswers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- driving the Playground

export interface OpenPlayground {
  playground: RunningPlayground;
  page: Page;
}

/** Starts a Playground instance as `asUpn` against `botEndpoint` and opens it in a new page. */
export async function openPlayground(
  browser: Browser,
  stopwatch: Stopwatch,
  options: {
    asUpn: string;
    fixture: Fixture;
    botEndpoint: string;
    workDir: string;
    /** The started instance is added here (to stop it after the tests, even if opening the page fails). */
    started: RunningPlayground[];
    viewport?: { width: number; height: number };
  },
): Promise<OpenPlayground> {
  const playground = await stopwatch.timed(`start a Playground as ${options.asUpn}`, () =>
    startPlayground({ asUpn: options.asUpn, fixture: options.fixture, botEndpoint: options.botEndpoint, workDir: options.workDir }),
  );
  options.started.push(playground);
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  await stopwatch.timed(`open the Playground page as ${options.asUpn}`, async () => {
    // Not 'load': the page's web fonts come from a CDN, unreachable offline, which holds up the load event.
    await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
    await composer(page).waitFor();
  });
  return { playground, page };
}

/** The message box at the bottom of the open chat. */
export function composer(page: Page): Locator {
  return page.locator('[role="textbox"][data-lexical-editor="true"]');
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).click();
  await composer(page).pressSequentially(text);
  await page.keyboard.press('Enter');
}

/** Scrolls the chat so that `locator` (e.g. a card) starts at the top of the view: for screenshots of tall cards. */
export async function scrollToTop(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'start' }));
}

/** Polls `condition` every 100 ms until it holds; fails with `describe()` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One person's Agents Playground against the product bot with the bundled demo tenant,
 * each in its own temporary directory: `start()` in a `before`, `stop()` in the `after`.
 */
export class PlaygroundSession {
  readonly stopwatch = new Stopwatch();
  private readonly playgrounds: RunningPlayground[] = [];
  private dataDir: string | undefined;
  private browser: Browser | undefined;
  bot: BotUnderTest | undefined;

  constructor(
    private readonly name: string,
    private readonly asUpn: string,
  ) {}

  async start(): Promise<Page> {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `passkey-helpdesk-e2e-${this.name}-`));
    const fixture = loadFixture(defaultFixturePath());
    const dataDir = this.dataDir;
    this.bot = await this.stopwatch.timed('start the bot', () => startProductBot(fixture, path.join(dataDir, 'bot')));
    this.browser = await this.stopwatch.timed('launch Chromium', () => launchChromium());
    const { page } = await openPlayground(this.browser, this.stopwatch, {
      asUpn: this.asUpn,
      fixture,
      botEndpoint: this.bot.endpoint,
      workDir: path.join(dataDir, 'playground'),
      started: this.playgrounds,
    });
    return page;
  }

  async stop(timingsTitle: string): Promise<void> {
    await this.browser?.close();
    for (const playground of this.playgrounds) await playground.stop();
    await this.bot?.close();
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
    process.stdout.write(this.stopwatch.report(timingsTitle));
  }
}
