/**
 * GET /auditLogs/signIns and GET /auditLogs/directoryAudits over the fixture's
 * `signIns` and `directoryAudits` (and what the demo control appends), with
 * Graph's query options: the $filter clauses the product and Learn use
 * (joined by "and"), $orderby on the time (newest first by default), $top and
 * $skiptoken paging. Report-only Conditional Access results are shown only to
 * callers sending `Prefer: include-unknown-enum-members`, as Graph does.
 */
import { GraphHttpError, badRequest } from './errors';
import { pageOf } from './paging';
import type { Route, RouteContext } from './router';

type LogEntry = Record<string, unknown>;

type Clause = (entry: LogEntry) => boolean;

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const DATE = String.raw`(\d{4}-\d{2}-\d{2}T[0-9:.]+Z?)`;

function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

function get(entry: LogEntry, path: string): unknown {
  return path.split('/').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), entry);
}

const sameText = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function timeClause(field: string, op: string, iso: string): Clause {
  const bound = Date.parse(iso);
  if (Number.isNaN(bound)) throw badRequest(`Invalid filter value '${iso}'.`, 'BadRequest');
  return (entry) => {
    const at = Date.parse(String(entry[field] ?? ''));
    if (Number.isNaN(at)) return false;
    return op === 'ge' ? at >= bound : op === 'le' ? at <= bound : op === 'gt' ? at > bound : at < bound;
  };
}

/** One clause of a $filter, for the log whose time property is `timeField`. */
function parseClause(text: string, timeField: string): Clause {
  const clause = text.trim();
  let m = new RegExp(String.raw`^${timeField}\s+(ge|le|gt|lt)\s+${DATE}$`, 'i').exec(clause);
  if (m) return timeClause(timeField, m[1].toLowerCase(), m[2]);
  m = new RegExp(String.raw`^targetResources/any\(\s*(\w+)\s*:\s*\1/(id|userPrincipalName)\s+eq\s+${LITERAL}\s*\)$`, 'i').exec(clause);
  if (m) {
    const [, , property, value] = m;
    return (entry) => ((entry.targetResources as LogEntry[] | undefined) ?? []).some((t) => sameText(t[property], unquote(value)));
  }
  m = /^status\/errorCode\s+(eq|ne)\s+(\d+)$/i.exec(clause);
  if (m) {
    const [, op, code] = m;
    return (entry) => (Number(get(entry, 'status/errorCode') ?? 0) === Number(code)) === (op.toLowerCase() === 'eq');
  }
  m = new RegExp(String.raw`^([\w/]+)\s+eq\s+${LITERAL}$`, 'i').exec(clause);
  if (m && ['userid', 'userprincipalname', 'appid', 'correlationid', 'activitydisplayname', 'loggedbyservice', 'category', 'initiatedby/user/id', 'result'].includes(m[1].toLowerCase())) {
    const [, property, value] = m;
    return (entry) => sameText(get(entry, property), unquote(value));
  }
  m = new RegExp(String.raw`^startswith\(\s*activityDisplayName\s*,\s*${LITERAL}\s*\)$`, 'i').exec(clause);
  if (m) return (entry) => String(entry.activityDisplayName ?? '').toLowerCase().startsWith(unquote(m![1]).toLowerCase());
  throw badRequest(`Invalid filter clause: '${clause}' is not supported.`, 'BadRequest');
}

function filterOf(context: RouteContext, timeField: string): Clause {
  const filter = context.request.query.get('$filter');
  if (filter === null || filter.trim() === '') return () => true;
  // "and" inside a quoted literal is not a separator.
  const clauses = filter.split(/\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)/i).map((c) => parseClause(c, timeField));
  return (entry) => clauses.every((clause) => clause(entry));
}

function ordered(context: RouteContext, entries: readonly LogEntry[], timeField: string): LogEntry[] {
  const orderBy = (context.request.query.get('$orderby') ?? `${timeField} desc`).trim();
  const m = new RegExp(String.raw`^${timeField}(\s+(asc|desc))?$`, 'i').exec(orderBy);
  if (!m) throw badRequest(`Invalid $orderby: only ${timeField} asc|desc is supported.`, 'BadRequest');
  const direction = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  return [...entries].sort((a, b) => direction * (Date.parse(String(a[timeField])) - Date.parse(String(b[timeField]))));
}

const REPORT_ONLY = /^reportOnly/i;

/** Graph hides evolvable enum members (the report-only results) unless the caller opts in. */
function renderSignIn(context: RouteContext): (entry: LogEntry) => LogEntry {
  const prefer = (context.request.headers['prefer'] ?? '').toLowerCase();
  const showUnknown = prefer.includes('include-unknown-enum-members');
  return (entry) => {
    const policies = (entry.appliedConditionalAccessPolicies as LogEntry[] | undefined) ?? [];
    if (showUnknown) return entry;
    return {
      ...entry,
      appliedConditionalAccessPolicies: policies.map((p) => (REPORT_ONLY.test(String(p.result ?? '')) ? { ...p, result: 'unknownFutureValue' } : p)),
    };
  };
}

/** Graph's answer to a log read in a tenant without Entra ID P1/P2 (Learn: reporting API prerequisites, "Common errors"). */
export const NON_PREMIUM_TENANT = {
  code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
  message: "Neither tenant is B2C or tenant doesn't have premium license",
} as const;

function requirePremium(context: RouteContext): void {
  if (!context.state.licences.entraIdP1) throw new GraphHttpError(403, NON_PREMIUM_TENANT.code, NON_PREMIUM_TENANT.message);
}

function listSignIns(context: RouteContext) {
  requirePremium(context);
  const include = filterOf(context, 'createdDateTime');
  const entries = ordered(context, context.state.signIns, 'createdDateTime');
  return { status: 200, body: pageOf(context, 'auditLogs/signIns', entries, renderSignIn(context), include) };
}

function listDirectoryAudits(context: RouteContext) {
  requirePremium(context);
  const include = filterOf(context, 'activityDateTime');
  const entries = ordered(context, context.state.directoryAudits, 'activityDateTime');
  return { status: 200, body: pageOf(context, 'auditLogs/directoryAudits', entries, (entry) => entry, include) };
}

export const signInLogRoutes: Route[] = [
  { method: 'GET', pattern: '/auditLogs/signIns', handler: listSignIns },
  { method: 'GET', pattern: '/auditLogs/directoryAudits', handler: listDirectoryAudits },
];
