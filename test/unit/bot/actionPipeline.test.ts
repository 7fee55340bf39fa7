/**
 * The card-action pipeline (src/bot/actionPipeline.ts), modelled on teams-ai's
 * own AdaptiveCards.spec.ts: an Action.Execute invoke is run through a teams-ai
 * Application with a TestAdapter and the exact invoke response is asserted.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { Application } from '@microsoft/teams-ai';
import { ActivityTypes, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import { registerCardActions, type PipelineDeps } from '../../../src/bot/actionPipeline';
import type { AppTurnState } from '../../../src/bot/application';
import { cardAction, HELPDESK_CHANNEL_ONLY, PERSONAL_ONLY, type Actor } from '../../../src/features/cardActions';
import { GraphError } from '../../../src/graph/port';
import { createLogger } from '../../../src/logging';
import { CardTemplates } from '../../../src/shared/cardTemplates';
import { projectRoot } from '../../../src/shared/projectRoot';
import type { AuditEvent } from '../../../src/storage/ports';

const cards = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));
const ALEX = '0d2a2b3c-0000-4000-8000-00000000a1e5';
const HELPDESK_CHANNEL = '19:helpdesk@thread.tacv2';

interface Run {
  /** What the pipeline sent: the invoke response activities. */
  sent: Partial<Activity>[];
  audit: AuditEvent[];
  seen: Array<{ actor: Actor; input: unknown }>;
}

async function press(verb: string, data: unknown, overrides: Partial<Activity> = {}, handler?: () => Promise<never>): Promise<Run> {
  const run: Run = { sent: [], audit: [], seen: [] };
  const deps: PipelineDeps = {
    config: { helpdeskChannelId: HELPDESK_CHANNEL },
    stores: {
      rateLimits: { take: async () => ({ allowed: true, refusedInRow: 0 }) },
      audit: { append: async (event: AuditEvent) => void run.audit.push(event) },
    } as unknown as PipelineDeps['stores'],
    cards,
    logger: createLogger('silent'),
    clock: () => new Date('2026-11-30T12:00:00Z'),
  };
  const app = new Application<AppTurnState>({ storage: new MemoryStorage(), startTypingTimer: false });
  registerCardActions(app, deps, [
    {
      what: 'a test',
      actions: [
        cardAction({
          verb: 'status.refresh',
          schema: z.object({ userId: z.string().optional() }),
          from: PERSONAL_ONLY,
          handler: handler ?? (async (actor, input) => {
            run.seen.push({ actor, input });
            return cards.render('notice', { title: `hello ${input.userId ?? ''}`, text: 'x', color: 'Good' });
          }),
        }),
        cardAction({ verb: 'tap.approve', schema: z.object({}).passthrough(), from: HELPDESK_CHANNEL_ONLY, handler: async () => cards.render('notice', { title: 'approved', text: 'x', color: 'Good' }) }),
      ],
    },
  ]);
  const activity = {
    type: ActivityTypes.Invoke,
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    id: 'invoke-1',
    replyToId: 'card-1',
    from: { id: '29:alex', name: 'Alex', aadObjectId: ALEX.toUpperCase() },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: 'a:personal-alex', conversationType: 'personal' },
    value: { action: { type: 'Action.Execute', verb, data } },
    ...overrides,
  } as Activity;
  const context = new TurnContext(new TestAdapter(), activity);
  context.onSendActivities(async (_context, activities, next) => {
    run.sent.push(...activities);
    return next();
  });
  await app.run(context);
  return run;
}

/** The body of the one invoke response, as Teams receives it. */
function invokeBody(run: Run): { statusCode: number; type: string; value: { body: Array<{ text?: string }> } } {
  const responses = run.sent.filter((a) => a.type === ActivityTypes.InvokeResponse);
  assert.equal(responses.length, 1, 'exactly one invoke response');
  const value = responses[0]!.value as { status: number; body: { statusCode: number; type: string; value: { body: Array<{ text?: string }> } } };
  assert.equal(value.status, 200);
  return value.body;
}

const titleOf = (run: Run) => invokeBody(run).value.body[0]?.text;

describe('Card-action pipeline', () => {
  it('answers a known verb with the handler\'s card as the adaptive-card invoke response, for the presser only', async () => {
    const run = await press('status.refresh', { userId: 'x' });
    const expected = cards.render('notice', { title: 'hello x', text: 'x', color: 'Good' });
    assert.deepEqual(invokeBody(run), { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: expected });
    assert.equal(run.sent.filter((a) => a.type === ActivityTypes.Message).length, 0, 'no message update for everyone');
  });

  it('hands the handler the canonical actor (lower-case GUID) and the parsed input', async () => {
    const run = await press('status.refresh', { userId: 'x' });
    assert.deepEqual(run.seen, [{ actor: { id: ALEX, origin: 'personal', teamsId: '29:alex' }, input: { userId: 'x' } }]);
  });

  it('answers an unknown verb and invalid data with the same refusal card; bad data is audited as forged', async () => {
    const unknown = await press('no.such.verb', {});
    const invalid = await press('status.refresh', { userId: 42 });
    assert.equal(titleOf(unknown), 'That button no longer works');
    assert.deepEqual(invokeBody(invalid), invokeBody(unknown));
    assert.deepEqual(invalid.audit.map((e) => [e.event, e.actor, e.details]), [['refused-forged', ALEX, { verb: 'status.refresh', reason: 'invalid-input' }]]);
  });

  it('answers "Who are you?" when from.aadObjectId is not a GUID (a UPN, say), and never runs the handler', async () => {
    const run = await press('status.refresh', {}, { from: { id: '29:alex', name: 'Alex', aadObjectId: 'alex@contoso.example' } } as Partial<Activity>);
    assert.equal(titleOf(run), 'Who are you?');
    assert.deepEqual(run.seen, []);
  });

  it('refuses a verb pressed outside the places it allows, and audits it', async () => {
    const fromChat = await press('tap.approve', {});
    assert.equal(titleOf(fromChat), 'Only in the helpdesk channel');
    assert.equal(fromChat.audit[0]?.details?.reason, 'wrong-origin');
    const inChannel = await press('tap.approve', {}, {
      conversation: { id: `${HELPDESK_CHANNEL};messageid=1`, conversationType: 'channel', isGroup: true },
      channelData: { channel: { id: HELPDESK_CHANNEL } },
    } as Partial<Activity>);
    assert.equal(titleOf(inChannel), 'approved');
  });

  it('turns a handler error into an answer card without exception text (Graph trouble and bugs alike)', async () => {
    const graph = await press('status.refresh', {}, {}, async () => {
      throw new GraphError('upstream exploded: secret detail', 503, 'serviceUnavailable');
    });
    assert.equal(titleOf(graph), "I couldn't reach the directory");
    const bug = await press('status.refresh', {}, {}, async () => {
      throw new TypeError('x.trim is not a function');
    });
    assert.equal(titleOf(bug), 'Something went wrong');
    assert.ok(!JSON.stringify(invokeBody(bug)).includes('trim is not a function'));
    assert.ok(!JSON.stringify(invokeBody(graph)).includes('secret detail'));
  });
});
