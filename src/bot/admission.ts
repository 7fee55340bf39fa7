/**
 * Which activities may enter the bot at all: only the configured tenant's.
 * Checked at the HTTP edge, before any bot code runs.
 */
export type Admission = { ok: true } | { ok: false; reason: string };

export function admitActivity(activity: unknown, tenantId: string): Admission {
  const a = activity as { channelData?: { tenant?: { id?: unknown } }; conversation?: { tenantId?: unknown } };
  const claimed = [a.channelData?.tenant?.id, a.conversation?.tenantId].filter((t): t is string => typeof t === 'string' && t !== '');
  if (claimed.length === 0) return { ok: false, reason: 'activity names no tenant' };
  const foreign = claimed.find((t) => t.toLowerCase() !== tenantId.toLowerCase());
  if (foreign) return { ok: false, reason: `activity from foreign tenant ${foreign}` };
  return { ok: true };
}
