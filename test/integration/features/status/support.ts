/**
 * Small helpers for the status, report and nudge specs: ask the bot something
 * and get the card back, collect a card's texts, wait for background work.
 */
import assert from 'node:assert/strict';
import { actionExecute, message, type Person } from '../../../support/activities';
import type { Harness } from '../../../support/harness';

export type Card = { type: string; body: any[]; actions?: any[]; [key: string]: unknown };

/** Sends a message and returns the card of the bot's reply to it. */
export async function ask(h: Harness, person: Person, text: string, tweak: (activity: any) => void = () => undefined): Promise<{ card: Card; replyId: string; conversationId: string }> {
  const activity: any = message(h.ctx, person, text);
  tweak(activity);
  const { status } = await h.post(activity);
  assert.equal(status, 200);
  const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id);
  const attachment = reply.body.attachments?.[0];
  assert.ok(attachment, `the reply to "${text}" carries a card (got: ${JSON.stringify(reply.body.text ?? reply.body)})`);
  return { card: attachment.content as Card, replyId: reply.assignedId ?? '', conversationId: reply.conversationId };
}

/** Presses an Action.Execute button; returns the card of the invoke response. */
export async function press(h: Harness, person: Person, verb: string, data: Record<string, unknown> = {}, replyToId?: string): Promise<Card> {
  const { status, body } = await h.post(actionExecute(h.ctx, person, verb, data, replyToId));
  assert.equal(status, 200);
  assert.equal(body?.type, 'application/vnd.microsoft.card.adaptive', `an invoke of ${verb} answers with a card (got ${JSON.stringify(body)})`);
  return body.value as Card;
}

/** Every TextBlock text and FactSet title/value of a card, in order. */
export function texts(card: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') found.push(element.text);
    if (element.type === 'FactSet' && Array.isArray(element.facts)) for (const fact of element.facts as Array<{ title: string; value: string }>) found.push(`${fact.title}: ${fact.value}`);
    for (const value of Object.values(element)) if (typeof value === 'object') visit(value);
  };
  visit((card as { body?: unknown }).body);
  return found;
}

export function allText(card: unknown): string {
  return texts(card).join('\n');
}

export function verbs(card: Card): string[] {
  return (card.actions ?? []).map((action: { verb: string }) => action.verb);
}

/** The first element of a type, anywhere in the body. */
export function element(card: Card, type: string): any {
  let found: unknown;
  const visit = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if ((node as { type?: unknown }).type === type) found = node;
    else Object.values(node).forEach(visit);
  };
  visit(card.body);
  return found;
}

export async function waitUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The demo tenant's request counters (GET /_demo/state). */
export async function demoStats(h: Harness): Promise<Record<string, number>> {
  const response = await fetch(`${h.helpdesk.demoTenantUrl}/_demo/state`);
  const state = (await response.json()) as { stats: { byPath: Record<string, number> } };
  return state.stats.byPath;
}

export const REPORT_ROUTE = 'GET /reports/authenticationMethods/userRegistrationDetails';

export const GROUPS = {
  passkeyPilot: 'c0000002-0000-4000-8000-000000000001',
  sales: 'c0000002-0000-4000-8000-000000000002',
} as const;
