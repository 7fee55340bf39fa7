/**
 * GET /directoryRoles: the activated directory roles (Learn: "List directoryRoles").
 * The product reads roles through users' transitiveMemberOf; `passkey-helpdesk doctor`
 * lists them to prove RoleManagement.Read.Directory is granted.
 */
import { pageOf, project, selectedFields } from './paging';
import type { Route, RouteContext } from './router';

function listDirectoryRoles(context: RouteContext) {
  const fields = selectedFields(context);
  return { status: 200, body: pageOf(context, 'directoryRoles', context.state.activatedDirectoryRoles(), (role) => project({ ...role }, fields)) };
}

export const directoryRoleRoutes: Route[] = [{ method: 'GET', pattern: '/directoryRoles', handler: listDirectoryRoles }];
