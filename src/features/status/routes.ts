/**
 * Status, look-up, report and nudge routes (issue 5). Thin: authorise, read,
 * call the domain (src/status), render a card.
 *
 * Messages are routed by their understood intent (src/nlu, docs/conversation.md):
 * - `status` / "am I done?" / menu "My sign-in methods": your own methods and next step.
 * - `status <upn>` / "check megan" (lookup): helpdesk members only; anyone else is refused (audited).
 * - `report [group]`: helpdesk or report-group members; reads the latest stored
 *   snapshot only (a durable job refreshes it; the report API is rate-limited).
 * - `nudge <group>`: helpdesk or report-group members start a campaign.
 * Sign-in details and reports are answered in a 1:1 chat or the helpdesk
 * channel only (elsewhere everyone in the conversation would see them); card
 * buttons answer the person who pressed them.
 */
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory, TurnContext } from 'botbuilder';
import { Deadline, GraphError, type CallOptions, type GroupSummary } from '../../graph/port';
import { cardText } from '../../shared/text';
import { personalStatus, type PersonalStatus } from './domain/personal';
import { FINAL_STATUSES } from '../tap/domain/request';
import type { LastDiagnosis } from '../diagnosis/app/service';
import { openTapStore } from '../tap/app/store';
import type { AppTurnState } from '../../bot/application';
import { noticeCard } from '../../bot/cards/general';
import { cardAttachment, type AdaptiveCardJson } from '../../shared/cardTemplates';
import {
  needsActionCard,
  reportCard,
  reportPreparingCard,
  STATUS_VERBS,
  statusCard,
  type LookupDetails,
} from './cards/cards';
import type { BotDeps } from '../deps';
import { NUDGE_SEND_JOB_KIND, NudgeCampaigns } from './app/nudgeCampaigns';
import type { PostedActivity } from '../../bot/proactive';
import { REPORT_REFRESH_JOB, REPORT_SETTINGS, ReportSnapshots } from './app/reportSnapshots';
import { MENU_VERBS } from '../../bot/verbs';
import { t } from '../../i18n';
import { commandArgument, messageMeans, understood } from '../../bot/conversation/understanding';

export { STATUS_VERBS } from './cards/cards';

/** How far back the helpdesk look-up shows audit events. */
const LOOKUP_AUDIT_DAYS = 30;
const LOOKUP_AUDIT_EVENTS = 10;

type ActionData = Record<string, unknown> | undefined;

/** A card to show, and what to do once it is posted. */
interface Shown {
  card: AdaptiveCardJson;
  /** "Being prepared": put the report for this group ('' = organisation) into the card later. */
  waitFor?: string;
  /** A campaign started: its progress goes into the card. */
  campaignId?: string;
}

function shown(card: AdaptiveCardJson): Shown {
  return { card };
}

