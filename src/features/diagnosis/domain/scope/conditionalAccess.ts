/**
 * Conditional Access on the registration path: which policies apply to this person and session device, and whether their grant controls can be met.
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import {
  AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID,
  type ConditionalAccessPolicy,
} from '../../../../directory/facts';
import { REGISTER_SECURITY_INFO_ACTION, type RuleContext, type Tri, candidatePlatforms, includesId } from './context';
import { type ResolvedStrength, resolveStrength, strengthAllowsTap, userSatisfiesStrength } from './strengths';

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
