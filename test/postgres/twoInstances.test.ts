/**
 * Two bot processes on one PostgreSQL schema, behind one stand-in connector and one
 * demo tenant; every activity goes to either instance at random (as a load balancer
 * without affinity would send it). The TAP workflow holds its guarantees across them.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createDemoTenant, defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant';
import { listenHttp, type Listening } from '../../src/server';
import { actionExecute, message, personalConversationId, personalInstall, postActivity, teamInstall, type Person } from '../support/activities';
import { ConnectorStandIn, type CapturedCall } from '../support/connector';
import type { Harness } from '../support/harness';
import { HELPDESK_CHANNEL, TEAM, findAction, revealedValue, requestIdOf, SUBMIT_DEFAULTS } from '../integration/features/tap/support';
import { TEST_DATABASE_URL, TestSchemas } from './support';

interface Instance {
  process: ChildProcess;
  botUrl: string;
  posted: number;
  /** Its JSON log lines so far. */
  logs: Array<Record<string, unknown>>;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'instance.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let instance: Instance | undefined;
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${err}`)), 90_000);
    child.stderr!.on('data', (chunk) => (err += String(chunk)));
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        if (instance && line.startsWith('{')) instance.logs.push(JSON.parse(line) as Record<string, unknown>);
        if (!instance && line.startsWith('READY ')) {
          clearTimeout(timer);
          instance = { process: child, botUrl: (JSON.parse(line.slice(6)) as { botUrl: string }).botUrl, posted: 0, logs: [] };
          resolve(instance);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}: ${err}`));
    });
  });
}

