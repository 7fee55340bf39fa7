/**
 * What the status feature shows (issue 5): authorisation, audit and reads for the
 * personal status, the helpdesk look-up, the readiness report and nudge campaigns.
 * The routes (../routes.ts) only register handlers and call these views.
 */
import { Deadline, GraphError, type CallOptions, type GroupSummary } from '../../../graph/port';
import { cardText } from '../../../shared/text';
import { personalStatus, type PersonalStatus } from '../domain/personal';
import { FINAL_STATUSES } from '../../tap/domain';
import { DiagnosisHistory } from '../../diagnosis/app/history';
import { openTapStore } from '../../tap/app/store';
import { defaultFailureCard, noticeCard } from '../../../shared/noticeCard';
import { guarded } from '../../../shared/failures';
import type { ClickedCard } from '../../cardActions';
import { cardAttachment, type AdaptiveCardJson } from '../../../shared/cardTemplates';
import { needsActionCard, nudgeGroupChoiceCard, nudgePreviewCard, reportCard, reportPreparingCard, statusCard, type LookupDetails } from '../cards/cards';
import { closestGroupNames, exactGroupName } from '../domain/groupNames';
import type { NudgePreviews } from './nudgePreviews';
import type { BotDeps } from '../../deps';
import type { NudgeCampaigns } from './nudgeCampaigns';
import type { PostedActivity } from '../../messaging';
import { REPORT_REFRESH_JOB, type ReportSnapshots } from './reportSnapshots';

/** How far back the helpdesk look-up shows audit events. */
const LOOKUP_AUDIT_DAYS = 30;
const LOOKUP_AUDIT_EVENTS = 10;

/** A card to show, and what to do once it is posted. */
export interface Shown {
  card: AdaptiveCardJson;
  /** "Being prepared": put the report for this group ('' = organisation) into the card later. */
  waitFor?: string;
  /** A campaign started: its progress goes into the card. */
  campaignId?: string;
}

export function shown(card: AdaptiveCardJson): Shown {
  return { card };
}

/** Who is asking, for the views: the canonical id ('' when the activity named nobody) and the client's time zone. */
export interface Viewer {
  id: string;
  timeZone?: string;
}

/** What the status routes render; separated from registration so each path reads top to bottom. */
export class StatusViews {
  constructor(
    private readonly deps: BotDeps,
    private readonly snapshots: ReportSnapshots,
    private readonly campaigns: NudgeCampaigns,
    private readonly sources: LookupSources,
    private readonly previews: NudgePreviews,
  ) {}

  /** The one error guard (shared/failures.ts): Graph trouble or a bug becomes a notice card, never a failed turn. */
  guard(work: () => Promise<Shown>): Promise<Shown> {
    return guarded(this.deps.logger, 'a status view', work, (kind) => shown(defaultFailureCard(this.deps.cards, kind)));
  }

  async ownStatusCard(viewer: Viewer): Promise<Shown> {
    const userId = viewer.id;
    if (!userId) return shown(notice(this.deps, 'I could not tell who you are', 'Please open this from Teams.', 'Warning'));
    const status = await this.statusOf(userId);
    if (!status) return shown(notice(this.deps, 'I could not find your account', 'Your account is not in the directory I can read. Please contact the helpdesk.', 'Warning'));
    return shown(statusCard(this.deps.cards, status, { now: this.deps.clock(), timeZone: viewer.timeZone }));
  }

  /** `status <upn>`: the helpdesk sees anyone; others only themselves, and a refusal is audited. */
  async lookupCard(viewer: Viewer, target: string): Promise<Shown> {
    const askerId = viewer.id;
    if (!askerId) return shown(notice(this.deps, 'I could not tell who you are', 'Please open this from Teams.', 'Warning'));
    const options = this.turnOptions();
    const isHelpdesk = await this.isMember(askerId, [this.deps.config.helpdeskGroupId], options);
    const user = await this.deps.graph.findUser(target, options);
    if (!isHelpdesk) {
      if (user?.id === askerId) return this.ownStatusCard(viewer);
      await this.audit('lookup-refused', askerId, { targetUpn: target });
      // The same answer whether or not the person exists.
      return shown(notice(this.deps, 'Only the helpdesk can look up someone else', 'I can show you your own sign-in methods: type "status". For someone else, please ask the helpdesk.', 'Warning'));
    }
    if (!user) return shown(notice(this.deps, 'No such person', `I can't find ${cardText(target)} in the directory.`, 'Warning'));
    const status = await this.statusOf(user.id);
    if (!status) return shown(notice(this.deps, 'No such person', `I can't find ${cardText(target)} in the directory.`, 'Warning'));
    await this.audit('lookup', askerId, { targetUserId: user.id, targetUpn: user.userPrincipalName ?? target });
    return shown(statusCard(this.deps.cards, status, { now: this.deps.clock(), timeZone: viewer.timeZone, lookup: await this.lookupDetails(user.id) }));
  }

