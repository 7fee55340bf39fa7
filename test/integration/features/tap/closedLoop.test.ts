import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import {
  TestClock,
  auditOf,
  cardText,
  click,
  demo,
  findAction,
  helpdeskCard,
  personalCardWith,
  personalMessages,
  requestIdOf,
  revealedValue,
  startTapHarness,
  storedRequest,
  submit,
  tapsOf,
} from './support';

async function issuedPass(h: Harness, upn: string, data: Record<string, unknown> = {}): Promise<string> {
  const requestId = requestIdOf(await submit(h, upn, data));
  await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
  revealedValue(await click(h, upn, 'tap.reveal', { requestId }));
  return requestId;
}

describe('TAP closed loop: the bot watches for the passkey and removes the pass', () => {
  let h: Harness;
  const clock = new TestClock();
  const runDue = () => h.helpdesk.deps.jobs.runDue();
  before(async () => {
    // Short polls keep the test clock close to real time: the demo tenant stamps passkeys with real time.
    h = await startTapHarness({ clock: clock.now, runJobs: false, env: { TAP_POLL_SECONDS: '10' }, people: ['alex@contoso.example', 'megan@contoso.example', 'lee@contoso.example', 'pradeep@contoso.example'] });
  });
  after(async () => h.stop());

  it('asks "Done? Remove my TAP" when a passkey appears in Authenticator, and deletes the pass when the person confirms', async () => {
    const requestId = await issuedPass(h, 'alex@contoso.example');
    assert.equal((await tapsOf(h, 'alex@contoso.example')).length, 1);

    clock.advanceSeconds(11);
    await runDue();
    assert.equal(personalCardWith(h, 'alex@contoso.example', 'tap.another'), undefined, 'nothing to ask before a passkey exists');

    // The demo-only control plays Alex registering a passkey in Authenticator on his iPhone.
    const registered = await demo(h, 'POST', `/_demo/users/alex@contoso.example/registerPasskey`, { platform: 'ios' });
    assert.ok(registered.id);
    clock.advanceSeconds(11);
    await runDue();

    const question = personalCardWith(h, 'alex@contoso.example', 'tap.another');
    assert.ok(question, 'the closed-loop question arrived');
    assert.match(cardText(question.card), /We can see a passkey in Microsoft Authenticator for Alex Wilber/);
    assert.ok(findAction(question.card, 'tap.done'));
    assert.match(cardText(helpdeskCard(h, requestId)), /1 passkey\(s\) registered/);

    const done = await click(h, 'alex@contoso.example', 'tap.done', { requestId });
    assert.match(cardText(done), /Completed: passkey registered/);
    assert.match(cardText(done), /your passkey is registered and the Temporary Access Pass has been removed/);
    assert.deepEqual(await tapsOf(h, 'alex@contoso.example'), [], 'the pass is deleted at the tenant');
    assert.match(cardText(helpdeskCard(h, requestId)), /Completed: passkey registered/);
    const events = (await auditOf(h, requestId)).map((e) => e.event);
    assert.ok(events.includes('passkey-detected'));
    assert.equal(events[events.length - 1], 'completed');
    assert.deepEqual(await h.helpdesk.deps.stores.dueTimes.list('tap.poll'), [], 'polling stopped');
  });

  it('keeps the pass for a second passkey ("Android work profile") and completes on its own when it appears', async () => {
    const requestId = await issuedPass(h, 'megan@contoso.example');
    await demo(h, 'POST', `/_demo/users/megan@contoso.example/registerPasskey`, { platform: 'android' });
    clock.advanceSeconds(11);
    await runDue();
    assert.ok(personalCardWith(h, 'megan@contoso.example', 'tap.another'));

    const another = await click(h, 'megan@contoso.example', 'tap.another', { requestId });
    assert.match(cardText(another), /register the next passkey/);
    assert.equal((await tapsOf(h, 'megan@contoso.example')).length, 1, 'the pass stays');

    await demo(h, 'POST', `/_demo/users/megan@contoso.example/registerPasskey`, { platform: 'android' });
    clock.advanceSeconds(11);
    await runDue();
    assert.equal((await storedRequest(h, requestId)).status, 'completed');
    assert.equal((await storedRequest(h, requestId)).completion.how, 'expected-passkeys-registered');
    assert.deepEqual(await tapsOf(h, 'megan@contoso.example'), []);
    const told = personalMessages(h, 'megan@contoso.example').map((m) => m.text ?? '').join('\n');
    assert.match(told, /All set: your passkey is registered/);
  });

  it('lets the pass simply run out when no passkey was registered, and stops polling', async () => {
    const requestId = await issuedPass(h, 'lee@contoso.example');
    clock.advanceMinutes(61);
    await runDue();
    assert.equal((await storedRequest(h, requestId)).status, 'expired');
    assert.match(cardText(helpdeskCard(h, requestId)), /Expired: the pass ran out before a passkey was registered/);
    assert.deepEqual((await h.helpdesk.deps.stores.dueTimes.list()).filter((j) => j.id.endsWith(requestId)), []);
  });
});
