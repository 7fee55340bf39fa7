/**
 * /reports/authenticationMethods/userRegistrationDetails, derived from each
 * user's methods and the methods policy, row by row as pages are asked for
 * (nothing precomputed, so a 100,000-user tenant costs one page of work).
 * Disabled accounts are left out, as the service does.
 */
import { AUTHENTICATOR_AAGUIDS } from '../directory/facts';
import { tapUsability } from './authenticationMethods';
import { resourceNotFound } from './errors';
import type { FixtureMethod, FixtureUser } from './fixture';
import { odataContext, pageOf, parseFilter, project, selectedFields } from './paging';
import type { Route, RouteContext } from './router';
import { TAP_TYPE } from './state';

const T = '#microsoft.graph.';

/** The method's methodsRegistered value, or undefined (password and unknown types aren't listed). */
function registeredName(method: FixtureMethod): string | undefined {
  switch (method['@odata.type']) {
    case `${T}microsoftAuthenticatorAuthenticationMethod`:
      return 'microsoftAuthenticatorPush';
    case `${T}phoneAuthenticationMethod`:
      return method.phoneType === 'alternateMobile' ? 'alternateMobilePhone' : method.phoneType === 'office' ? 'officePhone' : 'mobilePhone';
    case `${T}emailAuthenticationMethod`:
      return 'email';
    case `${T}softwareOathAuthenticationMethod`:
      return 'softwareOneTimePasscode';
    case `${T}hardwareOathAuthenticationMethod`:
      return 'hardwareOneTimePasscode';
    case `${T}fido2AuthenticationMethod`:
      return (AUTHENTICATOR_AAGUIDS as readonly string[]).includes(String(method.aaGuid).toLowerCase()) ? 'passKeyDeviceBoundAuthenticator' : 'passKeyDeviceBound';
    case `${T}windowsHelloForBusinessAuthenticationMethod`:
      return 'windowsHelloForBusiness';
    case `${T}platformCredentialAuthenticationMethod`:
      return 'macOsSecureEnclaveKey';
    case TAP_TYPE:
      return 'temporaryAccessPass';
    default:
      return undefined;
  }
}

/** The method-policy configuration that must allow a registered method for it to count as "capable". */
const CONFIGURATION_FOR: Record<string, string | null> = {
  microsoftAuthenticatorPush: 'MicrosoftAuthenticator',
  mobilePhone: 'Sms',
  alternateMobilePhone: 'Voice',
  officePhone: 'Voice',
  softwareOneTimePasscode: 'SoftwareOath',
  hardwareOneTimePasscode: 'HardwareOath',
  passKeyDeviceBound: 'Fido2',
  passKeyDeviceBoundAuthenticator: 'Fido2',
  windowsHelloForBusiness: null, // governed by Windows Hello for Business settings, not this policy
  macOsSecureEnclaveKey: null,
  email: 'Email',
  temporaryAccessPass: 'TemporaryAccessPass',
};

const MFA_METHODS = new Set([
  'microsoftAuthenticatorPush',
  'mobilePhone',
  'alternateMobilePhone',
  'officePhone',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);
const PASSWORDLESS_METHODS = new Set(['passKeyDeviceBound', 'passKeyDeviceBoundAuthenticator', 'windowsHelloForBusiness', 'macOsSecureEnclaveKey']);
const SSPR_METHODS = new Set(['microsoftAuthenticatorPush', 'mobilePhone', 'alternateMobilePhone', 'officePhone', 'email', 'softwareOneTimePasscode']);

function preferredSecondFactor(methods: string[]): string {
  if (methods.includes('microsoftAuthenticatorPush')) return 'push';
  if (methods.includes('mobilePhone')) return 'sms';
  if (methods.includes('softwareOneTimePasscode') || methods.includes('hardwareOneTimePasscode')) return 'oath';
  return 'none';
}

export function registrationDetails(context: RouteContext, user: FixtureUser): Record<string, unknown> {
  const { state, now } = context;
  const groupIds = state.transitiveGroupIds(user.id);
  const methodsRegistered: string[] = [];
  for (const method of state.methodsOf(user.id)) {
    if (method['@odata.type'] === TAP_TYPE && !tapUsability(state, user.id, method, now).isUsable) continue;
    const name = registeredName(method);
    if (name !== undefined && !methodsRegistered.includes(name)) methodsRegistered.push(name);
  }
  const allowed = (name: string) => {
    const configurationId = CONFIGURATION_FOR[name];
    return configurationId === null || state.isMethodEnabledFor(state.methodConfiguration(configurationId ?? ''), user.id, groupIds);
  };
  const preferred = preferredSecondFactor(methodsRegistered);
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName ?? null,
    userType: String(user.userType).toLowerCase() === 'guest' ? 'guest' : 'member',
    isAdmin: state.roleTemplateIds(user.id).length > 0,
    isSsprRegistered: methodsRegistered.some((name) => SSPR_METHODS.has(name)),
    isSsprEnabled: false,
    isSsprCapable: false,
    isMfaRegistered: methodsRegistered.some((name) => MFA_METHODS.has(name)),
    isMfaCapable: methodsRegistered.some((name) => MFA_METHODS.has(name) && allowed(name)),
    isPasswordlessCapable: methodsRegistered.some((name) => PASSWORDLESS_METHODS.has(name) && allowed(name)),
    lastUpdatedDateTime: now.toISOString(),
    methodsRegistered,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: preferred === 'none' ? [] : [preferred],
    userPreferredMethodForSecondaryAuthentication: preferred,
  };
}

const REPORT_FILTER = {
  userType: 'string',
  isAdmin: 'boolean',
  isMfaCapable: 'boolean',
  isMfaRegistered: 'boolean',
  isPasswordlessCapable: 'boolean',
  userPrincipalName: 'string',
  id: 'string',
} as const;

function listRegistrationDetails(context: RouteContext) {
  const filterText = context.request.query.get('$filter');
  const matches = filterText === null ? undefined : parseFilter(filterText, REPORT_FILTER, 'userRegistrationDetails');
  const fields = selectedFields(context);
  // Rows are built once per visited user; the filter (if any) runs on the row.
  const include = (user: FixtureUser) => user.accountEnabled !== false && (matches === undefined || matches(registrationDetails(context, user)));
  return {
    status: 200,
    body: pageOf(context, 'reports/authenticationMethods/userRegistrationDetails', context.state.users, (user) => project(registrationDetails(context, user), fields), include),
  };
}

function getRegistrationDetails(context: RouteContext) {
  const user = context.state.userById(context.params.userId);
  if (!user || user.accountEnabled === false) throw resourceNotFound(context.params.userId);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, 'reports/authenticationMethods/userRegistrationDetails/$entity'), ...project(registrationDetails(context, user), selectedFields(context)) },
  };
}

export const reportRoutes: Route[] = [
  { method: 'GET', pattern: '/reports/authenticationMethods/userRegistrationDetails', handler: listRegistrationDetails },
  { method: 'GET', pattern: '/reports/authenticationMethods/userRegistrationDetails/{userId}', handler: getRegistrationDetails },
];
