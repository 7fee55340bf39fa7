/**
 * A person's status: their methods in plain words, the overall verdict and the
 * single next step. Shape = the `status --json` contract (docs/status.md).
 */
import { type TenantFacts, type UserFacts } from '../../../directory/facts';
import { MFA_CAPABLE_METHOD_TYPES, classifyUserMethods, isAuthenticatorPasskey, temporaryAccessPassActiveUntil, type ClassifiedMethod, type MethodType } from '../../../directory/methods';

/** Public contract: the `nextStep.id` values (docs/status.md). */
export const NEXT_STEP_IDS = [
  'account-disabled',
  'guest-account',
  'done',
  'use-tap-to-add-passkey',
  'add-passkey',
  'get-mfa-first',
] as const;
export type NextStepId = (typeof NEXT_STEP_IDS)[number];

export interface NextStep {
  id: NextStepId;
  text: string;
}

export interface PersonalStatus {
  user: { id: string; displayName: string | null; userPrincipalName: string | null };
  methods: ClassifiedMethod[];
  phishingResistant: boolean;
  passkeyInAuthenticator: boolean;
  /** ISO end of an active, usable TAP (start + lifetime); never its value. */
  tapActiveUntil: string | null;
  nextStep: NextStep;
}


export function personalStatus(input: { user: UserFacts; tenant?: TenantFacts; now: Date }): PersonalStatus {
  const { user, tenant, now } = input;
  const methods = classifyUserMethods(user, tenant, now);
  const phishingResistant = methods.some((method) => method.phishingResistant);
  const passkeyInAuthenticator = user.methods.some(isAuthenticatorPasskey);
  const tapEnds = user.methods
    .map((method) => temporaryAccessPassActiveUntil(method, now))
    .filter((end): end is Date => end !== null)
    .sort((a, b) => b.getTime() - a.getTime());
  const tapActiveUntil = tapEnds.length > 0 ? tapEnds[0] : null;

  return {
    user: {
      id: user.user.id,
      displayName: user.user.displayName ?? null,
      userPrincipalName: user.user.userPrincipalName ?? null,
    },
    methods,
    phishingResistant,
    passkeyInAuthenticator,
    tapActiveUntil: tapActiveUntil ? tapActiveUntil.toISOString() : null,
    nextStep: nextStepFor({ user, methods, passkeyInAuthenticator, tapActiveUntil }),
  };
}

function nextStepFor(facts: {
  user: UserFacts;
  methods: ClassifiedMethod[];
  passkeyInAuthenticator: boolean;
  tapActiveUntil: Date | null;
}): NextStep {
  const { user, methods, passkeyInAuthenticator, tapActiveUntil } = facts;
  if (!user.user.accountEnabled) {
    return { id: 'account-disabled', text: 'Your account is disabled, so nothing can be added to it. Please contact the helpdesk.' };
  }
  if ((user.user.userType ?? '').toLowerCase() === 'guest') {
    return {
      id: 'guest-account',
      text: 'You use a guest account here: set up your passkey with your own organisation, then sign in here with that account.',
    };
  }
  if (passkeyInAuthenticator) {
    return {
      id: 'done',
      text: "You're done — sign in with your passkey: choose 'Face, fingerprint, PIN or security key' (or 'Sign-in options') and approve with Microsoft Authenticator on your phone.",
    };
  }
  const strongest = methods.find((method) => method.phishingResistant);
  if (strongest) return { id: 'done', text: doneText(strongest.type) };
  if (tapActiveUntil) {
    return {
      id: 'use-tap-to-add-passkey',
      text: `Use your Temporary Access Pass (valid until ${formatUtc(tapActiveUntil)}) to add a passkey in Microsoft Authenticator now.`,
    };
  }
  if (methods.some((method) => MFA_CAPABLE_METHOD_TYPES.has(method.type))) {
    return { id: 'add-passkey', text: 'Add a passkey in Microsoft Authenticator.' };
  }
  return {
    id: 'get-mfa-first',
    text: 'You have no sign-in method that can verify you yet: request a Temporary Access Pass, then add a passkey in Microsoft Authenticator with it.',
  };
}

function doneText(type: MethodType): string {
  switch (type) {
    case 'windowsHelloForBusiness':
      return "You're done — sign in with Windows Hello (face, fingerprint or PIN) on your Windows PC. A passkey in Microsoft Authenticator would also cover your phone.";
    case 'platformCredential':
      return "You're done — sign in with your Mac's platform credential (Touch ID or your Mac password). A passkey in Microsoft Authenticator would also cover your phone.";
    case 'x509Certificate':
      return "You're done — sign in with your certificate or smart card.";
    default:
      return "You're done — sign in with your passkey: choose 'Face, fingerprint, PIN or security key' (or 'Sign-in options') and use your security key or passkey.";
  }
}

/** "2025-03-01 14:30 UTC": unambiguous for a reader in any time zone. */
function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
