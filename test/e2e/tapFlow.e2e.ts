/**
 * The Temporary Access Pass workflow end to end in the real chat client: two
 * Microsoft 365 Agents Playground instances against one Passkey Helpdesk in demo
 * mode, driven by Debian's Chromium (docs/tap.md, docs/playground.md).
 *
 *   B = Pradeep Gupta (helpdesk member): opens the "Passkey Helpdesk" channel, approves.
 *   A = Alex Wilber (new hire, no MFA): asks for a pass, reveals it, registers a passkey.
 *
 * The steps depend on each other, so the suite stops at the first failure.
 * Run: npm run test:e2e. Not part of `npm test`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant/fixture';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, type RunningPlayground } from '../../src/playground';
import {
  type BotUnderTest,
  type RecordingProxy,
  Stopwatch,
  composer,
  launchChromium,
  openPlayground,
  resultPath,
  screenshotPath,
  scrollToTop,
  send,
  startProductBot,
  startRecordingProxy,
  waitUntil,
} from './support';

const REQUESTER = 'alex@contoso.example';
const HELPDESK_MEMBER = 'pradeep@contoso.example';
const REASON = 'First day at Contoso: I have only a password and need to register a passkey.';
/** The closed loop's polling interval for this run: the product's minimum. */
const POLL_SECONDS = 10;
/** The demo tenant's pass alphabet (src/demoTenant/authenticationMethods.ts): no look-alike characters. */
const DEMO_TAP_CHARACTERS = /^[A-HJ-NP-Za-km-z2-9+!#%&*=?@]+$/;

describe('The Temporary Access Pass workflow in two Agents Playground instances (Chromium)', function () {
  this.timeout(120_000);
  this.bail(true);

  const stopwatch = new Stopwatch();
  const playgrounds: RunningPlayground[] = [];
  let dataDir: string;
  let fixture: Fixture;
  let bot: BotUnderTest;
  let demoTenantUrl: string;
  let proxy: RecordingProxy;
  let browser: Browser;
  let alexPlayground: RunningPlayground;
  let alexPage: Page;
  let pradeepPlayground: RunningPlayground;
  let pradeepPage: Page;
  let passValue: string;

  /** How often `value` is in the page's HTML (attributes included), with the HTML escaping the page applies. */
  const occurrences = async (page: Page, value: string) => {
    const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return (await page.content()).split(escaped).length - 1;
  };
  const person = (upn: string) => fixture.users.find((user) => user.userPrincipalName === upn)!;
  const invokes = (verb: string) => proxy.activities.filter((activity) => activity.type === 'invoke' && activity.value?.action?.verb === verb);
  const demoState = async () => (await (await fetch(`${demoTenantUrl}/_demo/state`)).json()) as { temporaryAccessPasses: Array<{ userPrincipalName: string }> };
  const tapsOf = async (upn: string) => (await demoState()).temporaryAccessPasses.filter((tap) => tap.userPrincipalName === upn);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-tap-e2e-'));
    fixture = loadFixture(defaultFixturePath());
    bot = await stopwatch.timed('start the bot', () => startProductBot(fixture, path.join(dataDir, 'bot'), { TAP_POLL_SECONDS: String(POLL_SECONDS) }));
    demoTenantUrl = bot.running!.demoTenantUrl!;
    proxy = await startRecordingProxy(bot.endpoint);
    browser = await stopwatch.timed('launch Chromium', () => launchChromium());
    const open = (asUpn: string) =>
      openPlayground(browser, stopwatch, {
        asUpn,
        fixture,
        botEndpoint: proxy.endpoint,
        workDir: path.join(dataDir, 'playground', asUpn),
        started: playgrounds,
        // Tall enough for the whole approval card with its verification choices.
        viewport: { width: 1280, height: 1200 },
      });
    ({ playground: pradeepPlayground, page: pradeepPage } = await open(HELPDESK_MEMBER));
    ({ playground: alexPlayground, page: alexPage } = await open(REQUESTER));
  });

  afterEach(async function () {
    // A failed step leaves a picture of both clients behind.
    if (this.currentTest?.state !== 'failed') return;
    const name = (this.currentTest.title.slice(0, 40) || 'step').replace(/[^a-z0-9]+/gi, '-');
    await alexPage?.screenshot({ path: resultPath(`failed-${name}-alex.png`) }).catch(() => undefined);
    await pradeepPage?.screenshot({ path: resultPath(`failed-${name}-pradeep.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    for (const playground of playgrounds) {
      await playground.stop();
      // The Playground's own log (start-up and connections; activities show in its page's Log Panel), kept for a look after the run.
      const log = path.join(playground.workDir, 'playground.log');
      if (fs.existsSync(log)) fs.copyFileSync(log, resultPath(`tap-playground-${playground.persona.userPrincipalName}.log`));
    }
    await proxy?.close();
    await bot?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(stopwatch.report('Timings of the TAP workflow'));
  });

  it('B: opening the "Passkey Helpdesk" channel as the helpdesk member tells the bot where to post approval requests', async () => {
    await stopwatch.timed('B: open the Passkey Helpdesk channel → bot knows the channel', async () => {
      await pradeepPage.getByRole('treeitem', { name: 'Contoso IT - Passkey Helpdesk' }).click();
      await waitUntil(
        async () => (await bot.running!.deps.references.teamsWithChannel(PLAYGROUND_HELPDESK_CHANNEL_ID)).length > 0,
        15_000,
        () => 'the bot did not record the Passkey Helpdesk channel',
      );
    });
    const teams = await bot.running!.deps.references.teamsWithChannel(PLAYGROUND_HELPDESK_CHANNEL_ID);
    assert.deepEqual(
      teams.map((team) => team.reference.serviceUrl),
      [pradeepPlayground.serviceUrl],
      'only the helpdesk member\'s instance has the channel',
    );
  });

  it('A: "I need a TAP" brings the request card; Alex says why and sends it to the helpdesk', async () => {
    await stopwatch.timed('A: "I need a TAP" → request card', async () => {
      await send(alexPage, 'I need a TAP');
      await alexPage.getByRole('button', { name: 'Send to the helpdesk' }).waitFor();
    });
    await alexPage.getByLabel('Why is the pass needed?').fill(REASON);
    await stopwatch.timed('A: submit → "Sent to the helpdesk" card', async () => {
      await alexPage.getByRole('button', { name: 'Send to the helpdesk' }).click();
      await alexPage.getByText('Temporary Access Pass requested').waitFor();
      await alexPage.getByText(/Sent to the helpdesk\. They will contact you/).waitFor();
    });
    const [submit] = invokes('tap.submit');
    assert.ok(submit, 'the Playground sent the tap.submit invoke');
    assert.equal(submit.from.aadObjectId, person(REQUESTER).id);
    assert.equal(submit.value.action.data.reason, REASON);
    // The card replaced in place: the request form is gone from Alex's chat.
    assert.equal(await alexPage.getByRole('button', { name: 'Send to the helpdesk' }).count(), 0);
  });

  it('B: the approval card arrives in a new thread of the Passkey Helpdesk channel; Pradeep picks how he verified Alex and approves', async () => {
    const card = pradeepPage.locator('.ac-adaptiveCard').filter({ hasText: 'Temporary Access Pass for Alex Wilber' }).first();
    await stopwatch.timed('B: approval card shows in the channel', () => card.waitFor({ timeout: 20_000 }));
    assert.match(await card.innerText(), new RegExp(REASON.slice(0, 30)));

    await card.getByRole('button', { name: 'Approve…' }).click();
    await pradeepPage.getByRole('radio', { name: 'Video call with photo ID' }).check();
    await scrollToTop(card);
    await pradeepPage.screenshot({ path: screenshotPath('tap-approval.png') });

    await stopwatch.timed('B: Approve → card answers "Approved"', async () => {
      await pradeepPage.getByRole('button', { name: 'Approve', exact: true }).click();
      await pradeepPage.getByText(/Approved\. Alex Wilber gets the pass in a 1:1 chat/).waitFor();
    });
    const [approve] = invokes('tap.approve');
    assert.equal(approve.from.aadObjectId, person(HELPDESK_MEMBER).id);
    assert.equal(approve.value.action.data.verification, 'video-call-with-id');
    assert.equal(approve.conversation.conversationType, 'channel');
  });

  it('A: "Your Temporary Access Pass is ready" arrives in Alex\'s chat; Reveal shows the pass there, once', async () => {
    await stopwatch.timed('A: delivery card arrives (proactive 1:1)', () => alexPage.getByText('Your Temporary Access Pass is ready').waitFor({ timeout: 20_000 }));
    assert.deepEqual(await tapsOf(REQUESTER), [], 'no pass exists before Reveal');

    await stopwatch.timed('A: Reveal → the pass is shown', async () => {
      await alexPage.getByRole('button', { name: 'Reveal' }).click();
      await alexPage.getByText(/Shown once: it is not stored anywhere/).waitFor();
    });
    const revealed = alexPage.locator('.ac-adaptiveCard').filter({ hasText: 'Shown once: it is not stored anywhere' }).first();
    passValue = (await revealed.locator('.ac-richTextBlock .ac-textRun').first().innerText()).trim();
    const policy = fixture.authenticationMethodsPolicy.authenticationMethodConfigurations?.find((m: { id?: string }) => m.id === 'TemporaryAccessPass') as
      | { defaultLength?: number }
      | undefined;
    assert.equal(passValue.length, policy?.defaultLength ?? 8, `the pass has the TAP policy's length (shown: ${passValue.length} characters)`);
    assert.match(passValue, DEMO_TAP_CHARACTERS);
    assert.equal((await tapsOf(REQUESTER)).length, 1, 'Reveal created exactly one pass at the demo tenant');
    await scrollToTop(revealed);
    // The screenshot shows where the pass appears, not the pass: a secret never goes into an image, even a demo one.
    await alexPage.screenshot({ path: screenshotPath('tap-revealed.png'), mask: [revealed.locator('.ac-richTextBlock .ac-textRun').first()] });

    // Only in that card: not in the helpdesk member's client, not in anything the clients sent to the bot.
    assert.equal(await occurrences(alexPage, passValue), 1, 'the value shows once on Alex\'s page');
    assert.equal(await occurrences(pradeepPage, passValue), 0, 'the value is not in the helpdesk channel');
    assert.ok(!JSON.stringify(proxy.activities).includes(passValue), 'the value is in no activity the Playground sent to the bot');
    const [reveal] = invokes('tap.reveal');
    const answer = proxy.invokeAnswers.get(proxy.activities.indexOf(reveal)) ?? '';
    assert.ok(answer.includes(passValue), 'the value travelled in the Reveal invoke\'s answer');
  });

  it('A: a page reload starts the chat afresh (the Playground keeps no history); "tap" then shows the pass as "shown once", without the value', async () => {
    const before = proxy.activities.length;
    await stopwatch.timed('A: reload the page', async () => {
      await alexPage.reload({ waitUntil: 'domcontentloaded' });
      await composer(alexPage).waitFor();
    });
    // The reloaded client installs the app in the same personal chat again, as on a first visit.
    await waitUntil(
      () => proxy.activities.slice(before).some((activity) => activity.type === 'installationUpdate' && activity.conversation?.id === alexPlayground.personalChatId),
      15_000,
      () => 'the reloaded Playground did not greet the bot',
    );

    await stopwatch.timed('A: "tap" → the request as "shown once"', async () => {
      await send(alexPage, 'tap');
      await alexPage.getByText('Temporary Access Pass: shown once').waitFor();
    });
    const shownOnce = alexPage.locator('.ac-adaptiveCard').filter({ hasText: 'Temporary Access Pass: shown once' }).first();
    assert.match(await shownOnce.innerText(), /It was shown once and can't be shown again/);
    assert.equal(await shownOnce.getByRole('button', { name: 'Reveal' }).count(), 0);
    // Neither the delivery card nor the card Reveal returned survived the reload.
    assert.equal(await alexPage.getByText('Your Temporary Access Pass is ready').count(), 0);
    assert.equal(await occurrences(alexPage, passValue), 0, 'the value is gone after a reload');
    assert.equal((await tapsOf(REQUESTER)).length, 1, 'still exactly one pass');
  });

  it('A: once Alex registers a passkey in Authenticator, the bot asks "Done? Remove my TAP" and removes the pass', async () => {
    const registered = await fetch(`${demoTenantUrl}/_demo/users/${encodeURIComponent(REQUESTER)}/registerPasskey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'ios' }),
    });
    assert.equal(registered.status, 201);
    const question = alexPage.locator('.ac-adaptiveCard').filter({ has: alexPage.getByText('Passkey registered', { exact: true }) }).first();
    await stopwatch.timed(`A: passkey registered → "Passkey registered" card (poll every ${POLL_SECONDS} s)`, () => question.waitFor({ timeout: (POLL_SECONDS + 15) * 1000 }));
    assert.match(await question.innerText(), /Microsoft Authenticator - iOS/);

    await stopwatch.timed('A: "Done: remove my TAP" → completed', async () => {
      await question.getByRole('button', { name: 'Done: remove my TAP' }).click();
      await alexPage.getByText('Completed: passkey registered').first().waitFor();
    });
    await waitUntil(async () => (await tapsOf(REQUESTER)).length === 0, 10_000, () => 'the pass was not removed at the demo tenant');
    // One final card: the question became it (updated in place), nothing piled up after it.
    // (The greeting's menu names "Request a Temporary Access Pass" too: it is not a card of this request.)
    const tapCards = alexPage.locator('.ac-adaptiveCard').filter({ hasText: /Temporary Access Pass|Passkey registered|passkey registered/, hasNotText: 'What can I help with?' });
    const texts = await tapCards.allInnerTexts();
    assert.equal(texts.length, 1, `one TAP card in Alex's chat, not ${texts.length}: ${texts.join(' ||| ')}`);
    assert.match(texts[0], /Completed: passkey registered/);
    assert.equal((texts[0].match(/Sign in with your passkey from now on/g) ?? []).length, 1, 'no sentence twice');
    assert.equal(await tapCards.first().getByRole('button').count(), 0, 'no buttons left on the final card');
    await scrollToTop(tapCards.first());
    await alexPage.screenshot({ path: screenshotPath('tap-done.png') });
  });

  it('B: the helpdesk thread\'s card now reads "Completed: passkey registered"', async () => {
    const card = pradeepPage.locator('.ac-adaptiveCard').filter({ hasText: 'Temporary Access Pass for Alex Wilber' }).first();
    await stopwatch.timed('B: approval card updated to completed', () => card.getByText(/Completed/).first().waitFor({ timeout: 10_000 }));
    await scrollToTop(card);
    await pradeepPage.screenshot({ path: screenshotPath('tap-helpdesk-completed.png') });
  });
});
