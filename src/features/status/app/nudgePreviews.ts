/**
 * "nudge <group>" shows a preview first (issue 9, part 7): who is in the group,
 * how many would get a nudge, who is left out and why, and a sample of the
 * message. Nothing is sent until someone presses Send.
 *
 * A preview is a stored document, so its card is re-rendered from stored state
 * (Cancel, a stale card, a second device). Send and Cancel are compare-and-set
 * moves out of `pending`: the first wins, every later press gets the card of
 * what happened. Send reserves the campaign id in the same write, so a crash
 * between the write and the campaign's start is finished by the next press,
 * never doubled.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, type Collection, type Stores } from '../../../storage/ports';
import { modify } from '../../../storage/modify';
import { Deadline, GraphError, type GraphPort, type GroupSummary } from '../../../graph/port';
import type { ConversationDirectory } from '../../messaging';
import type { PersonalStatus } from '../domain/personal';
import type { NudgePreview, PreviewCounts, PreviewExclusion } from '../domain/nudgePreview';

export type { NudgePreview } from '../domain/nudgePreview';
import type { NudgeCampaigns, StoredCampaign } from './nudgeCampaigns';

/** Members whose methods are read one by one in the chat turn; a larger group is counted from the readiness snapshot. */
export const PREVIEW_EXACT_MEMBERS = 50;
/** Parallel reads while counting. */
const PREVIEW_READ_CONCURRENCY = 6;

export interface NudgePreviewsDeps {
  stores: Stores;
  graph: Pick<GraphPort, 'listGroupUsers'>;
  references: Pick<ConversationDirectory, 'personal'>;
  campaigns: Pick<NudgeCampaigns, 'readStatus' | 'hasOptedOut' | 'start' | 'get'>;
  clock: () => Date;
  turnDeadlineMs: number;
}

/** The readiness snapshot's counts of the group, when it has them. */
export interface GroupCountsFromSnapshot {
  generatedAt: string;
  users: number;
  guests: number;
  phishingResistant: number;
}

export type SendResult =
  | { outcome: 'started'; campaign: StoredCampaign }
  /** Someone pressed Send before: the campaign it started. */
  | { outcome: 'already-sent'; campaign: StoredCampaign | undefined; preview: NudgePreview }
  | { outcome: 'cancelled'; preview: NudgePreview }
  | { outcome: 'missing' };

export class NudgePreviews {
  private readonly previews: Collection<NudgePreview>;

  constructor(private readonly deps: NudgePreviewsDeps) {
    this.previews = deps.stores.collection<NudgePreview>('nudgePreviews');
  }

  async get(previewId: string): Promise<NudgePreview | undefined> {
    return (await this.previews.get(previewId))?.value;
  }

  /** Counts the group now (small groups exactly, larger ones from the snapshot) and stores the preview. */
  async create(input: {
    group: GroupSummary;
    requestedBy: { id: string; name: string };
    timeZone?: string;
    fromSnapshot?: GroupCountsFromSnapshot;
  }): Promise<NudgePreview> {
    const { counts, sample } = await this.count(input.group.id, input.requestedBy.id, input.fromSnapshot);
    const preview: NudgePreview = {
      id: randomUUID(),
      group: { id: input.group.id, displayName: input.group.displayName ?? input.group.id },
      requestedBy: input.requestedBy,
      createdAt: this.deps.clock().toISOString(),
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      counts,
      ...(sample ? { sample } : {}),
      state: 'pending',
    };
    await this.previews.create(preview.id, preview);
    return preview;
  }

  /** The first Send starts the campaign; later ones (double click, stale card) get that campaign. */
  async send(previewId: string, by: { id: string; name: string }): Promise<SendResult> {
    type Decision = { preview: NudgePreview; decidedNow: boolean } | undefined;
    const decision = await modify<NudgePreview, Decision>(
      this.previews,
      previewId,
      (current) => {
        if (!current) return { result: undefined };
        if (current.value.state !== 'pending') return { result: { preview: current.value, decidedNow: false } };
        const decided: NudgePreview = { ...current.value, state: 'sent', campaignId: randomUUID(), decidedBy: by.id, decidedAt: this.deps.clock().toISOString() };
        return { write: decided, result: { preview: decided, decidedNow: true } };
      },
      { name: 'nudgePreviews' },
    );
    if (!decision) return { outcome: 'missing' };
    const { preview, decidedNow } = decision;
    if (preview.state === 'cancelled') return { outcome: 'cancelled', preview };
    if (decidedNow) {
      const campaign = await this.startCampaign(preview, by);
      if (!campaign) throw new Error(`nudge preview ${previewId}: the campaign could not be started`);
      return { outcome: 'started', campaign };
    }
    const campaign = (await this.deps.campaigns.get(preview.campaignId!)) ?? (await this.startCampaign(preview, by));
    return { outcome: 'already-sent', campaign, preview };
  }

