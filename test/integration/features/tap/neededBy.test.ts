import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import { cardText, findAction, startTapHarness, submit } from './support';

describe('TAP request: a "needed by" date that is not in the calendar', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTapHarness({ people: ['alex@contoso.example'] });
  });
  afterEach(async () => h.stop());

  it('refuses 2025-02-31 with a clear card that asks again, and sends nothing to the helpdesk', async () => {
    const answer = await submit(h, 'alex@contoso.example', { neededByDate: '2025-02-31', neededByTime: '09:00' });
    assert.match(cardText(answer), /2025-02-31 09:00 is not a date and time in the calendar/);
    assert.ok(findAction(answer, 'tap.submit'), 'the request card again, to pick the date anew');
    assert.doesNotMatch(cardText(answer), /Sent to the helpdesk/);
    const requested = (await h.helpdesk.deps.stores.audit.list()).filter((e) => e.event === 'requested');
    assert.equal(requested.length, 0);
  });

  it('accepts 29 February in a leap year', async () => {
    const answer = await submit(h, 'alex@contoso.example', { neededByDate: '2028-02-29' });
    assert.match(cardText(answer), /Sent to the helpdesk/);
  });
});
