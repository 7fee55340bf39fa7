/**
 * Reusable pure helpers the rules share: who is in which policy, what the
 * user's methods can satisfy, which Conditional Access policies apply, and
 * the state of a Temporary Access Pass.
 *
 * Unknown facts stay unknown: a helper that can't decide says so (undefined
 * or 'unknown') and rules never fire on that.
 */
import {
  ALL_USERS_TARGET,
  AUTHENTICATOR_AAGUID_ANDROID,
  AUTHENTICATOR_AAGUID_IOS,
  AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID,
  MFA_CAPABLE_METHOD_TYPES,
  authenticatorPasskeyPlatform,
  methodTypeOf,
  type MethodType,
  type AuthenticationMethod,
  type AuthenticationMethodConfiguration,
  type AuthenticationStrengthPolicy,
  type ConditionalAccessPolicy,
  type DiagnosisInput,
  type Finding,
  type ManagedDevice,
  type MethodTarget,
  type PasskeyProfile,
} from '../../../directory/facts';
import { summarizeEvidence, type EvidenceSummary } from './evidence';
import { PLATFORMS, devicePlatform, mobileDevices, type Platform } from './questions';

export type { Platform } from './questions';
export type Tri = 'yes' | 'no' | 'unknown';

export const REGISTER_SECURITY_INFO_ACTION = 'urn:user:registersecurityinfo';

export function authenticatorAaguid(platform: Platform): string {
  return platform === 'ios' ? AUTHENTICATOR_AAGUID_IOS : AUTHENTICATOR_AAGUID_ANDROID;
}

export function platformName(platform: Platform): string {
  return platform === 'ios' ? 'iOS' : 'Android';
}

