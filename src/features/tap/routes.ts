/**
 * Temporary Access Pass routes (issue 4; docs/tap.md). Thin: who is acting
 * comes from the activity, the work is TapWorkflow's, the answer is a card.
 *
 * Every Action.Execute is answered with our own invoke response instead of
 * teams-ai's formatting: teams-ai switches a verb to "update the message for
 * everyone" once any response card of it carries `refresh`, and the revealed
 * pass must only ever travel in the one invoke response to its recipient.
 */
import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { TAP_VERBS } from './domain';
import type { AppTurnState } from '../../bot/application';
import { noticeCard } from '../../bot/cards/general';
import { cardAttachment, type AdaptiveCardJson } from '../../shared/cardTemplates';
import type { BotDeps } from '../deps';
import { registerAuditRetention } from './app/auditRetention';
import { createTapContext } from './app/context';
import { registerTapJobs } from './app/jobs';
import { TapWorkflow, type ActingPerson } from './app/workflow';
import { MENU_VERBS } from '../../bot/verbs';
import { messageMeans, understood } from '../../bot/conversation/understanding';
import { isPermissionDenied, reportPermissionDenied } from '../../bot/permissionAlerts';

/** An address a TAP may be requested for (the look-up name "megan" is not one). */
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function actingPerson(context: TurnContext): ActingPerson | undefined {
  const { from, localTimezone, conversation } = context.activity;
  if (!from?.aadObjectId) return undefined;
  return {
    id: from.aadObjectId,
    name: from.name || from.aadObjectId,
    ...(from.id ? { teamsId: from.id } : {}),
    ...(localTimezone ? { timeZone: localTimezone } : {}),
    ...(conversation?.conversationType ? { conversationType: conversation.conversationType } : {}),
  };
}

/** Answers the invoke with this card, for the person who clicked only. */
async function respond(context: TurnContext, card: AdaptiveCardJson): Promise<AdaptiveCardJson> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
  });
  return card;
}

export function registerTapRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  const ctx = createTapContext(deps);
  const workflow = new TapWorkflow(ctx);
  registerTapJobs(deps.jobs, ctx, workflow.effects);
  registerAuditRetention(deps);

  const failed = () => noticeCard(deps.cards, { title: 'Something went wrong', text: 'Sorry, that did not work on my side. Please try again in a minute.', color: 'Attention' });
  const anonymous = () => noticeCard(deps.cards, { title: 'Who are you?', text: 'I can only do this for a signed-in person in your organisation.', color: 'Attention' });
  const guarded = async (what: string, work: () => Promise<AdaptiveCardJson>): Promise<AdaptiveCardJson> => {
    try {
      return await work();
    } catch (error) {
      if (isPermissionDenied(error)) {
        void reportPermissionDenied(deps, 'A Temporary Access Pass action', error);
        return noticeCard(deps.cards, { title: "I'm not allowed to do this yet", text: 'This bot is missing a permission in Microsoft Entra ID. I have told the helpdesk; please try again later.', color: 'Attention' });
      }
      const e = error as Error;
      deps.logger.error({ what, err: { name: e?.name, message: e?.message } }, 'TAP action failed');
      return failed();
    }
  };

  const execute = (verb: string, run: (actor: ActingPerson, data: unknown) => Promise<AdaptiveCardJson>) =>
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const actor = actingPerson(context);
      const card = actor ? await guarded(verb, () => run(actor, data)) : anonymous();
      return respond(context, card);
    });

  // ---- messages understood as tap-request: "tap", "I need a TAP", "tap for <upn>" (1:1 only: the card and answers are personal)
  app.message(
    messageMeans(deps, 'tap-request'),
    async (context) => {
      const actor = actingPerson(context);
      if (context.activity.conversation?.conversationType !== 'personal') {
        await context.sendActivity('Let us do this in private: open a 1:1 chat with me and type "tap" there.');
        return;
      }
      const named = (await understood(context, deps)).slots.targetUpn;
      const targetUpn = named && UPN.test(named) ? named : undefined;
      const card = actor ? await guarded('tap message', () => workflow.openFor(actor, targetUpn)) : anonymous();
      await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    },
  );

  // ---- card buttons
  execute(MENU_VERBS.requestTap, (actor, data) => workflow.openFromButton(actor, data));
  execute(TAP_VERBS.submit, (actor, data) => workflow.submit(actor, data));
  execute(TAP_VERBS.approve, (actor, data) => workflow.decide(actor, TAP_VERBS.approve, data));
  execute(TAP_VERBS.deny, (actor, data) => workflow.decide(actor, TAP_VERBS.deny, data));
  execute(TAP_VERBS.reveal, (actor, data) => workflow.reveal(actor, TAP_VERBS.reveal, data));
  execute(TAP_VERBS.retry, (actor, data) => workflow.reveal(actor, TAP_VERBS.retry, data));
  execute(TAP_VERBS.hide, (actor, data) => workflow.show(actor, TAP_VERBS.hide, data));
  execute(TAP_VERBS.refresh, (actor, data) => workflow.show(actor, TAP_VERBS.refresh, data));
  execute(TAP_VERBS.done, (actor, data) => workflow.loopAnswer(actor, TAP_VERBS.done, data));
  execute(TAP_VERBS.another, (actor, data) => workflow.loopAnswer(actor, TAP_VERBS.another, data));
  execute(TAP_VERBS.cancel, (actor, data) => workflow.withdraw(actor, TAP_VERBS.cancel, data));
  execute(TAP_VERBS.revoke, (actor, data) => workflow.withdraw(actor, TAP_VERBS.revoke, data));
}
