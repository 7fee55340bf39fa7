import assert from 'node:assert/strict';
import { actionExecute, message } from '../../support/activities';
import { startHarness, type Harness } from '../../support/harness';

/** Words that only appear in exception texts and stack traces. */
const EXCEPTION_TEXT = /is not a function|Cannot read prop|undefined|TypeError|ReferenceError|at [\w.<>]+ \(|\.ts:\d+|\.js:\d+|missing context/i;

describe('The HTTP edge validates activities before the adapter (F3)', () => {
  let h: Harness;
  let consoleErrors: unknown[][];
  const originalConsoleError = console.error;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());
  beforeEach(() => {
    consoleErrors = [];
    console.error = (...args: unknown[]) => void consoleErrors.push(args);
  });
  afterEach(() => {
    console.error = originalConsoleError;
  });

  const valid = () => message(h.ctx, h.person('adele@contoso.example'), 'help') as Record<string, any>;

  const broken: Array<[string, (a: Record<string, any>) => void]> = [
    ['no from.id', (a) => delete a.from.id],
    ['no from at all', (a) => delete a.from],
    ['a number as text', (a) => (a.text = 42)],
    ['an object as text', (a) => (a.text = { trim: 1 })],
    ['a number as serviceUrl', (a) => (a.serviceUrl = 7)],
    ['a non-http serviceUrl', (a) => (a.serviceUrl = 'file:///etc/passwd')],
    ['no conversation id', (a) => (a.conversation = { tenantId: a.conversation.tenantId })],
    ['no recipient', (a) => delete a.recipient],
    ['no channelId', (a) => delete a.channelId],
    ['a string as value', (a) => (a.value = 'x')],
    ['an array as value', (a) => (a.value = [1])],
    ['a number as name', (a) => (a.name = 5)],
    ['a string as entities', (a) => (a.entities = 'mention')],
    ['a number as the channel data tenant id', (a) => (a.channelData = { tenant: { id: 5 } })],
  ];

  for (const [what, breakIt] of broken) {
    it(`answers an activity with ${what} with 400 and the fixed body`, async () => {
      const activity = valid();
      breakIt(activity);
      const { status, body } = await h.post(activity);
      assert.equal(status, 400);
      assert.deepEqual(body, { error: 'invalid activity' });
      assert.equal(h.connector.calls.length, 0);
    });
  }

  it('answers a body that is not JSON without any parser or exception text', async () => {
    const response = await fetch(`${h.helpdesk.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message",' });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.doesNotMatch(text, /JSON|Unexpected|position|token/i);
    assert.doesNotMatch(text, EXCEPTION_TEXT);
  });

  it('answers an invoke it does not handle with 200 and an empty body, not 501', async () => {
    const activity = { ...actionExecute(h.ctx, h.person('adele@contoso.example'), 'menu.tap'), name: 'composeExtension/fetchTask' };
    const { status, body } = await h.post(activity);
    assert.equal(status, 200);
    assert.equal(body, undefined);
    const unnamed = { ...actionExecute(h.ctx, h.person('adele@contoso.example'), 'menu.tap'), name: 'no/such/invoke' };
    assert.equal((await h.post(unnamed)).status, 200);
  });

  it('never prints to stderr with console.error: what goes wrong is logged through pino', async () => {
    for (const [, breakIt] of broken) {
      const activity = valid();
      breakIt(activity);
      await h.post(activity);
    }
    await h.post({ ...valid(), type: 'invoke', name: 'adaptiveCard/action', value: { action: 'not an object' } });
    await h.post({ ...valid(), type: 'invoke', name: 'adaptiveCard/action', value: {} });
    await h.post({ ...valid(), type: 'messageReaction' });
    assert.deepEqual(consoleErrors, []);
    assert.ok(h.logs.some((line) => line.includes('invalid activity refused')));
  });

  it('keeps every response free of exception text for activities that pass the schema but make no sense', async () => {
    const odd: Array<Record<string, any>> = [
      { ...valid(), type: 'invoke', name: 'adaptiveCard/action', value: { action: 'not an object' } },
      { ...valid(), type: 'invoke', name: 'adaptiveCard/action', value: {} },
      { ...valid(), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 42, data: 'x' } } },
      { ...valid(), type: 'conversationUpdate', membersAdded: [{ id: 'x' }] },
      { ...valid(), type: 'event', name: 'application/vnd.microsoft.meetingStart' },
      { ...valid(), type: 'no-such-type' },
    ];
    for (const activity of odd) {
      const { status, body } = await h.post(activity);
      assert.ok(status < 500, `${JSON.stringify(activity.value ?? activity.type)} → ${status}`);
      assert.doesNotMatch(JSON.stringify(body ?? ''), EXCEPTION_TEXT);
    }
    const health = await fetch(`${h.helpdesk.botUrl}/healthz`);
    assert.equal(health.status, 200);
  });
});