  /**
   * The report card from the latest snapshot, or a "being prepared" card when
   * there is none yet; `waitFor` then says which report to post into that card
   * later ('' = whole organisation), and the caller triggers a refresh.
   */
  async reportView(viewer: Viewer, input: { groupArgument?: string; fresh?: boolean }): Promise<Shown> {
    const askerId = viewer.id;
    if (!(await this.canUseReports(askerId))) {
      await this.audit('report-refused', askerId || null, input.groupArgument ? { group: input.groupArgument } : {});
      return { card: this.reportRefusal() };
    }
    const timeZone = viewer.timeZone;
    const { current, previous } = await this.snapshots.latest();
    // "Show latest": the card as it stands now, and (once a minute per tenant) a fresh snapshot put into it when ready.
    const fresh = async (shownFor: string, card: (refresh: 'fetching' | 'limited') => AdaptiveCardJson): Promise<Shown> =>
      (await this.snapshots.claimOnDemandRefresh()) ? { card: card('fetching'), waitFor: shownFor } : { card: card('limited') };
    if (!input.groupArgument) {
      if (current && input.fresh) return fresh('', (refresh) => reportCard(this.deps.cards, { current, previous, timeZone, refresh }));
      if (current) return { card: reportCard(this.deps.cards, { current, previous, timeZone }) };
      return { card: reportPreparingCard(this.deps.cards), waitFor: '' };
    }
    const group = await this.findGroup(input.groupArgument, current);
    if (!group) return { card: notice(this.deps, 'No such group', `I can't find the group ${cardText(input.groupArgument)}. Use its exact name or object id.`, 'Warning') };
    await this.snapshots.track({ id: group.id, displayName: group.displayName ?? group.id });
    const inSnapshot = current?.groups.find((entry) => entry.id === group.id);
    if (current && inSnapshot && input.fresh) return fresh(group.id, (refresh) => reportCard(this.deps.cards, { current, previous, group: inSnapshot, timeZone, refresh }));
    if (current && inSnapshot) return { card: reportCard(this.deps.cards, { current, previous, group: inSnapshot, timeZone }) };
    return { card: reportPreparingCard(this.deps.cards, { id: group.id, displayName: group.displayName ?? group.id }), waitFor: group.id };
  }

  async waitHere(viewer: Viewer, card: ClickedCard, groupId: string): Promise<void> {
    if (!card.activityId) return;
    await this.snapshots.addWaiter({ reference: card.reference, activityId: card.activityId, groupId: groupId || null, timeZone: viewer.timeZone });
  }

