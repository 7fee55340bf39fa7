/**
 * Directory reads: users (by id or UPN, $filter, $select), manager,
 * transitive memberships (groups and directory roles), managed devices,
 * groups' transitive members, checkMemberGroups and service principals.
 */
import { badRequest, resourceNotFound } from './errors';
import type { FixtureGroup, FixtureUser } from './fixture';
import { equalityClauses, odataContext, pageOf, parseFilter, project, selectedFields } from './paging';
import type { Route, RouteContext } from './router';
import type { DirectoryRole } from './state';

/** What GET /users returns without $select (Graph v1.0's default set). */
const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Properties $select may name (a subset of Graph's user type; others are a 400 like Graph's). */
const USER_PROPERTIES = new Set(
  [
    ...DEFAULT_USER_PROPERTIES,
    'accountEnabled',
    'userType',
    'department',
    'companyName',
    'employeeId',
    'employeeType',
    'createdDateTime',
    'authorizationInfo',
    'onPremisesSyncEnabled',
    'usageLocation',
    'otherMails',
    'proxyAddresses',
    'identities',
    'creationType',
    'externalUserState',
    'city',
    'country',
    'state',
    'streetAddress',
    'postalCode',
    'preferredName',
    'signInActivity',
    'lastPasswordChangeDateTime',
    'passwordPolicies',
    'mailNickname',
    'officeLocation',
    'deletedDateTime',
  ].map((name) => name.toLowerCase()),
);

const USER_FILTER = { id: 'string', userPrincipalName: 'string', mail: 'string', userType: 'string', accountEnabled: 'boolean', department: 'string' } as const;

function userSelect(context: RouteContext): string[] {
  const fields = selectedFields(context);
  if (fields === undefined) return DEFAULT_USER_PROPERTIES;
  for (const field of fields) {
    if (!USER_PROPERTIES.has(field.toLowerCase())) throw badRequest(`Could not find a property named '${field}' on type 'microsoft.graph.user'.`, 'Request_BadRequest');
  }
  return fields;
}

/** A user as Graph shows it: selected properties only, never the fixture's managerId. */
export function renderUser(user: FixtureUser, fields: string[], withType = false): Record<string, unknown> {
  const rendered: Record<string, unknown> = withType ? { '@odata.type': '#microsoft.graph.user' } : {};
  for (const field of fields) {
    const name = Object.keys(user).find((key) => key.toLowerCase() === field.toLowerCase()) ?? field;
    rendered[field] = field === 'businessPhones' ? (user.businessPhones ?? []) : (user[name] ?? null);
  }
  return rendered;
}

export function renderGroup(group: FixtureGroup): Record<string, unknown> {
  const { memberIds: _memberIds, ...graphGroup } = group;
  return { '@odata.type': '#microsoft.graph.group', ...graphGroup };
}

function selectFragment(base: string, context: RouteContext): string {
  const fields = selectedFields(context);
  return fields === undefined ? base : `${base}(${fields.join(',')})`;
}

function requireUser(context: RouteContext): FixtureUser {
  const user = context.state.findUser(context.params.userId);
  if (!user) throw resourceNotFound(context.params.userId);
  return user;
}

function requireGroup(context: RouteContext): FixtureGroup {
  const group = context.state.groupById(context.params.groupId);
  if (!group) throw resourceNotFound(context.params.groupId);
  return group;
}

function listUsers(context: RouteContext) {
  const fields = userSelect(context);
  const filterText = context.request.query.get('$filter');
  const fragment = selectFragment('users', context);
  const render = (user: FixtureUser) => renderUser(user, fields);
  if (filterText === null) return { status: 200, body: pageOf(context, fragment, context.state.users, render) };
  const matches = parseFilter(filterText, USER_FILTER, 'User');
  // Exact look-ups by id, UPN or mail use the indexes instead of a scan.
  const lookup = equalityClauses(filterText).find(({ property }) => ['id', 'userprincipalname', 'mail'].includes(property));
  if (lookup) {
    const found = lookup.property === 'mail' ? context.state.userByMail(lookup.value) : lookup.property === 'id' ? context.state.userById(lookup.value) : context.state.findUser(lookup.value);
    const candidates = found && matches(found) ? [found] : [];
    return { status: 200, body: pageOf(context, fragment, candidates, render) };
  }
  return { status: 200, body: pageOf(context, fragment, context.state.users, render, matches) };
}

function getUser(context: RouteContext) {
  const user = requireUser(context);
  const body = { '@odata.context': odataContext(context, `${selectFragment('users', context)}/$entity`), ...renderUser(user, userSelect(context)) };
  return { status: 200, body };
}

function getManager(context: RouteContext) {
  const user = requireUser(context);
  const manager = typeof user.managerId === 'string' ? context.state.userById(user.managerId) : undefined;
  if (!manager) throw resourceNotFound('manager');
  const body = { '@odata.context': odataContext(context, 'directoryObjects/$entity'), ...project(renderUser(manager, DEFAULT_USER_PROPERTIES, true), selectedFields(context)) };
  return { status: 200, body };
}

type DirectoryObject = Record<string, unknown> & { id: string; '@odata.type': string };

function memberships(context: RouteContext, userId: string): DirectoryObject[] {
  const groups = context.state
    .transitiveGroupIds(userId)
    .map((groupId) => context.state.groupById(groupId))
    .filter((group): group is FixtureGroup => group !== undefined)
    .map((group) => renderGroup(group) as DirectoryObject);
  const roles: DirectoryRole[] = context.state.roleTemplateIds(userId).map((roleTemplateId) => context.state.directoryRole(roleTemplateId));
  return [...groups, ...(roles as unknown as DirectoryObject[])];
}

