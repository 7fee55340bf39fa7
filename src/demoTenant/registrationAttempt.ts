/**
 * POST /_demo/users/{id|upn}/attemptRegistration: plays a person trying to
 * register a passkey and writes what Entra would log. The tenant's
 * Conditional Access policies are evaluated for the device that holds the
 * registration session (the phone for same-device, the computer for
 * cross-device), the way Entra does for the "Microsoft Authenticator
 * Credential Registration" app (same-device) or My Sign-ins (cross-device):
 *   - users (including groups and roles), applications (All resources, or the
 *     Register security information user action), platforms, locations
 *     (trusted / untrusted), and risk (the fixture user's `riskLevel`);
 *   - grants: block, compliant device, hybrid-joined device, approved app
 *     (never met by Authenticator), MFA and strengths (met: the person signs in);
 *   - report-only policies are recorded as reportOnly* and never block.
 * A blocked attempt appends a failed signIn (AADSTS code and the failing
 * policies); an unblocked one appends a successful signIn, the audit trail
 * ("User started security info registration", "Get passkey creation options",
 * "Add Passkey (device-bound)", "User registered security info") and the passkey.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID } from '../directory/facts';
import type { FixtureConditionalAccessPolicy, FixtureLogEntry, FixtureUser } from './fixture';
import type { TenantState } from './state';

export const AttemptSchema = z
  .object({
    platform: z.enum(['ios', 'android']),
    path: z.enum(['same-device', 'cross-device']),
    computer: z.object({ compliant: z.boolean(), os: z.string().min(1).max(40) }).strict().optional(),
    location: z.enum(['trusted', 'untrusted']),
  })
  .strict();
export type Attempt = z.infer<typeof AttemptSchema>;

/** My Sign-ins, where cross-device registration's Security info page runs. */
const MY_SIGNINS_APP_ID = '19db86c3-b2b9-44cc-b339-36da233a3be2';

interface Session {
  platform: string; // CA platform name
  os: string;
  compliant: boolean;
  isComputer: boolean;
  appId: string;
  appDisplayName: string;
}

function sessionOf(state: TenantState, user: FixtureUser, attempt: Attempt): Session {
  if (attempt.path === 'cross-device') {
    const os = attempt.computer?.os ?? 'Windows';
    const name = os.toLowerCase();
    const platform = name.startsWith('mac') ? 'macos' : name.startsWith('linux') ? 'linux' : 'windows';
    return { platform, os, compliant: attempt.computer?.compliant ?? false, isComputer: true, appId: MY_SIGNINS_APP_ID, appDisplayName: 'My Signins' };
  }
  const phone = state.managedDevices(user.id).find((d) => (d.operatingSystem ?? '').toLowerCase().startsWith(attempt.platform === 'ios' ? 'ios' : 'android'));
  const compliant = phone !== undefined && ['compliant', 'inGracePeriod'].includes(String(phone.complianceState));
  return {
    platform: attempt.platform,
    os: attempt.platform === 'ios' ? 'Ios' : 'Android',
    compliant,
    isComputer: false,
    appId: AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID,
    appDisplayName: 'Microsoft Authenticator Credential Registration',
  };
}

type Conditions = {
  users?: { includeUsers?: string[]; excludeUsers?: string[]; includeGroups?: string[]; excludeGroups?: string[]; includeRoles?: string[]; excludeRoles?: string[] };
  applications?: { includeApplications?: string[]; excludeApplications?: string[]; includeUserActions?: string[] };
  platforms?: { includePlatforms?: string[]; excludePlatforms?: string[] } | null;
  locations?: { includeLocations?: string[]; excludeLocations?: string[] } | null;
  userRiskLevels?: string[];
  signInRiskLevels?: string[];
};

const lower = (list: readonly string[] | undefined) => (list ?? []).map((v) => v.toLowerCase());

