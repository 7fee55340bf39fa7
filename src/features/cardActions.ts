/**
 * The shape of every Action.Execute handler (issue 8): per feature a table of
 * `{ verb, schema, from, handler }`. The handler's input type is inferred from
 * the zod schema of the action data; the bot's card-action pipeline
 * (src/bot/actionPipeline.ts) establishes who is acting, checks where the
 * action comes from, parses the data, turns errors into an answer card and
 * answers the invoke. Handlers only decide and render.
 */
import type { TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import type { JobDefinition } from '../jobs';
import type { AdaptiveCardJson } from '../shared/cardTemplates';
import type { CardVerb } from '../shared/verbs';
import type { FailureKind } from '../shared/failures';

/**
 * The person acting, established once per turn: the Entra object id from the
 * activity (`from.aadObjectId`), checked to be a GUID and lower-cased. Nothing
 * else from the activity names them: display names come from the directory.
 */
export interface Actor {
  /** Canonical Entra object id (lower-case GUID). Every membership check, comparison and audit record uses it. */
  id: string;
  /** Teams user id (`from.id`), for mentions and user-specific views only. */
  teamsId?: string;
  /** IANA zone the client reported (`localTimezone`), for dates on cards. */
  timeZone?: string;
  /** Where the action came from. */
  origin: ActionOrigin;
}

/**
 * Where a card action can come from: the person's 1:1 chat with the bot, the
 * configured helpdesk channel, or another team channel / group chat.
 */
export type ActionOrigin = 'personal' | 'helpdesk-channel' | 'elsewhere';

/** The card that was clicked, for handlers that update it later (report waiters, nudge progress). */
export interface ClickedCard {
  /** Conversation reference of the card's conversation. */
  reference: Record<string, unknown>;
  /** The card's activity id (`replyToId` of the invoke); absent when the client did not send it. */
  activityId?: string;
}

/**
 * Conversation-scoped memory that survives between turns (teams-ai conversation
 * state): one key per feature that keeps any.
 */
export interface HelpdeskConversationState {
  /** The diagnosis feature's answers per person (features/diagnosis/app/memory.ts). */
  passkeyDiagnosis?: unknown;
}

/** Typed turn state: the conversation scope holds what features keep between turns. */
export type AppTurnState = TurnState<HelpdeskConversationState>;

export interface ActionContext {
  card: ClickedCard;
  conversation: HelpdeskConversationState;
}

export interface CardAction<S extends z.ZodTypeAny = z.ZodTypeAny> {
  verb: CardVerb;
  /** The action data this verb accepts (`value.action.data`); anything else gets the pipeline's refusal card. */
  schema: S;
  /** Where this verb may be pressed; elsewhere it is refused before the handler runs. */
  from: readonly ActionOrigin[];
  /** The card that answers the person who pressed the button (the invoke response). */
  handler(actor: Actor, input: z.output<S>, ctx: ActionContext): Promise<AdaptiveCardJson>;
}

/** Declares one table row; the generic ties the handler's input to the schema. */
export function cardAction<S extends z.ZodTypeAny>(action: CardAction<S>): CardAction<S> {
  return action;
}

/** A feature's card actions, and how it phrases a failure (default: a plain notice). */
/** What a feature's route registration hands back: its card actions (for the pipeline) and its durable jobs (for the composition root). */
export interface FeatureRoutes {
  cardActions: CardActionTable;
  jobs: readonly JobDefinition[];
}

export interface CardActionTable {
  /** For logs: "a diagnosis", "a TAP action", … */
  what: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows differ in their schema types
  actions: ReadonlyArray<CardAction<any>>;
  failureCard?: (kind: FailureKind, error: unknown) => AdaptiveCardJson;
}

/** Origins most verbs accept: personal details are shown only in a 1:1 chat or the helpdesk channel. */
export const PRIVATE_ORIGINS: readonly ActionOrigin[] = ['personal', 'helpdesk-channel'];
export const PERSONAL_ONLY: readonly ActionOrigin[] = ['personal'];
export const HELPDESK_CHANNEL_ONLY: readonly ActionOrigin[] = ['helpdesk-channel'];
export const ANY_ORIGIN: readonly ActionOrigin[] = ['personal', 'helpdesk-channel', 'elsewhere'];