export function registerStatusRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
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
  const view = new StatusViews(deps, snapshots, campaigns, sources);

  // ---- durable jobs ----
  deps.jobs.on(REPORT_REFRESH_JOB.kind, async () => {
    // The next run is stored first, so the schedule survives a crash mid-refresh.
    await scheduleRefresh(deps, new Date(deps.clock().getTime() + REPORT_SETTINGS.refreshEveryMinutes * 60_000));
    // Paced against the report API's limit, a refresh can take minutes: it runs
    // beside the job loop (one at a time) so TAP reminders and nudges don't wait.
    void view.refreshAndAnswerWaiters().catch((error: Error) => deps.logger.error({ err: { name: error.name, message: error.message } }, 'readiness snapshot refresh failed'));
  });
  deps.jobs.on(NUDGE_SEND_JOB_KIND, async (job) => {
    const campaignId = typeof job.payload.campaignId === 'string' ? job.payload.campaignId : '';
    if (campaignId) await campaigns.runBatch(campaignId);
  });
  void deps.stores.dueTimes
    .get(REPORT_REFRESH_JOB.id)
    .then((existing) => (existing ? undefined : scheduleRefresh(deps, deps.clock())))
    .catch((error: Error) => deps.logger.error({ err: { name: error.name, message: error.message } }, 'could not schedule the readiness report refresh'));

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
    const { card } = await view.guard(() => (target ? view.lookupCard(context, target) : view.ownStatusCard(context)));
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

  app.message(messageMeans(deps, 'report'), async (context) => {
    if (!(await onlyInPersonalChat(context, deps))) return;
    const groupArgument = await groupArgumentOf(context, deps, 'report');
    const shown = await view.guard(() => view.reportView(context, groupArgument ? { groupArgument } : {}));
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
    const started = await view.guard(() => view.startNudges(context, groupArgument));
    const response = await context.sendActivity(MessageFactory.attachment(cardAttachment(started.card)));
    if (started.campaignId && response?.id) {
      await campaigns.attachProgressCard(started.campaignId, { reference: referenceOf(context), activityId: response.id });
    }
  });

  // ---- card buttons (Action.Execute) ----
  const own = async (context: TurnContext) => (await view.guard(() => view.ownStatusCard(context))).card;
  app.adaptiveCards.actionExecute(MENU_VERBS.status, async (context) => own(context));
  app.adaptiveCards.actionExecute(STATUS_VERBS.refresh, async (context) => own(context));

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.lookup, async (context, _state, data) => {
    const target = text(data?.userId) || text(data?.upn);
    return (await view.guard(() => (target ? view.lookupCard(context, target) : view.ownStatusCard(context)))).card;
  });

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.reportRefresh, async (context, _state, data) => {
    const groupId = text(data?.groupId);
    const shown = await view.guard(() => view.reportView(context, groupId ? { groupArgument: groupId } : {}));
    if (shown.waitFor !== undefined) {
      await view.waitHere(context, shown.waitFor);
      await view.triggerRefresh();
    }
    return shown.card;
  });

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.reportExportCsv, async (context, _state, data) =>
    (await view.guard(() => view.needsActionView(context, text(data?.groupId)))).card,
  );

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.nudgeStart, async (context, _state, data) => {
    const started = await view.guard(() => view.startNudges(context, text(data?.groupId)));
    if (started.campaignId) {
      // The returned card replaces the clicked one: that is where progress goes.
      await campaigns.attachProgressCard(started.campaignId, { reference: referenceOf(context), activityId: context.activity.replyToId ?? '' });
    }
    return started.card;
  });

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.nudgeCancel, async (context, _state, data) =>
    (await view.guard(() => view.campaignCard(context, text(data?.campaignId), 'cancel'))).card,
  );
  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.nudgeRefresh, async (context, _state, data) =>
    (await view.guard(() => view.campaignCard(context, text(data?.campaignId), 'show'))).card,
  );

  app.adaptiveCards.actionExecute<ActionData>(STATUS_VERBS.nudgeOptOut, async (context, _state, data) =>
    (
      await view.guard(async () => {
        const userId = context.activity.from?.aadObjectId;
        if (!userId) return shown(notice(deps, 'I could not tell who you are', 'Please try again from Teams.', 'Warning'));
        await campaigns.optOut(userId, text(data?.campaignId) || null);
        return shown(notice(deps, 'No more reminders', 'Okay: I will not send you passkey reminders again. Type "status" or "diagnose" whenever you want to set one up.', 'Good'));
      })
    ).card,
  );
}

/** What the status routes render; separated from registration so each path reads top to bottom. */
class StatusViews {
  constructor(
    private readonly deps: BotDeps,
    private readonly snapshots: ReportSnapshots,
    private readonly campaigns: NudgeCampaigns,
    private readonly sources: LookupSources,
  ) {}

