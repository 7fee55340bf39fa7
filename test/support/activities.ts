/**
 * Bot Framework activities as Teams sends them, for HTTP-level tests.
 */
import { randomUUID } from 'node:crypto';

export interface Person {
  aadObjectId: string;
  name: string;
}

export interface ActivityContext {
  serviceUrl: string;
  tenantId: string;
  bot?: { id: string; name: string };
}

const BOT = { id: '28:passkey-helpdesk', name: 'Passkey Helpdesk' };

export function personalConversationId(person: Person): string {
  return `a:personal-${person.aadObjectId}`;
}

function base(ctx: ActivityContext, person: Person) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: ctx.serviceUrl,
    timestamp: new Date().toISOString(),
    localTimezone: 'Europe/Berlin',
    from: { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: ctx.bot ?? BOT,
    conversation: { id: personalConversationId(person), conversationType: 'personal', tenantId: ctx.tenantId },
    channelData: { tenant: { id: ctx.tenantId } },
  };
}

export function message(ctx: ActivityContext, person: Person, text: string) {
  return { ...base(ctx, person), type: 'message', text };
}

/** An Action.Execute click (invoke adaptiveCard/action). */
export function actionExecute(ctx: ActivityContext, person: Person, verb: string, data: Record<string, unknown> = {}, replyToId?: string) {
  return {
    ...base(ctx, person),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: replyToId ?? randomUUID(),
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

export function personalInstall(ctx: ActivityContext, person: Person) {
  const b = base(ctx, person);
  return { ...b, type: 'conversationUpdate', membersAdded: [{ id: b.recipient.id }] };
}

/** The bot added to a team: Teams sends conversationUpdate with channelData.team in the General channel. */
export function teamInstall(ctx: ActivityContext, person: Person, team: { id: string; name: string }, channelId = team.id) {
  const b = base(ctx, person);
  return {
    ...b,
    type: 'conversationUpdate',
    membersAdded: [{ id: b.recipient.id }],
    conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: ctx.tenantId },
    channelData: { tenant: { id: ctx.tenantId }, team: { id: team.id, name: team.name }, channel: { id: channelId }, eventType: 'teamMemberAdded' },
  };
}

/** Posts an activity to the bot; returns status and parsed body. */
export async function postActivity(botUrl: string, activity: unknown, init: { contentType?: string; rawBody?: string } = {}) {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.rawBody ?? JSON.stringify(activity),
  });
  const text = await response.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, body };
}
