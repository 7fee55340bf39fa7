import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../../../support/harness';
import { personalInstall } from '../../../support/activities';
import {
  HELPDESK_CHANNEL,
  TestClock,
  auditOf,
  cardText,
  click,
  findAction,
  requestIdOf,
  startTapHarness,
  storedRequest,
  submit,
} from './support';
import { openTapStore } from '../../../../src/features/tap/app/store';

describe('TAP routing when the bot is not installed in the helpdesk channel', () => {
  let h: Harness;
  before(async () => {
    // HELPDESK_CHANNEL_ID is set, but the bot was never added to that channel's team.
    h = await startHarness({ env: { HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL } });
    await h.post(personalInstall(h.ctx, h.person('alex@contoso.example')));
  });
  after(async () => h.stop());

  it('tells the requester clearly, withdraws the request, and logs the error', async () => {
    const answer = await submit(h, 'alex@contoso.example');
    assert.match(cardText(answer), /couldn't be sent to the helpdesk because the helpdesk channel isn't reachable/);
    const stored = (await openTapStore(h.helpdesk.deps.stores).requests.list()).map((d) => d.value)[0];
    assert.equal(stored.status, 'cancelled');
    assert.deepEqual((await auditOf(h, stored.id)).map((e) => e.event), ['requested', 'routing-failed']);
    assert.ok(h.logs.some((l) => l.includes('could not be routed to the helpdesk channel') && l.includes(HELPDESK_CHANNEL)));
    assert.deepEqual(await h.helpdesk.deps.stores.dueTimes.list('tap.remind'), []);
  });
});

describe('TAP cards from the menu and on refresh', () => {
  let h: Harness;
  before(async () => {
    h = await startTapHarness({ people: ['alex@contoso.example', 'adele@contoso.example', 'pradeep@contoso.example'] });
  });
  after(async () => h.stop());

  it('opens the request card from the menu button', async () => {
    const card = await click(h, 'alex@contoso.example', 'menu.tap');
    assert.ok(findAction(card, 'tap.submit'));
  });

  it('prefills the request card from a diagnosis card\'s button (reason, lost phone)', async () => {
    const card = await click(h, 'adele@contoso.example', 'menu.tap', { reason: 'lost-device', lostDevice: true });
    const json = JSON.stringify(card);
    assert.ok(json.includes('"value":"I lost or replaced the phone with Microsoft Authenticator."'));
    assert.ok(json.includes('"id":"lostDevice","title":"The phone with Microsoft Authenticator was lost or replaced","value":"true"'), json);
  });

  it('opens the card for the person from a helpdesk ticket\'s button, for the helpdesk only', async () => {
    const forHelpdesk = await click(h, 'pradeep@contoso.example', 'menu.tap', { reason: 'no-mfa-for-registration', targetUpn: 'alex@contoso.example' }, true);
    assert.match(cardText(forHelpdesk), /Temporary Access Pass for Alex Wilber/);
    assert.ok(JSON.stringify(forHelpdesk).includes('"value":"alex@contoso.example"'));
    const forOthers = await click(h, 'adele@contoso.example', 'menu.tap', { targetUpn: 'alex@contoso.example' }, true);
    assert.match(cardText(forOthers), /only their manager or the helpdesk can/);
  });

  it('shows the open request instead once there is one, with a way to cancel it', async () => {
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    const card = await click(h, 'alex@contoso.example', 'menu.tap');
    assert.equal(requestIdOf(card), requestId);
    assert.match(cardText(card), /waiting for the helpdesk/);
  });

  it('answers a refresh in the channel with that person\'s view: buttons for the helpdesk, a read-only card with the reason for others', async () => {
    const requestId = requestIdOf(await click(h, 'alex@contoso.example', 'menu.tap'));
    const forHelpdesk = await click(h, 'pradeep@contoso.example', 'tap.refresh', { requestId }, true);
    assert.ok(findAction(forHelpdesk, 'tap.approve'));
    const forOthers = await click(h, 'adele@contoso.example', 'tap.refresh', { requestId }, true);
    assert.equal(findAction(forOthers, 'tap.approve'), undefined);
    assert.match(cardText(forOthers), /Only members of the helpdesk group/);
    const forTarget = await click(h, 'alex@contoso.example', 'tap.refresh', { requestId }, true);
    assert.equal(findAction(forTarget, 'tap.approve'), undefined);
  });

  it('answers a refresh in the 1:1 chat with the delivery card, and someone else\'s with "not for you"', async () => {
    const requestId = requestIdOf(await click(h, 'alex@contoso.example', 'menu.tap'));
    assert.match(cardText(await click(h, 'alex@contoso.example', 'tap.refresh', { requestId })), /waiting for the helpdesk/);
    assert.match(cardText(await click(h, 'adele@contoso.example', 'tap.refresh', { requestId })), /belongs to someone else/);
  });

  it('lets the requester cancel a pending request and updates the helpdesk card', async () => {
    const requestId = requestIdOf(await click(h, 'alex@contoso.example', 'menu.tap'));
    const answer = await click(h, 'alex@contoso.example', 'tap.cancel', { requestId });
    assert.match(cardText(answer), /Cancelled/);
    assert.equal((await storedRequest(h, requestId)).status, 'cancelled');
    const refused = await click(h, 'adele@contoso.example', 'tap.cancel', { requestId });
    assert.match(cardText(refused), /already cancelled|Only the requester/);
  });
});

describe('Audit retention', () => {
  let h: Harness;
  const clock = new TestClock();
  before(async () => {
    h = await startTapHarness({ clock: clock.now, runJobs: false, env: { AUDIT_RETENTION_DAYS: '30' }, people: ['alex@contoso.example'] });
  });
  after(async () => h.stop());

  it('purges audit events older than AUDIT_RETENTION_DAYS, once a day, as a durable job', async () => {
    await h.helpdesk.deps.jobs.runDue();
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    assert.ok((await auditOf(h, requestId)).length > 0);
    assert.ok(await h.helpdesk.deps.stores.dueTimes.get('audit.purge'), 'the next purge is scheduled');
    clock.advanceMinutes(29 * 24 * 60);
    await h.helpdesk.deps.jobs.runDue();
    assert.ok((await auditOf(h, requestId)).length > 0, 'kept within the retention');
    clock.advanceMinutes(2 * 24 * 60);
    await h.helpdesk.deps.jobs.runDue();
    // The request's early events are past 30 days; its expiry (day 29, when the job first ran late) is not.
    assert.deepEqual((await auditOf(h, requestId)).map((e) => e.event), ['expired']);
  });
});
