/**
 * The error catalogue: AADSTS codes and the message texts people see, each
 * mapped to the finding it stands for and the Microsoft Learn page that says
 * what it means. A code from a sign-in log, or one pasted by the person,
 * becomes evidence for that finding; an unknown AADSTS code becomes
 * `signin-failure` quoting it. Pure.
 */
import { LEARN_PAGES, type FindingId } from './rule';

export interface CatalogueEntry {
  /** The AADSTS number as text ("53003"), or a key for a message text ("tap-policy-block"). */
  code: string;
  /** What it means, in our words. */
  meaning: string;
  finding: FindingId;
  /** The Learn page that documents the code or text. */
  source: string;
}

const CODES = LEARN_PAGES.errorCodes;

/** AADSTS codes (Learn: "Microsoft Entra authentication and authorization error codes", plus the topic page). */
export const ERROR_CODES: readonly CatalogueEntry[] = [
  { code: '50005', meaning: 'a Conditional Access policy does not allow the device platform used', finding: 'ca-blocks-registration', source: CODES },
  { code: '50053', meaning: 'the account is locked after too many sign-in attempts (or the sign-in came from a known-malicious IP address)', finding: 'signin-failure', source: CODES },
  { code: '50057', meaning: 'the account is disabled', finding: 'account-disabled', source: CODES },
  { code: '50072', meaning: 'the person must enroll in multifactor authentication first', finding: 'no-mfa-for-registration', source: CODES },
  { code: '50074', meaning: 'strong authentication (MFA) was required and not completed', finding: 'signin-failure', source: CODES },
  { code: '50076', meaning: 'multifactor authentication was required and not completed', finding: 'signin-failure', source: CODES },
  { code: '50079', meaning: 'the person must register for multifactor authentication', finding: 'no-mfa-for-registration', source: CODES },
  { code: '50097', meaning: 'device authentication is required (a registered device)', finding: 'ca-blocks-registration', source: CODES },
  { code: '50158', meaning: 'an external security challenge (terms of use or a third-party MFA) was not satisfied', finding: 'signin-failure', source: CODES },
  { code: '53000', meaning: 'the device is not compliant, and Conditional Access requires a compliant device', finding: 'compliant-device-required', source: LEARN_PAGES.caGrant },
  { code: '53001', meaning: 'the device is not domain-joined (Microsoft Entra hybrid joined), and Conditional Access requires it', finding: 'ca-blocks-registration', source: LEARN_PAGES.caGrant },
  { code: '53002', meaning: 'the app used is not an approved client app (or lacks app protection), and Conditional Access requires one', finding: 'approved-app-required', source: LEARN_PAGES.caGrant },
  { code: '53003', meaning: 'access was blocked by a Conditional Access policy', finding: 'ca-blocks-registration', source: LEARN_PAGES.caTroubleshoot },
  { code: '53004', meaning: 'security-info registration (proof-up) was blocked because of user or sign-in risk', finding: 'risk-blocks-registration', source: LEARN_PAGES.riskPolicies },
  { code: '53010', meaning: 'security info can only be set up from specific locations or devices (Conditional Access on "Register security information")', finding: 'register-security-info-restricted', source: LEARN_PAGES.registrationPolicy },
  { code: '530004', meaning: 'Conditional Access requires a compliant device, which a guest cannot present from this tenant', finding: 'external-user', source: CODES },
  { code: '530032', meaning: 'the sign-in was blocked by a tenant security policy', finding: 'ca-blocks-registration', source: CODES },
  { code: '530035', meaning: 'the sign-in was blocked by security defaults', finding: 'signin-failure', source: CODES },
  { code: '135011', meaning: 'the device used for the sign-in is disabled in the directory', finding: 'signin-failure', source: CODES },
];

/** Message texts (no code) the person sees, matched in any case. */
export const ERROR_TEXTS: ReadonlyArray<CatalogueEntry & { pattern: RegExp }> = [
  {
    code: 'tap-policy-block',
    pattern: /temporary access pass sign[- ]?in was blocked due to user credential policy/i,
    meaning: 'the Temporary Access Pass was refused by the TAP policy (not in the policy, a multi-use pass under a one-time policy, or a one-time pass already used)',
    finding: 'tap-not-usable-under-policy',
    source: LEARN_PAGES.temporaryAccessPass,
  },
  {
    code: 'passkey-already-exists',
    pattern: /passkey\b.*\balready exists|already exists\b.*\bpasskey/i,
    meaning: 'Authenticator still holds a passkey that was never registered with Microsoft Entra ID',
    finding: 'orphaned-local-passkey',
    source: `${LEARN_PAGES.registerAuthenticatorPasskey}#troubleshooting`,
  },
];

const BY_CODE = new Map(ERROR_CODES.map((entry) => [entry.code, entry]));

export function catalogueEntry(code: string | number): CatalogueEntry | undefined {
  return BY_CODE.get(String(code).replace(/^AADSTS/i, ''));
}

/** AADSTS codes quoted in a text ("AADSTS53003", "error 53003"), in order, without repeats. */
export function aadstsCodesIn(text: string): string[] {
  const codes: string[] = [];
  for (const match of text.matchAll(/\bAADSTS(\d{5,7})\b|\b(?:error|code|fehler|erreur)\s*:?\s*(\d{5,7})\b/gi)) {
    const code = match[1] ?? match[2];
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

export interface TextMatch {
  /** The AADSTS code, or the text entry's key. */
  code: string;
  entry: CatalogueEntry | undefined;
}

/** What a pasted error says: catalogued texts and every AADSTS code (unknown codes with no entry). */
export function matchErrorText(text: string): TextMatch[] {
  const matches: TextMatch[] = ERROR_TEXTS.filter((entry) => entry.pattern.test(text)).map((entry) => ({ code: entry.code, entry }));
  for (const code of aadstsCodesIn(text)) matches.push({ code, entry: catalogueEntry(code) });
  return matches;
}
