/**
 * Rollout nudges, bot side: a campaign for a group is a stored document (etag
 * guarded) plus its member list in chunks; a durable job (`nudge.send`)
 * first lists the group's members (in the background: a large group takes far
 * longer than a chat turn may), then considers a batch of members, sends within
 * Teams' rate limits and reschedules itself until every member has an outcome.
 *
 * Never two nudges to one person per campaign, even across a crash: a
 * per-recipient marker is created BEFORE the send (creating an existing key
 * fails), and a marker found still "sending" after a restart is counted as
 * failed rather than sent again. Counters move with a cursor written once per
 * batch; a batch interrupted by a crash is considered again from the stored
 * cursor, and members that already have a marker are counted by it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { personalStatus, type PersonalStatus } from '../domain/personal';
import {
  backoffMs,
  cancelCampaign,
  isSending,
  listingFailed,
  membersListed,
  NUDGE_GLOBAL_BUCKET,
  nudgeDecision,
  PER_CONVERSATION_BUCKET,
  recordOutcome,
  reserve,
  startCampaign,
  throttled,
  type BucketState,
  type NudgeCampaign,
  type NudgeOutcome,
  type NudgeSkipReason,
  type TokenBucket,
} from '../domain/nudges';
import { parseRetryAfter } from '../../../shared/retryAfter';
import { Deadline, GraphError, type CallOptions, type GraphPort, type GroupSummary } from '../../../graph/port';
import { ConflictError, type Collection, type Stores } from '../../../storage/ports';
import { modify } from '../../../storage/modify';
import { cardAttachment, type CardTemplates } from '../../../shared/cardTemplates';
import { nudgeCard, nudgeProgressCard } from '../cards/cards';
import { conversationKey, type ConversationDirectory, type Messenger, type PostedActivity } from '../../messaging';

export const NUDGE_SEND_JOB_KIND = 'nudge.send';

/** Listing a group's members in the job: far longer than a chat turn's deadline, and inside the job runner's 60 s lease. */
export const MEMBER_LISTING_DEADLINE_MS = 45_000;
/** Failed listings (each retried after the job's lease) before the campaign is marked failed. */
export const MEMBER_LISTING_ATTEMPTS = 3;

export interface NudgeSettings {
  /** All nudges of this bot together (Teams: 50 per second per app and tenant). */
  globalBucket: TokenBucket;
  /** One conversation (Teams: 7 per second, 8 per 2 s, 60 per 30 s, 1800 per hour). */
  conversationBucket: TokenBucket;
  /** Nudges sent per job run. */
  sendsPerRun: number;
  /** Members considered per job run (skips are cheap: no message, at most one Graph read). */
  membersPerRun: number;
  /** Least time between two updates of the progress card. */
  progressEveryMs: number;
  /** Members per stored chunk of the member list. */
  chunkSize: number;
  /** Jitter for the backoff after a 429 without Retry-After. */
  random: () => number;
}

export const DEFAULT_NUDGE_SETTINGS: NudgeSettings = {
  globalBucket: NUDGE_GLOBAL_BUCKET,
  conversationBucket: PER_CONVERSATION_BUCKET,
  sendsPerRun: 20,
  membersPerRun: 200,
  progressEveryMs: 5_000,
  chunkSize: 500,
  random: Math.random,
};

export interface StoredCampaign {
  campaign: NudgeCampaign;
  groupName: string;
  startedByName: string;
  timeZone?: string;
  /** Index of the next member to consider; members before it are counted. */
  cursor: number;
  chunkCount: number;
  skipReasons: Partial<Record<NudgeSkipReason, number>>;
  /** The progress card shown to whoever started it. */
  progressCard?: PostedActivity;
  /** Rate of updates to the progress card's conversation. */
  progressBucket?: BucketState;
  lastProgressAt?: string;
  /** 429s / 412s in a row (for the backoff when Teams sends no Retry-After). */
  throttledInARow: number;
  /** Failed attempts to list the group's members (absent in campaigns stored before listing moved to the job). */
  listingFailures?: number;
}

