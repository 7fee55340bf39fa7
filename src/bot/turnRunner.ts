/**
 * Runs one turn of the teams-ai Application with what every turn needs around it:
 *
 * - Turns of one conversation run one after another in this process: teams-ai
 *   reads the conversation state at the start of a turn and writes it at the end,
 *   so two overlapping turns (a double click, fast typing) would otherwise race
 *   on it. Across instances the bot-state storage merges instead (mergingBotState).
 * - An invoke nobody answered gets 200 with an empty body (Bot Framework's
 *   convention for invokes a bot does not handle), not the adapter's 501.
 * - An error in a turn is logged through pino and answered politely; it never
 *   reaches the adapter (which would print it with console.error and put the
 *   exception text in a 500 body).
 */
import { INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { cardAttachment, type AdaptiveCardJson } from '../shared/cardTemplates';

export interface TurnRunnerOptions {
  logger: Logger;
  /** The card an invoke gets when its turn failed. */
  failureCard: () => AdaptiveCardJson;
}

const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a minute.';

/** A chain of promises per key: work for one key runs in order, other keys in parallel. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // The map holds only keys with work in flight.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}

/** Turn state is per conversation (and per person inside it): the key turns are serialised by. */
export function conversationKeyOf(context: TurnContext): string {
  const activity = context.activity;
  return `${activity.channelId}/${activity.conversation?.id ?? ''}`;
}

export function createTurnRunner(run: (context: TurnContext) => Promise<unknown>, options: TurnRunnerOptions): (context: TurnContext) => Promise<void> {
  const serializer = new KeyedSerializer();
  const { logger } = options;

  return async (context) => {
    const activity = context.activity;
    try {
      await serializer.run(conversationKeyOf(context), () => run(context));
    } catch (error) {
      logger.error({ err: error, activityType: activity.type, activityName: activity.name }, 'turn failed');
      await answerFailure(context, options).catch((sendError) => logger.warn({ err: sendError }, 'could not tell the user the turn failed'));
    } finally {
      if (activity.type === 'invoke' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
        context.turnState.set(INVOKE_RESPONSE_KEY, { type: 'invokeResponse', value: { status: 200 } });
      }
    }
  };
}

async function answerFailure(context: TurnContext, options: TurnRunnerOptions): Promise<void> {
  const activity = context.activity;
  if (activity.type === 'message') {
    await context.sendActivity(APOLOGY);
  } else if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
    await context.sendActivity({
      type: 'invokeResponse',
      value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: cardAttachment(options.failureCard()).content as unknown } },
    });
  }
}

/** For the adapter's own errors (outside a turn's logic): logged, never printed to stderr. */
export function logAdapterError(logger: Logger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    logger.error({ err: error, activityType: context.activity?.type }, 'adapter error');
  };
}
