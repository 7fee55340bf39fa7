/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or
 * an HTTP-date; a date in the past means "now" (0). undefined when the header
 * is absent or unreadable, so the caller falls back to its own backoff.
 * Graph (429/503) and the Bot Connector (429) both send it.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date | number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - (typeof now === 'number' ? now : now.getTime()));
}