describe('Two bot instances on one PostgreSQL schema (activities routed at random)', function () {
  this.timeout(240_000);
  const schemas = new TestSchemas();
  let fixture: Fixture;
  let demo: Listening;
  let connector: ConnectorStandIn;
  let instances: Instance[];
  let h: Harness;

  const person = (upn: string): Person => {
    const user = fixture.users.find((u) => u.userPrincipalName === upn)!;
    return { aadObjectId: user.id, name: user.displayName ?? '' };
  };
  const post = (activity: unknown) => {
    const alive = instances.filter((i) => i.process.exitCode === null && i.process.signalCode === null);
    const instance = alive[Math.floor(Math.random() * alive.length)];
    instance.posted += 1;
    return postActivity(instance.botUrl, activity);
  };
  const click = async (upn: string, verb: string, data: Record<string, unknown>, inChannel = false) => {
    const activity = actionExecute(h.ctx, person(upn), verb, data) as any;
    if (inChannel) {
      activity.conversation = { id: `${HELPDESK_CHANNEL};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: h.ctx.tenantId };
      activity.channelData = { tenant: { id: h.ctx.tenantId }, team: { id: TEAM.id }, channel: { id: HELPDESK_CHANNEL } };
    }
    return post(activity);
  };
  const demoState = async () => (await fetch(`${demo.url}/_demo/state`)).json() as Promise<any>;
  const auditEvents = (schema: string, requestId: string) => schemas.sql<{ event: string }>(`select event from "${schema}".audit_events where request_id = $1 order by id`, [requestId]);

  let schema: string;
  beforeEach(async () => {
    fixture = loadFixture(defaultFixturePath());
    demo = await listenHttp(createDemoTenant(fixture).listener, '127.0.0.1', 0);
    connector = await new ConnectorStandIn().start();
    schema = schemas.newSchema();
    // info: the instance that lists a nudge campaign's members says so (how the test finds the job's holder).
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, DEMO_TENANT_URL: demo.url, HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL, JOB_LEASE_MS: '3000', LOG_LEVEL: 'info' };
    instances = await Promise.all([startInstance(env), startInstance(env)]);
    h = { ctx: { serviceUrl: connector.serviceUrl, tenantId: fixture.tenant.id }, person, post, connector } as unknown as Harness;
    assert.equal((await post(teamInstall(h.ctx, person('pradeep@contoso.example'), TEAM, HELPDESK_CHANNEL))).status, 200);
  });
  afterEach(async () => {
    for (const instance of instances ?? []) instance.process.kill('SIGKILL');
    await connector?.stop();
    await demo?.close();
  });
  after(() => schemas.dropAll());

  it('plays the TAP workflow with 20 concurrent approvals and 20 concurrent reveals: one decision, one pass, one delivery card', async () => {
    assert.equal((await post(personalInstall(h.ctx, person('alex@contoso.example')))).status, 200);
    const submitted = await click('alex@contoso.example', 'tap.submit', { ...SUBMIT_DEFAULTS, reason: 'New phone' });
    assert.equal(submitted.status, 200);
    const requestId = requestIdOf(submitted.body.value);

    const approvers = ['pradeep@contoso.example', 'debra@contoso.example'];
    const approvals = await Promise.all(Array.from({ length: 20 }, (_, i) => click(approvers[i % 2], 'tap.approve', { requestId, verification: 'video-call-with-id' }, true)));
    assert.deepEqual(approvals.filter((a) => a.status !== 200), []);
    const events = (await auditEvents(schema, requestId)).map((e) => e.event);
    assert.equal(events.filter((e) => e === 'approved').length, 1, `one decision: ${events.join(', ')}`);

    // The delivery card reaches Alex's 1:1 chat once.
    const alexChat = personalConversationId(person('alex@contoso.example'));
    // The card with Reveal: posted, or Alex's request card updated in place; counted by message id.
    const isDelivery = (c: CapturedCall) => (c.method === 'POST' || c.method === 'PUT') && c.conversationId === alexChat && Boolean(findAction(c.body?.attachments?.[0]?.content, 'tap.reveal'));
    const deliveries = () => [...new Set(connector.calls.filter(isDelivery).map((c) => c.assignedId))];
    // Sent after the decision is stored, possibly after the approving answer: waited for, then counted.
    await connector.waitFor(isDelivery, 30_000);
    assert.equal(deliveries().length, 1, 'one delivery card');

    const reveals = await Promise.all(Array.from({ length: 20 }, () => click('alex@contoso.example', 'tap.reveal', { requestId })));
    assert.deepEqual(reveals.filter((r) => r.status !== 200), []);
    const shown = reveals.map((r) => { try { return revealedValue(r.body.value); } catch { return undefined; } }).filter(Boolean);
    assert.equal(shown.length, 1, 'the pass is shown once');
    const state = await demoState();
    assert.equal(Number(state.stats.byPath['POST /users/{userId}/authentication/{collection}'] ?? 0), 1, 'one pass created in the tenant');
    assert.equal(deliveries().length, 1, 'still one delivery card');
    assert.ok(instances.every((i) => i.posted > 5), `both instances took activities: ${instances.map((i) => i.posted).join(' / ')}`);
  });

  it('sends each nudge once across instances, and finishes a campaign whose holder was killed with -9 mid-run', async () => {
    const sales = ['diego', 'megan', 'gerhart', 'fatima', 'cameron'].map((n) => `${n}@contoso.example`);
    for (const upn of sales) assert.equal((await post(personalInstall(h.ctx, person(upn)))).status, 200);
    connector.clear();
    const isNudge = (activity: any) => Boolean(activity?.attachments?.[0]?.content?.actions?.some((action: any) => action.verb === 'nudge.optOut'));
    // The connector hangs on the first nudge: the job's run stops there, its lease held by one instance.
    connector.hold(isNudge);
    // 'nudge Sales' shows a preview; its Send starts the campaign.
    assert.equal((await post(message(h.ctx, person('pradeep@contoso.example'), 'nudge Sales'))).status, 200);
    const preview = connector.sent(personalConversationId(person('pradeep@contoso.example'))).at(-1)?.attachments?.[0]?.content as { actions?: Array<{ verb?: string; data?: { previewId?: string } }> } | undefined;
    const previewId = preview?.actions?.find((a) => a.verb === 'nudge.send')?.data?.previewId;
    assert.ok(previewId, 'a nudge preview with Send');
    assert.equal((await click('pradeep@contoso.example', 'nudge.send', { previewId })).status, 200);
    const listed = (i: Instance) => i.logs.some((line) => line.msg === 'nudge campaign members listed');
    let deadline = Date.now() + 30_000;
    while (!(connector.held().length > 0 && instances.some(listed)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const holders = instances.filter(listed);
    assert.equal(holders.length, 1, 'one instance claimed the nudge job');
    const inFlight = connector.held();
    assert.equal(inFlight.length, 1, 'the holder is in the middle of its run (a nudge in flight)');
    const interrupted = (inFlight[0] as { conversation: { id: string } }).conversation.id;
    const [holder] = holders;
    const survivor = instances.find((i) => i !== holder)!;

    holder.process.kill('SIGKILL');
    await new Promise((resolve) => holder.process.once('exit', resolve));
    connector.release(); // the killed holder's nudge was never answered, so never delivered
    const nudges = () => connector.sent().filter(isNudge).map((a) => a.conversation?.id as string);
    deadline = Date.now() + 30_000;
    const completed = () => schemas.sql<{ details: { sent: number; failed: number } }>(`select details from "${schema}".audit_events where event = 'nudge-campaign-completed'`);
    while ((await completed()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 4000)); // a lease longer: no late duplicate
    const sent = nudges();
    // The nudge in flight at the kill may have arrived: it counts as failed and is never sent again.
    assert.equal(sent.length, 3, `nudges: ${sent.join(', ')}`);
    assert.equal(new Set(sent).size, sent.length, 'nobody nudged twice');
    assert.ok(!sent.includes(interrupted), 'the interrupted nudge is not sent again');
    const campaigns = await completed();
    assert.equal(campaigns.length, 1, 'the campaign completed once');
    assert.deepEqual({ sent: campaigns[0].details.sent, failed: campaigns[0].details.failed }, { sent: 3, failed: 1 });
    assert.equal(survivor.process.exitCode, null, 'by the other instance, still running');
  });
});
