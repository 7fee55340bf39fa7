/**
 * A person whose account the tenant already blocks types their problem in the
 * Agents Playground (Chromium): the findings card says it in plain words, and
 * "Details for IT" opens the admin's explanation under the finding. Screenshots
 * of both states; the expanded one is docs/screenshots/findings-details-for-it.png.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { resultPath, screenshotPath, scrollToTop, send, PlaygroundSession } from './support';

/** Not in the passkey rollout group: a blocker only an admin lifts, so the verdict comes at once. */
const PERSON = 'bianca@contoso.example';

describe('The findings card in the Agents Playground (Chromium): plain words, "Details for IT"', function () {
  this.timeout(120_000);

  const session = new PlaygroundSession('findings', PERSON);
  const { stopwatch } = session;
  let page: Page;

  before(async () => {
    page = await session.start();
  });

  after(() => session.stop('Timings of the findings card'));

  it('"i cant register a passkey" gives the findings in plain words, the admin text collapsed', async () => {
    await stopwatch.timed('sentence → findings card', async () => {
      await send(page, 'i cant register a passkey');
      await page.getByRole('button', { name: 'Details for IT' }).last().waitFor({ timeout: 20_000 });
    });
    const card = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(card);
    await page.screenshot({ path: resultPath('findings-details-for-it-collapsed.png') });
    const text = await card.innerText();
    assert.match(text, /Passkeys aren't switched on for you yet/);
    assert.doesNotMatch(text, /polic(y|ies)|Conditional Access|attestation|Entra admin center/i);
  });

  it('"Details for IT" opens the admin explanation and fix under the finding', async () => {
    const card = page.locator('.ac-adaptiveCard').last();
    await card.getByRole('button', { name: 'Details for IT' }).first().click();
    await card.getByText('What IT does').first().waitFor({ state: 'visible', timeout: 10_000 });
    await scrollToTop(card);
    await page.screenshot({ path: screenshotPath('findings-details-for-it.png') });
    assert.match(await card.innerText(), /Entra admin center/);
  });

  it('"help" lists each command once, with its argument shown as typed', async () => {
    await send(page, 'help');
    await page.getByText('For the helpdesk, managers and the rollout team').last().waitFor({ timeout: 20_000 });
    const card = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(card);
    await page.screenshot({ path: resultPath('help-card.png') });
    const text = await card.innerText();
    for (const command of ['check ‹name or email›', 'tap for ‹email›', 'report [group]', 'nudge ‹group›']) assert.ok(text.includes(command), command);
  });
});