function transitiveMemberOf(castType?: string) {
  return (context: RouteContext) => {
    const user = requireUser(context);
    const fields = selectedFields(context);
    const items = memberships(context, user.id).filter((item) => castType === undefined || item['@odata.type'] === `#microsoft.graph.${castType}`);
    const fragment = castType === undefined ? 'directoryObjects' : castType === 'group' ? 'groups' : 'directoryRoles';
    return { status: 200, body: pageOf(context, fragment, items, (item) => project(item, fields)) };
  };
}

function transitiveMemberOfOne(context: RouteContext) {
  const user = requireUser(context);
  const item = memberships(context, user.id).find((candidate) => candidate.id === context.params.objectId);
  if (!item) throw resourceNotFound(context.params.objectId);
  return { status: 200, body: { '@odata.context': odataContext(context, 'directoryObjects/$entity'), ...project(item, selectedFields(context)) } };
}

function checkMemberGroups(context: RouteContext) {
  const user = requireUser(context);
  const body = context.request.body as { groupIds?: unknown } | undefined;
  const groupIds = body?.groupIds;
  if (!Array.isArray(groupIds) || groupIds.some((id) => typeof id !== 'string')) throw badRequest("The request body must have 'groupIds', an array of group ids.", 'Request_BadRequest');
  if (groupIds.length > 20) throw badRequest('checkMemberGroups accepts at most 20 group ids.', 'Request_BadRequest');
  const memberOf = new Set(context.state.transitiveGroupIds(user.id));
  return { status: 200, body: { '@odata.context': odataContext(context, 'Collection(Edm.String)'), value: (groupIds as string[]).filter((id) => memberOf.has(id)) } };
}

function managedDevices(context: RouteContext) {
  const user = requireUser(context);
  const fields = selectedFields(context);
  return {
    status: 200,
    body: pageOf(context, `users('${user.id}')/managedDevices`, context.state.managedDevices(user.id), (device) => project({ userId: user.id, ...device }, fields)),
  };
}

function listGroups(context: RouteContext) {
  const filterText = context.request.query.get('$filter');
  const matches = filterText === null ? () => true : parseFilter(filterText, { id: 'string', displayName: 'string', mailNickname: 'string', securityEnabled: 'boolean', mailEnabled: 'boolean' }, 'Group');
  const fields = selectedFields(context);
  const render = (group: FixtureGroup) => {
    const { '@odata.type': _type, ...rendered } = renderGroup(group);
    return project(rendered, fields);
  };
  return { status: 200, body: pageOf(context, selectFragment('groups', context), context.state.groups, render, (group) => matches(group)) };
}

function getGroup(context: RouteContext) {
  const group = requireGroup(context);
  const { '@odata.type': _type, ...rendered } = renderGroup(group);
  return { status: 200, body: { '@odata.context': odataContext(context, 'groups/$entity'), ...project(rendered, selectedFields(context)) } };
}

function transitiveMembers(castType?: 'user' | 'group') {
  return (context: RouteContext) => {
    const group = requireGroup(context);
    const fields = selectedFields(context);
    const members = context.state.transitiveMembers(group.id).filter((member) => castType === undefined || member.kind === castType);
    const render = (member: (typeof members)[number]) =>
      member.kind === 'user' ? project(renderUser(member.user, DEFAULT_USER_PROPERTIES, true), fields) : project(renderGroup(member.group), fields);
    const fragment = castType === undefined ? 'directoryObjects' : `${castType}s`;
    return { status: 200, body: pageOf(context, fragment, members, render) };
  };
}

function listServicePrincipals(context: RouteContext) {
  const filterText = context.request.query.get('$filter');
  const matches = filterText === null ? () => true : parseFilter(filterText, { appId: 'string', displayName: 'string', id: 'string' }, 'ServicePrincipal');
  const fields = selectedFields(context);
  return {
    status: 200,
    body: pageOf(context, 'servicePrincipals', context.state.servicePrincipals, (principal) => project({ ...principal }, fields), (principal) => matches(principal)),
  };
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: '/users', handler: listUsers },
  { method: 'GET', pattern: '/users/{userId}', handler: getUser },
  { method: 'GET', pattern: '/users/{userId}/manager', handler: getManager },
  { method: 'GET', pattern: '/users/{userId}/transitiveMemberOf', handler: transitiveMemberOf() },
  { method: 'GET', pattern: '/users/{userId}/transitiveMemberOf/microsoft.graph.group', handler: transitiveMemberOf('group') },
  { method: 'GET', pattern: '/users/{userId}/transitiveMemberOf/microsoft.graph.directoryRole', handler: transitiveMemberOf('directoryRole') },
  { method: 'GET', pattern: '/users/{userId}/transitiveMemberOf/{objectId}', handler: transitiveMemberOfOne },
  { method: 'POST', pattern: '/users/{userId}/checkMemberGroups', handler: checkMemberGroups },
  { method: 'GET', pattern: '/users/{userId}/managedDevices', handler: managedDevices },
  { method: 'GET', pattern: '/groups', handler: listGroups },
  { method: 'GET', pattern: '/groups/{groupId}', handler: getGroup },
  { method: 'GET', pattern: '/groups/{groupId}/transitiveMembers', handler: transitiveMembers() },
  { method: 'GET', pattern: '/groups/{groupId}/transitiveMembers/microsoft.graph.user', handler: transitiveMembers('user') },
  { method: 'GET', pattern: '/groups/{groupId}/transitiveMembers/microsoft.graph.group', handler: transitiveMembers('group') },
  { method: 'GET', pattern: '/servicePrincipals', handler: listServicePrincipals },
];
