/**
 * The tenant's group display names, for the NLU's `group` slot and the nudge
 * "did you mean …?" (both modes: the demo tenant serves /groups like Graph).
 * Read at most once per `ttlMs`; concurrent callers share one read; when a read
 * fails the last names known are kept (none at first), so a turn never fails
 * because of it.
 */
import { Deadline, type GraphPort } from './port';

export const GROUP_NAMES_TTL_MS = 10 * 60_000;
/** A listing is paged (999 a page); it must not hold up a chat turn for long. */
const GROUP_LISTING_DEADLINE_MS = 5_000;

export function cachedGroupNames(graph: Pick<GraphPort, 'listGroups'>, clock: () => Date, ttlMs = GROUP_NAMES_TTL_MS): () => Promise<readonly string[]> {
  let names: readonly string[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<readonly string[]> | undefined;
  return () => {
    if (clock().getTime() - readAt < ttlMs) return Promise.resolve(names);
    reading ??= graph
      .listGroups({ deadline: new Deadline(GROUP_LISTING_DEADLINE_MS) })
      .then((groups) => {
        names = [...new Set(groups.map((group) => group.displayName).filter((name): name is string => Boolean(name)))];
        readAt = clock().getTime();
        return names;
      })
      .catch(() => names)
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}
