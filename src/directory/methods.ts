/**
 * The one owner of what an authentication method is: its kind (from Graph's
 * `@odata.type`), its name on cards and in sentences, whether it can do MFA,
 * whether it is phishing-resistant, and which Authenticator a passkey lives in.
 * Every slice names methods through here, so a phone is called the same
 * everywhere and masked by the same rule.
 *
 * Pure: no I/O. Secrets (a TAP's value, an OATH secret) are never read.
 */
import { maskEmail, maskPhone } from '../shared/text';
import {
  ALL_USERS_TARGET,
  AUTHENTICATOR_AAGUID_ANDROID,
  AUTHENTICATOR_AAGUID_IOS,
  type AuthenticationMethod,
  type AuthenticationMethodConfiguration,
  type DirectoryUser,
  type TenantFacts,
  type UserFacts,
} from './facts';

/**
 * Which Authenticator a fido2 method's passkey lives in ('ios' | 'android'), or
 * undefined when it is not a passkey in Microsoft Authenticator (another key,
 * another method). The one place that reads AAGUIDs for this question.
 */
export function authenticatorPasskeyPlatform(method: { '@odata.type'?: unknown; aaGuid?: unknown }): 'ios' | 'android' | undefined {
  if (methodTypeOf(method) !== 'fido2' || typeof method.aaGuid !== 'string') return undefined;
  const aaGuid = method.aaGuid.toLowerCase();
  if (aaGuid === AUTHENTICATOR_AAGUID_IOS) return 'ios';
  if (aaGuid === AUTHENTICATOR_AAGUID_ANDROID) return 'android';
  return undefined;
}

export function isAuthenticatorPasskey(method: { '@odata.type'?: unknown; aaGuid?: unknown }): boolean {
  return authenticatorPasskeyPlatform(method) !== undefined;
}

/**
 * Method types that can complete MFA well enough to register a passkey. Not:
 * password, e-mail codes (self-service password reset only), a TAP (counted on
 * its own, while usable) or an unknown type (never guessed).
 */
export const MFA_CAPABLE_METHOD_TYPES: ReadonlySet<string> = new Set<MethodType>([
  'phone',
  'microsoftAuthenticator',
  'softwareOath',
  'hardwareOath',
  'fido2',
  'windowsHelloForBusiness',
  'platformCredential',
  'x509Certificate',
]);

/** What kind of method it is: the `type` of `status --json` (public contract, docs/status.md). */
export const METHOD_TYPES = [
  'password',
  'phone',
  'email',
  'microsoftAuthenticator',
  'softwareOath',
  'hardwareOath',
  'fido2',
  'windowsHelloForBusiness',
  'temporaryAccessPass',
  'platformCredential',
  'x509Certificate',
  'other',
] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/** `@odata.type` (without the leading '#microsoft.graph.') → our type. */
const TYPE_BY_ODATA: Record<string, Exclude<MethodType, 'other'>> = {
  passwordAuthenticationMethod: 'password',
  phoneAuthenticationMethod: 'phone',
  emailAuthenticationMethod: 'email',
  microsoftAuthenticatorAuthenticationMethod: 'microsoftAuthenticator',
  softwareOathAuthenticationMethod: 'softwareOath',
  hardwareOathAuthenticationMethod: 'hardwareOath',
  fido2AuthenticationMethod: 'fido2',
  windowsHelloForBusinessAuthenticationMethod: 'windowsHelloForBusiness',
  temporaryAccessPassAuthenticationMethod: 'temporaryAccessPass',
  platformCredentialAuthenticationMethod: 'platformCredential',
  // Not in Graph v1.0 today; accepted in case it appears (see certificateMethod()).
  x509CertificateAuthenticationMethod: 'x509Certificate',
};

export function methodTypeOf(method: { '@odata.type'?: unknown }): MethodType {
  const odataType = typeof method['@odata.type'] === 'string' ? method['@odata.type'] : '';
  const name = odataType.replace(/^#?microsoft\.graph\./i, '');
  return TYPE_BY_ODATA[name] ?? 'other';
}

/** A method's type as status reports it, plus QR code + PIN (which only strengths care about). */
export type MethodKind = MethodType | 'qrCodePin';

export function methodKind(method: { '@odata.type'?: unknown }): MethodKind {
  const type = methodTypeOf(method);
  if (type === 'other' && /qrCodePinAuthenticationMethod$/i.test(String(method['@odata.type'] ?? ''))) return 'qrCodePin';
  return type;
}

/** The short name of each kind of method, as cards and sentences show it. */
export const METHOD_NAMES: Readonly<Record<MethodKind, string>> = {
  password: 'Password',
  phone: 'Phone (SMS or voice call)',
  email: 'Email one-time passcode',
  microsoftAuthenticator: 'Microsoft Authenticator',
  softwareOath: 'Authenticator app code (OATH)',
  hardwareOath: 'Hardware token (OATH)',
  fido2: 'Passkey (FIDO2)',
  windowsHelloForBusiness: 'Windows Hello for Business',
  platformCredential: 'Platform credential for macOS',
  temporaryAccessPass: 'Temporary Access Pass',
  x509Certificate: 'Certificate',
  qrCodePin: 'QR code + PIN',
  other: 'Other sign-in method',
};

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * "Microsoft Authenticator: iPhone 13 mini": the kind's short name and the
 * device or key name Graph gives. Plain text; the card escapes it. Contact
 * details (phone numbers, addresses) are never part of it.
 */
export function methodName(method: AuthenticationMethod): string {
  const kind = methodKind(method);
  const label = kind === 'phone' ? nonEmpty(method.phoneType) : (nonEmpty(method.displayName) ?? nonEmpty(method.model) ?? nonEmpty(method.deviceTag));
  return label ? `${METHOD_NAMES[kind]}: ${label}` : METHOD_NAMES[kind];
}

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