interface MemberChunk {
  campaignId: string;
  index: number;
  userIds: string[];
}

/** One per campaign and member: created before the send, so a restart never sends twice. */
export interface NudgeMarker {
  campaignId: string;
  userId: string;
  at: string;
  outcome: 'sending' | NudgeOutcome;
  reason?: string;
  activityId?: string;
}

export interface NudgeOptOut {
  userId: string;
  at: string;
  campaignId: string | null;
}

export interface NudgeCampaignsDeps {
  stores: Stores;
  graph: GraphPort;
  references: Pick<ConversationDirectory, 'personal'>;
  proactive: Pick<Messenger, 'sendTo' | 'update'>;
  cards: CardTemplates;
  logger: Logger;
  clock: () => Date;
  settings?: Partial<NudgeSettings>;
}

type MemberResult = { outcome: NudgeOutcome; reason?: NudgeSkipReason | string } | { wait: number } | { stop: true };

export class NudgeCampaigns {
  private readonly campaigns: Collection<StoredCampaign>;
  private readonly chunks: Collection<MemberChunk>;
  private readonly markers: Collection<NudgeMarker>;
  private readonly optOuts: Collection<NudgeOptOut>;
  private readonly rates: Collection<BucketState>;
  private readonly settings: NudgeSettings;

  constructor(private readonly deps: NudgeCampaignsDeps) {
    this.campaigns = deps.stores.collection<StoredCampaign>('nudgeCampaigns');
    this.chunks = deps.stores.collection<MemberChunk>('nudgeCampaignMembers');
    this.markers = deps.stores.collection<NudgeMarker>('nudgeRecipients');
    this.optOuts = deps.stores.collection<NudgeOptOut>('nudgeOptOuts');
    this.rates = deps.stores.collection<BucketState>('nudgeSendRate');
    this.settings = { ...DEFAULT_NUDGE_SETTINGS, ...deps.settings };
  }

