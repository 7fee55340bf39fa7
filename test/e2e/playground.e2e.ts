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
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant/fixture';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, PLAYGROUND_TEAM_ID, playgroundUserId, type RunningPlayground } from '../../src/playground';
import {
  type BotUnderTest,
  type RecordingProxy,
  Stopwatch,
  launchChromium,
  openPlayground,
  screenshotPath,
  send,
  startEchoBot,
  startProductBot,
  startRecordingProxy,
} from './support';

const REQUESTER = 'alex@contoso.example';
const HELPDESK_MEMBER = 'pradeep@contoso.example';

/** The bot under test: the product in demo mode by default, the echo bot with E2E_BOT=echo. */
function startBotUnderTest(fixture: Fixture, dataDir: string): Promise<BotUnderTest> {
  return process.env.E2E_BOT === 'echo' ? startEchoBot() : startProductBot(fixture, dataDir);
}

describe('Passkey Helpdesk in the Microsoft 365 Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  const stopwatch = new Stopwatch();
  const timed = <T>(name: string, step: () => Promise<T>) => stopwatch.timed(name, step);
  let dataDir: string;
  let fixture: Fixture;
  let bot: BotUnderTest;
  let proxy: RecordingProxy;
  let browser: Browser;
  const playgrounds: RunningPlayground[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-e2e-'));
    fixture = loadFixture(defaultFixturePath());
    bot = await timed('start the bot', () => startBotUnderTest(fixture, path.join(dataDir, 'bot')));
    proxy = await startRecordingProxy(bot.endpoint);
    browser = await timed('launch Chromium', () => launchChromium());
  });

  after(async () => {
    await browser?.close();
    for (const playground of playgrounds) await playground.stop();
    await proxy?.close();
    await bot?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(stopwatch.report(`Timings (bot: ${bot?.kind})`));
  });

  function open(asUpn: string): Promise<{ playground: RunningPlayground; page: Page }> {
    return openPlayground(browser, stopwatch, { asUpn, fixture, botEndpoint: proxy.endpoint, workDir: path.join(dataDir, 'playground', asUpn), started: playgrounds });
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
        if (bot.kind === 'product') await page.getByText('I help you set up a passkey in Microsoft Authenticator').waitFor();
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
      await page.screenshot({ path: screenshotPath('playground-chat.png') });
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
