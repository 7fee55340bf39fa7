/**
 * A person describes the problem in German in the Agents Playground (Chromium):
 * the question card comes back in German with what the tenant already knows
 * (the Intune phone), and submitting it gives the verdict — two turns. Screenshots go to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshotPath, scrollToTop, send, PlaygroundSession } from './support';

const PERSON = 'adele@contoso.example';

describe('A German sentence in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  const session = new PlaygroundSession('de', PERSON);
  const { stopwatch } = session;
  let page: Page;

  before(async () => {
    page = await session.start();
  });

  after(() => session.stop('Timings of the German conversation'));

  it('"Ich kann keinen Passkey hinzufügen" brings the question card in German, the phone already known from Intune', async () => {
    await stopwatch.timed('German sentence → question card', async () => {
      await send(page, 'Ich kann keinen Passkey hinzufügen');
      await page.getByText('ein paar Fragen zu Ihrem Handy', { exact: false }).last().waitFor({ timeout: 20_000 });
    });
    const card = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(card);
    await page.screenshot({ path: screenshotPath('diagnosis-question-de.png') });
    const text = await card.innerText();
    assert.match(text, /Was ich schon weiß/);
    assert.match(text, /iPhone \(iOS 17\.5\)/);
    // An iPhone user is not asked Android questions.
    assert.doesNotMatch(text, /Android/);
  });

  it('submitting the card gives the verdict: the second turn', async () => {
    await stopwatch.timed('"Antworten prüfen" → verdict', async () => {
      await page.locator('.ac-adaptiveCard').last().getByRole('button', { name: /Antworten prüfen/ }).first().click();
      // The invoke's answer replaces the question card in place.
      await page.waitForFunction(() => {
        const cards = document.querySelectorAll('.ac-adaptiveCard');
        const last = cards[cards.length - 1] as HTMLElement | undefined;
        return !!last && !last.innerText.includes('Antworten prüfen');
      }, undefined, { timeout: 20_000 });
    });
    const next = page.locator('.ac-adaptiveCard').last();
    await scrollToTop(next);
    await page.screenshot({ path: screenshotPath('diagnosis-verdict-de.png') });
    assert.doesNotMatch(await next.innerText(), /Wo fügen Sie den Passkey hinzu/);
  });
});
