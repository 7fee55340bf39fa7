/**
 * The card-action pipeline: the one place an Action.Execute invoke
 * (`adaptiveCard/action`) is answered. For every verb of every feature's table
 * (src/features/cardActions.ts) it does, in this order:
 *
 * 1. the verb: unknown → the refusal card (rate-limited per person);
 * 2. identity: the canonical actor (`from.aadObjectId` as a lower-case GUID), else "Who are you?";
 * 3. origin: 1:1 chat / helpdesk channel / elsewhere, as the verb allows;
 * 4. the action data through the verb's zod schema: invalid → the same refusal card, audited as forged;
 * 5. the handler, guarded: an error becomes the feature's failure card (features/failures.ts);
 * 6. the invoke response: the card for the person who pressed (Universal Actions
 *    "replace for the interactor"). Never teams-ai's automatic switch to
 *    "update the message for everyone" when a card carries `refresh`: a revealed
 *    pass must travel only in this response. Changes everyone must see are
 *    made by the features through the messaging port (a card update).
 */
import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext, type Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { ActionOrigin, Actor, CardAction, CardActionTable } from '../features/cardActions';
import { reportFailure } from '../shared/failures';
import type { AdaptiveCardJson, CardTemplates } from '../shared/cardTemplates';
import { defaultFailureCard, noticeCard, refusalCard, whoAreYouCard } from '../shared/noticeCard';
import type { Stores } from '../storage/ports';
import type { AppTurnState } from './application';
import { allowRefusal, SLOW_DOWN } from '../shared/floodGuard';

export const ACTION_INVOKE_NAME = 'adaptiveCard/action';
export const ADAPTIVE_CARD_RESPONSE_TYPE = 'application/vnd.microsoft.card.adaptive';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PipelineDeps {
  config: Pick<Config, 'helpdeskChannelId'>;
  stores: Pick<Stores, 'rateLimits' | 'audit'>;
  cards: CardTemplates;
  logger: Logger;
  clock: () => Date;
}

/**
 * The caller's canonical id: `from.aadObjectId` if it is a GUID, lower-cased;
 * anything else (a UPN, an empty string, a number) is no identity at all.
 */
