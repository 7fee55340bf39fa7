/**
 * What a rule is, the finding catalog (public ids, in the order findings are
 * shown), and the admin-center paths and links the fixes cite.
 */
import type { AnswerKey, Finding } from '../../../directory/facts';
import type { RuleContext } from './scope/context';

export type { RuleContext } from './scope/context';

/**
 * Finding ids: a public contract (docs/diagnosis.md). The order is the order
 * of what must happen first: account → passkey policy → MFA/TAP bootstrap →
 * Conditional Access → phone/OS → app setup → information.
 */
export const FINDING_IDS = [
  // account
  'account-disabled',
  'guest-account',
  'external-user',
  // passkey policy scope
  'passkey-method-disabled',
  'user-excluded-from-passkey-policy',
  'user-not-in-passkey-policy',
  'self-service-registration-disabled',
  'passkey-profile-excludes-authenticator',
  'authenticator-aaguid-not-allowed',
  'attestation-blocks-cross-device',
  'legacy-policy-migration-incomplete',
  // MFA / TAP bootstrap
  'no-mfa-for-registration',
  'lost-device',
  'tap-method-disabled',
  'user-not-in-tap-policy',
  'tap-one-time-used',
  'tap-expired',
  'tap-one-time-policy',
  'tap-not-usable-under-policy',
  // Conditional Access
  'risk-blocks-registration',
  'ca-blocks-registration',
  'register-security-info-restricted',
  'strength-excludes-tap',
  'approved-app-required',
  'compliant-device-required',
  // phone and OS
  'os-version-unsupported',
  'bluetooth-required',
  // app setup
  'authenticator-not-set-up',
  'authenticator-app-outdated',
  'passkey-provider-not-enabled',
  // information
  'ready',
  'passkey-already-registered',
  'orphaned-local-passkey',
  'android-work-profile',
  'cross-device-not-recommended',
  // evidence with no more specific finding
  'signin-failure',
] as const;

export type FindingId = (typeof FINDING_IDS)[number];

/** Findings after which the bot offers "Request a Temporary Access Pass". */
export const TAP_OFFER_FINDINGS: readonly FindingId[] = ['no-mfa-for-registration', 'lost-device', 'tap-one-time-used', 'tap-expired', 'tap-not-usable-under-policy'];

/**
 * Findings that end the diagnosis: nothing else matters (or can be checked
 * meaningfully) until they're resolved.
 */
export const TERMINAL_FINDINGS: readonly FindingId[] = ['account-disabled', 'guest-account', 'external-user'];

/**
 * While one of these applies, the person's answers can't get them to a
 * passkey, so no questions are asked: a terminal finding, or any blocker only
 * an admin can lift (audience "admin"). "Check again" after the fix asks.
 */
export function stopsQuestions(finding: Finding): boolean {
  return TERMINAL_FINDINGS.includes(finding.id as FindingId) || (finding.severity === 'blocker' && finding.audience === 'admin');
}

/** What a rule returns: a finding with its plain-words title and text for the employee's card. */
export type RuleFinding = Finding & Required<Pick<Finding, 'userTitle' | 'userText'>>;

export interface Rule {
  id: FindingId;
  /** The Microsoft Learn page the rule encodes. */
  source: string;
  /** Answers the rule reads: when unknown, it doesn't fire and the question may be asked. */
  needs?: AnswerKey[];
  evaluate(ctx: RuleContext): RuleFinding | null;
}

// ---------------------------------------------------------------- sources

const LEARN = 'https://learn.microsoft.com/entra/identity';
export const LEARN_PAGES = {
  enableAuthenticatorPasskey: `${LEARN}/authentication/how-to-enable-authenticator-passkey`,
  registerAuthenticatorPasskey: `${LEARN}/authentication/how-to-register-passkey-authenticator`,
  enablePasskeysFido2: `${LEARN}/authentication/how-to-authentication-passkeys-fido2`,
  // Passkey profiles: prerequisites (Authenticator versions) and known issues (guests and B2B collaboration users).
  passkeyProfiles: `${LEARN}/authentication/how-to-authentication-passkey-profiles#prerequisites`,
  enablePasskeyFido2KnownIssues: `${LEARN}/authentication/how-to-authentication-passkey-profiles#guest-users`,
  temporaryAccessPass: `${LEARN}/authentication/howto-authentication-temporary-access-pass`,
  authenticationStrengths: `${LEARN}/authentication/concept-authentication-strengths`,
  manageMethods: `${LEARN}/authentication/how-to-authentication-methods-manage`,
  registrationPolicy: `${LEARN}/conditional-access/policy-all-users-security-info-registration`,
  howStrengthsWork: `${LEARN}/authentication/concept-authentication-strength-how-it-works`,
  caTroubleshoot: `${LEARN}/conditional-access/troubleshoot-conditional-access`,
  caGrant: `${LEARN}/conditional-access/concept-conditional-access-grant`,
  riskPolicies: 'https://learn.microsoft.com/entra/id-protection/concept-identity-protection-policies',
  errorCodes: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  signInLogs: 'https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-in-log-activity-details',
  auditActivities: 'https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities',
  externalUserProperties: 'https://learn.microsoft.com/entra/external-id/user-properties',
  userProfile: 'https://learn.microsoft.com/entra/fundamentals/how-to-manage-user-profile-info',
} as const;

// ---------------------------------------------------------------- admin-center paths and links

export const ADMIN = {
  passkeyPolicy: 'Microsoft Entra admin center > Entra ID > Authentication methods > Policies > Passkey (FIDO2)',
  tapPolicy: 'Microsoft Entra admin center > Entra ID > Authentication methods > Policies > Temporary Access Pass',
  methodsPolicies: 'Microsoft Entra admin center > Entra ID > Authentication methods > Policies',
  strengths: 'Microsoft Entra admin center > Entra ID > Authentication methods > Authentication strengths',
  caPolicies: 'Microsoft Entra admin center > Entra ID > Conditional Access > Policies',
  userMethods: 'Microsoft Entra admin center > Entra ID > Users > (the user) > Authentication methods',
  userProperties: 'Microsoft Entra admin center > Entra ID > Users > (the user) > Edit properties > Settings',
  intuneDevices: 'Microsoft Intune admin center > Devices > All devices',
} as const;

export const MY_SECURITY_INFO = 'https://aka.ms/mysecurityinfo';

/** The one-line "how to add the work account" step, shared by several fixes. */
export const ADD_WORK_ACCOUNT =
  'Open Microsoft Authenticator, tap + (Add account) > Work or school account > Sign in, and sign in with your work account';
