/**
 * End to end in a real chat client: the Microsoft 365 Agents Playground, driven by
 * Debian's Chromium through playwright-core, talking to Passkey Helpdesk in demo mode.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; CHROMIUM_PATH overrides).
 * Run: npm run test:e2e. Not part of `npm test`.
 *
 * E2E_BOT=echo swaps the product for a minimal echo bot (botbuilder CloudAdapter +
 * restify), to tell Playground mechanics apart from bot behaviour when something fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ActivityTypes, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import { chromium, type Browser, type Page } from 'playwright-core';
import restify from 'restify';
import { startPasskeyHelpdesk } from '../../src/composition';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant/fixture';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, PLAYGROUND_TEAM_ID, playgroundUserId, startPlayground, type RunningPlayground } from '../../src/playground';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
// The committed screenshot in docs/ is refreshed only on request (E2E_UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
const SCREENSHOT = process.env.E2E_UPDATE_SCREENSHOT
  ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots', 'playground-chat.png')
  : path.resolve(__dirname, '..', '..', 'test-results', 'playground-chat.png');
const REQUESTER = 'alex@contoso.example';
const HELPDESK_MEMBER = 'pradeep@contoso.example';

interface BotUnderTest {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  endpoint: string;
  kind: 'product' | 'echo';
  close(): Promise<void>;
}

/**
 * The hook that starts the bot under test: the product in demo mode by default,
 * the echo bot with E2E_BOT=echo.
 */
async function startBotUnderTest(fixture: Fixture, dataDir: string): Promise<BotUnderTest> {
  if (process.env.E2E_BOT === 'echo') return startEchoBot();
  const config = loadConfig({
    PORT: '0',
    DEMO_TENANT_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    HELPDESK_CHANNEL_ID: PLAYGROUND_HELPDESK_CHANNEL_ID,
  });
  const running = await startPasskeyHelpdesk(config, { logger: createLogger('error'), fixture, env: {} });
  return { endpoint: `${running.botUrl}/api/messages`, kind: 'product', close: () => running.close() };
}

/** A minimal bot: echoes text and answers any card button with a card naming the verb. */
async function startEchoBot(): Promise<BotUnderTest> {
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

/** A loopback proxy in front of the bot that keeps every activity the Playground sends, to check identities. */
async function startRecordingProxy(target: string): Promise<{ endpoint: string; activities: any[]; close(): Promise<void> }> {
  const activities: any[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length > 0) {
        try {
          activities.push(JSON.parse(body.toString('utf8')));
        } catch {
          // Not JSON: forwarded as it is; the bot answers it.
        }
      }
      const headers = { ...req.headers, host: new URL(target).host };
      const forward = http.request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function composer(page: Page) {
  return page.locator('[role="textbox"][data-lexical-editor="true"]');
}

async function send(page: Page, text: string): Promise<void> {
  await composer(page).click();
  await composer(page).pressSequentially(text);
  await page.keyboard.press('Enter');
}

const timings: Record<string, number> = {};
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = Date.now() - started;
  }
}