function applies(state: TenantState, user: FixtureUser, policy: FixtureConditionalAccessPolicy, session: Session, attempt: Attempt): boolean {
  const c = policy.conditions as Conditions;
  const groups = new Set(state.transitiveGroupIds(user.id));
  const roles = new Set(state.roleTemplateIds(user.id));
  const u = c.users ?? {};
  const listed = (ids: string[] | undefined, set: Set<string>) => (ids ?? []).some((id) => set.has(id));
  if ((u.excludeUsers ?? []).includes(user.id) || listed(u.excludeGroups, groups) || listed(u.excludeRoles, roles)) return false;
  const included = lower(u.includeUsers).includes('all') || (u.includeUsers ?? []).includes(user.id) || listed(u.includeGroups, groups) || listed(u.includeRoles, roles);
  if (!included) return false;
  const apps = c.applications ?? {};
  const registersInfo = lower(apps.includeUserActions).includes('urn:user:registersecurityinfo');
  const allApps = lower(apps.includeApplications).includes('all') && !lower(apps.excludeApplications).includes(session.appId);
  if (!registersInfo && !allApps && !lower(apps.includeApplications).includes(session.appId)) return false;
  const include = lower(c.platforms?.includePlatforms);
  const exclude = lower(c.platforms?.excludePlatforms);
  if (include.length > 0 && !(include.includes('all') || include.includes(session.platform))) return false;
  if (exclude.includes(session.platform) || exclude.includes('all')) return false;
  const locations = c.locations;
  if (locations) {
    const inc = lower(locations.includeLocations);
    const exc = lower(locations.excludeLocations);
    const trusted = attempt.location === 'trusted';
    const matches = (list: string[]) => list.includes('all') || (trusted && list.includes('alltrusted'));
    if (inc.length > 0 && !matches(inc)) return false;
    if (exc.length > 0 && matches(exc)) return false;
  }
  const risk = String((user as Record<string, unknown>).riskLevel ?? 'none').toLowerCase();
  const riskLevels = [...lower(c.userRiskLevels), ...lower(c.signInRiskLevels)].filter((l) => l !== 'none');
  if (riskLevels.length > 0 && !riskLevels.includes(risk)) return false;
  return true;
}

/** The AADSTS code of an unmet grant, or 0 when the grant is met. */
function grantOutcome(policy: FixtureConditionalAccessPolicy, session: Session): { code: number; controls: string[] } {
  const c = policy.conditions as Conditions;
  const grant = (policy.grantControls ?? {}) as { operator?: string; builtInControls?: string[]; authenticationStrength?: unknown };
  const controls = grant.builtInControls ?? [];
  const risky = [...lower(c.userRiskLevels), ...lower(c.signInRiskLevels)].some((l) => l !== 'none');
  const outcomes = controls.map((control) => {
    switch (control) {
      case 'block':
        return risky ? 53004 : 53003;
      case 'compliantDevice':
        return session.compliant ? 0 : 53000;
      case 'domainJoinedDevice':
        return 53001;
      case 'approvedApplication':
      case 'compliantApplication':
        return session.isComputer ? 0 : 53002;
      default:
        return 0; // mfa, passwordChange, terms of use: the person completes them while signing in
    }
  });
  if (grant.authenticationStrength) outcomes.push(0);
  const names = controls.map((control) => ({ block: 'Block', compliantDevice: 'RequireCompliantDevice', domainJoinedDevice: 'RequireDomainJoinedDevice', approvedApplication: 'RequireApprovedApp', compliantApplication: 'RequireCompliantApp', mfa: 'Mfa' })[control] ?? control);
  if (outcomes.length === 0) return { code: 0, controls: names };
  const requireAll = (grant.operator ?? 'OR').toUpperCase() === 'AND';
  const failing = outcomes.filter((o) => o !== 0);
  const met = requireAll ? failing.length === 0 : outcomes.some((o) => o === 0);
  return { code: met ? 0 : failing[0], controls: names };
}

export interface AttemptOutcome {
  result: 'registered' | 'blocked';
  errorCode: number;
  signIn: FixtureLogEntry;
  directoryAudits: FixtureLogEntry[];
}

