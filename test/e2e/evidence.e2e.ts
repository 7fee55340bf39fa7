/**
 * Evidence in the Agents Playground (Chromium): Isaiah tries to add a passkey on his personal,
 * non-compliant Android phone — played through the demo tenant's control
 * `POST /_demo/users/{upn}/attemptRegistration`, which logs the sign-in Entra would (AADSTS53000,
 * the failing Conditional Access policy) — then asks "why did it fail?" in the chat and gets the
 * finding the sign-in log confirms, naming the policy. Screenshot: docs/screenshots/evidence-finding.png.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshotPath, scrollToTop, send, PlaygroundSession } from './support';

const PERSON = 'isaiah@contoso.example';
const POLICY = 'Require a compliant device on mobile (Mobile Workers)';

describe('"Why did it fail?" after a blocked registration, in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);

  const session = new PlaygroundSession('evidence', PERSON);
  const { stopwatch } = session;
  let page: Page;

  before(async () => {
    page = await session.start();
  });

  after(() => session.stop('Timings of the evidence conversation'));

  it('the attempt is refused by Conditional Access and logged as Entra would (demo control)', async () => {
    const response = await fetch(`${session.bot!.running!.demoTenantUrl}/_demo/users/${encodeURIComponent(PERSON)}/attemptRegistration`, {
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
