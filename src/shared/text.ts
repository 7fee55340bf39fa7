/**
 * Pure text helpers shared by domain views and cards: the hygiene of
 * user- and directory-supplied strings, masking of contact details, times in
 * the reader's zone.
 */

/**
 * Characters that change how text *looks* without being seen: bidi embeddings,
 * overrides and isolates (U+202E makes "txt.exe" read "exe.txt"), zero-width
 * spaces and joiners, the BOM, invisible separators and tag characters. On a
 * card they can disguise a name or a reason, so they are removed.
 */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g;

/** Control characters other than tab and line breaks. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Line and paragraph breaks of every kind, and tabs. */
const LINE_BREAKS = /[\t\r\n\u0085\u2028\u2029]+/g;

/** The default length of one free-text value on a card (a name, a title, a department). */
export const CARD_TEXT_MAX_LENGTH = 200;

/**
 * The one function for free text that a person or the directory supplied and a
 * card shows (names, reasons, device names, group names, answers): removes
 * invisible and bidi control characters, collapses line breaks and runs of
 * spaces into one space (a reason can't push fake lines onto a card), cuts it to
 * `maxLength` characters (code points, never half a surrogate pair) with "…",
 * and escapes Markdown. Anything that is not a string becomes ''.
 */
export function cardText(text: unknown, maxLength: number = CARD_TEXT_MAX_LENGTH): string {
  if (typeof text !== 'string' || text === '') return '';
  const clean = text.replace(INVISIBLE, '').replace(CONTROL, '').replace(LINE_BREAKS, ' ').replace(/ {2,}/g, ' ').trim();
  const characters = [...clean];
  const limited = characters.length > maxLength ? `${characters.slice(0, Math.max(0, maxLength - 1)).join('').trimEnd()}…` : clean;
  return escapeMarkdown(limited);
}

/**
 * Escapes Markdown so text renders literally (multi-line text the bot itself
 * wrote; user- and directory-supplied text goes through `cardText`): `[x](http://evil)` can't become a
 * link, `**` can't shout. Backslash escapes are CommonMark; a client that ignores
 * them shows the backslashes, which still breaks the `](` of a link.
 */
export function escapeMarkdown(text: string | null | undefined): string {
  if (!text || typeof text !== 'string') return '';
  return (
    text
      // Control and invisible characters (except tab and newlines) have no business on a card.
      .replace(CONTROL, '')
      .replace(INVISIBLE, '')
      .replace(/[\\`*_[\]()<>~|&]/g, (c) => `\\${c}`)
      // Block syntax at a line start: headings, list markers, numbered lists.
      .replace(/^(\s*)(#|[-+](?=\s))/gm, '$1\\$2')
      .replace(/^(\s*\d+)([.)])(?=\s)/gm, '$1\\$2')
  );
}

/**
 * A sign-in name as its owner knows it. A guest's user principal name encodes
 * their own address (`anna_fabrikam.com#EXT#@contoso.onmicrosoft.com`: the @
 * became the last _, then #EXT# and the host tenant): that is shown as
 * `anna@fabrikam.com`. Any other name comes back unchanged. The one function for
 * a UPN on a card; it does not escape (pass the result through `cardText`).
 */
export function readableUpn(upn: string | null | undefined): string {
  if (!upn) return '';
  const ext = upn.toUpperCase().indexOf('#EXT#');
  if (ext < 0) return upn;
  const encoded = upn.slice(0, ext);
  const at = encoded.lastIndexOf('_');
  return at > 0 && at < encoded.length - 1 ? `${encoded.slice(0, at)}@${encoded.slice(at + 1)}` : encoded;
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