  /** Cancel: only a pending preview becomes cancelled; the preview as it now stands either way. */
  async cancel(previewId: string, by: string): Promise<NudgePreview | undefined> {
    return modify<NudgePreview, NudgePreview | undefined>(
      this.previews,
      previewId,
      (current) => {
        if (!current || current.value.state !== 'pending') return { result: current?.value };
        const cancelled: NudgePreview = { ...current.value, state: 'cancelled', decidedBy: by, decidedAt: this.deps.clock().toISOString() };
        return { write: cancelled, result: cancelled };
      },
      { name: 'nudgePreviews' },
    );
  }

  /** Starts (or, after a crash, finishes starting) the campaign the preview reserved. */
  private async startCampaign(preview: NudgePreview, by: { id: string; name: string }): Promise<StoredCampaign | undefined> {
    const id = preview.campaignId!;
    try {
      return await this.deps.campaigns.start({ id, group: preview.group, startedBy: by, ...(preview.timeZone ? { timeZone: preview.timeZone } : {}) });
    } catch (error) {
      if (error instanceof ConflictError) return this.deps.campaigns.get(id);
      throw error;
    }
  }

  private async count(groupId: string, senderId: string, fromSnapshot: GroupCountsFromSnapshot | undefined): Promise<{ counts: PreviewCounts; sample?: PersonalStatus }> {
    const deadline = new Deadline(this.deps.turnDeadlineMs);
    let members: string[];
    try {
      members = [...new Set((await this.deps.graph.listGroupUsers(groupId, { deadline })).map((member) => member.id))];
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return { counts: snapshotCounts(fromSnapshot) };
    }
    if (members.length > PREVIEW_EXACT_MEMBERS) return { counts: { ...snapshotCounts(fromSnapshot), members: members.length } };

    const excluded: Partial<Record<PreviewExclusion, number>> = {};
    const exclude = (why: PreviewExclusion) => (excluded[why] = (excluded[why] ?? 0) + 1);
    let lackPasskey = 0;
    let toNudge = 0;
    let sample: PersonalStatus | undefined;
    // The campaign's own rules, in its order (NudgeCampaigns.considerMember), read now.
    const classify = async (userId: string) => {
      if (userId === senderId) return exclude('sender');
      const read = await this.deps.campaigns.readStatus(userId, { deadline });
      const status = 'status' in read ? read.status : undefined;
      if (!status) return exclude('unknown');
      if (status.nextStep.id === 'account-disabled') return exclude('disabled');
      if (status.phishingResistant) return exclude('done');
      lackPasskey += 1;
      if (status.nextStep.id === 'guest-account') return exclude('guest');
      if (await this.deps.campaigns.hasOptedOut(userId)) return exclude('optedOut');
      if ((await this.deps.references.personal(userId)).length === 0) return exclude('noApp');
      toNudge += 1;
      sample ??= status;
    };
    for (let start = 0; start < members.length; start += PREVIEW_READ_CONCURRENCY) {
      await Promise.all(members.slice(start, start + PREVIEW_READ_CONCURRENCY).map(classify));
    }
    return { counts: { members: members.length, lackPasskey, toNudge, excluded, basis: 'exact' }, ...(sample ? { sample } : {}) };
  }
}

function snapshotCounts(snapshot: GroupCountsFromSnapshot | undefined): PreviewCounts {
  if (!snapshot) return { members: 0, lackPasskey: 0, toNudge: 0, excluded: {}, basis: 'unknown' };
  const lackPasskey = snapshot.users - snapshot.phishingResistant;
  return {
    members: snapshot.users,
    lackPasskey,
    toNudge: lackPasskey,
    excluded: { done: snapshot.phishingResistant },
    basis: 'snapshot',
    asOf: snapshot.generatedAt,
  };
}
