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
import type { AppTurnState } from '../cardActions';
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import { GraphError } from '../../graph/port';
import { reportPermissionDenied } from '../permissionAlerts';
import { guarded, type FailureKind } from '../../shared/failures';
import { cardAction, PERSONAL_ONLY, type Actor, type CardActionTable, type FeatureRoutes, type HelpdeskConversationState } from '../cardActions';
import { diagnosisProblemCard, type CardActionModel } from './cards/cards';
import { cardAttachment, type AdaptiveCardJson } from '../../shared/cardTemplates';
import type { BotDeps } from '../deps';
import { messageMeans, statedAnswers, understood } from '../understanding';
import { recall, remember, type ConversationMemory } from './app/memory';
import { DiagnosisService, type Asker, type Outcome } from './app/service';
import { DIAGNOSIS_VERBS, MENU_VERBS } from '../../shared/verbs';
import type { Language } from '../../i18n';

export function registerDiagnosisRoutes(app: Application<AppTurnState>, deps: BotDeps): FeatureRoutes {
  const service = new DiagnosisService(deps);

  /** Runs one step for the person and keeps the conversation memory. */
  const step = async (
    actor: Pick<Actor, 'id' | 'timeZone'>,
    conversation: HelpdeskConversationState,
    work: (asker: Asker, memory: ConversationMemory) => Promise<Outcome>,
    messageLanguage?: Language,
  ): Promise<AdaptiveCardJson> => {
    const recalled = recall(conversation, actor.id, deps.clock());
    // A message sets the reply language; a button press keeps the one the person wrote in.
    const language = messageLanguage ?? recalled.language ?? 'en';
    // The name is the directory's (the ticket shows it), never the activity's.
    const asker: Asker = { userId: actor.id, name: actor.id, timeZone: actor.timeZone, language };
    const outcome = await work(asker, { ...recalled, language });
    remember(conversation, actor.id, outcome.memory);
    return outcome.card;
  };
  const failed = (kind: FailureKind, error: unknown) => failureCard(deps, kind, error);

  // "I can't add a passkey", "I lost my phone", "my TAP expired": the diagnosis answers all three
  // (its rules check a lost phone and the TAP's state), with what the message said pre-filled.
  app.message(messageMeans(deps, 'diagnose', 'lost-device', 'tap-problem'), async (context, state) => {
    const activity = context.activity;
    // Canonical (a lower-case GUID) or absent: bot/application.ts checks it once per turn.
    const userId = activity.from?.aadObjectId;
    let card: AdaptiveCardJson;
    if (activity.conversation?.conversationType !== 'personal') {
      card = problem(deps, 'Let us talk in private', 'A passkey check shows details of your account, so I only do it in our 1:1 chat. Open a chat with me and type "diagnose".', false);
    } else if (!userId) {
      card = problem(deps, 'I could not tell who you are', 'Please try again from Microsoft Teams.', false);
    } else {
      const understanding = await understood(context, deps);
      const stated = statedAnswers(understanding);
      const actor = { id: userId, ...(activity.localTimezone ? { timeZone: activity.localTimezone } : {}) };
      card = await guarded(deps.logger, 'a diagnosis', () => step(actor, state.conversation, (asker, memory) => service.start(asker, memory, { stated }), understanding.language), failed);
    }
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

  // A diagnosis shows the person's groups, devices and methods: 1:1 chat only.
  const anyData = z.record(z.string(), z.unknown());
  const cardActions: CardActionTable = {
    what: 'a diagnosis',
    failureCard: failed,
    actions: [
      cardAction({ verb: MENU_VERBS.diagnose, schema: anyData, from: PERSONAL_ONLY, handler: (actor, _input, ctx) => step(actor, ctx.conversation, (asker, memory) => service.start(asker, memory)) }),
      cardAction({ verb: DIAGNOSIS_VERBS.recheck, schema: anyData, from: PERSONAL_ONLY, handler: (actor, _input, ctx) => step(actor, ctx.conversation, (asker, memory) => service.start(asker, memory, { fresh: true })) }),
      cardAction({ verb: DIAGNOSIS_VERBS.answer, schema: anyData, from: PERSONAL_ONLY, handler: (actor, answers, ctx) => step(actor, ctx.conversation, (asker, memory) => service.answer(asker, memory, answers)) }),
      cardAction({ verb: DIAGNOSIS_VERBS.changeAnswers, schema: anyData, from: PERSONAL_ONLY, handler: (actor, _input, ctx) => step(actor, ctx.conversation, (asker, memory) => service.changeAnswers(asker, memory)) }),
      cardAction({ verb: DIAGNOSIS_VERBS.sendToHelpdesk, schema: anyData, from: PERSONAL_ONLY, handler: (actor, _input, ctx) => step(actor, ctx.conversation, (asker, memory) => service.sendToHelpdesk(asker, memory)) }),
    ],
  };
  return { cardActions, jobs: [] };
}

const TRY_AGAIN: CardActionModel = { title: 'Try again', verb: MENU_VERBS.diagnose, data: {} };

function problem(deps: BotDeps, title: string, text: string, retry: boolean): AdaptiveCardJson {
  return diagnosisProblemCard(deps.cards, { title, text, retry: retry ? TRY_AGAIN : { title: '', verb: '', data: {} } });
}

/** The diagnosis's wording of a failure (logged by the one guard): with "Try again". */
function failureCard(deps: BotDeps, kind: FailureKind, error: unknown): AdaptiveCardJson {
  if (kind === 'permission-denied' && error instanceof GraphError) {
    void reportPermissionDenied(deps, 'A passkey check', error);
    return problem(deps, "I'm not allowed to check this yet", 'This bot is missing a permission in Microsoft Entra ID, so I could not read your account. I have told the helpdesk; please try again later.', true);
  }
  if (kind === 'not-found') {
    return problem(deps, 'I could not find your account', 'Your account is not in the directory I read. If you just joined, try again in an hour; otherwise contact your helpdesk.', true);
  }
  if (kind === 'directory-unreachable') {
    return problem(deps, "I couldn't reach the directory", 'Microsoft Entra ID did not answer in time, so I could not check your account. Please try again in a minute.', true);
  }
  return problem(deps, 'Something went wrong on my side', 'I could not finish the passkey check. Please try again in a minute.', true);
}
