import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';

const id = 'guest-account';
const source = LEARN_PAGES.enablePasskeyFido2KnownIssues;

/** Passkey registration isn't supported for B2B collaboration users in the resource tenant. */
export const guestAccount: Rule = {
  id,
  source,
  evaluate(ctx) {
    if (ctx.input.user.user.userType !== 'Guest') return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Guest accounts cannot register a passkey here',
      userTitle: "Guest accounts can't add a passkey here",
      userText: 'You use this organization as a guest, with an account from your own organization. A passkey for it has to come from your own organization.',
      detail:
        'This is a guest (B2B collaboration) account. Microsoft Entra ID does not support registering passkeys (FIDO2) for B2B collaboration users in the resource tenant.',
      userFix:
        "Set up a passkey with your home organization (the one that issued your account) and sign in here with that account; this organization can't add one for you.",
      adminFix:
        'Nothing in the passkey policy can change this. If guests must use strong sign-in here, trust their home tenant\'s MFA: Microsoft Entra admin center > Entra ID > External Identities > Cross-tenant access settings > (the organization) > Inbound access > Trust settings > "Trust multifactor authentication from Microsoft Entra tenants".',
    };
  },
};