export function canonicalUserId(activity: Partial<Activity> | undefined): string | undefined {
  const raw = activity?.from?.aadObjectId;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return GUID.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/** Where the activity came from: the 1:1 chat, the configured helpdesk channel, or elsewhere. */
export function originOf(activity: Partial<Activity>, helpdeskChannelId: string | undefined): ActionOrigin {
  const conversation = activity.conversation;
  if (conversation?.conversationType === 'personal') return 'personal';
  if (helpdeskChannelId && conversation?.conversationType === 'channel') {
    const channelId = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    const conversationChannel = typeof conversation.id === 'string' ? conversation.id.split(';')[0] : undefined;
    if (channelId === helpdeskChannelId && conversationChannel === helpdeskChannelId) return 'helpdesk-channel';
  }
  return 'elsewhere';
}



function wrongOriginCard(cards: CardTemplates, allowed: readonly ActionOrigin[]): AdaptiveCardJson {
  if (allowed.length === 1 && allowed[0] === 'helpdesk-channel') {
    return noticeCard(cards, { title: 'Only in the helpdesk channel', text: 'This button works only on the card in the helpdesk channel.', color: 'Warning' });
  }
  return noticeCard(cards, {
    title: 'Let us talk in private',
    text: allowed.includes('helpdesk-channel')
      ? 'This shows personal details, so I answer it only in our 1:1 chat (or the helpdesk channel). Open a chat with me and try there.'
      : 'This shows personal details, so I answer it only in our 1:1 chat. Open a chat with me and try there.',
    color: 'Default',
  });
}


interface Row {
  action: CardAction;
  table: CardActionTable;
}

/** Registers every table's verbs behind one invoke route (one verb, one handler: duplicates throw). */
export function registerCardActions(app: Application<AppTurnState>, deps: PipelineDeps, tables: readonly CardActionTable[]): void {
  const rows = new Map<string, Row>();
  for (const table of tables) {
    for (const action of table.actions) {
      if (rows.has(action.verb)) throw new Error(`card verb ${action.verb} has two handlers`);
      rows.set(action.verb, { action: action as CardAction, table });
    }
  }
  app.addRoute(
    async (context) => isActionExecute(context),
    async (context, state) => {
      const card = await answerCardAction(context, state, rows, deps);
      await sendCardResponse(context, card);
    },
    true,
  );
}

function isActionExecute(context: TurnContext): boolean {
  const activity = context.activity;
  const action = (activity.value as { action?: { type?: unknown } } | undefined)?.action;
  return activity.type === ActivityTypes.Invoke && activity.name === ACTION_INVOKE_NAME && action?.type === 'Action.Execute';
}

async function answerCardAction(context: TurnContext, state: AppTurnState, rows: Map<string, Row>, deps: PipelineDeps): Promise<AdaptiveCardJson> {
  const activity = context.activity;
  const action = (activity.value as { action?: { verb?: unknown; data?: unknown } }).action ?? {};
  const verb = typeof action.verb === 'string' ? action.verb : '';
  const actorId = canonicalUserId(activity);
  const row = rows.get(verb);
  if (!row) {
    if (!(await allowRefusal(deps, actorId, 'unknown-verb'))) return slowDown(deps);
    deps.logger.warn({ verb: verb.slice(0, 80), actor: actorId ?? null }, 'unknown card verb');
    return refusalCard(deps.cards);
  }
  if (!actorId) {
    deps.logger.warn({ verb }, 'card action without a valid Entra object id');
    return whoAreYouCard(deps.cards);
  }
  const origin = originOf(activity, deps.config.helpdeskChannelId);
  if (!row.action.from.includes(origin)) {
    if (!(await refuse(deps, actorId, verb, 'wrong-origin', { origin }))) return slowDown(deps);
    return wrongOriginCard(deps.cards, row.action.from);
  }
  const parsed = row.action.schema.safeParse(action.data ?? {});
  if (!parsed.success) {
    if (!(await refuse(deps, actorId, verb, 'invalid-input'))) return slowDown(deps);
    return refusalCard(deps.cards);
  }
  const actor: Actor = {
    id: actorId,
    origin,
    ...(typeof activity.from?.id === 'string' ? { teamsId: activity.from.id } : {}),
    ...(typeof activity.localTimezone === 'string' && activity.localTimezone ? { timeZone: activity.localTimezone } : {}),
  };
  const card = {
    reference: TurnContext.getConversationReference(activity) as Record<string, unknown>,
    ...(typeof activity.replyToId === 'string' && activity.replyToId ? { activityId: activity.replyToId } : {}),
  };
  try {
    return await row.action.handler(actor, parsed.data, { card, conversation: state.conversation });
  } catch (error) {
    const kind = reportFailure(deps.logger, `${row.table.what} (${verb})`, error);
    return row.table.failureCard ? row.table.failureCard(kind, error) : defaultFailureCard(deps.cards, kind);
  }
}

/** Audits a refused action (forged data, wrong place) unless the person is flooding; false when flooding. */
async function refuse(deps: PipelineDeps, actorId: string, verb: string, reason: 'invalid-input' | 'wrong-origin', extra: Record<string, unknown> = {}): Promise<boolean> {
  if (!(await allowRefusal(deps, actorId, 'refused-submit'))) return false;
  const event = reason === 'invalid-input' ? 'refused-forged' : 'refused';
  await deps.stores.audit.append({ at: deps.clock().toISOString(), requestId: null, event, actor: actorId, details: { verb, reason, ...extra } });
  deps.logger.info({ actor: actorId, verb, reason, ...extra }, 'card action refused');
  return true;
}

function slowDown(deps: PipelineDeps): AdaptiveCardJson {
  return noticeCard(deps.cards, { ...SLOW_DOWN, color: 'Warning' });
}

/** The invoke response: this card replaces the clicked one for the person who pressed it. */
export async function sendCardResponse(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_RESPONSE_TYPE, value: card } },
  });
}