  /** Graph trouble or a bug becomes a plain notice card instead of a failed turn. */
  async guard(work: () => Promise<Shown>): Promise<Shown> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GraphError) {
        this.deps.logger.warn({ status: error.status, code: error.code, requestId: error.requestId }, 'Graph call for a status route failed');
        return shown(notice(this.deps, 'Microsoft Graph did not answer in time', 'I could not read the directory just now. Please try again in a minute.', 'Warning'));
      }
      throw error;
    }
  }

  async ownStatusCard(context: TurnContext): Promise<Shown> {
    const userId = context.activity.from?.aadObjectId;
    if (!userId) return shown(notice(this.deps, 'I could not tell who you are', 'Please open this from Teams.', 'Warning'));
    const status = await this.statusOf(userId);
    if (!status) return shown(notice(this.deps, 'I could not find your account', 'Your account is not in the directory I can read. Please contact the helpdesk.', 'Warning'));
    return shown(statusCard(this.deps.cards, status, { now: this.deps.clock(), timeZone: timeZoneOf(context) }));
  }

  /** `status <upn>`: the helpdesk sees anyone; others only themselves, and a refusal is audited. */
  async lookupCard(context: TurnContext, target: string): Promise<Shown> {
    const askerId = context.activity.from?.aadObjectId;
    if (!askerId) return shown(notice(this.deps, 'I could not tell who you are', 'Please open this from Teams.', 'Warning'));
    const options = this.turnOptions();
    const isHelpdesk = await this.isMember(askerId, [this.deps.config.helpdeskGroupId], options);
    const user = await this.deps.graph.findUser(target, options);
    if (!isHelpdesk) {
      if (user?.id === askerId) return this.ownStatusCard(context);
      await this.audit('lookup-refused', askerId, { targetUpn: target });
      // The same answer whether or not the person exists.
      return shown(notice(this.deps, 'Only the helpdesk can look up someone else', 'I can show you your own sign-in methods: type "status". For someone else, please ask the helpdesk.', 'Warning'));
    }
    if (!user) return shown(notice(this.deps, 'No such person', `I can't find ${cardText(target)} in the directory.`, 'Warning'));
    const status = await this.statusOf(user.id);
    if (!status) return shown(notice(this.deps, 'No such person', `I can't find ${cardText(target)} in the directory.`, 'Warning'));
    await this.audit('lookup', askerId, { targetUserId: user.id, targetUpn: user.userPrincipalName ?? target });
    return shown(statusCard(this.deps.cards, status, { now: this.deps.clock(), timeZone: timeZoneOf(context), lookup: await this.lookupDetails(user.id) }));
  }

  /**
   * The report card from the latest snapshot, or a "being prepared" card when
   * there is none yet; `waitFor` then says which report to post into that card
   * later ('' = whole organisation), and the caller triggers a refresh.
   */
  async reportView(context: TurnContext, input: { groupArgument?: string }): Promise<Shown> {
    const askerId = context.activity.from?.aadObjectId ?? '';
    if (!(await this.canUseReports(askerId))) {
      await this.audit('report-refused', askerId || null, input.groupArgument ? { group: input.groupArgument } : {});
      return { card: this.reportRefusal() };
    }
    const timeZone = timeZoneOf(context);
    const { current, previous } = await this.snapshots.latest();
    if (!input.groupArgument) {
      if (current) return { card: reportCard(this.deps.cards, { current, previous, timeZone }) };
      return { card: reportPreparingCard(this.deps.cards), waitFor: '' };
    }
    const group = await this.findGroup(input.groupArgument, current);
    if (!group) return { card: notice(this.deps, 'No such group', `I can't find the group ${cardText(input.groupArgument)}. Use its exact name or object id.`, 'Warning') };
    await this.snapshots.track({ id: group.id, displayName: group.displayName ?? group.id });
    const inSnapshot = current?.groups.find((entry) => entry.id === group.id);
    if (current && inSnapshot) return { card: reportCard(this.deps.cards, { current, previous, group: inSnapshot, timeZone }) };
    return { card: reportPreparingCard(this.deps.cards, { id: group.id, displayName: group.displayName ?? group.id }), waitFor: group.id };
  }

  async waitHere(context: TurnContext, groupId: string): Promise<void> {
    const activityId = context.activity.replyToId;
    if (!activityId) return;
    await this.snapshots.addWaiter({ reference: referenceOf(context), activityId, groupId: groupId || null, timeZone: timeZoneOf(context) });
  }

  /** "Who still needs action?": the first people from the snapshot; the full CSV is the CLI's. */
  async needsActionView(context: TurnContext, groupId: string): Promise<Shown> {
    const askerId = context.activity.from?.aadObjectId ?? '';
    if (!(await this.canUseReports(askerId))) {
      await this.audit('report-refused', askerId || null, groupId ? { group: groupId } : {});
      return shown(this.reportRefusal());
    }
    const { current } = await this.snapshots.latest();
    const group = groupId ? current?.groups.find((entry) => entry.id === groupId) : undefined;
    if (!current || (groupId && !group)) {
      await this.triggerRefresh();
      return shown(reportPreparingCard(this.deps.cards, group ?? (groupId ? { id: groupId, displayName: groupId } : undefined)));
    }
    return shown(
      needsActionCard(this.deps.cards, {
        sample: group ? group.needsAction : current.needsAction,
        generatedAt: current.generatedAt,
        group,
        timeZone: timeZoneOf(context),
      }),
    );
  }

  async startNudges(context: TurnContext, groupArgument: string): Promise<Shown> {
    const asker = context.activity.from;
    const askerId = asker?.aadObjectId ?? '';
    if (!(await this.canUseReports(askerId))) {
      await this.audit('nudge-refused', askerId || null, { group: groupArgument });
      return { card: notice(this.deps, 'Only the rollout team can send nudges', 'Nudge campaigns are for the helpdesk and the passkey rollout group.', 'Warning') };
    }
    const { current } = await this.snapshots.latest();
    const group = groupArgument ? await this.findGroup(groupArgument, current) : null;
    if (!group) return { card: notice(this.deps, 'No such group', `I can't find the group ${cardText(groupArgument)}. Use its exact name or object id.`, 'Warning') };
    const stored = await this.campaigns.start({ group, startedBy: { id: askerId, name: asker?.name ?? 'someone' }, timeZone: timeZoneOf(context) });
    return { card: this.campaigns.progressCard(stored), campaignId: stored.campaign.id };
  }

  /** The progress card (and Cancel): for whoever started it, the helpdesk and the rollout group. */
  async campaignCard(context: TurnContext, campaignId: string, action: 'show' | 'cancel'): Promise<Shown> {
    const askerId = context.activity.from?.aadObjectId ?? '';
    const stored = campaignId ? await this.campaigns.get(campaignId) : undefined;
    if (!stored) return shown(notice(this.deps, 'No such campaign', 'That nudge campaign no longer exists.', 'Warning'));
    if (stored.campaign.startedBy !== askerId && !(await this.canUseReports(askerId))) {
      await this.audit('nudge-refused', askerId || null, { campaignId, action });
      return shown(notice(this.deps, 'Only the rollout team can change this', 'Nudge campaigns are for the helpdesk and the passkey rollout group.', 'Warning'));
    }
    const after = action === 'cancel' ? ((await this.campaigns.cancel(campaignId, askerId)) ?? stored) : stored;
    return shown(this.campaigns.progressCard(after));
  }

  /** The job's work: a new snapshot, then every "being prepared" card it can answer. */
  async refreshAndAnswerWaiters(): Promise<void> {
    const snapshot = await this.snapshots.refresh();
    const { previous } = await this.snapshots.latest();
    for (const waiter of await this.snapshots.takeWaiters(snapshot)) {
      const group = waiter.groupId ? snapshot.groups.find((entry) => entry.id === waiter.groupId) : undefined;
      const card = reportCard(this.deps.cards, { current: snapshot, previous, group, timeZone: waiter.timeZone });
      const posted: PostedActivity = { reference: waiter.reference, activityId: waiter.activityId };
      await this.deps.proactive.update(posted, { type: 'message', attachments: [cardAttachment(card)] }).catch((error: Error) =>
        this.deps.logger.warn({ err: { name: error.name, message: error.message } }, 'could not update a waiting report card'),
      );
    }
    // A group asked for while this refresh was already running: one more, soon.
    if (await this.snapshots.hasWaiters()) await scheduleRefresh(this.deps, new Date(this.deps.clock().getTime() + 5_000));
  }

  // ---- helpers ----

  private async statusOf(userId: string): Promise<PersonalStatus | undefined> {
    const options = this.turnOptions();
    try {
      const [user, tenant] = await Promise.all([this.deps.graph.loadUserFacts(userId, options), this.deps.graph.loadTenantFacts(options)]);
      return personalStatus({ user, tenant, now: this.deps.clock() });
    } catch (error) {
      if (error instanceof GraphError && error.isNotFound) return undefined;
      throw error;
    }
  }

  private async lookupDetails(userId: string): Promise<LookupDetails> {
    const [lastDiagnosis, tapRequests] = await Promise.all([this.sources.lastDiagnosis(userId), this.sources.openTapRequests(userId)]);
    const since = new Date(this.deps.clock().getTime() - LOOKUP_AUDIT_DAYS * 24 * 3600_000).toISOString();
    const requestIds = new Set(tapRequests.map((request) => request.id));
    const events = await this.deps.stores.audit.list({ since });
    const about = events.filter((event) => event.details?.targetUserId === userId || (event.requestId !== null && requestIds.has(event.requestId)));
    return {
      lastDiagnosis,
      tapRequests,
      audit: about.slice(-LOOKUP_AUDIT_EVENTS).reverse().map((event) => ({ at: event.at, event: event.event })),
    };
  }

  private async findGroup(argument: string, current: { groups: Array<{ id: string; displayName: string }> } | undefined): Promise<GroupSummary | null> {
    const known = current?.groups.find((group) => group.id === argument);
    if (known) return { id: known.id, displayName: known.displayName };
    return this.deps.graph.findGroup(argument, this.turnOptions());
  }

  private async canUseReports(userId: string): Promise<boolean> {
    return this.isMember(userId, [this.deps.config.helpdeskGroupId, this.deps.config.reportGroupId], this.turnOptions());
  }

  private async isMember(userId: string, groupIds: Array<string | undefined>, options: CallOptions): Promise<boolean> {
    if (!userId) return false;
    for (const groupId of groupIds) {
      if (groupId && (await this.deps.graph.isTransitiveMemberOf(userId, groupId, options))) return true;
    }
    return false;
  }

  async triggerRefresh(): Promise<void> {
    await scheduleRefresh(this.deps, this.deps.clock());
  }

  private reportRefusal(): AdaptiveCardJson {
    return notice(this.deps, 'The readiness report is for the rollout team', 'Only the helpdesk and the passkey rollout group can see the organisation report. Type "status" for your own sign-in methods.', 'Warning');
  }

  private async audit(event: string, actor: string | null, details: Record<string, unknown>): Promise<void> {
    await this.deps.stores.audit.append({ at: this.deps.clock().toISOString(), requestId: null, event, actor, details });
  }

  private turnOptions(): CallOptions {
    return { deadline: new Deadline(this.deps.config.turnDeadlineMs) };
  }
}

