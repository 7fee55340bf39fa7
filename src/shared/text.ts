/**
 * Pure text helpers shared by domain views and cards: Markdown escaping of
 * user-supplied strings, masking of contact details, times in the reader's zone.
 */

/**
 * Escapes Markdown so user text renders literally: `[x](http://evil)` can't become a
 * link, `**` can't shout. Backslash escapes are CommonMark; a client that ignores
 * them shows the backslashes, which still breaks the `](` of a link.
 */
export function escapeMarkdown(text: string | null | undefined): string {
  if (!text) return '';
  return (
    text
      // Control characters (except tab and newlines) have no business on a card.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/[\\`*_[\]()<>~|&]/g, (c) => `\\${c}`)
      // Block syntax at a line start: headings, list markers, numbered lists.
      .replace(/^(\s*)(#|[-+](?=\s))/gm, '$1\\$2')
      .replace(/^(\s*\d+)([.)])(?=\s)/gm, '$1\\$2')
  );
}

/** `adele.vance@contoso.example` → `a•••e@contoso.example` (the length of the local part is hidden). */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  const local = [...email.slice(0, at)];
  const domain = email.slice(at + 1);
  const last = local.length > 2 ? local[local.length - 1] : '';
  return `${local[0]}•••${last}@${domain}`;
}

/** `+1 425-555-0100` → `+• •••-•••-••00`: only the last two digits stay. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '').length;
  let seen = 0;
  return phone.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '•'));
}

/** The zone if Intl knows it, else UTC (a bad `localTimezone` must never break a card). */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** `14 Mar 2025, 10:00 CET` in the given IANA zone (UTC when unknown or invalid). */
export function formatTime(value: string | Date | null | undefined, timeZone?: string | null, locale = 'en-GB'): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = {
    timeZone: safeTimeZone(timeZone),
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-GB', options).format(date);
  }
}

/** "today", "1 day", "3 weeks", "2 years". */
export function formatAge(from: string | Date, now: Date): string {
  const days = Math.floor((now.getTime() - new Date(from).getTime()) / 86_400_000);
  if (days < 1) return 'today';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days < 14) return unit(days, 'day');
  if (days < 60) return unit(Math.floor(days / 7), 'week');
  if (days < 730) return unit(Math.floor(days / 30), 'month');
  return unit(Math.floor(days / 365), 'year');
}
