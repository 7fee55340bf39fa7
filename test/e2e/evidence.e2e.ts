/**
 * Evidence in the Agents Playground (Chromium): Isaiah tries to add a passkey on his personal,
 * non-compliant Android phone — played through the demo tenant's control
 * `POST /_demo/users/{upn}/attemptRegistration`, which logs the sign-in Entra would (AADSTS53000,
 * the failing Conditional Access policy) — then asks "why did it fail?" in the chat and gets the
 * finding the sign-in log confirms, naming the policy. Screenshot: docs/screenshots/evidence-finding.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant/fixture';
import type { RunningPlayground } from '../../src/playground';
import { type BotUnderTest, Stopwatch, launchChromium, openPlayground, screenshotPath, scrollToTop, send, startProductBot } from './support';

const PERSON = 'isaiah@contoso.example';
const POLICY = 'Require a compliant device on mobile (Mobile Workers)';

describe('"Why did it fail?" after a blocked registration, in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  const stopwatch = new Stopwatch();
  const playgrounds: RunningPlayground[] = [];
  let dataDir: string;
  let fixture: Fixture;
  let bot: BotUnderTest;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-e2e-evidence-'));
    fixture = loadFixture(defaultFixturePath());
    bot = await stopwatch.timed('start the bot', () => startProductBot(fixture, path.join(dataDir, 'bot')));
    browser = await stopwatch.timed('launch Chromium', () => launchChromium());
    ({ page } = await openPlayground(browser, stopwatch, { asUpn: PERSON, fixture, botEndpoint: bot.endpoint, workDir: path.join(dataDir, 'playground'), started: playgrounds }));
  });

  after(async () => {
    await browser?.close();
    for (const playground of playgrounds) await playground.stop();
    await bot?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(stopwatch.report('Timings of the evidence conversation'));
  });

  it('the attempt is refused by Conditional Access and logged as Entra would (demo control)', async () => {
    const response = await fetch(`${bot.running!.demoTenantUrl}/_demo/users/${encodeURIComponent(PERSON)}/attemptRegistration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
    });
    assert.equal(response.status, 200);
    const attempt = (await response.json()) as { result: string; errorCode: number; signIn: { appliedConditionalAccessPolicies: Array<{ displayName: string; result: string }> } };
    assert.equal(attempt.result, 'blocked');
    assert.equal(attempt.errorCode, 53000);
    assert.ok(attempt.signIn.appliedConditionalAccessPolicies.some((p) => p.displayName === POLICY && p.result === 'failure'));
  });

  it('"why did it fail?" answers with the finding the sign-in log confirms, naming the sign-in rule in plain words', async () => {
    await stopwatch.timed('"why did it fail?" → evidenced finding', async () => {
      await send(page, 'why did it fail?');
      await page.getByText("was stopped by your organization's sign-in rule", { exact: false }).last().waitFor({ timeout: 20_000 });
    });
    const card = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(card);
    await page.screenshot({ path: screenshotPath('evidence-finding.png') });
    const text = await card.innerText();
    assert.match(text, /Use a phone your company manages|compliant/i, 'the compliant-device finding');
    assert.ok(text.includes(`was stopped by your organization's sign-in rule '${POLICY}' (AADSTS53000).`), text);
    assert.match(text, /Your sign-in at \d{1,2}:\d{2}/);
    assert.doesNotMatch(text, /\\\(/, 'no Markdown escapes show');
  });
});
