/**
 * Helpers for the TAP scenario tests: the product over HTTP (test/support/harness.ts)
 * with the bot installed in a team whose channel is HELPDESK_CHANNEL_ID, personas
 * with a personal chat, card clicks, and reading what the connector stand-in got.
 */
import assert from 'node:assert/strict';
import type { Fixture } from '../../../../src/demoTenant';
import { defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { actionExecute, message, personalInstall, teamInstall, type Person } from '../../../support/activities';
import type { CapturedCall } from '../../../support/connector';
import { startHarness, type Harness, type HarnessOptions } from '../../../support/harness';
import { openTapStore } from '../../../../src/features/tap/app/store';

export const HELPDESK_CHANNEL = '19:tap-helpdesk@thread.tacv2';
export const TEAM = { id: '19:contoso-it@thread.tacv2', name: 'Contoso IT' };
export const HELPDESK_GROUP_ID = 'c0000002-0000-4000-8000-000000000011';

export type Card = Record<string, any>;

/** A clock the test moves: starts at real time (the demo tenant stamps passes and passkeys with real time). */
export class TestClock {
  private ms = Date.now();
  readonly now = (): Date => new Date(this.ms);
  advanceMinutes(minutes: number): void {
    this.ms += minutes * 60_000;
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export async function startTapHarness(options: HarnessOptions & { people?: string[] } = {}): Promise<Harness> {
  const h = await startHarness({ ...options, env: { HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL, ...options.env } });
  await installTeam(h);
  for (const upn of options.people ?? []) await install(h, upn);
  return h;
}

/** The bot added to the team that holds the helpdesk channel (its reference is captured then). */
export async function installTeam(h: Harness): Promise<void> {
  const { status } = await h.post(teamInstall(h.ctx, h.person('pradeep@contoso.example'), TEAM, HELPDESK_CHANNEL));
  assert.equal(status, 200);
}

/** The person opened a 1:1 chat with the bot (so proactive messages can reach them). */
export async function install(h: Harness, upn: string): Promise<void> {
  const { status } = await h.post(personalInstall(h.ctx, h.person(upn)));
  assert.equal(status, 200);
}

/**
 * Clicks an Action.Execute button as `upn`; returns the invoke response card.
 * `cardId`: the activity id of the card clicked (the invoke's replyToId), when the test follows a real card.
 */
export async function click(h: Harness, upn: string | Person, verb: string, data: Record<string, unknown> = {}, inChannel = false, cardId?: string): Promise<Card> {
  const person = typeof upn === 'string' ? h.person(upn) : upn;
  const activity = actionExecute(h.ctx, person, verb, data, cardId) as any;
  if (inChannel) {
    activity.conversation = { id: `${HELPDESK_CHANNEL};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: h.ctx.tenantId };
    activity.channelData = { tenant: { id: h.ctx.tenantId }, team: { id: TEAM.id }, channel: { id: HELPDESK_CHANNEL } };
  }
  const { status, body } = await h.post(activity);
  assert.equal(status, 200, `invoke ${verb} answered ${status}`);
  assert.equal(body?.type, 'application/vnd.microsoft.card.adaptive', `invoke ${verb} answered with a card`);
  return body.value as Card;
}

export async function say(h: Harness, upn: string, text: string): Promise<void> {
  const { status } = await h.post(message(h.ctx, h.person(upn), text));
  assert.equal(status, 200);
}

export const SUBMIT_DEFAULTS = { reason: 'New phone, first day at work', tapKind: 'multiUse', passkeys: '', lostDevice: 'false', targetUpn: '', neededByDate: '', neededByTime: '' };

export async function submit(h: Harness, upn: string, data: Record<string, unknown> = {}): Promise<Card> {
  return click(h, upn, 'tap.submit', { ...SUBMIT_DEFAULTS, ...data });
}

/** Every string a card shows (TextBlocks, facts, TextRuns, titles), joined. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
      for (const [key, value] of Object.entries(o)) if (key !== 'text' && key !== 'title' && key !== 'value') walk(value);
      if (typeof o.value === 'object') walk(o.value);
    }
  };
  walk(card);
  // Cards escape Markdown in user and directory text: read it as the person sees it.
  return out.join('\n').replace(/\\([\\`*_[\]()<>~|&#+\-.])/g, '$1');
}

/** The Action.Execute with this verb anywhere in the card (ShowCards included). */
export function findAction(card: unknown, verb: string): Card | undefined {
  let found: Card | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Card;
      if (o.type === 'Action.Execute' && o.verb === verb) found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

export function requestIdOf(card: unknown): string {
  for (const verb of ['tap.cancel', 'tap.reveal', 'tap.approve', 'tap.retry', 'tap.done', 'tap.hide']) {
    const action = findAction(card, verb);
    if (action?.data?.requestId) return action.data.requestId as string;
  }
  throw new Error(`no request id on the card: ${cardText(card)}`);
}

function cardOf(call: CapturedCall): Card | undefined {
  return call.body?.attachments?.[0]?.content;
}

/** The thread the approval card of this request started in the helpdesk channel. */
export function helpdeskThread(h: Harness, requestId: string): CapturedCall {
  const created = h.connector.calls.find((c) => c.path === '/v3/conversations' && JSON.stringify(c.body).includes(requestId));
  assert.ok(created, 'the approval card was posted as a new thread in the helpdesk channel');
  return created;
}

/** The approval card as everyone in the channel sees it now (the root post, after any updates). */
export function helpdeskCard(h: Harness, requestId: string): Card {
  const thread = helpdeskThread(h, requestId);
  const updates = h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === thread.conversationId && c.activityId === thread.assignedId);
  const latest = updates.length > 0 ? updates[updates.length - 1] : thread;
  return cardOf(latest) as Card;
}

/** Plain messages posted as replies in the request's helpdesk thread. */
export function threadReplies(h: Harness, requestId: string): string[] {
  const thread = helpdeskThread(h, requestId);
  return h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === thread.conversationId && c.body?.type === 'message' && c.body.text).map((c) => c.body.text as string);
}

/** Activities the bot sent to a person's 1:1 chat (proactive messages and replies). */
export function personalMessages(h: Harness, upn: string): any[] {
  const conversationId = `a:personal-${h.person(upn).aadObjectId}`;
  return h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && c.body?.type === 'message').map((c) => c.body);
}

/** The last card with this verb the person received in their 1:1 chat (after updates). */
export function personalCardWith(h: Harness, upn: string, verb: string): { card: Card; call: CapturedCall } | undefined {
  const conversationId = `a:personal-${h.person(upn).aadObjectId}`;
  const calls = h.connector.calls.filter((c) => c.conversationId === conversationId && findAction(cardOf(c), verb));
  const call = calls[calls.length - 1];
  if (!call) return undefined;
  const updates = h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === conversationId && c.activityId === call.assignedId);
  const latest = updates.length > 0 ? updates[updates.length - 1] : call;
  return { card: cardOf(latest) as Card, call };
}

/** The demo tenant's demo-only controls and Graph (any bearer token will do there). */
export async function demo(h: Harness, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${h.helpdesk.demoTenantUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export async function tapCreations(h: Harness): Promise<number> {
  const state = await demo(h, 'GET', '/_demo/state');
  return Number(state.stats.byPath['POST /users/{userId}/authentication/{collection}'] ?? 0);
}

export async function methodsOf(h: Harness, upn: string): Promise<Card[]> {
  const listed = await demo(h, 'GET', `/v1.0/users/${h.person(upn).aadObjectId}/authentication/methods`);
  return listed.value as Card[];
}

export async function tapsOf(h: Harness, upn: string): Promise<Card[]> {
  return (await methodsOf(h, upn)).filter((m) => m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod');
}

/** The refusals audited for a request, or for one person's actions: "event:reason" each. */
export async function refusalsOf(h: Harness, requestId: string | null, actorUpn?: string): Promise<string[]> {
  const events = await h.helpdesk.deps.stores.audit.list(actorUpn ? { actor: h.person(actorUpn).aadObjectId } : requestId ? { requestId } : {});
  return events.filter((e) => e.event === 'refused' || e.event === 'refused-forged').map((e) => `${e.event}:${(e.details as { reason?: string }).reason}`);
}

export async function auditOf(h: Harness, requestId: string) {
  return h.helpdesk.deps.stores.audit.list({ requestId });
}

export async function storedRequest(h: Harness, requestId: string): Promise<any> {
  return (await openTapStore(h.helpdesk.deps.stores).requests.get(requestId))?.value;
}

/** The pass shown on a revealed card (a RichTextBlock TextRun in monospace). */
export function revealedValue(card: Card): string {
  let value: string | undefined;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Card;
      if (o.type === 'TextRun' && o.fontType === 'Monospace') value = o.text;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  assert.ok(value, `the card shows a pass: ${cardText(card)}`);
  return value;
}

/** A copy of the Contoso fixture with extra helpdesk members (for the race with 20 approvers). */
export function fixtureWithHelpdeskMembers(count: number): { fixture: Fixture; upns: string[] } {
  const fixture = JSON.parse(JSON.stringify(loadFixture(defaultFixturePath()))) as Fixture;
  const helpdesk = fixture.groups?.find((g: { displayName?: string }) => g.displayName === 'Passkey Helpdesk') as { memberIds?: string[] };
  const upns: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `c0000009-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const upn = `helper${i}@contoso.example`;
    (fixture.users as unknown as Record<string, unknown>[]).push({
      id,
      userPrincipalName: upn,
      displayName: `Helper ${i}`,
      accountEnabled: true,
      userType: 'Member',
      mail: upn,
      jobTitle: 'Service desk agent',
      department: 'IT',
    });
    helpdesk.memberIds = [...(helpdesk.memberIds ?? []), id];
    upns.push(upn);
  }
  return { fixture, upns };
}

/** The conversation id of a person's 1:1 chat in the connector stand-in. */
export function personalConversation(h: Harness, upn: string): string {
  return `a:personal-${h.person(upn).aadObjectId}`;
}

/** The id of the last request card ("Send to the helpdesk") the bot posted in the person's chat. */
export function requestCardId(h: Harness, upn: string): string {
  const conversationId = personalConversation(h, upn);
  const posted = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && findAction(cardOf(c), 'tap.submit'));
  const id = posted[posted.length - 1]?.assignedId;
  assert.ok(id, 'a request card was posted in the chat');
  return id;
}

// ---------------------------------------------------------------- one step of the workflow per helper (each `it` sets up its own request)

/** The person types "I need a TAP" and sends the request card they got; returns the request id. */
export async function requestSent(h: Harness, upn: string, data: Record<string, unknown> = {}): Promise<string> {
  await say(h, upn, 'I need a TAP');
  return requestIdOf(await click(h, upn, 'tap.submit', { ...SUBMIT_DEFAULTS, ...data }, false, requestCardId(h, upn)));
}

/** …and a helpdesk member approved it in the channel. */
export async function requestApproved(h: Harness, upn: string, data: Record<string, unknown> = {}): Promise<string> {
  const requestId = await requestSent(h, upn, data);
  await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
  return requestId;
}

/** …and the person revealed the pass (returned with the request id). */
export async function passRevealed(h: Harness, upn: string, data: Record<string, unknown> = {}): Promise<{ requestId: string; value: string; answer: Card }> {
  const requestId = await requestApproved(h, upn, data);
  const answer = await click(h, upn, 'tap.reveal', { requestId }, false, requestCardId(h, upn));
  return { requestId, value: revealedValue(answer), answer };
}
