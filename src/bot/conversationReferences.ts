/**
 * Conversation references, captured when the bot is installed or spoken to:
 * personal chats (to deliver TAP cards and nudges) and team channels (to post
 * helpdesk threads). Keyed by serviceUrl + conversation id, since two Teams
 * clients (or two Playground instances) can reuse the same conversation ids.
 */
import type { ConversationReference } from 'botbuilder';
import type { Collection, Stores } from '../storage/ports';
import { conversationKey, type ConversationDirectory, type StoredReference } from '../features/messaging';

/** How long a personal reference that did not change is not written again (keeps `updatedAt` roughly fresh). */
const UNCHANGED_REWRITE_MS = 10 * 60 * 1000;

export class ConversationReferences implements ConversationDirectory {
  private readonly collection: Collection<StoredReference>;
  /**
   * Every turn remembers where the person talks to us; the reference only differs
   * by the activity id from turn to turn, so a synchronous SQLite write per turn
   * bought nothing. What this instance last wrote, per key (the activity id left out).
   */
  private readonly lastWritten = new Map<string, { json: string; at: number }>();

  constructor(stores: Stores) {
    this.collection = stores.collection<StoredReference>('conversationReferences', {
      indexes: { owner: (r) => `${r.kind}:${r.ownerId}`, channel: (r) => (r.kind === 'team' ? (r.channelIds ?? []).join(' ') : undefined) },
    });
  }

  async rememberPersonal(userAadId: string, reference: Partial<ConversationReference>, now: Date): Promise<void> {
    const key = conversationKey(reference);
    const { activityId: _activityId, ...stable } = reference;
    const json = JSON.stringify([userAadId, stable]);
    const last = this.lastWritten.get(key);
    if (last && last.json === json && now.getTime() - last.at < UNCHANGED_REWRITE_MS && now.getTime() >= last.at) return;
    await this.collection.upsert(key, { kind: 'personal', ownerId: userAadId, reference, updatedAt: now.toISOString() });
    this.lastWritten.set(key, { json, at: now.getTime() });
    if (this.lastWritten.size > 10_000) this.lastWritten.delete(this.lastWritten.keys().next().value as string);
  }

  async rememberTeam(teamId: string, channelIds: string[], reference: Partial<ConversationReference>, now: Date): Promise<void> {
    const key = `team|${reference.serviceUrl ?? ''}|${teamId}`;
    const existing = await this.collection.get(key);
    const known = new Set([...(existing?.value.channelIds ?? []), ...channelIds, teamId]);
    await this.collection.upsert(key, { kind: 'team', ownerId: teamId, channelIds: [...known], reference, updatedAt: now.toISOString() });
  }

  /** Newest personal references of a user (one per client / serviceUrl). */
  async personal(userAadId: string): Promise<StoredReference[]> {
    const found = await this.collection.findBy('owner', `personal:${userAadId}`);
    return found.map((f) => f.value).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** Teams (one per serviceUrl) in which the bot is installed and that contain the channel. */
  async teamsWithChannel(channelId: string): Promise<StoredReference[]> {
    const all = await this.collection.list();
    return all.map((f) => f.value).filter((r) => r.kind === 'team' && (r.channelIds ?? []).includes(channelId));
  }
}