// ---- what other features stored (read-only, shape not ours) ---------------------------

interface LookupSources {
  lastDiagnosis(userId: string): Promise<LookupDetails['lastDiagnosis']>;
  openTapRequests(userId: string): Promise<LookupDetails['tapRequests']>;
}

/** The diagnosis and TAP features own these collections; they are read through their owners' typed stores. */
function openLookupSources(deps: BotDeps): LookupSources {
  const diagnoses = deps.stores.collection<LastDiagnosis>('diagnoses');
  const tapRequests = openTapStore(deps.stores).requests;
  return {
    async lastDiagnosis(userId) {
      const stored = (await diagnoses.get(userId))?.value;
      if (!stored) return undefined;
      return { at: stored.at, findings: stored.findings.map(({ id, severity, title }) => ({ id, severity, title })) };
    },
    async openTapRequests(userId) {
      const found = await tapRequests.findBy('targetUserId', userId);
      return found.filter(({ value }) => !FINAL_STATUSES.includes(value.status)).map(({ value }) => ({ id: value.id, status: value.status }));
    },
  };
}

// ---- small helpers ---------------------------------------------------------------------

async function scheduleRefresh(deps: BotDeps, dueAt: Date): Promise<void> {
  await deps.stores.dueTimes.schedule({ id: REPORT_REFRESH_JOB.id, kind: REPORT_REFRESH_JOB.kind, dueAt });
}

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

/** The words after the command; Teams may wrap a typed address in a mailto link. */
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

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function notice(deps: BotDeps, title: string, body: string, color: 'Default' | 'Good' | 'Warning' | 'Attention'): AdaptiveCardJson {
  return noticeCard(deps.cards, { title, text: body, color });
}