const sameId = (a: string | null | undefined, b: string | null | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

const includesId = (list: readonly (string | null | undefined)[] | null | undefined, id: string) =>
  (list ?? []).some((entry) => sameId(entry, id));

// ---------------------------------------------------------------- context

/** What the rules read: the input plus what Intune fills in for the phone. */
export interface RuleContext {
  input: DiagnosisInput;
  /** The phone's platform: the answer, else the chosen (or only) Intune mobile device. */
  platform: Platform | undefined;
  /** The phone's OS version: the answer, else from that same Intune device. */
  osVersion: string | undefined;
  /** The phone: a managed device, "other" (not managed), or unknown. */
  device: ManagedDevice | 'other' | undefined;
  /** Whether `device` came from the `device` answer (true) or was presumed as the only phone. */
  deviceChosen: boolean;
  /**
   * The device that holds the registration session, where Conditional Access
   * is evaluated: the phone for same-device registration, the computer for
   * cross-device (its browser opens Security info). Unknown path: the phone.
   */
  session: 'phone' | 'computer';
  /** The computer of a cross-device registration: its OS (a CA platform name) and compliance. */
  computer: { platform?: string; compliance: Tri };
  /** What the sign-in and audit logs (and a pasted error) say. */
  evidence: EvidenceSummary;
  /** Findings of the rules that ran before this one (`ready` and `signin-failure` read them). */
  earlier: readonly Finding[];
}

/** An OS name (Intune, sign-in log) as a Conditional Access platform: windows, macOS, linux; undefined for phones. */
export function desktopPlatform(os: string | null | undefined): string | undefined {
  const name = (os ?? '').toLowerCase();
  if (name.startsWith('windows')) return 'windows';
  if (name.startsWith('mac')) return 'macOS';
  if (name.startsWith('linux') || name.includes('ubuntu')) return 'linux';
  return undefined;
}

/**
 * The computer's compliance: the person's answer ("company-managed"), else
 * their only Intune computer, else the newest sign-in from a computer.
 */
function computerFacts(input: DiagnosisInput, evidence: EvidenceSummary): RuleContext['computer'] {
  const computers = (input.user.managedDevices ?? []).filter((d) => desktopPlatform(d.operatingSystem) !== undefined);
  const only = computers.length === 1 ? computers[0] : undefined;
  const logged = evidence.lastDevice && desktopPlatform(evidence.lastDevice.os) ? evidence.lastDevice : undefined;
  const platform = desktopPlatform(only?.operatingSystem) ?? desktopPlatform(logged?.os);
  const answer = input.answers.computerManaged;
  if (answer !== undefined) return { platform, compliance: answer ? 'yes' : 'no' };
  if (only?.complianceState) {
    return { platform, compliance: only.complianceState === 'compliant' || only.complianceState === 'inGracePeriod' ? 'yes' : 'no' };
  }
  if (logged && typeof logged.compliant === 'boolean') return { platform, compliance: logged.compliant ? 'yes' : 'no' };
  return { platform, compliance: 'unknown' };
}

export function buildContext(input: DiagnosisInput): RuleContext {
  const { answers } = input;
  const devices = input.user.managedDevices ?? [];
  let device: ManagedDevice | 'other' | undefined;
  let deviceChosen = false;
  if (answers.device === 'other') {
    device = 'other';
    deviceChosen = true;
  } else if (answers.device !== undefined) {
    device = mobileDevices(devices).find((d) => d.id === answers.device);
    deviceChosen = device !== undefined;
  } else {
    const phones = mobileDevices(devices);
    // The only phone is presumed, unless the person said it's another platform.
    if (phones.length === 1 && (answers.platform === undefined || devicePlatform(phones[0]) === answers.platform)) {
      device = phones[0];
    }
  }
  const managed = device !== undefined && device !== 'other' ? device : undefined;
  const platform = answers.platform ?? (managed ? devicePlatform(managed) : undefined);
  const osVersion = answers.osVersion ?? (managed && devicePlatform(managed) === platform ? managed.osVersion ?? undefined : undefined);
  const evidence = summarizeEvidence(input);
  const session = answers.registration === 'cross-device' ? 'computer' : 'phone';
  return { input, platform, osVersion, device, deviceChosen, session, computer: computerFacts(input, evidence), evidence, earlier: [] };
}

/** Platforms the phone may be: the known one, or both when unknown. */
export function candidatePlatforms(ctx: RuleContext): Platform[] {
  return ctx.platform ? [ctx.platform] : [...PLATFORMS];
}

/** The major version number of "17.4.1" / "14", or undefined. */
export function majorVersion(version: string | undefined | null): number | undefined {
  const match = /^\s*(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

export const MINIMUM_OS_MAJOR: Readonly<Record<Platform, number>> = { android: 14, ios: 17 };

// ---------------------------------------------------------------- method policy

export function methodConfiguration(ctx: RuleContext, id: 'Fido2' | 'TemporaryAccessPass'): AuthenticationMethodConfiguration | undefined {
  return ctx.input.tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find((c) => c.id.toLowerCase() === id.toLowerCase());
}

function targetMatches(target: MethodTarget, ctx: RuleContext): boolean {
  const { user, groupIds } = ctx.input.user;
  return sameId(target.id, ALL_USERS_TARGET) || sameId(target.id, user.id) || includesId(groupIds, target.id);
}

export type PolicyScope = 'included' | 'excluded' | 'not-included' | 'disabled' | 'unknown';

/** Is the user in a method policy's targets? Exclusion wins over inclusion. */
export function methodPolicyScope(ctx: RuleContext, config: AuthenticationMethodConfiguration | undefined): PolicyScope {
  if (!config || config.state === undefined) return 'unknown';
  if (config.state !== 'enabled') return 'disabled';
  if ((config.excludeTargets ?? []).some((t) => targetMatches(t, ctx))) return 'excluded';
  if ((config.includeTargets ?? []).some((t) => targetMatches(t, ctx))) return 'included';
  return 'not-included';
}

export function matchingTargets(ctx: RuleContext, targets: readonly MethodTarget[] | undefined): MethodTarget[] {
  return (targets ?? []).filter((t) => targetMatches(t, ctx));
}

/** A passkey profile, or the legacy global Fido2 settings presented as one. */
export interface EffectiveProfile extends PasskeyProfile {
  legacy: boolean;
}

/**
 * The passkey profiles that apply to the user: the profiles of every include
 * target they match (a target without profiles uses the default profile);
 * without passkey profiles, the legacy global settings. Undefined when the
 * policy doesn't say (no match, unknown profile ids).
 */
export function effectivePasskeyProfiles(ctx: RuleContext): EffectiveProfile[] | undefined {
  const config = methodConfiguration(ctx, 'Fido2');
  if (!config) return undefined;
  const profiles = config.passkeyProfiles ?? [];
  if (profiles.length === 0) {
    return [
      {
        id: 'global',
        name: 'Passkey (FIDO2) global settings',
        // Before passkey profiles, the policy only allowed device-bound passkeys.
        passkeyTypes: 'deviceBound',
        attestationEnforcement:
          config.isAttestationEnforced === undefined ? undefined : config.isAttestationEnforced ? 'registrationOnly' : 'disabled',
        keyRestrictions: config.keyRestrictions ?? null,
        legacy: true,
      },
    ];
  }
  const ids = new Set<string>();
  for (const target of matchingTargets(ctx, config.includeTargets)) {
    const allowed = target.allowedPasskeyProfiles ?? [];
    if (allowed.length > 0) allowed.forEach((id) => ids.add(id.toLowerCase()));
    else if (config.defaultPasskeyProfile) ids.add(config.defaultPasskeyProfile.toLowerCase());
  }
  const result = profiles.filter((p) => ids.has(p.id.toLowerCase())).map((p) => ({ ...p, legacy: false }));
  return result.length > 0 ? result : undefined;
}

export function profileLabel(profile: EffectiveProfile): string {
  return profile.legacy ? 'the global Passkey (FIDO2) settings' : `the passkey profile "${profile.name ?? profile.id}"`;
}

/** Does the profile allow device-bound passkeys? Unknown passkeyTypes count as allowed (no guess). */
export function profileAllowsDeviceBound(profile: PasskeyProfile): boolean {
  if (profile.passkeyTypes === undefined || profile.passkeyTypes === null) return true;
  return profile.passkeyTypes
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .includes('devicebound');
}

/** Do the profile's key restrictions let Authenticator's AAGUID for this platform through? */
export function profileAllowsAaguid(profile: PasskeyProfile, platform: Platform): boolean {
  const restrictions = profile.keyRestrictions;
  if (!restrictions || restrictions.isEnforced !== true) return true;
  const listed = includesId(restrictions.aaGuids ?? [], authenticatorAaguid(platform));
  if (restrictions.enforcementType === 'allow') return listed;
  if (restrictions.enforcementType === 'block') return !listed;
  return true;
}

/** Does the profile allow an Authenticator (device-bound) passkey on this platform? */
export function profileAllowsAuthenticator(profile: PasskeyProfile, platform: Platform): boolean {
  return profileAllowsDeviceBound(profile) && profileAllowsAaguid(profile, platform);
}

export function profileEnforcesAttestation(profile: PasskeyProfile): boolean | undefined {
  const legacyFlag = (profile as { isAttestationEnforced?: unknown }).isAttestationEnforced;
  if (profile.attestationEnforcement === 'registrationOnly' || legacyFlag === true) return true;
  if (profile.attestationEnforcement === 'disabled' || legacyFlag === false) return false;
  return undefined;
}

/**
 * With attestation enforced, only registration inside the Authenticator app
 * works. Cross-device is blocked when, on every platform the phone may be,
 * every profile that allows Authenticator enforces attestation.
 */
export function crossDeviceBlockedByAttestation(ctx: RuleContext): boolean {
  const profiles = effectivePasskeyProfiles(ctx);
  if (!profiles) return false;
  return candidatePlatforms(ctx).every((platform) => {
    const allowing = profiles.filter((p) => profileAllowsAuthenticator(p, platform));
    return allowing.length > 0 && allowing.every((p) => profileEnforcesAttestation(p) === true);
  });
}

// ---------------------------------------------------------------- the user's methods

/** A method's type as status reports it, plus QR code + PIN (which only strengths care about). */
export type MethodKind = MethodType | 'qrCodePin';

export function methodKind(method: { '@odata.type'?: unknown }): MethodKind {
  const type = methodTypeOf(method);
  if (type === 'other' && /qrCodePinAuthenticationMethod$/i.test(String(method['@odata.type'] ?? ''))) return 'qrCodePin';
  return type;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function methodLabel(method: AuthenticationMethod): string {
  const kind = methodKind(method);
  const name = str(method.displayName) ?? str(method.model) ?? str(method.deviceTag);
  const labels: Record<MethodKind, string> = {
    password: 'password',
    phone: 'phone (SMS/voice)',
    email: 'email one-time passcode',
    microsoftAuthenticator: 'Microsoft Authenticator',
    softwareOath: 'software OATH token',
    hardwareOath: 'hardware OATH token',
    fido2: 'passkey (FIDO2)',
    windowsHelloForBusiness: 'Windows Hello for Business',
    platformCredential: 'Platform Credential for macOS',
    temporaryAccessPass: 'Temporary Access Pass',
    x509Certificate: 'certificate',
    qrCodePin: 'QR code + PIN',
    other: str(method['@odata.type']) ?? 'method',
  };
  return name ? `${labels[kind]} "${name}"` : labels[kind];
}

export { authenticatorPasskeyPlatform };

/** Methods that can complete MFA (not password, not email; a TAP is counted separately). */
export function mfaMethods(ctx: RuleContext): AuthenticationMethod[] {
  return ctx.input.user.methods.filter((m) => MFA_CAPABLE_METHOD_TYPES.has(methodKind(m)));
}

/** Does this method live on the phone (gone with a lost phone)? */
export function isPhoneBound(method: AuthenticationMethod): boolean {
  const kind = methodKind(method);
  if (kind === 'microsoftAuthenticator' || kind === 'softwareOath') return true;
  if (kind === 'phone') return method.phoneType !== 'office';
  return authenticatorPasskeyPlatform(method) !== undefined;
}

/** MFA methods still in hand: when the phone is lost, those on it don't count. */
export function usableMfaMethods(ctx: RuleContext): AuthenticationMethod[] {
  const methods = mfaMethods(ctx);
  return ctx.input.answers.lostDevice === true ? methods.filter((m) => !isPhoneBound(m)) : methods;
}

/** Lost phone: the person had MFA on it and has none left elsewhere. */
export function lostAllMfa(ctx: RuleContext): boolean {
  if (ctx.input.answers.lostDevice !== true) return false;
  const methods = mfaMethods(ctx);
  return methods.some(isPhoneBound) && !methods.some((m) => !isPhoneBound(m));
}

// ---------------------------------------------------------------- Temporary Access Pass

export type TapState =
  | { kind: 'none' }
  | { kind: 'usable'; tap: AuthenticationMethod; end?: Date }
  | { kind: 'one-time-used'; tap: AuthenticationMethod }
  | { kind: 'expired'; tap: AuthenticationMethod; end?: Date }
  | { kind: 'not-yet-valid'; tap: AuthenticationMethod; start: Date }
  | { kind: 'unusable'; tap: AuthenticationMethod; reason?: string };

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The user's Temporary Access Pass and whether it can be used at `now`.
 * Graph's `isUsable`/`methodUsabilityReason` win when they say no; the time
 * window (start + lifetime) is checked too. A pass is only usable when the
 * TAP policy is on for the user.
 */
export function tapState(ctx: RuleContext): TapState {
  const taps = ctx.input.user.methods.filter((m) => methodKind(m) === 'temporaryAccessPass');
  if (taps.length === 0) return { kind: 'none' };
  // A user has at most one TAP; take the newest if the facts hold more.
  const tap = [...taps].sort((a, b) => (dateOf(b.createdDateTime)?.getTime() ?? 0) - (dateOf(a.createdDateTime)?.getTime() ?? 0))[0];
  const reason = str(tap.methodUsabilityReason);
  const start = dateOf(tap.startDateTime) ?? dateOf(tap.createdDateTime);
  const lifetime = typeof tap.lifetimeInMinutes === 'number' ? tap.lifetimeInMinutes : undefined;
  const end = start && lifetime !== undefined ? new Date(start.getTime() + lifetime * 60_000) : undefined;
  const now = ctx.input.now.getTime();
  if (reason?.toLowerCase() === 'onetimeused') return { kind: 'one-time-used', tap };
  if (reason?.toLowerCase() === 'expired' || (end && end.getTime() <= now)) return { kind: 'expired', tap, end };
  if (reason?.toLowerCase() === 'notyetvalid' || (start && start.getTime() > now)) {
    return { kind: 'not-yet-valid', tap, start: start ?? ctx.input.now };
  }
  if (tap.isUsable === false) return { kind: 'unusable', tap, reason };
  const scope = methodPolicyScope(ctx, methodConfiguration(ctx, 'TemporaryAccessPass'));
  if (scope !== 'included' && scope !== 'unknown') return { kind: 'unusable', tap, reason: 'DisabledByPolicy' };
  return { kind: 'usable', tap, end };
}

// ---------------------------------------------------------------- authentication strengths

export interface ResolvedStrength {
  id: string;
  displayName: string;
  allowedCombinations: string[];
  policy?: AuthenticationStrengthPolicy;
}

/** The strength a CA policy requires, with its combinations; undefined when unknown. */
export function resolveStrength(ctx: RuleContext, required: ConditionalAccessPolicy['grantControls']): ResolvedStrength | undefined {
  const reference = required?.authenticationStrength;
  if (!reference) return undefined;
  const id = reference.id ?? '';
  const listed = ctx.input.tenant.authenticationStrengthPolicies.find((s) => sameId(s.id, id));
  const combinations = (listed?.allowedCombinations ?? reference.allowedCombinations ?? undefined) as string[] | undefined;
  if (combinations && combinations.length > 0) {
    return {
      id,
      displayName: listed?.displayName ?? reference.displayName ?? id,
      allowedCombinations: combinations,
      policy: listed ?? (reference as AuthenticationStrengthPolicy),
    };
  }
  // Graph lists the built-in strengths with the custom ones; a strength we can't read is unknown, not guessed.
  return undefined;
}

function combinationModes(combination: string): string[] {
  return combination.split(',').map((m) => m.trim()).filter(Boolean);
}

/** Does the strength accept a Temporary Access Pass (one-time or multi-use)? */
export function strengthAllowsTap(strength: ResolvedStrength): boolean {
  return strength.allowedCombinations.some((c) =>
    combinationModes(c).some((m) => m === 'temporaryAccessPassOneTime' || m === 'temporaryAccessPassMultiUse'),
  );
}

/**
 * The authentication-method modes the user can present today (TAP excluded:
 * it's judged on its own). Lenient where Graph can't tell (Authenticator
 * phone sign-in, certificate MFA): an unknown never makes a blocker.
 */
export function userModes(ctx: RuleContext): Set<string> {
  const modes = new Set<string>();
  const inHand = new Set(usableMfaMethods(ctx));
  for (const method of ctx.input.user.methods) {
    const kind = methodKind(method);
    if (MFA_CAPABLE_METHOD_TYPES.has(kind) && !inHand.has(method)) continue;
    switch (kind) {
      case 'password':
        modes.add('password');
        break;
      case 'email':
        modes.add('email');
        break;
      case 'phone':
        modes.add('voice');
        if (method.phoneType !== 'office') modes.add('sms');
        break;
      case 'microsoftAuthenticator':
        modes.add('microsoftAuthenticatorPush');
        modes.add('deviceBasedPush');
        break;
      case 'softwareOath':
        modes.add('softwareOath');
        break;
      case 'hardwareOath':
        modes.add('hardwareOath');
        break;
      case 'fido2':
        modes.add('fido2');
        break;
      case 'windowsHelloForBusiness':
      case 'platformCredential':
        // Strengths list Platform Credential for macOS under "Windows Hello for Business / Platform Credential".
        modes.add('windowsHelloForBusiness');
        break;
      case 'x509Certificate':
        modes.add('x509CertificateMultiFactor');
        modes.add('x509CertificateSingleFactor');
        break;
      case 'qrCodePin':
        modes.add('qrCodePin');
        break;
      default:
        break;
    }
  }
  return modes;
}

/** Can the user satisfy the strength with what they have today (no TAP)? */
export function userSatisfiesStrength(ctx: RuleContext, strength: ResolvedStrength): boolean {
  const modes = userModes(ctx);
  type Combination = { '@odata.type'?: string; allowedAAGUIDs?: string[] | null };
  const configurations = (strength.policy?.combinationConfigurations ?? []) as Combination[];
  const fido2Restriction = configurations.find(
    (c) => (c['@odata.type'] ?? '').toLowerCase().endsWith('fido2combinationconfiguration') && (c.allowedAAGUIDs ?? []).length > 0,
  );
  const inHand = new Set(usableMfaMethods(ctx));
  const fido2Allowed = (): boolean => {
    const keys = ctx.input.user.methods.filter((m) => methodKind(m) === 'fido2' && inHand.has(m));
    if (!fido2Restriction) return keys.length > 0;
    return keys.some((k) => includesId(fido2Restriction.allowedAAGUIDs ?? [], String(k.aaGuid ?? '')));
  };
  return strength.allowedCombinations.some((combination) => {
    const needed = combinationModes(combination);
    if (!needed.every((m) => modes.has(m))) return false;
    return !needed.includes('fido2') || fido2Allowed();
  });
}

// ---------------------------------------------------------------- Conditional Access

/** How a CA policy reaches passkey registration: every resource, or the "register security info" action. */
export type RegistrationTarget = 'all-resources' | 'register-security-info';

export function registrationTarget(policy: ConditionalAccessPolicy): RegistrationTarget | undefined {
  const apps = policy.conditions?.applications;
  if (!apps) return undefined;
  if ((apps.includeUserActions ?? []).some((a) => a.toLowerCase() === REGISTER_SECURITY_INFO_ACTION)) return 'register-security-info';
  const all = (apps.includeApplications ?? []).some((a) => a.toLowerCase() === 'all');
  // Excluding the Authenticator Credential Registration app is the documented way out for Authenticator.
  if (all && !includesId(apps.excludeApplications ?? [], AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID)) return 'all-resources';
  return undefined;
}

/** Users, groups and roles: exclusion wins. */
export function caPolicyCoversUser(ctx: RuleContext, policy: ConditionalAccessPolicy): boolean {
  const users = policy.conditions?.users;
  if (!users) return false;
  const { user, groupIds, directoryRoleTemplateIds } = ctx.input.user;
  const isGuest = user.userType === 'Guest';
  const listsUser = (ids: readonly string[] | undefined) =>
    includesId(ids ?? [], user.id) || (isGuest && includesId(ids ?? [], 'GuestsOrExternalUsers'));
  const listsGroup = (ids: readonly string[] | undefined) => (ids ?? []).some((g) => includesId(groupIds, g));
  const listsRole = (ids: readonly string[] | undefined) => (ids ?? []).some((r) => includesId(directoryRoleTemplateIds, r));
  const excluded =
    listsUser(users.excludeUsers) ||
    listsGroup(users.excludeGroups) ||
    listsRole(users.excludeRoles) ||
    (isGuest && users.excludeGuestsOrExternalUsers != null);
  if (excluded) return false;
  return (
    includesId(users.includeUsers ?? [], 'All') ||
    listsUser(users.includeUsers) ||
    listsGroup(users.includeGroups) ||
    listsRole(users.includeRoles) ||
    (isGuest && users.includeGuestsOrExternalUsers != null)
  );
}

/**
 * The computers a cross-device registration is judged for when the OS is unknown: Windows and
 * macOS (Linux registers too, but a policy scoped to Windows and macOS is how "all computers" is
 * usually written; a Linux computer is learned from Intune or the sign-in log).
 */
const DESKTOP_PLATFORMS = ['windows', 'macOS'];

/**
 * Does the platform condition cover the device holding the registration
 * session (the phone, or the computer in cross-device registration)? With an
 * unknown platform, only if it covers every candidate.
 */
export function caPlatformsCover(ctx: RuleContext, policy: ConditionalAccessPolicy): boolean {
  const platforms = policy.conditions?.platforms;
  const include = (platforms?.includePlatforms ?? []).map((p) => p.toLowerCase());
  const exclude = (platforms?.excludePlatforms ?? []).map((p) => p.toLowerCase());
  if (include.length === 0 && exclude.length === 0) return true;
  const covers = (platform: string) => {
    const name = platform.toLowerCase();
    return (include.length === 0 || include.includes('all') || include.includes(name)) && !exclude.includes(name) && !exclude.includes('all');
  };
  if (ctx.session === 'computer') return ctx.computer.platform ? covers(ctx.computer.platform) : DESKTOP_PLATFORMS.every(covers);
  return candidatePlatforms(ctx).every(covers);
}

/** Does the client-app condition cover the flow (Authenticator app = mobile app; cross-device = browser)? */
export function caClientAppsCover(ctx: RuleContext, policy: ConditionalAccessPolicy): boolean {
  const types = (policy.conditions?.clientAppTypes ?? []).map((t) => t.toLowerCase());
  if (types.length === 0 || types.includes('all')) return true;
  const registration = ctx.input.answers.registration;
  const flows = registration === 'cross-device' ? ['browser'] : registration === 'same-device' ? ['mobileappsanddesktopclients'] : ['browser', 'mobileappsanddesktopclients'];
  return flows.every((f) => types.includes(f));
}

/** Is the location condition absent (or "any location" with no exclusions)? */
export function caLocationsUnconditioned(policy: ConditionalAccessPolicy): boolean {
  const locations = policy.conditions?.locations;
  if (!locations) return true;
  const include = (locations.includeLocations ?? []).map((l) => l.toLowerCase());
  const exclude = locations.excludeLocations ?? [];
  return exclude.length === 0 && (include.length === 0 || include.includes('all'));
}

/** Conditions we can't evaluate (risk, device filters, flows): such a policy is never assumed to apply. */
function caHasUnknowableConditions(policy: ConditionalAccessPolicy): boolean {
  const c = policy.conditions;
  if (!c) return false;
  const nonEmpty = (list: readonly unknown[] | undefined | null) => (list ?? []).length > 0;
  const riskLevels = (list: readonly string[] | undefined | null) => (list ?? []).some((l) => l !== 'none');
  return (
    riskLevels(c.signInRiskLevels) ||
    riskLevels(c.userRiskLevels) ||
    nonEmpty(c.servicePrincipalRiskLevels) ||
    c.insiderRiskLevels != null ||
    c.devices?.deviceFilter != null ||
    c.authenticationFlows != null
  );
}

export interface ApplicablePolicy {
  policy: ConditionalAccessPolicy;
  target: RegistrationTarget;
}

/**
 * The enabled CA policies that certainly apply to this user's passkey
 * registration. Report-only and disabled policies never apply. Location
 * conditions can't be known; `ignoreLocations` lets the location rule look
 * at them, otherwise a location-conditioned policy is not assumed to apply.
 */
export function applicableCaPolicies(ctx: RuleContext, options: { ignoreLocations?: boolean } = {}): ApplicablePolicy[] {
  const result: ApplicablePolicy[] = [];
  for (const policy of ctx.input.tenant.conditionalAccessPolicies) {
    if (policy.state !== 'enabled') continue;
    const target = registrationTarget(policy);
    if (!target) continue;
    if (!caPolicyCoversUser(ctx, policy)) continue;
    if (!caPlatformsCover(ctx, policy) || !caClientAppsCover(ctx, policy)) continue;
    if (caHasUnknowableConditions(policy)) continue;
    if (!options.ignoreLocations && !caLocationsUnconditioned(policy)) continue;
    result.push({ policy, target });
  }
  return result;
}

export function policyLabel(policy: ConditionalAccessPolicy): string {
  return `"${policy.displayName ?? policy.id}"`;
}

// ---------------------------------------------------------------- grant controls

/** Can the session device (phone, or computer for cross-device) satisfy "Require device to be marked as compliant"? */
export function deviceCompliance(ctx: RuleContext): Tri {
  if (ctx.session === 'computer') return ctx.computer.compliance;
  if (ctx.device === undefined) return 'unknown';
  if (ctx.device === 'other') return 'no';
  const state = ctx.device.complianceState;
  if (state === undefined || state === null) return 'unknown';
  return state === 'compliant' || state === 'inGracePeriod' ? 'yes' : 'no';
}

export type GrantElement =
  | { kind: 'control'; control: string }
  | { kind: 'strength'; strength: ResolvedStrength | undefined };

export function grantElements(policy: ConditionalAccessPolicy): GrantElement[] {
  const grant = policy.grantControls;
  if (!grant) return [];
  const elements: GrantElement[] = (grant.builtInControls ?? []).map((control) => ({ kind: 'control', control }));
  if ((grant.termsOfUse ?? []).length > 0) elements.push({ kind: 'control', control: 'termsOfUse' });
  if ((grant.customAuthenticationFactors ?? []).length > 0) elements.push({ kind: 'control', control: 'custom' });
  return elements;
}

/** Can the person satisfy one grant element while registering in Authenticator? */
export function elementSatisfiable(ctx: RuleContext, element: GrantElement): Tri {
  if (element.kind === 'strength') {
    if (!element.strength) return 'unknown';
    return userSatisfiesStrength(ctx, element.strength) || strengthAllowsTap(element.strength) ? 'yes' : 'no';
  }
  switch (element.control) {
    case 'mfa':
    case 'passwordChange':
    case 'termsOfUse':
      // MFA is reachable with a TAP; missing MFA has its own finding.
      return 'yes';
    case 'compliantDevice':
      return deviceCompliance(ctx);
    case 'approvedApplication':
    case 'compliantApplication':
      // Authenticator can't be an approved client app or carry app protection; on the
      // computer's browser (cross-device) the outcome isn't ours to predict.
      return ctx.session === 'computer' ? 'unknown' : 'no';
    case 'domainJoinedDevice':
      // A phone is never hybrid joined; a computer may be (the directory read doesn't say).
      return ctx.session === 'computer' ? 'unknown' : 'no';
    case 'block':
      return 'no';
    default:
      return 'unknown';
  }
}

/** All grant elements of a policy, the authentication strength included. */
export function allGrantElements(ctx: RuleContext, policy: ConditionalAccessPolicy): GrantElement[] {
  const elements = grantElements(policy);
  if (policy.grantControls?.authenticationStrength) {
    elements.push({ kind: 'strength', strength: resolveStrength(ctx, policy.grantControls) });
  }
  return elements;
}

/**
 * Does this element, certainly, make the policy block the person? With "require
 * all" the element itself must be unsatisfiable; with "require one" every
 * element must be.
 */
export function elementBlocks(ctx: RuleContext, policy: ConditionalAccessPolicy, isFocus: (e: GrantElement) => boolean): boolean {
  const elements = allGrantElements(ctx, policy);
  const focus = elements.filter(isFocus);
  if (focus.length === 0) return false;
  const requireOne = (policy.grantControls?.operator ?? 'OR').toUpperCase() === 'OR' && elements.length > 1;
  if (requireOne) return elements.every((e) => elementSatisfiable(ctx, e) === 'no');
  return focus.some((e) => elementSatisfiable(ctx, e) === 'no');
}

/** Strength requirements (from applicable policies) that the user's methods don't meet today. */
export function unmetStrengths(ctx: RuleContext): Array<{ policy: ConditionalAccessPolicy; strength: ResolvedStrength }> {
  const unmet: Array<{ policy: ConditionalAccessPolicy; strength: ResolvedStrength }> = [];
  const applicable = applicableCaPolicies(ctx);
  // Learn ("How authentication strength works"): a strength on the Register security information
  // user action is preferred over an All-resources strength during registration.
  const registrationStrength = applicable.some(({ policy, target }) => target === 'register-security-info' && policy.grantControls?.authenticationStrength);
  for (const { policy, target } of applicable) {
    if (registrationStrength && target === 'all-resources') continue;
    const strength = resolveStrength(ctx, policy.grantControls);
    if (!strength || userSatisfiesStrength(ctx, strength)) continue;
    unmet.push({ policy, strength });
  }
  return unmet;
}

/** A TAP-accepting strength the user can't meet yet: a TAP is the way in. */
export function strengthNeedsTap(ctx: RuleContext): boolean {
  return unmetStrengths(ctx).some(({ strength }) => strengthAllowsTap(strength));
}

// ---------------------------------------------------------------- what the person needs

/** The person has no way to complete MFA (before any TAP). */
export function hasNoMfa(ctx: RuleContext): boolean {
  return mfaMethods(ctx).length === 0;
}

/**
 * Does the person need a (new) TAP to register? Yes when they have no usable
 * TAP and: no MFA at all, or all their MFA was on a lost phone, or a
 * TAP-accepting strength asks for more than they have.
 */
export function needsTap(ctx: RuleContext): boolean {
  if (tapState(ctx).kind === 'usable') return false;
  return hasNoMfa(ctx) || lostAllMfa(ctx) || strengthNeedsTap(ctx);
}

/** Does the TAP policy force one-time passes? Then no advice may ask for a multi-use pass. */
export function tapPolicyOneTimeOnly(ctx: RuleContext): boolean {
  return methodConfiguration(ctx, 'TemporaryAccessPass')?.isUsableOnce === true;
}

export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC') : 'an unknown time';
}
