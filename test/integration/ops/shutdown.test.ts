import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTapStore } from '../../../src/features/tap/app/store';
import { defaultFixturePath, loadFixture } from '../../../src/demoTenant';
import { openSqliteStores } from '../../../src/storage';
import { actionExecute, message, postActivity, type Person } from '../../support/activities';
import { startChildBot, type ChildBot } from '../../support/childBot';
import { ConnectorStandIn } from '../../support/connector';
import type { Harness } from '../../support/harness';
import { HELPDESK_CHANNEL, click, install, installTeam, requestIdOf, revealedValue, submit } from '../features/tap/support';

/** The TAP helpers need only these parts of a harness. */
function remoteHarness(bot: ChildBot, connector: ConnectorStandIn): Harness {
  const fixture = loadFixture(defaultFixturePath());
  const person = (upn: string): Person => {
    const user = fixture.users.find((u: { userPrincipalName?: string | null }) => u.userPrincipalName === upn)!;
    return { aadObjectId: user.id as string, name: user.displayName as string };
  };
  return { connector, fixture, person, ctx: { serviceUrl: connector.serviceUrl, tenantId: fixture.tenant.id }, post: (activity: unknown) => postActivity(bot.botUrl, activity) } as unknown as Harness;
}

describe('Operations: readiness and graceful shutdown of `passkey-helpdesk start`', function () {
  // A loaded machine can take a minute to start the bot (the language model trains at start-up).
  this.timeout(180_000);
  let dataDir: string;
  let connector: ConnectorStandIn;
  let bot: ChildBot | undefined;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-shutdown-'));
    connector = await new ConnectorStandIn().start();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /readyz 200 once storage is migrated, and /healthz', async () => {
    bot = await startChildBot({ DATA_DIR: dataDir });
    const ready = await fetch(`${bot.botUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, storage: 'ok', graphToken: 'acquired' });
    assert.equal((await fetch(`${bot.botUrl}/healthz`)).status, 200);
  });

  it('on SIGTERM during a reveal lets the reveal finish, refuses new work, exits 0 and loses nothing', async () => {
    bot = await startChildBot({ DATA_DIR: dataDir, HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL });
    const h = remoteHarness(bot, connector);
    await installTeam(h);
    await install(h, 'alex@contoso.example');
    await install(h, 'pradeep@contoso.example');
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example', { reason: 'New phone' }));
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);

    // Every Graph answer now takes 400 ms, so the reveal is still running when the signal arrives.
    await demoControl(bot, 'POST', '/faults', { latencyMs: 400 });
    await demoControl(bot, 'POST', '/stats/reset');
    const reveal = postActivity(bot.botUrl, actionExecute(h.ctx, h.person('alex@contoso.example'), 'tap.reveal', { requestId }));
    // The reveal turn is in flight once it has asked Graph something.
    await waitUntil(async () => (await demoControl(bot!, 'GET', '/state')).stats.requests > 0, 10_000);
    bot.process.kill('SIGTERM');
    await waitForLog(bot, (line) => line.msg === 'shutting down: finishing turns in flight', 5_000);

    // New work is refused cleanly while the reveal finishes (or the port is already closed).
    const late = await postActivity(bot.botUrl, message(h.ctx, h.person('pradeep@contoso.example'), 'status')).catch(() => ({ status: 0, body: undefined }));
    assert.ok(late.status === 503 || late.status === 0, `a new activity during shutdown got ${late.status}`);
    if (late.status === 503) assert.equal((late.body as { error?: string }).error, 'shutting-down');

    const answer = await reveal;
    assert.equal(answer.status, 200, 'the reveal in flight was answered');
    const value = revealedValue(answer.body.value);
    assert.equal(value.length, 8, 'the pass was shown');

    const exit = await bot.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    const stopped = bot.logs().find((line) => line.msg === 'stopped');
    assert.deepEqual({ abandonedTurns: stopped?.abandonedTurns, jobsFinished: stopped?.jobsFinished }, { abandonedTurns: 0, jobsFinished: true });

    // Nothing lost: the request is issued (not stuck half-way), and the audit log says who revealed it.
    const stores = openSqliteStores({ dataDir }, () => new Date());
    try {
      const stored = await openTapStore(stores).requests.get(requestId);
      assert.equal(stored?.value.status, 'issued');
      const events = (await stores.audit.list({ requestId })).map((e) => e.event);
      assert.ok(events.includes('revealed'), `audit: ${events.join(', ')}`);
      assert.ok(!JSON.stringify(stored).includes(value), 'the pass is not stored');
    } finally {
      await stores.close();
    }
  });
});

async function demoControl(bot: ChildBot, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${bot.demoTenantUrl}/_demo${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function waitForLog(bot: ChildBot, predicate: (line: Record<string, any>) => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (bot.logs().some(predicate)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