  static jobId(campaignId: string): string {
    return `${NUDGE_SEND_JOB_KIND}:${campaignId}`;
  }

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    return (await this.campaigns.get(campaignId))?.value;
  }

  /**
   * Stores the campaign, still listing its members, and schedules the job that
   * lists them: no Graph read in the chat turn, whatever the group's size.
   */
  async start(input: { group: GroupSummary; startedBy: { id: string; name: string }; timeZone?: string; id?: string }): Promise<StoredCampaign> {
    const { stores, clock } = this.deps;
    // A preview's Send passes the id it reserved, so a repeated Send finds the campaign instead of starting another.
    const id = input.id ?? randomUUID();
    const now = clock();
    const stored: StoredCampaign = {
      campaign: startCampaign({ id, groupId: input.group.id, startedBy: input.startedBy.id, now }),
      groupName: input.group.displayName ?? input.group.id,
      startedByName: input.startedBy.name,
      timeZone: input.timeZone,
      cursor: 0,
      chunkCount: 0,
      skipReasons: {},
      throttledInARow: 0,
      listingFailures: 0,
    };
    await this.campaigns.create(id, stored);
    await stores.audit.append({
      at: now.toISOString(),
      requestId: null,
      event: 'nudge-campaign-started',
      actor: input.startedBy.id,
      details: { campaignId: id, groupId: input.group.id },
    });
    await stores.dueTimes.schedule({ id: NudgeCampaigns.jobId(id), kind: NUDGE_SEND_JOB_KIND, dueAt: now, payload: { campaignId: id } });
    return stored;
  }

  /** Remembers where the progress card is, and brings it up to date if the sender was faster. */
  async attachProgressCard(campaignId: string, posted: PostedActivity): Promise<void> {
    const updated = await this.modify(campaignId, (stored) => ({ ...stored, progressCard: posted }));
    // The card was posted saying "listing": anything since is news.
    if (updated && updated.campaign.state !== 'listing') await this.updateProgressCard(campaignId, true);
  }

  /** Stops a running campaign; sends already under way are still counted. */
  async cancel(campaignId: string, by: string): Promise<StoredCampaign | undefined> {
    const now = this.deps.clock();
    const before = await this.get(campaignId);
    const updated = await this.modify(campaignId, (stored) => ({ ...stored, campaign: cancelCampaign(stored.campaign, now) }));
    if (updated && (before?.campaign.state === 'running' || before?.campaign.state === 'listing') && updated.campaign.state === 'cancelled') {
      await this.deps.stores.audit.append({ at: now.toISOString(), requestId: null, event: 'nudge-campaign-cancelled', actor: by, details: { campaignId, groupId: updated.campaign.groupId } });
      // The job sees the state and makes the final progress update.
      await this.deps.stores.dueTimes.schedule({ id: NudgeCampaigns.jobId(campaignId), kind: NUDGE_SEND_JOB_KIND, dueAt: now, payload: { campaignId } });
    }
    return updated;
  }

  async optOut(userId: string, campaignId: string | null): Promise<void> {
    const now = this.deps.clock();
    await this.optOuts.upsert(userId, { userId, at: now.toISOString(), campaignId });
    await this.deps.stores.audit.append({ at: now.toISOString(), requestId: null, event: 'nudge-opted-out', actor: userId, details: { campaignId, targetUserId: userId } });
  }

  async hasOptedOut(userId: string): Promise<boolean> {
    return (await this.optOuts.get(userId)) !== undefined;
  }

  /** The `nudge.send` job: lists the members on its first run, then one batch, then reschedules itself while members remain. */
  async runBatch(campaignId: string): Promise<void> {
    const { clock, logger, stores } = this.deps;
    if ((await this.get(campaignId))?.campaign.state === 'listing') await this.listMembers(campaignId);
    const startDoc = await this.campaigns.get(campaignId);
    if (!startDoc) return;
    const start = startDoc.value;
    if (!isSending(start.campaign)) {
      await this.updateProgressCard(campaignId, true);
      return;
    }

    const now = clock();
    let globalState = (await this.rates.get('global'))?.value;
    const conversationStates = new Map<string, BucketState>();
    const outcomes: Array<{ outcome: NudgeOutcome; reason?: string }> = [];
    let cursor = start.cursor;
    let throttledInARow = start.throttledInARow;
    let nextRunInMs = 0;
    let sends = 0;

    while (cursor < start.campaign.total && outcomes.length < this.settings.membersPerRun && sends < this.settings.sendsPerRun) {
      const userId = await this.memberAt(campaignId, cursor);
      const result = await this.considerMember(campaignId, userId, start.campaign.startedBy, {
        reserveSend: (conversationKey) => {
          const nowMs = clock().getTime();
          const global = reserve(this.settings.globalBucket, globalState, nowMs);
          const conversation = reserve(this.settings.conversationBucket, conversationStates.get(conversationKey), nowMs);
          const waitMs = Math.max(global.waitMs, conversation.waitMs);
          // Only a send that happens now takes tokens; a later run asks again.
          if (waitMs === 0) {
            globalState = global.state;
            conversationStates.set(conversationKey, conversation.state);
          }
          return waitMs;
        },
        throttled: (retryAfterMs) => {
          const nowMs = clock().getTime();
          const waitMs = retryAfterMs ?? backoffMs(throttledInARow, this.settings.random());
          throttledInARow += 1;
          globalState = throttled(this.settings.globalBucket, globalState, nowMs, waitMs);
          return waitMs;
        },
      });
      if ('stop' in result) break;
      if ('wait' in result) {
        nextRunInMs = result.wait;
        break;
      }
      outcomes.push(result);
      if (result.outcome === 'sent') {
        sends += 1;
        throttledInARow = 0;
      }
      cursor += 1;
    }

    if (globalState) await this.rates.upsert('global', globalState);
    const updated = await this.modify(campaignId, (stored) => {
      if (stored.cursor !== start.cursor) throw new Error(`nudge campaign ${campaignId}: another sender moved the cursor`);
      let campaign = stored.campaign;
      const skipReasons = { ...stored.skipReasons };
      for (const { outcome, reason } of outcomes) {
        campaign = recordOutcome(campaign, outcome, clock());
        if (outcome === 'skipped' && reason) skipReasons[reason as NudgeSkipReason] = (skipReasons[reason as NudgeSkipReason] ?? 0) + 1;
      }
      return { ...stored, campaign, cursor, skipReasons, throttledInARow };
    });
    if (!updated) return;

    if (isSending(updated.campaign)) {
      await stores.dueTimes.schedule({ id: NudgeCampaigns.jobId(campaignId), kind: NUDGE_SEND_JOB_KIND, dueAt: new Date(now.getTime() + nextRunInMs), payload: { campaignId } });
      await this.updateProgressCard(campaignId, false);
    } else {
      if (updated.campaign.state === 'completed') {
        await stores.audit.append({
          at: clock().toISOString(),
          requestId: null,
          event: 'nudge-campaign-completed',
          actor: 'system',
          details: { campaignId, groupId: updated.campaign.groupId, sent: updated.campaign.sent, skipped: updated.campaign.skipped, failed: updated.campaign.failed },
        });
      }
      await this.updateProgressCard(campaignId, true);
    }
    logger.debug({ campaignId, considered: outcomes.length, sends, cursor, nextRunInMs, state: updated.campaign.state }, 'nudge batch done');
  }

  /**
   * Lists the group's members into chunks, then sets the total. A failure is
   * thrown, so the job runs again after its lease; after MEMBER_LISTING_ATTEMPTS
   * failures the campaign is marked failed instead. Chunks are upserted: a run
   * that crashed after writing some is simply repeated.
   */
  private async listMembers(campaignId: string): Promise<void> {
    const { graph, clock, logger, stores } = this.deps;
    const stored = await this.get(campaignId);
    if (!stored) return;
    let members: string[];
    try {
      const listed = await graph.listGroupUsers(stored.campaign.groupId, { deadline: new Deadline(MEMBER_LISTING_DEADLINE_MS) });
      members = [...new Set(listed.map((member) => member.id))];
    } catch (error) {
      const what = error instanceof GraphError ? error.code : (error as Error).name;
      const failed = await this.modify(campaignId, (current) => {
        const listingFailures = (current.listingFailures ?? 0) + 1;
        const campaign = listingFailures >= MEMBER_LISTING_ATTEMPTS ? listingFailed(current.campaign, clock()) : current.campaign;
        return { ...current, campaign, listingFailures };
      });
      logger.warn({ campaignId, error: what, failures: failed?.listingFailures }, "could not list a nudge campaign's members");
      if (failed?.campaign.state !== 'failed') throw error;
      await stores.audit.append({
        at: clock().toISOString(),
        requestId: null,
        event: 'nudge-campaign-failed',
        actor: 'system',
        details: { campaignId, groupId: failed.campaign.groupId, reason: 'members-not-listed', error: what },
      });
      return;
    }
    const chunkCount = Math.ceil(members.length / this.settings.chunkSize);
    for (let index = 0; index < chunkCount; index++) {
      const userIds = members.slice(index * this.settings.chunkSize, (index + 1) * this.settings.chunkSize);
      await this.chunks.upsert(`${campaignId}:${index}`, { campaignId, index, userIds });
    }
    await this.modify(campaignId, (current) => ({ ...current, campaign: membersListed(current.campaign, members.length, clock()), chunkCount }));
    logger.info({ campaignId, members: members.length }, 'nudge campaign members listed');
  }

  private async considerMember(
    campaignId: string,
    userId: string,
    senderId: string,
    rate: { reserveSend: (conversationKey: string) => number; throttled: (retryAfterMs: number | undefined) => number },
  ): Promise<MemberResult> {
    const markerKey = `${campaignId}:${userId}`;
    const existing = await this.markers.get(markerKey);
    if (existing) return this.outcomeOfMarker(markerKey, existing.value, existing.etag);

    const optedOut = await this.hasOptedOut(userId);
    const [stored] = await this.deps.references.personal(userId);
    let reason: NudgeSkipReason | undefined;
    let status: PersonalStatus | undefined;
    if (userId === senderId) reason = 'sender';
    else if (optedOut) reason = 'opted-out';
    // Checked before the Graph read: without the app nobody can be nudged, whatever their methods.
    else if (!stored) reason = 'app-not-installed';
    else {
      const read = await this.readStatus(userId);
      if ('failed' in read) return this.recordFinal(markerKey, campaignId, userId, 'failed', read.failed);
      status = read.status;
      const decision = nudgeDecision({
        userId,
        hasConversationReference: true,
        // A disabled account (or one gone from the directory) is "unknown": never nudged on a guess.
        phishingResistant: status && status.nextStep.id !== 'account-disabled' ? status.phishingResistant : undefined,
        optedOut: false,
        alreadyNudged: false,
        isGuest: status?.nextStep.id === 'guest-account',
      });
      if (!decision.send) reason = decision.reason;
    }
    if (reason || !stored || !status) return this.recordFinal(markerKey, campaignId, userId, 'skipped', reason ?? 'status-unknown');

    const waitMs = rate.reserveSend(conversationKey(stored.reference));
    if (waitMs > 0) return { wait: waitMs };
    // A cancel that arrived during this batch stops further sends at once.
    if ((await this.get(campaignId))?.campaign.state !== 'running') return { stop: true };

    let marker;
    try {
      marker = await this.markers.create(markerKey, { campaignId, userId, at: this.deps.clock().toISOString(), outcome: 'sending' });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const raced = await this.markers.get(markerKey);
      return raced ? this.outcomeOfMarker(markerKey, raced.value, raced.etag) : { stop: true };
    }

    try {
      const posted = await this.deps.proactive.sendTo(stored.reference, { type: 'message', attachments: [cardAttachment(nudgeCard(this.deps.cards, status, campaignId))] });
      await this.markers.replace(markerKey, { ...marker.value, outcome: 'sent', activityId: posted.activityId }, marker.etag);
      return { outcome: 'sent' };
    } catch (error) {
      const failure = connectorFailure(error, this.deps.clock());
      // 429 and 412: Teams did not take the message, so trying again later cannot double it.
      // 502/504 may have delivered it: counted as failed, never sent twice.
      if (failure.status === 429 || failure.status === 412) {
        await this.markers.delete(markerKey, marker.etag);
        this.deps.logger.warn({ campaignId, status: failure.status, retryAfterMs: failure.retryAfterMs }, 'Teams throttled a nudge; pausing');
        return { wait: rate.throttled(failure.retryAfterMs) };
      }
      this.deps.logger.warn({ campaignId, userId, status: failure.status, error: failure.what }, 'nudge not delivered');
      await this.markers.replace(markerKey, { ...marker.value, outcome: 'failed', reason: failure.what }, marker.etag);
      return { outcome: 'failed', reason: failure.what };
    }
  }

  /** A member decided in an earlier (possibly interrupted) run of this batch. */
  private async outcomeOfMarker(key: string, marker: NudgeMarker, etag: string): Promise<MemberResult> {
    if (marker.outcome !== 'sending') return { outcome: marker.outcome, reason: marker.reason };
    // Interrupted between "about to send" and "sent": it may have arrived. Never send again.
    await this.markers.replace(key, { ...marker, outcome: 'failed', reason: 'interrupted' }, etag).catch(() => undefined);
    return { outcome: 'failed', reason: 'interrupted' };
  }

  private async recordFinal(key: string, campaignId: string, userId: string, outcome: 'skipped' | 'failed', reason: string): Promise<MemberResult> {
    try {
      await this.markers.create(key, { campaignId, userId, at: this.deps.clock().toISOString(), outcome, reason });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const raced = await this.markers.get(key);
      if (raced) return this.outcomeOfMarker(key, raced.value, raced.etag);
    }
    return { outcome, reason };
  }

  async readStatus(userId: string, options?: CallOptions): Promise<{ status: PersonalStatus | undefined } | { failed: string }> {
    const { graph, clock } = this.deps;
    try {
      const [user, tenant] = await Promise.all([graph.loadUserFacts(userId, options), graph.loadTenantFacts(options)]);
      return { status: personalStatus({ user, tenant, now: clock() }) };
    } catch (error) {
      if (error instanceof GraphError && error.isNotFound) return { status: undefined };
      this.deps.logger.warn({ userId, error: error instanceof GraphError ? error.code : (error as Error).name }, 'could not read a member\'s methods for a nudge');
      return { failed: 'status-read-failed' };
    }
  }

  private async memberAt(campaignId: string, index: number): Promise<string> {
    const chunk = await this.chunks.get(`${campaignId}:${Math.floor(index / this.settings.chunkSize)}`);
    const userId = chunk?.value.userIds[index % this.settings.chunkSize];
    if (!userId) throw new Error(`nudge campaign ${campaignId}: member ${index} is missing`);
    return userId;
  }

  /** Read, change, compare-and-set (re-read on a concurrent write); undefined when the campaign is gone. */
  private async modify(campaignId: string, change: (stored: StoredCampaign) => StoredCampaign): Promise<StoredCampaign | undefined> {
    return modify(
      this.campaigns,
      campaignId,
      (current) => {
        if (!current) return { result: undefined };
        const changed = change(current.value);
        return { write: changed, result: changed };
      },
      { name: 'nudge campaign' },
    );
  }


  /** Replaces the progress card; within the conversation's rate unless `final`. */
  async updateProgressCard(campaignId: string, final: boolean): Promise<void> {
    const { clock, proactive, logger } = this.deps;
    const stored = await this.get(campaignId);
    if (!stored?.progressCard) return;
    const now = clock();
    if (!final && stored.lastProgressAt && now.getTime() - Date.parse(stored.lastProgressAt) < this.settings.progressEveryMs) return;
    const slot = reserve(this.settings.conversationBucket, stored.progressBucket, now.getTime());
    if (!final && slot.waitMs > 0) return;
    await this.modify(campaignId, (current) => ({ ...current, progressBucket: slot.state, lastProgressAt: now.toISOString() }));
    try {
      await proactive.update(stored.progressCard, { type: 'message', attachments: [cardAttachment(this.progressCard(stored))] });
    } catch (error) {
      logger.warn({ campaignId, error: connectorFailure(error, now).what }, 'could not update the nudge progress card');
    }
  }

  progressCard(stored: StoredCampaign) {
    return nudgeProgressCard(this.deps.cards, {
      campaign: stored.campaign,
      groupName: stored.groupName,
      startedByName: stored.startedByName,
      skipReasons: stored.skipReasons,
      timeZone: stored.timeZone,
    });
  }
}

/**
 * What the Bot Connector said: botbuilder throws the HTTP pipeline's RestError,
 * with `statusCode` and the response headers (Retry-After on a 429).
 */
export function connectorFailure(error: unknown, now: Date): { status?: number; retryAfterMs?: number; what: string } {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    name?: unknown;
    response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined | null } | Record<string, unknown> };
  };
  const statusValue = e.statusCode ?? e.response?.status ?? e.status;
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  const headers = e.response?.headers;
  const retryAfter =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get: (name: string) => string | undefined | null }).get('retry-after')
      : ((headers as Record<string, unknown> | undefined)?.['retry-after'] as string | undefined);
  return {
    status,
    retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, now),
    what: status !== undefined ? `http-${status}` : typeof e.name === 'string' ? e.name : 'error',
  };
}
