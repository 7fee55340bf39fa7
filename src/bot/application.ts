/**
 * Builds the teams-ai Application from its dependencies. Routes are thin:
 * parse the activity, call the domain, render a card.
 */
import { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from '../features/cardActions';
import { canonicalUserId, registerCardActions } from './actionPipeline';
import { ALL_VERBS } from '../shared/verbs';
import { TurnContext } from 'botbuilder';
import { mergingBotState } from '../storage/mergingBotState';
import type { BotDeps } from '../features/deps';
import type { JobDefinition } from '../jobs';
import { registerDiagnosisRoutes } from '../features/diagnosis/routes';
import { registerGeneralRoutes, registerMenuFallback } from './routes/general';
import { registerStatusRoutes } from '../features/status/routes';
import { registerTapRoutes } from '../features/tap/routes';

export type { AppTurnState } from '../features/cardActions';

/** The teams-ai application with every route registered, and the features' durable jobs for the composition root to run. */
export function createBotApplication(deps: BotDeps): { app: Application<AppTurnState>; jobs: JobDefinition[] } {
  const app = new Application<AppTurnState>({
    // Overlapping turns of one conversation (another instance, a double click) merge instead of failing.
    storage: mergingBotState(deps.stores.botState),
    startTypingTimer: false,
    removeRecipientMention: true,
  });

  // Remember where each person talks to us, so later proactive messages can reach them.
  app.turn('beforeTurn', async (context) => {
    canonicaliseCaller(context);
    await rememberConversation(context, deps);
    return true;
  });

  registerGeneralRoutes(app, deps);
  const features = [registerDiagnosisRoutes(app, deps), registerTapRoutes(app, deps), registerStatusRoutes(app, deps)];
  // Every Action.Execute, known verb or not, is answered by the one pipeline.
  const tables = features.map((feature) => feature.cardActions);
  // A verb on a card that no feature handles would only ever answer "That button no longer works".
  const unhandled = ALL_VERBS.filter((verb) => !tables.some((table) => table.actions.some((action) => action.verb === verb)));
  if (unhandled.length > 0) throw new Error(`card verbs without a handler: ${unhandled.join(', ')}`);
  registerCardActions(app, deps, tables);
  registerMenuFallback(app, deps);
  // No app.error: without an adapter teams-ai ignores it. A turn that fails outside
  // the pipeline's guard is answered by the turn runner (turnRunner.ts).
  return { app, jobs: features.flatMap((feature) => feature.jobs) };
}

/**
 * The canonical caller, once per turn, before any route runs: `from.aadObjectId`
 * as a lower-case GUID, or no id at all (a UPN or other text in its place is
 * dropped, so every route answers "who are you?"). Every membership check,
 * comparison and audit record downstream then uses the same id.
 */
function canonicaliseCaller(context: TurnContext): void {
  const from = context.activity.from;
  if (!from) return;
  const canonical = canonicalUserId(context.activity);
  if (canonical) from.aadObjectId = canonical;
  else delete from.aadObjectId;
}

async function rememberConversation(context: TurnContext, deps: BotDeps): Promise<void> {
  const activity = context.activity;
  const reference = TurnContext.getConversationReference(activity);
  const now = deps.clock();
  const conversationType = activity.conversation?.conversationType;
  const channelData = activity.channelData as TeamsChannelData | undefined;
  if (channelData?.team?.id) {
    await deps.references.rememberTeam(channelData.team.id, channelIdsOf(activity.conversation?.id, channelData), reference, now);
  } else if (conversationType === 'personal' && activity.from?.aadObjectId) {
    await deps.references.rememberPersonal(activity.from.aadObjectId, reference, now);
  }
}

interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
  settings?: { selectedChannel?: { id?: string } };
}

/**
 * Every channel id a team activity names: the channel it came from, the one
 * selected when the app was added (Teams sends it in settings), and a channel
 * conversation's own id (without the ";messageid=" of a thread).
 */
function channelIdsOf(conversationId: string | undefined, channelData: TeamsChannelData): string[] {
  const ids = [channelData.channel?.id, channelData.settings?.selectedChannel?.id, conversationId?.split(';')[0]];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.startsWith('19:')))];
}
