/**
 * Tenant mode end to end, offline: the bot as a child process with real credentials settings, talking to
 * a local identity stand-in (test/support/identityStandIn.ts), the demo tenant in strict mode as Microsoft
 * Graph (HTTPS), and the Bot Connector stand-in. Activities carry Bot Framework channel tokens.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FINDING_IDS } from '../../../src/features/diagnosis/domain';
import { DIAGNOSIS_VERBS } from '../../../src/shared/verbs';
import { createDemoTenant, defaultFixturePath, loadFixture, type DemoTenant, type Fixture } from '../../../src/demoTenant';
import { actionExecute, message, type ActivityContext, type Person } from '../../support/activities';
import { startChildBot, type ChildBot } from '../../support/childBot';
import { ConnectorStandIn } from '../../support/connector';
import type { Harness } from '../../support/harness';
import { createTestCa, startIdentityStandIn, type IdentityStandIn, type TestCa } from '../../support/identityStandIn';
import { HELPDESK_CHANNEL, HELPDESK_GROUP_ID } from '../features/tap/support';
import { cardElements } from '../../support/cards';

const README = path.resolve(__dirname, '../../../README.md');

/** The application permissions of the README's least-privilege table, in its order. */
export function readmePermissions(): string[] {
  const text = fs.readFileSync(README, 'utf8');
  const table = text.slice(text.indexOf('| Permission | Why |'));
  const rows = table.split('\n').slice(2);
  const permissions: string[] = [];
  for (const row of rows) {
    const match = /^\|\s*`([^`]+)`\s*\|/.exec(row.trim());
    if (!match) break;
    permissions.push(match[1]);
  }
  return permissions;
}

export interface TenantWorld {
  ca: TestCa;
  idp: IdentityStandIn;
  graph: DemoTenant;
  graphUrl: string;
  connector: ConnectorStandIn;
  bot: ChildBot;
  fixture: Fixture;
  dataDir: string;
  ctx: ActivityContext;
  person(upn: string): Person;
  /** POSTs an activity with a valid channel token (or the given Authorization header, or none with null). */
  post(activity: unknown, authorization?: string | null): Promise<{ status: number; body: any }>;
  /** The TAP helpers' view of this world (test/integration/tap/support.ts). */
  harness: Harness;
  stop(): Promise<void>;
}

export async function startTenantWorld(): Promise<TenantWorld> {
  const fixture = loadFixture(defaultFixturePath());
  const ca = createTestCa();
  const idp = await startIdentityStandIn(ca, { tenantId: fixture.tenant.id, grantedRoles: readmePermissions() });
  const graph = createDemoTenant(fixture, { strict: { keys: [idp.entraKey.publicJwk], issuers: [idp.entraIssuer], tenantId: fixture.tenant.id } });
  const graphServer = https.createServer({ key: ca.key, cert: ca.cert }, graph.listener);
  await new Promise<void>((resolve) => graphServer.listen(0, '127.0.0.1', resolve));
  const graphUrl = `https://127.0.0.1:${(graphServer.address() as AddressInfo).port}`;
  const connector = await new ConnectorStandIn().start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-tenant-'));
  const bot = await startChildBot({
    ...idp.botEnv(),
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: `${graphUrl}/v1.0`,
    DATA_DIR: dataDir,
    HELPDESK_GROUP_ID,
    HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL,
    TAP_DAILY_LIMIT: '50',
    // Each test changes the granted permissions: no tenant policy read may be reused from another.
    TENANT_POLICY_CACHE_SECONDS: '0',
  });
  const person = (upn: string): Person => {
    const user = fixture.users.find((u: { userPrincipalName?: string | null }) => u.userPrincipalName === upn);
    if (!user) throw new Error(`no persona ${upn}`);
    return { aadObjectId: user.id as string, name: user.displayName as string };
  };
  const ctx: ActivityContext = { serviceUrl: connector.serviceUrl, tenantId: fixture.tenant.id };
  const post = async (activity: unknown, authorization?: string | null) => {
    const header = authorization === undefined ? `Bearer ${idp.channelToken({ audience: idp.appId, serviceUrl: connector.serviceUrl })}` : authorization;
    const response = await fetch(`${bot.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header === null ? {} : { authorization: header }) },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, body };
  };
  const harness = { connector, fixture, person, ctx, post: (activity: unknown) => post(activity) } as unknown as Harness;
  return {
    ca,
    idp,
    graph,
    graphUrl,
    connector,
    bot,
    fixture,
    dataDir,
    ctx,
    person,
    post,
    harness,
    async stop() {
      await bot.stop();
      await connector.stop();
      graphServer.closeAllConnections();
      await new Promise<void>((resolve) => graphServer.close(() => resolve()));
      await idp.close();
      ca.remove();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Card = Record<string, any>;

export function findingIds(card: Card): string[] {
  return cardElements(card)
    .filter((e) => e.type === 'Container' && (FINDING_IDS as readonly string[]).includes(e.id))
    .map((e) => e.id);
}

/** Asks for a diagnosis in the 1:1 chat, answers the question card if one comes, and returns the last card. */
export async function diagnose(world: TenantWorld, upn: string, answers: Record<string, unknown>): Promise<Card> {
  const person = world.person(upn);
  const activity = message(world.ctx, person, "I can't add a passkey");
  const { status } = await world.post(activity);
  if (status !== 200) throw new Error(`the diagnosis message got ${status}`);
  const reply = await world.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id, 15_000);
  let card = reply.body.attachments?.[0]?.content as Card;
  // Step by step, as a person answers: the phone first (one tap, or "not sure"), then its questions.
  for (let step = 0; step < 4; step += 1) {
    const buttons = (card?.actions ?? []).filter((a: Card) => a.verb === DIAGNOSIS_VERBS.answer);
    if (buttons.length === 0) break;
    const asked = cardElements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.')).map((e) => e.id);
    let data: Record<string, unknown>;
    if (asked.length === 0) {
      const key = String(buttons[0].data.asked);
      data = (buttons.find((a: Card) => answers[key] !== undefined && a.data[key] === String(answers[key])) ?? buttons.find((a: Card) => a.data[key] === undefined)).data;
    } else {
      const inputs = Object.fromEntries(Object.entries(answers).filter(([key]) => asked.includes(key)).map(([k, v]) => [k, String(v)]));
      data = { ...buttons[0].data, ...inputs };
    }
    const pressed = await world.post(actionExecute(world.ctx, person, DIAGNOSIS_VERBS.answer, data));
    if (pressed.status !== 200) throw new Error(`the answers got ${pressed.status}`);
    card = pressed.body.value as Card;
  }
  return card;
}
