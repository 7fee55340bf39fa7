/**
 * Status, look-up, report and nudge routes (issue 5). Registration only: the
 * views (app/views.ts) authorise, read, audit and render.
 *
 * Messages are routed by their understood intent (src/nlu, docs/conversation.md):
 * - `status` / "am I done?" / menu "My sign-in methods": your own methods and next step.
 * - `status <upn>` / "check megan" (lookup): helpdesk members only; anyone else is refused (audited).
 * - `report [group]`: helpdesk or report-group members; reads the latest stored
 *   snapshot only (a durable job refreshes it; the report API is rate-limited).
 * - `nudge <group>`: helpdesk or report-group members see a preview (who gets what,
 *   who is left out); Send starts the campaign, Cancel drops it.
 * Sign-in details and reports are answered in a 1:1 chat or the helpdesk
 * channel only (elsewhere everyone in the conversation would see them); card
 * buttons answer the person who pressed them.
 */
import type { AppTurnState } from '../cardActions';
import type { JobDefinition } from '../../jobs';
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { cardAction, PRIVATE_ORIGINS, type Actor, type CardActionTable, type FeatureRoutes } from '../cardActions';
import { cardAttachment } from '../../shared/cardTemplates';
import type { BotDeps } from '../deps';
import { NUDGE_SEND_JOB_KIND, NudgeCampaigns } from './app/nudgeCampaigns';
import { NudgePreviews } from './app/nudgePreviews';
import { REPORT_REFRESH_JOB, REPORT_SETTINGS, ReportSnapshots } from './app/reportSnapshots';
import { notice, openLookupSources, scheduleRefresh, shown, StatusViews, type Viewer } from './app/views';
import { lookupInThread } from './app/lookupInThread';
import { STATUS_VERBS } from './cards/cards';
import { MENU_VERBS } from '../../shared/verbs';
import { t } from '../../i18n';
import { commandArgument, messageMeans, understood } from '../understanding';

