/**
 * Pure text helpers shared by domain views and cards: masking contact details,
 * escaping user-supplied strings for Adaptive Card Markdown, times in the reader's zone.
 */

/**
 * Escapes text a person typed (or any directory string) before it goes into a
 * TextBlock, so it can't inject Markdown links, emphasis or lists.
 */
export function escapeMarkdown(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(/[\\`*_{}[\]()#+\-.!>~|<]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** a••••@contoso.example */
export function maskEmail(address: string | null | undefined): string {
  if (!address) return '';
  const at = address.indexOf('@');
  if (at <= 0) return '••••';
  return `${address[0]}••••${address.slice(at)}`;
}

/** +1 ••• ••• 1234 (last four digits only) */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return '••••';
  return `••• ••• ${digits.slice(-4)}`;
}

/** A time in the reader's zone (activity.localTimezone); falls back to UTC for an unknown zone. */
export function formatTime(iso: string | Date, timeZone: string | undefined, locale = 'en-GB'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || 'UTC' }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  }
}
