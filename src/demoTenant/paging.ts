/**
 * OData query options the emulator honours: server-driven paging with an
 * absolute @odata.nextLink carrying $skiptoken, $top (page size), $select,
 * and a small $filter ("prop eq literal" joined by "and").
 */
import { badRequest } from './errors';
import type { RouteContext } from './router';

const MAX_PAGE_SIZE = 999;

export function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function decodeSkipToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw badRequest(`Invalid $skiptoken value '${token}'.`, 'Request_BadRequest');
  return Number(match[1]);
}

/** Graph's page size when the caller names none. */
const DEFAULT_PAGE_SIZE = 100;

/**
 * $top asks for a page size (1..999, default 100); the emulator's `pageSize`
 * caps it, so tests can force many pages even when a client asks for 999.
 */
export function pageSizeOf(context: RouteContext): number {
  const top = context.request.query.get('$top');
  if (top !== null && (!/^\d+$/.test(top) || Number(top) < 1)) throw badRequest(`Invalid value '${top}' for query option $top.`, 'Request_BadRequest');
  const asked = top === null ? DEFAULT_PAGE_SIZE : Math.min(Number(top), MAX_PAGE_SIZE);
  return Math.min(asked, context.pageSize);
}

function nextLink(context: RouteContext, offset: number): string {
  // Graph writes the "$" of query options literally: ?$top=2&$skiptoken=...
  const pairs = [...context.request.query.entries()].filter(([name]) => name !== '$skiptoken');
  pairs.push(['$skiptoken', encodeSkipToken(offset)]);
  const query = pairs.map(([name, value]) => `${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(value)}`).join('&');
  return `${context.request.baseUrl}${context.request.path}?${query}`;
}

/** `${baseUrl}/$metadata#<fragment>` */
export function odataContext(context: RouteContext, fragment: string): string {
  return `${context.request.baseUrl}/$metadata#${fragment}`;
}

/**
 * One page of `items` (those passing `include`), starting at the $skiptoken's
 * offset, as Graph's collection body. Scans lazily, so a 100,000-item source
 * costs one page of work (plus the look-ahead that decides whether a next page exists).
 */
export function pageOf<T>(
  context: RouteContext,
  contextFragment: string,
  items: readonly T[],
  render: (item: T) => Record<string, unknown>,
  include: (item: T) => boolean = () => true,
): Record<string, unknown> {
  const token = context.request.query.get('$skiptoken');
  let index = token === null ? 0 : decodeSkipToken(token);
  const size = pageSizeOf(context);
  const value: Record<string, unknown>[] = [];
  for (; index < items.length && value.length < size; index++) {
    if (include(items[index])) value.push(render(items[index]));
  }
  while (index < items.length && !include(items[index])) index++;
  const body: Record<string, unknown> = { '@odata.context': odataContext(context, contextFragment) };
  if (index < items.length) body['@odata.nextLink'] = nextLink(context, index);
  body.value = value;
  return body;
}

/** The $select list, or undefined. */
export function selectedFields(context: RouteContext): string[] | undefined {
  const select = context.request.query.get('$select');
  if (select === null) return undefined;
  const fields = select.split(',').map((field) => field.trim()).filter(Boolean);
  if (fields.length === 0) throw badRequest('Invalid $select: no property named.', 'Request_BadRequest');
  return fields;
}

/** Only the selected properties (null when absent), keeping @odata.type as Graph does for derived types. */
export function project(item: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (fields === undefined) return item;
  const projected: Record<string, unknown> = {};
  if (item['@odata.type'] !== undefined) projected['@odata.type'] = item['@odata.type'];
  for (const field of fields) projected[field] = item[field] ?? null;
  return projected;
}

export type FilterPropertyType = 'string' | 'boolean';
type Literal = string | boolean | null;

interface Clause {
  property: string;
  value: Literal;
}

function parseLiteral(text: string): Literal | undefined {
  if (/^'(?:[^']|'')*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return undefined;
}

/**
 * Parses "$filter=prop eq 'x' and other eq true" over the allowed properties.
 * Anything else is Graph's 400 for an unsupported filter.
 */
export function parseFilter(text: string, allowed: Record<string, FilterPropertyType>, resource: string): (item: Record<string, unknown>) => boolean {
  const clauses: Clause[] = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const match = /^\s*([A-Za-z][\w/]*)\s+eq\s+(.+?)\s*$/i.exec(part);
    const literal = match ? parseLiteral(match[2]) : undefined;
    if (!match || literal === undefined) {
      throw badRequest(`Invalid filter clause: '${part.trim()}'. Only "property eq value" joined by "and" is supported here.`, 'Request_UnsupportedQuery');
    }
    const property = Object.keys(allowed).find((name) => name.toLowerCase() === match[1].toLowerCase());
    if (property === undefined) {
      throw badRequest(`Unsupported or invalid query filter clause specified for property '${match[1]}' of resource '${resource}'.`, 'Request_UnsupportedQuery');
    }
    clauses.push({ property, value: literal });
  }
  return (item) =>
    clauses.every(({ property, value }) => {
      const actual = item[property] ?? null;
      if (typeof actual === 'string' && typeof value === 'string') return actual.toLowerCase() === value.toLowerCase();
      return actual === value;
    });
}

/** The clauses' "property eq 'value'" pairs, for index look-ups (e.g. users by id/upn/mail). */
export function equalityClauses(text: string): Array<{ property: string; value: string }> {
  const pairs: Array<{ property: string; value: string }> = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const match = /^\s*([A-Za-z]\w*)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(part);
    if (match) pairs.push({ property: match[1].toLowerCase(), value: match[2].replace(/''/g, "'") });
  }
  return pairs;
}
