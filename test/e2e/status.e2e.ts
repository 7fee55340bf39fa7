/**
 * Nudges and the readiness report in the Agents Playground (Chromium), as a
 * helpdesk member: "nudge finance team" shows the preview (nothing sent), Send
 * starts the campaign and the card turns into its progress; "report" shows the
 * charts. Screenshots go to docs/screenshots/ (docs/status.md).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshotPath, scrollToTop, send, PlaygroundSession } from './support';

const HELPDESK_MEMBER = 'pradeep@contoso.example';

describe('Nudges and the readiness report in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  const session = new PlaygroundSession('status', HELPDESK_MEMBER);
  const { stopwatch } = session;
  let page: Page;

  before(async () => {
    page = await session.start();
  });

  after(() => session.stop('Timings of nudges and the report'));

  it('"nudge finance team" shows a preview: the group, who still lacks a passkey, who is left out, a sample; nothing sent yet', async () => {
    await stopwatch.timed('"nudge finance team" → preview', async () => {
      await send(page, 'nudge finance team');
      await page.getByText('Nudge Finance?', { exact: true }).last().waitFor({ timeout: 20_000 });
    });
    const card = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(card);
    await page.screenshot({ path: screenshotPath('nudge-preview.png') });
    const text = await card.innerText();
    assert.match(text, /Still without a passkey/);
    assert.match(text, /What they receive \(sample\)/);
    assert.match(text, /Time to set up a passkey/);
    assert.doesNotMatch(text, /Passkey nudges: Finance/, 'no campaign before Send');
  });

  it('Send starts the campaign: the preview turns into its progress card', async () => {
    const card = page.locator('.ac-adaptiveCard').last();
    await stopwatch.timed('Send → progress', async () => {
      await card.getByRole('button', { name: /^Send/ }).click();
      await page.getByText('Passkey nudges: Finance', { exact: true }).last().waitFor({ timeout: 20_000 });
    });
    await page.getByText(/^(Done: every member|Sending:|Listing the group)/).last().waitFor({ timeout: 20_000 });
  });

  it('"report" shows the readiness charts: a donut with every series in the legend and departments as whole stacked bars', async () => {
    await stopwatch.timed('"report" → charts', async () => {
      await send(page, 'report');
      await page.getByText('Passkey readiness: whole organisation', { exact: true }).last().waitFor({ timeout: 60_000 });
    });
    const card = page.locator('.ac-adaptiveCard').last();
    await card.locator('svg').first().waitFor({ timeout: 20_000 });
    // A tall window, so the donut and the department bars fit in one picture.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await scrollToTop(card);
    await page.screenshot({ path: screenshotPath('report-charts.png') });
    const text = await card.innerText();
    for (const legend of [/Phishing-resistant: \d+/, /Phishable only: \d+/, /No MFA: \d+/]) assert.match(text, legend);
    assert.match(text, /As of /);
    assert.doesNotMatch(text, /\{\{DATE/, 'the client formats the time');
  });
});
