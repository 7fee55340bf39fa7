/**
 * Plain-words classification of the authentication methods Graph returns for a
 * user, with the verdict of the field report's table: is it phishing-resistant?
 *
 * Pure: no I/O. Secrets (a TAP's value, an OATH secret) are never read.
 */
import { maskEmail, maskPhone } from '../../../shared/text';
import {
  ALL_USERS_TARGET,
  authenticatorPasskeyPlatform,
  isAuthenticatorPasskey,
  METHOD_TYPES,
  methodTypeOf,
  type MethodType,
  type AuthenticationMethod,
  type AuthenticationMethodConfiguration,
  type DirectoryUser,
  type TenantFacts,
  type UserFacts,
} from '../../../directory/facts';

export interface ClassifiedMethod {
  type: MethodType;
  displayName: string;
  phishingResistant: boolean;
}

/** Which Authenticator a passkey lives in, in plain words, or null when it isn't Authenticator. */
function authenticatorPasskeyDevice(method: AuthenticationMethod): 'iPhone' | 'Android' | null {
  const platform = authenticatorPasskeyPlatform(method);
  return platform === 'ios' ? 'iPhone' : platform === 'android' ? 'Android' : null;
}

export { isAuthenticatorPasskey, METHOD_TYPES, methodTypeOf, type MethodType };

/**
 * Is a Temporary Access Pass usable at `now`? Graph's `isUsable` wins when it
 * says false (used once, revoked); otherwise the time window decides.
 * Returns its end time when usable, else null.
 */
export function temporaryAccessPassActiveUntil(method: AuthenticationMethod, now: Date): Date | null {
  if (methodTypeOf(method) !== 'temporaryAccessPass') return null;
  if (method.isUsable === false) return null;
  const start = Date.parse(text(method.startDateTime));
  const lifetimeInMinutes = typeof method.lifetimeInMinutes === 'number' ? method.lifetimeInMinutes : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(lifetimeInMinutes)) return null;
  const end = start + lifetimeInMinutes * 60_000;
  return start <= now.getTime() && now.getTime() < end ? new Date(end) : null;
}

/** One method in plain words. `now` only refines a TAP's wording (active / not usable). */
export function classifyMethod(method: AuthenticationMethod, now?: Date): ClassifiedMethod {
  const type = methodTypeOf(method);
  switch (type) {
    case 'password':
      return { type, displayName: 'Password', phishingResistant: false };
    case 'phone':
      return { type, displayName: phoneDisplayName(method), phishingResistant: false };
    case 'email':
      return { type, displayName: `E-mail code to ${maskEmail(text(method.emailAddress)) || '•••'}`, phishingResistant: false };
    case 'microsoftAuthenticator':
      return {
        type,
        displayName: `Microsoft Authenticator notifications / phone sign-in${on(method.displayName)}`,
        phishingResistant: false,
      };
    case 'softwareOath':
      return { type, displayName: 'One-time codes from an authenticator app', phishingResistant: false };
    case 'hardwareOath':
      return { type, displayName: `One-time codes from a hardware token${hardwareTokenName(method)}`, phishingResistant: false };
    case 'fido2':
      return { type, displayName: fido2DisplayName(method), phishingResistant: true };
    case 'windowsHelloForBusiness':
      return { type, displayName: `Windows Hello for Business${on(method.displayName)}`, phishingResistant: true };
    case 'temporaryAccessPass':
      return { type, displayName: tapDisplayName(method, now), phishingResistant: false };
    case 'platformCredential':
      return { type, displayName: `Platform credential (${platformName(method)})${on(method.displayName)}`, phishingResistant: true };
    case 'x509Certificate':
      return { type, displayName: CERTIFICATE_DISPLAY_NAME, phishingResistant: true };
    case 'other':
      return { type, displayName: 'Other sign-in method', phishingResistant: false };
  }
}

const CERTIFICATE_DISPLAY_NAME = 'Certificate or smart card (certificate-based authentication)';

/**
 * Graph v1.0 has no per-user certificate-based-auth method. We show one when the
 * X.509 certificate method policy is enabled for the user and the user has
 * certificate user ids (the binding the policy matches certificates against).
 */
export function certificateMethod(user: DirectoryUser, groupIds: readonly string[], tenant: TenantFacts | undefined): ClassifiedMethod | null {
  if (!tenant) return null;
  const certificateUserIds = user.authorizationInfo?.certificateUserIds ?? [];
  if (certificateUserIds.length === 0) return null;
  const policy = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (configuration) => configuration.id.toLowerCase() === 'x509certificate',
  );
  if (!policy || policy.state !== 'enabled' || !policyTargetsUser(policy, user.id, groupIds)) return null;
  return { type: 'x509Certificate', displayName: CERTIFICATE_DISPLAY_NAME, phishingResistant: true };
}

/** All of a user's methods in plain words, Graph's order, the derived certificate method last. */
export function classifyUserMethods(user: UserFacts, tenant: TenantFacts | undefined, now?: Date): ClassifiedMethod[] {
  const methods = user.methods.map((method) => classifyMethod(method, now));
  const alreadyHasCertificate = methods.some((method) => method.type === 'x509Certificate');
  const certificate = alreadyHasCertificate ? null : certificateMethod(user.user, user.groupIds, tenant);
  return certificate ? [...methods, certificate] : methods;
}

function policyTargetsUser(policy: AuthenticationMethodConfiguration, userId: string, groupIds: readonly string[]): boolean {
  const matches = (target: { id: string }) =>
    target.id === ALL_USERS_TARGET || target.id === userId || groupIds.includes(target.id);
  const included = (policy.includeTargets ?? []).some(matches);
  const excluded = (policy.excludeTargets ?? []).some(matches);
  return included && !excluded;
}

function fido2DisplayName(method: AuthenticationMethod): string {
  const platform = authenticatorPasskeyDevice(method);
  if (platform) return `Passkey in Microsoft Authenticator (${platform})`;
  const name = text(method.model) || text(method.displayName) || 'unknown model';
  // Newer Graph versions tell synced passkeys (phone or password-manager) from device-bound keys.
  if (text(method.passkeyType).toLowerCase() === 'synced') return `Synced passkey: ${name}`;
  return `Security key (FIDO2): ${name}`;
}

function phoneDisplayName(method: AuthenticationMethod): string {
  const masked = maskPhone(text(method.phoneNumber)) || '•••';
  switch (text(method.phoneType)) {
    case 'alternateMobile':
      return `Voice call to alternate phone ${masked}`;
    case 'office':
      return `Voice call to office phone ${masked}`;
    default:
      return `SMS / voice call to ${masked}`;
  }
}

function tapDisplayName(method: AuthenticationMethod, now: Date | undefined): string {
  if (!now) return 'Temporary Access Pass';
  return temporaryAccessPassActiveUntil(method, now) ? 'Temporary Access Pass (active)' : 'Temporary Access Pass (not usable now)';
}

function hardwareTokenName(method: AuthenticationMethod): string {
  const device = (method.device ?? {}) as Record<string, unknown>;
  const name = [text(device.manufacturer), text(device.model)].filter(Boolean).join(' ') || text(method.displayName);
  return name ? `: ${name}` : '';
}

function platformName(method: AuthenticationMethod): string {
  const platform = text(method.platform);
  return platform === 'macOS' || platform === '' ? 'Mac' : platform;
}

function on(deviceName: unknown): string {
  const name = text(deviceName);
  return name ? ` on ${name}` : '';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
