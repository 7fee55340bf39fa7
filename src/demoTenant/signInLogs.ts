/**
 * GET /auditLogs/signIns as an empty log, so the doctor's licence check has something to read in demo mode.
 * Registered after every other route: a fuller sign-in log emulation takes precedence when present.
 */
import { pageOf } from './paging';
import type { Route, RouteContext } from './router';

function listSignIns(context: RouteContext) {
  return { status: 200, body: pageOf(context, 'auditLogs/signIns', [] as Record<string, unknown>[], (entry) => entry) };
}

export const signInLogRoutes: Route[] = [{ method: 'GET', pattern: '/auditLogs/signIns', handler: listSignIns }];
