/**
 * The tenant's group display names, for the NLU's `group` slot and the nudge
 * "did you mean …?" (both modes: the demo tenant serves /groups like Graph).
 * Only the first call waits for the listing. Afterwards a chat turn never
 * waits for it: once the names are older than `ttlMs` they are still answered
 * at once while one background read refreshes them; concurrent callers share
 * that read, and a failed read keeps the last names known (none at first)
 * until the next try, one time to live later.
 */
import { Deadline, type GraphPort } from './port';

export const GROUP_NAMES_TTL_MS = 10 * 60_000;
/** A listing is paged (999 a page); the first one must not hold up a chat turn for long. */
const GROUP_LISTING_DEADLINE_MS = 5_000;

export function cachedGroupNames(graph: Pick<GraphPort, 'listGroups'>, clock: () => Date, ttlMs = GROUP_NAMES_TTL_MS): () => Promise<readonly string[]> {
  let names: readonly string[] = [];
  let readAt: number | undefined;
  let reading: Promise<readonly string[]> | undefined;
  const read = () =>
    (reading ??= graph
      .listGroups({ deadline: new Deadline(GROUP_LISTING_DEADLINE_MS) })
      .then((groups) => {
        names = [...new Set(groups.map((group) => group.displayName).filter((name): name is string => Boolean(name)))];
        readAt = clock().getTime();
        return names;
      })
      .catch(() => {
        // Try again after the time to live, not on every message (e.g. while a permission is missing).
        readAt = clock().getTime();
        return names;
      })
      .finally(() => {
        reading = undefined;
      }));
  return () => {
    if (readAt === undefined) return read();
    if (clock().getTime() - readAt >= ttlMs) void read();
    return Promise.resolve(names);
  };
}