  /** "Who still needs action?": the first people from the snapshot; the full CSV is the CLI's. */
  async needsActionView(viewer: Viewer, groupId: string): Promise<Shown> {
    const askerId = viewer.id;
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
        timeZone: viewer.timeZone,
      }),
    );
  }

  /**
   * `nudge <group>` and "Nudge this group": the preview (nothing is sent yet), or
   * "did you mean …?" when no group has that name.
   */
  async startNudges(viewer: Viewer, groupArgument: string): Promise<Shown> {
    const askerId = viewer.id;
    if (!(await this.canUseReports(askerId))) {
      await this.audit('nudge-refused', askerId || null, { group: groupArgument });
      return { card: this.nudgeRefusal() };
    }
    const { current } = await this.snapshots.latest();
    const found = groupArgument ? await this.findGroupOrSuggest(groupArgument, current) : { suggestions: [] };
    if ('suggestions' in found) {
      if (found.suggestions.length > 0) return { card: nudgeGroupChoiceCard(this.deps.cards, groupArgument, found.suggestions) };
      return {
        card: notice(
          this.deps,
          'No such group',
          `I can't find a group called ${cardText(groupArgument)}, and no group name is close to it. Type "nudge" and the group's name as the directory has it (or its object id), e.g. "nudge Passkey Pilot".`,
          'Warning',
        ),
      };
    }
    const group = found.group;
    const inSnapshot = current?.groups.find((entry) => entry.id === group.id);
    const preview = await this.previews.create({
      group,
      requestedBy: { id: askerId, name: await this.directoryName(askerId) },
      ...(viewer.timeZone ? { timeZone: viewer.timeZone } : {}),
      ...(current && inSnapshot ? { fromSnapshot: { generatedAt: current.generatedAt, ...inSnapshot.counts } } : {}),
    });
    return { card: nudgePreviewCard(this.deps.cards, preview, { timeZone: viewer.timeZone }) };
  }

  /** Preview → Send: the rollout team only (as starting a campaign always was); the first press starts it, later ones show it. */
  async sendNudges(viewer: Viewer, previewId: string): Promise<Shown> {
    const askerId = viewer.id;
    if (!(await this.canUseReports(askerId))) {
      await this.audit('nudge-refused', askerId || null, { previewId, action: 'send' });
      return { card: this.nudgeRefusal() };
    }
    const result = await this.previews.send(previewId, { id: askerId, name: await this.directoryName(askerId) });
    switch (result.outcome) {
      case 'started':
        return { card: this.campaigns.progressCard(result.campaign), campaignId: result.campaign.campaign.id };
      case 'already-sent':
        return result.campaign ? shown(this.campaigns.progressCard(result.campaign)) : shown(nudgePreviewCard(this.deps.cards, result.preview, { timeZone: viewer.timeZone }));
      case 'cancelled':
        return shown(nudgePreviewCard(this.deps.cards, result.preview, { timeZone: viewer.timeZone }));
      case 'missing':
        return shown(notice(this.deps, 'No such preview', 'That nudge preview no longer exists. Type "nudge" and the group\'s name to start again.', 'Warning'));
    }
  }

  /** Preview → Cancel: whoever asked for it, or the rollout team; the card shows the stored outcome. */
  async discardNudges(viewer: Viewer, previewId: string): Promise<Shown> {
    const askerId = viewer.id;
    const stored = previewId ? await this.previews.get(previewId) : undefined;
    if (!stored) return shown(notice(this.deps, 'No such preview', 'That nudge preview no longer exists.', 'Warning'));
    if (stored.requestedBy.id !== askerId && !(await this.canUseReports(askerId))) {
      await this.audit('nudge-refused', askerId || null, { previewId, action: 'cancel' });
      return { card: this.nudgeRefusal() };
    }
    const after = (await this.previews.cancel(previewId, askerId)) ?? stored;
    if (after.state === 'sent' && after.campaignId) {
      const campaign = await this.campaigns.get(after.campaignId);
      if (campaign) return shown(this.campaigns.progressCard(campaign));
    }
    if (stored.state === 'pending' && after.state === 'cancelled') {
      await this.audit('nudge-preview-cancelled', askerId || null, { previewId, groupId: after.group.id });
    }
    return shown(nudgePreviewCard(this.deps.cards, after, { timeZone: viewer.timeZone }));
  }

  /** The progress card (and Cancel): for whoever started it, the helpdesk and the rollout group. */
  async campaignCard(viewer: Viewer, campaignId: string, action: 'show' | 'cancel'): Promise<Shown> {
    const askerId = viewer.id;
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

  /** The directory's name for a person (never the activity's `from.name`). */
  private async directoryName(userId: string): Promise<string> {
    const user = await this.deps.graph.findUser(userId, this.turnOptions());
    return user?.displayName || user?.userPrincipalName || 'someone';
  }

  /** The group by id or exact name; else (names ignoring case and words like "team") the close names to offer. */
  private async findGroupOrSuggest(argument: string, current: { groups: Array<{ id: string; displayName: string }> } | undefined): Promise<{ group: GroupSummary } | { suggestions: string[] }> {
    const direct = await this.findGroup(argument, current);
    if (direct) return { group: direct };
    const names = this.deps.groupNames ? await this.deps.groupNames().catch(() => []) : [];
    const exact = exactGroupName(argument, names);
    const byName = exact ? await this.deps.graph.findGroup(exact, this.turnOptions()) : null;
    if (byName) return { group: byName };
    return { suggestions: closestGroupNames(argument, names) };
  }

  private nudgeRefusal(): AdaptiveCardJson {
    return notice(this.deps, 'Only the rollout team can send nudges', 'Nudge campaigns are for the helpdesk and the passkey rollout group.', 'Warning');
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

export interface LookupSources {
  lastDiagnosis(userId: string): Promise<LookupDetails['lastDiagnosis']>;
  openTapRequests(userId: string): Promise<LookupDetails['tapRequests']>;
}

/** The diagnosis and TAP features own these collections; they are read through their owners' typed stores. */
export function openLookupSources(deps: BotDeps): LookupSources {
  const diagnoses = new DiagnosisHistory(deps.stores);
  const tapRequests = openTapStore(deps.stores).requests;
  return {
    async lastDiagnosis(userId) {
      const stored = await diagnoses.last(userId);
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

export async function scheduleRefresh(deps: BotDeps, dueAt: Date): Promise<void> {
  await deps.stores.dueTimes.schedule({ id: REPORT_REFRESH_JOB.id, kind: REPORT_REFRESH_JOB.kind, dueAt });
}

export function notice(deps: BotDeps, title: string, body: string, color: 'Default' | 'Good' | 'Warning' | 'Attention'): AdaptiveCardJson {
  return noticeCard(deps.cards, { title, text: body, color });
}