describe('Passkey Helpdesk in the Microsoft 365 Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  let dataDir: string;
  let fixture: Fixture;
  let bot: BotUnderTest;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let browser: Browser;
  const playgrounds: RunningPlayground[] = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM_PATH), `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-e2e-'));
    fixture = loadFixture(defaultFixturePath());
    bot = await timed('start the bot', () => startBotUnderTest(fixture, path.join(dataDir, 'bot')));
    proxy = await startRecordingProxy(bot.endpoint);
    browser = await timed('launch Chromium', () => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }));
  });

  after(async () => {
    await browser?.close();
    for (const playground of playgrounds) await playground.stop();
    await proxy?.close();
    await bot?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(`\n  Timings (bot: ${bot?.kind}):\n${Object.entries(timings).map(([name, ms]) => `    ${name}: ${ms} ms`).join('\n')}\n`);
  });

  async function open(asUpn: string): Promise<{ playground: RunningPlayground; page: Page }> {
    const playground = await timed(`start a Playground as ${asUpn}`, () =>
      startPlayground({ asUpn, fixture, botEndpoint: proxy.endpoint, workDir: path.join(dataDir, 'playground', asUpn) }),
    );
    playgrounds.push(playground);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await timed(`open the Playground page as ${asUpn}`, async () => {
      // Not 'load': the page's web fonts come from a CDN, unreachable offline, which holds up the load event.
      await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
      await composer(page).waitFor();
    });
    return { playground, page };
  }

  describe('as a requester (Alex Wilber)', () => {
    let page: Page;
    const alex = () => fixture.users.find((user) => user.userPrincipalName === REQUESTER)!;

    before(async () => {
      ({ page } = await open(REQUESTER));
    });

    it('shows the persona as the signed-in user and serves the generated identities', async () => {
      await page.getByText(alex().displayName!, { exact: true }).first().waitFor();
      const config = (await (await fetch(`${playgrounds[0].url}/_internal/v1/config`)).json()) as unknown;
      assert.match(JSON.stringify(config), new RegExp(alex().id));
    });

    it('answers "help" with a card, and the message carried the persona\'s Entra object id and the demo tenant id', async () => {
      await timed('type "help" → reply rendered', async () => {
        await send(page, 'help');
        await page.getByRole('button', { name: 'My sign-in methods' }).last().waitFor();
        if (bot.kind === 'product') await page.getByText('I help you sign in with a phishing-resistant passkey').waitFor();
      });
      const message = proxy.activities.find((activity) => activity.type === 'message' && activity.text === 'help');
      assert.ok(message, 'the Playground sent the message to the bot');
      assert.equal(message.from.aadObjectId, alex().id);
      assert.equal(message.from.id, playgroundUserId(alex().id));
      assert.equal(message.channelData.tenant.id, fixture.tenant.id);
      assert.equal(message.conversation.tenantId, fixture.tenant.id);
      assert.equal(message.conversation.id, playgrounds[0].personalChatId);
      assert.equal(message.channelId, 'msteams');
    });

    it('replaces the card with the bot\'s answer when a card button is clicked (screenshot in docs/screenshots)', async () => {
      const invokesBefore = proxy.activities.filter((activity) => activity.type === 'invoke').length;
      await timed('click a card button → card replaced', async () => {
        await page.getByRole('button', { name: 'My sign-in methods' }).last().click();
        await page.getByText('Your response was sent to the app').waitFor();
      });
      const invoke = proxy.activities.filter((activity) => activity.type === 'invoke')[invokesBefore];
      assert.equal(invoke?.name, 'adaptiveCard/action');
      assert.equal(invoke.from.aadObjectId, alex().id);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      // The button must lead somewhere: not the catch-all for unknown verbs.
      assert.equal(await page.getByText('That button no longer works').count(), 0, 'the "My sign-in methods" button is not wired to a route yet');
    });
  });

  describe('as a helpdesk member (Pradeep Gupta), in a second instance against the same bot', () => {
    let page: Page;

    before(async () => {
      ({ page } = await open(HELPDESK_MEMBER));
    });

    it('runs next to the first instance on its own port', () => {
      assert.equal(playgrounds.length, 2);
      assert.notEqual(playgrounds[0].port, playgrounds[1].port);
    });

    it('opens the team\'s "Passkey Helpdesk" channel, whose id is the one to configure as HELPDESK_CHANNEL_ID', async () => {
      const before = proxy.activities.length;
      await timed('open the Passkey Helpdesk channel', async () => {
        await page.getByRole('treeitem', { name: 'Contoso IT - Passkey Helpdesk' }).click();
        const deadline = Date.now() + 15_000;
        while (!proxy.activities.slice(before).some((activity) => activity.channelData?.channel?.id === PLAYGROUND_HELPDESK_CHANNEL_ID)) {
          if (Date.now() > deadline) {
            const seen = proxy.activities.slice(before).map((activity) => `${activity.type} ${JSON.stringify(activity.channelData)}`);
            assert.fail(`no activity from the Passkey Helpdesk channel reached the bot; got:\n${seen.join('\n')}`);
          }
          await page.waitForTimeout(100);
        }
      });
      const fromChannel = proxy.activities.slice(before).find((activity) => activity.channelData?.channel?.id === PLAYGROUND_HELPDESK_CHANNEL_ID);
      assert.equal(fromChannel.channelData.team.id, PLAYGROUND_TEAM_ID);
      assert.equal(fromChannel.serviceUrl, playgrounds[1].serviceUrl);
    });
  });
});
