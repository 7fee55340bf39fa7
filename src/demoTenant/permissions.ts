/**
 * The Microsoft Graph application permissions each emulated endpoint accepts, as listed on its
 * Microsoft Learn page (least privileged first, then the higher ones the page names), for the demo
 * tenant's strict mode: a token whose `roles` hold none of them gets Graph's 403.
 * Directory.Read.All / Directory.ReadWrite.All are accepted wherever Learn lists them.
 */
const LEARN = 'https://learn.microsoft.com/en-us/graph/api/';

export interface PermissionRequirement {
  /** Any one of these application permissions (token `roles`) allows the call. */
  anyOf: readonly string[];
  /** The Learn page the list comes from. */
  learn: string;
}

const req = (page: string, ...anyOf: string[]): PermissionRequirement => ({ anyOf, learn: `${LEARN}${page}?view=graph-rest-1.0` });

const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_MEMBER_READ = ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All'];
const METHODS_READ = ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'];
const TAP_READ = ['UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All', ...METHODS_READ];
const TAP_WRITE = ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'];
const POLICY_READ = ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'];

/** `${method} ${route pattern}` → requirement. `{collection}` routes are decided per collection below. */
const BY_ROUTE: Record<string, PermissionRequirement> = {
  'GET /users': req('user-list', ...USER_READ),
  'GET /users/{userId}': req('user-get', ...USER_READ),
  'GET /users/{userId}/manager': req('user-list-manager', ...USER_READ),
  // Learn: another user's memberships need User.Read.All; objects the app can't read come back with id and type only (see limitedMembers).
  'GET /users/{userId}/transitiveMemberOf': req('user-list-transitivememberof', ...USER_READ, 'GroupMember.Read.All', 'Group.Read.All'),
  'GET /users/{userId}/transitiveMemberOf/microsoft.graph.group': req('user-list-transitivememberof', ...USER_READ, 'GroupMember.Read.All', 'Group.Read.All'),
  'GET /users/{userId}/transitiveMemberOf/microsoft.graph.directoryRole': req('user-list-transitivememberof', ...USER_READ, 'GroupMember.Read.All', 'Group.Read.All'),
  'GET /users/{userId}/transitiveMemberOf/{objectId}': req('user-list-transitivememberof', ...USER_READ, 'GroupMember.Read.All', 'Group.Read.All'),
  'POST /users/{userId}/checkMemberGroups': req('directoryobject-checkmembergroups', ...GROUP_MEMBER_READ, ...USER_READ),
  'GET /users/{userId}/managedDevices': req('intune-devices-manageddevice-list', 'DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'),
  'GET /groups': req('group-list', ...GROUP_MEMBER_READ),
  'GET /groups/{groupId}': req('group-get', ...GROUP_MEMBER_READ),
  'GET /groups/{groupId}/transitiveMembers': req('group-list-transitivemembers', ...GROUP_MEMBER_READ),
  'GET /groups/{groupId}/transitiveMembers/microsoft.graph.user': req('group-list-transitivemembers', ...GROUP_MEMBER_READ),
  'GET /groups/{groupId}/transitiveMembers/microsoft.graph.group': req('group-list-transitivemembers', ...GROUP_MEMBER_READ),
  'GET /servicePrincipals': req('serviceprincipal-list', 'Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'),
  'GET /directoryRoles': req('directoryrole-list', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All'),
  'GET /users/{userId}/authentication/methods': req('authentication-list-methods', ...METHODS_READ),
  'GET /users/{userId}/authentication/methods/{methodId}': req('authenticationmethod-get', ...METHODS_READ),
  'GET /policies/authenticationMethodsPolicy': req('authenticationmethodspolicy-get', ...POLICY_READ),
  'GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations': req('authenticationmethodspolicy-get', ...POLICY_READ),
  'GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{configurationId}': req('authenticationmethodconfiguration-get', ...POLICY_READ),
  'GET /identity/conditionalAccess/policies': req('conditionalaccessroot-list-policies', 'Policy.Read.All', 'Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'),
  'GET /identity/conditionalAccess/policies/{policyId}': req('conditionalaccesspolicy-get', 'Policy.Read.All', 'Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'),
  'GET /policies/authenticationStrengthPolicies': req('authenticationstrengthroot-list-policies', 'Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'),
  'GET /policies/authenticationStrengthPolicies/{strengthId}': req('authenticationstrengthpolicy-get', 'Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'),
  'GET /policies/authenticationStrengthPolicies/{strengthId}/combinationConfigurations': req('authenticationstrengthpolicy-list-combinationconfigurations', 'Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'),
  'GET /policies/authenticationStrengthPolicies/{strengthId}/combinationConfigurations/{configurationId}': req('authenticationcombinationconfiguration-get', 'Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'),
  // The registration report also needs an Entra ID P1/P2 licence (not emulated).
  'GET /reports/authenticationMethods/userRegistrationDetails': req('authenticationmethodsroot-list-userregistrationdetails', 'AuditLog.Read.All'),
  'GET /reports/authenticationMethods/userRegistrationDetails/{userId}': req('userregistrationdetails-get', 'AuditLog.Read.All'),
  'GET /auditLogs/signIns': req('signin-list', 'AuditLog.Read.All'),
  'GET /auditLogs/directoryAudits': req('directoryaudit-list', 'AuditLog.Read.All'),
};

/** Typed method collections: TAPs have their own, narrower permission; every other type needs the general one. */
function collectionRequirement(method: string, collection: string): PermissionRequirement {
  const tap = collection.toLowerCase() === 'temporaryaccesspassmethods';
  if (tap) {
    if (method === 'GET') return req('authentication-list-temporaryaccesspassmethods', ...TAP_READ);
    if (method === 'POST') return req('authentication-post-temporaryaccesspassmethods', ...TAP_WRITE);
    return req('temporaryaccesspassauthenticationmethod-delete', ...TAP_WRITE);
  }
  if (method === 'GET') return req('authentication-list-methods', ...METHODS_READ);
  // e.g. DELETE …/microsoftAuthenticatorMethods/{id}, …/fido2Methods/{id}, …/phoneMethods/{id}
  return req('microsoftauthenticatorauthenticationmethod-delete', 'UserAuthenticationMethod.ReadWrite.All');
}

/** The requirement of one call, or undefined for a route this table doesn't list (strict mode then refuses it). */
export function requirementOf(method: string, pattern: string, params: Record<string, string>): PermissionRequirement | undefined {
  if (pattern.startsWith('/users/{userId}/authentication/{collection}')) return collectionRequirement(method, params.collection ?? '');
  return BY_ROUTE[`${method} ${pattern}`];
}

export function allows(requirement: PermissionRequirement, roles: readonly string[]): boolean {
  return requirement.anyOf.some((permission) => roles.includes(permission));
}

/** Without a permission to read roles (or groups), Graph returns such member objects with id and type only. */
export function limitedMembers(value: unknown[], roles: readonly string[]): unknown[] {
  const canReadRoles = ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All'].some((r) => roles.includes(r));
  const canReadGroups = GROUP_MEMBER_READ.some((r) => roles.includes(r));
  return value.map((item) => {
    const object = item as Record<string, unknown>;
    const type = object['@odata.type'];
    const hidden = (type === '#microsoft.graph.directoryRole' && !canReadRoles) || (type === '#microsoft.graph.group' && !canReadGroups);
    return hidden ? { '@odata.type': type, id: object.id } : item;
  });
}
