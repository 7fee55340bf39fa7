/**
 * teams-ai reads a conversation's state at the start of a turn and writes it back
 * with the eTag it read; if another turn (here or on another instance) wrote in
 * between, the write fails with an eTag conflict and the turn is lost with a 500.
 *
 * This wrapper keeps the turn: on a conflict it reads what is stored now and
 * writes a three-way merge of (what this turn read, what it wants to write, what
 * is stored now), retrying until no one wrote in between. Fields this turn did
 * not change keep the other writer's value; fields only this turn changed take
 * this turn's; nested objects (e.g. one entry per person) merge the same way, so
 * two people's turns in one group chat both survive. Only a field both turns
 * changed to different values is decided by the later writer.
 */
import type { Storage, StoreItems } from 'botbuilder';

/** A stored item as botbuilder hands it over (its StoreItems are `any`): a JSON object with an optional eTag. */
type Item = Record<string, unknown> & { eTag?: unknown };

/** botbuilder types every stored item as `any`: read them as JSON objects. */
function entriesOf(items: StoreItems): [string, Item | undefined][] {
  return Object.entries(items as Record<string, Item | undefined>);
}

/** Enough for dozens of turns of one conversation at once across instances (full-jitter backoff up to 250 ms). */
const MAX_ATTEMPTS = 40;

/** The value this turn read, per object teams-ai holds (teams-ai writes back the very object it read). */
type Snapshot = { json: string };

export function isETagConflict(error: unknown): boolean {
  return error instanceof Error && /etag conflict/i.test(error.message);
}

export function mergingBotState(storage: Storage, options: { maxAttempts?: number } = {}): Storage {
  const readAs = new WeakMap<object, Snapshot>();
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;

  return {
    read: async (keys) => {
      const items = await storage.read(keys);
      for (const [, item] of entriesOf(items)) {
        if (item && typeof item === 'object') readAs.set(item, { json: JSON.stringify(withoutETag(item)) });
      }
      return items;
    },
    write: async (changes) => {
      let pending: StoreItems = changes;
      for (let attempt = 1; ; attempt++) {
        try {
          // A new item (nothing was read) carries a placeholder eTag: written only if still absent.
          await storage.write(withCreateGuard(pending, readAs));
          return;
        } catch (error) {
          if (!isETagConflict(error) || attempt >= maxAttempts) throw error;
          pending = await rebase(storage, changes, pending, readAs);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
        }
      }
    },
    delete: (keys) => storage.delete(keys),
  };
}

/** A placeholder that matches no stored eTag: the contract writes it only where nothing is stored. */
const ABSENT = 'passkey-helpdesk:absent';

function withCreateGuard(changes: StoreItems, readAs: WeakMap<object, Snapshot>): StoreItems {
  const guarded: StoreItems = {};
  for (const [key, item] of entriesOf(changes)) {
    const wasRead = item && typeof item === 'object' && readAs.has(item);
    guarded[key] = item && typeof item === 'object' && !wasRead && (item.eTag === undefined || item.eTag === null) ? { ...item, eTag: ABSENT } : item;
  }
  return guarded;
}

/** The changes merged onto what is stored now, each carrying the stored eTag. */
async function rebase(storage: Storage, original: StoreItems, pending: StoreItems, readAs: WeakMap<object, Snapshot>): Promise<StoreItems> {
  const stored = await storage.read(Object.keys(pending));
  const next: StoreItems = {};
  const storedItems = new Map(entriesOf(stored));
  const originals = new Map(entriesOf(original));
  for (const [key, item] of entriesOf(pending)) {
    const originalItem = originals.get(key);
    const base: unknown = originalItem && typeof originalItem === 'object' && readAs.has(originalItem) ? JSON.parse(readAs.get(originalItem)!.json) : {};
    const theirs = storedItems.get(key);
    const ours = withoutETag(item);
    if (!theirs) {
      // Deleted (or never created) since: our value, written only if it stays absent.
      next[key] = { ...ours, eTag: ABSENT };
      continue;
    }
    next[key] = { ...(merge3(base, ours, withoutETag(theirs)) as object), eTag: theirs.eTag };
  }
  return next;
}

function withoutETag(item: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!item || typeof item !== 'object') return {};
  const { eTag: _ignored, ...rest } = item;
  return rest;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Three-way merge of JSON values: what changed on one side only wins; both changed → ours (the later writer). */
export function merge3(base: unknown, ours: unknown, theirs: unknown): unknown {
  if (same(ours, base)) return theirs;
  if (same(theirs, base)) return ours;
  if (isPlainObject(ours) && isPlainObject(theirs)) {
    const baseObject = isPlainObject(base) ? base : {};
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(baseObject), ...Object.keys(ours), ...Object.keys(theirs)])) {
      const value = merge3(baseObject[key], ours[key], theirs[key]);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  return ours;
}