export function registerStatusRoutes(app: Application<AppTurnState>, deps: BotDeps): FeatureRoutes {
  const snapshots = new ReportSnapshots({
    stores: deps.stores,
    graph: deps.graph,
    logger: deps.logger,
    clock: deps.clock,
    minPageIntervalMs: deps.config.mode === 'tenant' ? REPORT_SETTINGS.tenantPageIntervalMs : 0,
  });
  const campaigns = new NudgeCampaigns({
    stores: deps.stores,
    graph: deps.graph,
    references: deps.references,
    proactive: deps.proactive,
    cards: deps.cards,
    logger: deps.logger,
    clock: deps.clock,
  });
  const sources = openLookupSources(deps);
  const previews = new NudgePreviews({
    stores: deps.stores,
    graph: deps.graph,
    references: deps.references,
    campaigns,
    clock: deps.clock,
    turnDeadlineMs: deps.config.turnDeadlineMs,
  });
  const view = new StatusViews(deps, snapshots, campaigns, sources, previews);

  // ---- durable jobs (registered by the composition root) ----
  const statusJobs: JobDefinition[] = [
    {
      kind: REPORT_REFRESH_JOB.kind,
      recurring: true,
      run: async () => {
        // The next run is stored first, so the schedule survives a crash mid-refresh.
        await scheduleRefresh(deps, new Date(deps.clock().getTime() + REPORT_SETTINGS.refreshEveryMinutes * 60_000));
        // Paced against the report API's limit, a refresh can take minutes: it runs
        // beside the job loop (one at a time) so TAP reminders and nudges don't wait.
        void view.refreshAndAnswerWaiters().catch((error: Error) => deps.logger.error({ err: { name: error.name, message: error.message } }, 'readiness snapshot refresh failed'));
      },
    },
    {
      kind: NUDGE_SEND_JOB_KIND,
      run: async (job) => {
        const campaignId = typeof job.payload.campaignId === 'string' ? job.payload.campaignId : '';
        if (campaignId) await campaigns.runBatch(campaignId);
      },
    },
  ];

  // ---- messages ----
  // "status", "what sign-in methods do I have", "am I done?" (the personal status says whether
  // one is phishing-resistant and what is left); "status <upn>", "check megan": the look-up.
  app.message(messageMeans(deps, 'status', 'am-i-done', 'lookup'), async (context) => {
    if (!(await onlyInPersonalChat(context, deps))) return;
    const understanding = await understood(context, deps);
    const target = understanding.intent === 'lookup' ? (understanding.slots.targetUpn ?? '') : '';
    if (understanding.intent === 'lookup' && !target) {
      const language = understanding.language;
      await context.sendActivity(MessageFactory.attachment(cardAttachment(notice(deps, t(language, 'lookup.whoTitle'), t(language, 'lookup.whoText'), 'Warning'))));
      return;
    }
    const { card } = await view.guard(() => (target ? view.lookupCard(viewerOf(context), target) : view.ownStatusCard(viewerOf(context))));
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

  app.message(messageMeans(deps, 'report'), async (context) => {
    if (!(await onlyInPersonalChat(context, deps))) return;
    const groupArgument = await groupArgumentOf(context, deps, 'report');
    const shown = await view.guard(() => view.reportView(viewerOf(context), groupArgument ? { groupArgument } : {}));
    const response = await context.sendActivity(MessageFactory.attachment(cardAttachment(shown.card)));
    if (shown.waitFor !== undefined) {
      if (response?.id) await snapshots.addWaiter({ reference: referenceOf(context), activityId: response.id, groupId: shown.waitFor || null, timeZone: timeZoneOf(context) });
      // After the waiter is stored, so the refresh cannot finish before it knows about this card.
      await view.triggerRefresh();
    }
  });

  app.message(messageMeans(deps, 'nudge'), async (context) => {
    if (!(await onlyInPersonalChat(context, deps))) return;
    const groupArgument = await groupArgumentOf(context, deps, 'nudge');
    if (!groupArgument) {
      await context.sendActivity(MessageFactory.attachment(cardAttachment(notice(deps, 'Which group?', 'Type "nudge" and the group\'s name or object id, e.g. "nudge Passkey Pilot".', 'Warning'))));
      return;
    }
    // The preview (or "did you mean …?"); its Send starts the campaign.
    const { card } = await view.guard(() => view.startNudges(viewerOf(context), groupArgument));
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

  // ---- card buttons (Action.Execute): the pipeline's table ----
  const own = async (actor: Actor) => (await view.guard(() => view.ownStatusCard(actor))).card;
  const optionalText = z.string().optional().transform((value) => value?.trim() ?? '');
  const anyData = z.record(z.string(), z.unknown());
  const byGroup = z.object({ groupId: optionalText }).passthrough();
  const byCampaign = z.object({ campaignId: optionalText }).passthrough();
  const byPreview = z.object({ previewId: optionalText }).passthrough();
  const cardActions: CardActionTable = {
    what: 'a status action',
    actions: [
      cardAction({ verb: MENU_VERBS.status, schema: anyData, from: PRIVATE_ORIGINS, handler: (actor) => own(actor) }),
      cardAction({ verb: STATUS_VERBS.refresh, schema: anyData, from: PRIVATE_ORIGINS, handler: (actor) => own(actor) }),
      cardAction({
        verb: STATUS_VERBS.lookup,
        schema: z.object({ userId: optionalText, upn: optionalText }).passthrough(),
        from: PRIVATE_ORIGINS,
        handler: async (actor, { userId, upn, ticket }, ctx) => {
          const target = userId || upn;
          const card = (await view.guard(() => (target ? view.lookupCard(actor, target) : view.ownStatusCard(actor)))).card;
          return actor.origin === 'helpdesk-channel' ? lookupInThread(deps, ctx.card, card, ticket) : card;
        },
      }),
      cardAction({
        verb: STATUS_VERBS.reportRefresh,
        schema: byGroup,
        from: PRIVATE_ORIGINS,
        handler: async (actor, { groupId }, ctx) => {
          // "Show latest": a fresh snapshot (rate-limited per tenant), put into this card when ready.
          const shown = await view.guard(() => view.reportView(actor, { fresh: true, ...(groupId ? { groupArgument: groupId } : {}) }));
          if (shown.waitFor !== undefined) {
            await view.waitHere(actor, ctx.card, shown.waitFor);
            await view.triggerRefresh();
          }
          return shown.card;
        },
      }),
      cardAction({ verb: STATUS_VERBS.reportExportCsv, schema: byGroup, from: PRIVATE_ORIGINS, handler: async (actor, { groupId }) => (await view.guard(() => view.needsActionView(actor, groupId))).card }),
      // The preview replaces the clicked card (the group report or "did you mean"); nothing is sent yet.
      cardAction({ verb: STATUS_VERBS.nudgeStart, schema: byGroup, from: PRIVATE_ORIGINS, handler: async (actor, { groupId }) => (await view.guard(() => view.startNudges(actor, groupId))).card }),
      cardAction({
        verb: STATUS_VERBS.nudgeSend,
        schema: byPreview,
        from: PRIVATE_ORIGINS,
        handler: async (actor, { previewId }, ctx) => {
          const started = await view.guard(() => view.sendNudges(actor, previewId));
          if (started.campaignId) {
            // The returned card replaces the preview: that is where progress goes.
            await campaigns.attachProgressCard(started.campaignId, { reference: ctx.card.reference, activityId: ctx.card.activityId ?? '' });
          }
          return started.card;
        },
      }),
      cardAction({ verb: STATUS_VERBS.nudgeDiscard, schema: byPreview, from: PRIVATE_ORIGINS, handler: async (actor, { previewId }) => (await view.guard(() => view.discardNudges(actor, previewId))).card }),
      cardAction({ verb: STATUS_VERBS.nudgeCancel, schema: byCampaign, from: PRIVATE_ORIGINS, handler: async (actor, { campaignId }) => (await view.guard(() => view.campaignCard(actor, campaignId, 'cancel'))).card }),
      cardAction({ verb: STATUS_VERBS.nudgeRefresh, schema: byCampaign, from: PRIVATE_ORIGINS, handler: async (actor, { campaignId }) => (await view.guard(() => view.campaignCard(actor, campaignId, 'show'))).card }),
      cardAction({
        verb: STATUS_VERBS.nudgeOptOut,
        schema: byCampaign,
        from: PRIVATE_ORIGINS,
        handler: async (actor, { campaignId }) =>
          (
            await view.guard(async () => {
              await campaigns.optOut(actor.id, campaignId || null);
              return shown(notice(deps, 'No more reminders', 'Okay: I will not send you passkey reminders again. Type "status" or "diagnose" whenever you want to set one up.', 'Good'));
            })
          ).card,
      }),
    ],
  };
  return { cardActions, jobs: statusJobs };
}

function viewerOf(context: TurnContext): Viewer {
  // Canonical (a lower-case GUID) or absent: bot/application.ts checks it once per turn.
  const timeZone = timeZoneOf(context);
  return { id: context.activity.from?.aadObjectId ?? '', ...(timeZone ? { timeZone } : {}) };
}

// ---- small helpers ---------------------------------------------------------------------

/**
 * Sign-in details and organisation figures go to a 1:1 chat, or to the helpdesk
 * channel (its members are the helpdesk); anywhere else everyone would see them.
 */
async function onlyInPersonalChat(context: TurnContext, deps: BotDeps): Promise<boolean> {
  if (context.activity.conversation?.conversationType === 'personal') return true;
  const channelId = (context.activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
  if (deps.config.helpdeskChannelId && channelId === deps.config.helpdeskChannelId) return true;
  await context.sendActivity(
    MessageFactory.attachment(
      cardAttachment(
        notice(deps, 'Let us talk in private', 'I show sign-in methods, reports and nudges only in our 1:1 chat (or the helpdesk channel): open a chat with me and type the same there.', 'Default'),
      ),
    ),
  );
  return false;
}

/** Longest typed group argument taken as a name ("report Passkey Pilot"); a longer one is a sentence. */
const MAX_GROUP_ARGUMENT_WORDS = 5;

/**
 * The group a report or nudge message names: the understood group (a tenant
 * group, typos allowed), else what follows the command word as typed, so
 * "nudge Marketing" still answers "No such group".
 */
async function groupArgumentOf(context: TurnContext, deps: BotDeps, command: 'report' | 'nudge'): Promise<string> {
  const { group } = (await understood(context, deps)).slots;
  if (group) return group;
  const typed = commandArgument(context.activity.text, command);
  return typed.split(/\s+/).length <= MAX_GROUP_ARGUMENT_WORDS ? typed : '';
}

function referenceOf(context: TurnContext): Record<string, unknown> {
  return TurnContext.getConversationReference(context.activity) as Record<string, unknown>;
}

function timeZoneOf(context: TurnContext): string | undefined {
  return (context.activity as { localTimezone?: string }).localTimezone;
}
