/**
 * Temporary Access Pass routes (issue 4; docs/tap.md). Thin: the "tap"
 * message, and the table of card actions the bot's pipeline answers (identity,
 * origin, action data, errors and the invoke response are the pipeline's; the
 * work is TapWorkflow's).
 */
import type { AppTurnState } from '../cardActions';
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { TAP_VERBS, tapActionSchema } from './domain';
import { ANY_ORIGIN, HELPDESK_CHANNEL_ONLY, PRIVATE_ORIGINS, cardAction, type ActionOrigin, type Actor, type CardAction, type CardActionTable, type ClickedCard, type FeatureRoutes } from '../cardActions';
import { defaultFailureCard, whoAreYouCard } from '../../shared/noticeCard';
import { guarded, type FailureKind } from '../../shared/failures';
import { cardAttachment, type AdaptiveCardJson } from '../../shared/cardTemplates';
import type { BotDeps } from '../deps';
import { auditRetentionJob } from './app/auditRetention';
import { createTapContext } from './app/context';
import { tapJobs } from './app/jobs';
import { TapWorkflow, menuHintSchema, type ActingPerson } from './app/workflow';
import { MENU_VERBS } from '../../shared/verbs';
import { messageMeans, understood } from '../understanding';
import { reportPermissionDenied } from '../permissionAlerts';
import { GraphError } from '../../graph/port';

/** An address a TAP may be requested for (the look-up name "megan" is not one). */
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The person acting, for the workflow: the pipeline's canonical actor with the
 * directory's display name (never the activity's `from.name`, which the
 * client chooses).
 */
async function actingPerson(deps: BotDeps, actor: Actor): Promise<ActingPerson> {
  const user = await deps.graph.findUser(actor.id);
  return {
    id: actor.id,
    name: user?.displayName || user?.userPrincipalName || actor.id,
    ...(actor.teamsId ? { teamsId: actor.teamsId } : {}),
    ...(actor.timeZone ? { timeZone: actor.timeZone } : {}),
    conversationType: actor.origin === 'personal' ? 'personal' : 'channel',
  };
}

export function registerTapRoutes(app: Application<AppTurnState>, deps: BotDeps): FeatureRoutes {
  const ctx = createTapContext(deps);
  const workflow = new TapWorkflow(ctx);

  const failed = (kind: FailureKind, error: unknown) => {
    if (kind === 'permission-denied' && error instanceof GraphError) void reportPermissionDenied(deps, 'A Temporary Access Pass action', error);
    return defaultFailureCard(deps.cards, kind);
  };

  // ---- messages understood as tap-request: "tap", "I need a TAP", "tap for <upn>" (1:1 only: the card and answers are personal)
  app.message(
    messageMeans(deps, 'tap-request'),
    async (context) => {
      if (context.activity.conversation?.conversationType !== 'personal') {
        await context.sendActivity('Let us do this in private: open a 1:1 chat with me and type "tap" there.');
        return;
      }
      const named = (await understood(context, deps)).slots.targetUpn;
      const targetUpn = named && UPN.test(named) ? named : undefined;
      // Canonical (a lower-case GUID) or absent: bot/application.ts checks it once per turn.
      const userId = context.activity.from?.aadObjectId;
      const timeZone = context.activity.localTimezone;
      const actor = userId ? await actingPerson(deps, { id: userId, origin: 'personal', ...(timeZone ? { timeZone } : {}) }) : undefined;
      const card = actor ? await guarded(deps.logger, 'a TAP message', async () => workflow.openFor(actor, targetUpn), failed) : whoAreYouCard(deps.cards);
      const response = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
      if (actor && response?.id) {
        const posted = { reference: TurnContext.getConversationReference(context.activity), activityId: response.id };
        await guarded(deps.logger, 'a TAP card shown again', async () => workflow.adoptCard(actor, card, posted), failed);
      }
    },
  );

  // ---- card buttons: one row per verb (identity, origin, data and errors are the pipeline's)
  const act = <S extends z.ZodTypeAny>(
    verb: CardAction<S>['verb'],
    schema: S,
    from: readonly ActionOrigin[],
    run: (actor: ActingPerson, input: z.output<S>, clicked: ClickedCard) => Promise<AdaptiveCardJson>,
  ) => cardAction({ verb, schema, from, handler: async (actor, input, ctx) => run(await actingPerson(deps, actor), input, ctx.card) });
  const cardActions: CardActionTable = {
    what: 'a TAP action',
    failureCard: failed,
    actions: [
      act(MENU_VERBS.requestTap, menuHintSchema.catch({}), ANY_ORIGIN, (actor, hints) => workflow.openFromButton(actor, hints)),
      act(TAP_VERBS.submit, tapActionSchema(TAP_VERBS.submit), ANY_ORIGIN, (actor, action, clicked) => workflow.submit(actor, action, clicked)),
      act(TAP_VERBS.approve, tapActionSchema(TAP_VERBS.approve), HELPDESK_CHANNEL_ONLY, (actor, action) => workflow.decide(actor, action)),
      act(TAP_VERBS.deny, tapActionSchema(TAP_VERBS.deny), HELPDESK_CHANNEL_ONLY, (actor, action) => workflow.decide(actor, action)),
      act(TAP_VERBS.reveal, tapActionSchema(TAP_VERBS.reveal), ANY_ORIGIN, (actor, action) => workflow.reveal(actor, action)),
      act(TAP_VERBS.retry, tapActionSchema(TAP_VERBS.retry), ANY_ORIGIN, (actor, action) => workflow.reveal(actor, action)),
      act(TAP_VERBS.hide, tapActionSchema(TAP_VERBS.hide), PRIVATE_ORIGINS, (actor, action) => workflow.show(actor, action)),
      act(TAP_VERBS.refresh, tapActionSchema(TAP_VERBS.refresh), PRIVATE_ORIGINS, (actor, action) => workflow.show(actor, action)),
      act(TAP_VERBS.done, tapActionSchema(TAP_VERBS.done), ANY_ORIGIN, (actor, action) => workflow.loopAnswer(actor, action)),
      act(TAP_VERBS.another, tapActionSchema(TAP_VERBS.another), ANY_ORIGIN, (actor, action) => workflow.loopAnswer(actor, action)),
      act(TAP_VERBS.cancel, tapActionSchema(TAP_VERBS.cancel), ANY_ORIGIN, (actor, action) => workflow.withdraw(actor, action)),
      act(TAP_VERBS.revoke, tapActionSchema(TAP_VERBS.revoke), ANY_ORIGIN, (actor, action) => workflow.withdraw(actor, action)),
    ],
  };
  return { cardActions, jobs: [...tapJobs(ctx, workflow.effects), auditRetentionJob(deps)] };
}