/** Evaluates the attempt, appends the log entries; `register` adds the passkey when nothing blocks. */
export function attemptRegistration(state: TenantState, user: FixtureUser, attempt: Attempt, now: Date, register: () => void): AttemptOutcome {
  const session = sessionOf(state, user, attempt);
  let errorCode = 0;
  const applied = state.conditionalAccessPolicies
    .filter((policy) => policy.state === 'enabled' || policy.state === 'enabledForReportingButNotEnforced')
    .map((policy) => {
      const reportOnly = policy.state !== 'enabled';
      const prefix = reportOnly ? 'reportOnly' : '';
      const name = (result: string) => (reportOnly ? `${prefix}${result[0].toUpperCase()}${result.slice(1)}` : result);
      if (!applies(state, user, policy, session, attempt)) return { id: policy.id, displayName: policy.displayName ?? policy.id, enforcedGrantControls: [], enforcedSessionControls: [], result: name('notApplied') };
      const outcome = grantOutcome(policy, session);
      if (outcome.code !== 0 && !reportOnly && errorCode === 0) errorCode = outcome.code;
      return { id: policy.id, displayName: policy.displayName ?? policy.id, enforcedGrantControls: outcome.controls, enforcedSessionControls: [], result: name(outcome.code === 0 ? 'success' : 'failure') };
    });
  const at = now.toISOString();
  const signIn: FixtureLogEntry = {
    id: randomUUID(),
    createdDateTime: at,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName ?? null,
    appId: session.appId,
    appDisplayName: session.appDisplayName,
    isInteractive: true,
    clientAppUsed: session.isComputer ? 'Browser' : 'Mobile Apps and Desktop clients',
    correlationId: randomUUID(),
    ipAddress: attempt.location === 'trusted' ? '10.20.30.40' : '203.0.113.77',
    conditionalAccessStatus: errorCode === 0 ? (applied.some((p) => p.result === 'success') ? 'success' : 'notApplied') : 'failure',
    status: { errorCode, failureReason: errorCode === 0 ? null : FAILURE_REASONS[errorCode] ?? 'Access has been blocked by Conditional Access policies.', additionalDetails: null },
    deviceDetail: { deviceId: '', displayName: null, operatingSystem: session.os, browser: session.isComputer ? 'Edge 131.0.0' : null, isCompliant: session.compliant, isManaged: session.compliant, trustType: null },
    location: attempt.location === 'trusted' ? { city: 'Redmond', countryOrRegion: 'US' } : { city: 'Lisbon', countryOrRegion: 'PT' },
    appliedConditionalAccessPolicies: applied,
  };
  state.signIns.push(signIn);
  const audits: FixtureLogEntry[] = [];
  if (errorCode === 0) {
    register();
    const audit = (activityDisplayName: string, loggedByService: string, offsetMs: number) => ({
      id: randomUUID(),
      category: 'UserManagement',
      correlationId: signIn.correlationId,
      result: 'success',
      resultReason: '',
      activityDisplayName,
      activityDateTime: new Date(now.getTime() + offsetMs).toISOString(),
      loggedByService,
      operationType: 'Add',
      initiatedBy: { user: { id: user.id, userPrincipalName: user.userPrincipalName } },
      targetResources: [{ id: user.id, type: 'User', userPrincipalName: user.userPrincipalName }],
    });
    audits.push(
      audit('User started security info registration', 'Authentication Methods', 0),
      audit('Get passkey creation options', 'Authentication Methods', 1000),
      audit('Add Passkey (device-bound)', 'Device Registration Service', 2000),
      audit('User registered security info', 'Authentication Methods', 3000),
    );
    state.directoryAudits.push(...audits);
  }
  return { result: errorCode === 0 ? 'registered' : 'blocked', errorCode, signIn, directoryAudits: audits };
}

const FAILURE_REASONS: Record<number, string> = {
  53000: 'Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant.',
  53001: 'Device is not in required device state: domain joined.',
  53002: 'Application used for the sign in is not an approved app for Conditional Access.',
  53003: 'Access has been blocked by Conditional Access policies.',
  53004: 'Proof up is blocked due to suspicious activity.',
};
