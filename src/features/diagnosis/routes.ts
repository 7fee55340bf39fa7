/**
 * Diagnosis routes (issue 3). Thin: who is asking, what the conversation
 * already knows, the service's card. Graph trouble (or a bug) becomes a plain
 * "try again" card, never a failed turn.
 *
 * - A message understood as diagnose, lost-device or tap-problem (src/nlu) / the Diagnose buttons (`menu.diagnose`):
 *   the question card for what nobody asked yet, else the findings card.
 * - `diagnose.answer`: the question card's submit → findings.
 * - `diagnose.recheck`: "Check again" with fresh tenant policy.
 * - `diagnose.sendToHelpdesk`: a ticket card in the helpdesk channel.
 * - `diagnose.changeAnswers`: the question card again, pre-filled.
 *
 * A diagnosis shows someone's groups, devices and methods, so it is answered
 * in the person's 1:1 chat only.
 */
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { GraphError } from '../../graph/port';
import { isPermissionDenied, reportPermissionDenied } from '../../bot/permissionAlerts';
import type { AppTurnState } from '../../bot/application';
import { diagnosisProblemCard, type CardActionModel } from './cards/cards';
import { cardAttachment, type AdaptiveCardJson } from '../../shared/cardTemplates';
import type { BotDeps } from '../deps';
import { messageMeans, statedAnswers, understood } from '../../bot/conversation/understanding';
import { recall, remember, type ConversationMemory } from './app/memory';
import { DiagnosisService, type Asker, type Outcome } from './app/service';
import { DIAGNOSIS_VERBS, MENU_VERBS } from '../../bot/verbs';

type ActionData = Record<string, unknown>;

export function registerDiagnosisRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  const service = new DiagnosisService(deps);

  /** Runs one step for the person in the turn and keeps the conversation memory. */
  const step = async (context: TurnContext, state: AppTurnState, work: (asker: Asker, memory: ConversationMemory) => Promise<Outcome>): Promise<AdaptiveCardJson> => {
    const activity = context.activity;
    if (activity.conversation?.conversationType !== 'personal') {
      return problem(deps, 'Let us talk in private', 'A passkey check shows details of your account, so I only do it in our 1:1 chat. Open a chat with me and type "diagnose".', false);
    }
    const userId = activity.from?.aadObjectId;
    if (!userId) return problem(deps, 'I could not tell who you are', 'Please try again from Microsoft Teams.', false);
    const asker: Asker = { userId, name: activity.from?.name ?? '', timeZone: activity.localTimezone };
    try {
      const outcome = await work(asker, recall(state.conversation, userId, deps.clock()));
      remember(state.conversation, userId, outcome.memory);
      return outcome.card;
    } catch (error) {
      return failureCard(deps, error);
    }
  };

  // "I can't add a passkey", "I lost my phone", "my TAP expired": the diagnosis answers all three
  // (its rules check a lost phone and the TAP's state), with what the message said pre-filled.
  app.message(messageMeans(deps, 'diagnose', 'lost-device', 'tap-problem'), async (context, state) => {
    const stated = statedAnswers(await understood(context, deps));
    const card = await step(context, state, (asker, memory) => service.start(asker, memory, { stated }));
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

  app.adaptiveCards.actionExecute(MENU_VERBS.diagnose, (context, state) => step(context, state, (asker, memory) => service.start(asker, memory)));
  app.adaptiveCards.actionExecute(DIAGNOSIS_VERBS.recheck, (context, state) => step(context, state, (asker, memory) => service.start(asker, memory, { fresh: true })));
  app.adaptiveCards.actionExecute<ActionData>(DIAGNOSIS_VERBS.answer, (context, state, data) =>
    step(context, state, (asker, memory) => service.answer(asker, memory, isObject(data) ? data : {})),
  );
  app.adaptiveCards.actionExecute(DIAGNOSIS_VERBS.changeAnswers, (context, state) => step(context, state, (asker, memory) => service.changeAnswers(asker, memory)));
  app.adaptiveCards.actionExecute(DIAGNOSIS_VERBS.sendToHelpdesk, (context, state) => step(context, state, (asker, memory) => service.sendToHelpdesk(asker, memory)));
}

const TRY_AGAIN: CardActionModel = { title: 'Try again', verb: MENU_VERBS.diagnose, data: {} };

function problem(deps: BotDeps, title: string, text: string, retry: boolean): AdaptiveCardJson {
  return diagnosisProblemCard(deps.cards, { title, text, retry: retry ? TRY_AGAIN : { title: '', verb: '', data: {} } });
}

/** Directory trouble → "try again"; an unknown account → say so; anything else → logged, apologised for. */
function failureCard(deps: BotDeps, error: unknown): AdaptiveCardJson {
  if (error instanceof GraphError) {
    deps.logger.warn({ status: error.status, code: error.code, requestId: error.requestId }, 'Graph read for a diagnosis failed');
    if (error.isNotFound) {
      return problem(deps, 'I could not find your account', 'Your account is not in the directory I read. If you just joined, try again in an hour; otherwise contact your helpdesk.', true);
    }
    if (isPermissionDenied(error)) {
      void reportPermissionDenied(deps, 'A passkey check', error);
      return problem(deps, "I'm not allowed to check this yet", 'This bot is missing a permission in Microsoft Entra ID, so I could not read your account. I have told the helpdesk; please try again later.', true);
    }
    return problem(deps, "I couldn't reach the directory", 'Microsoft Entra ID did not answer in time, so I could not check your account. Please try again in a minute.', true);
  }
  const err = error as Error;
  deps.logger.error({ err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'diagnosis failed');
  return problem(deps, 'Something went wrong on my side', 'I could not finish the passkey check. Please try again in a minute.', true);
}

function isObject(value: unknown): value is ActionData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
