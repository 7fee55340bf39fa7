import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';
import { pastedFor } from '../evidence';

const id = 'external-user';
const source = LEARN_PAGES.enablePasskeyFido2KnownIssues;

/** Issuers of identities that live outside this tenant (Learn: "Properties of a B2B guest user"). */
const EXTERNAL_ISSUERS = new Set(['externalazuread', 'microsoftaccount', 'mail', 'google.com', 'facebook.com']);

/**
 * A B2B collaboration user who is a *Member* by userType (guests are
 * `guest-account`): invited (externalUserState, creationType "Invitation"),
 * an #EXT# UPN, or an identity issued elsewhere. Passkey registration isn't
 * supported for B2B collaboration users in the resource tenant.
 */
export const externalUser: Rule = {
  id,
  source,
  evaluate(ctx) {
    const user = ctx.input.user.user;
    if (user.userType === 'Guest') return null;
    const signs: string[] = [];
    if (user.externalUserState) signs.push(`its external user state is "${user.externalUserState}"`);
    if ((user.creationType ?? '').toLowerCase() === 'invitation') signs.push('it was created by an invitation');
    if (/#EXT#/i.test(user.userPrincipalName ?? '')) signs.push('its sign-in name carries #EXT#');
    const issuers = (user.identities ?? []).map((i) => (i.issuer ?? '').toLowerCase()).filter((i) => EXTERNAL_ISSUERS.has(i));
    if (issuers.length > 0) signs.push('it signs in with an identity from another organization or provider');
    const evidence = pastedFor(ctx.evidence, id, ctx.input.answers.errorText);
    if (signs.length === 0) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'External (B2B) accounts cannot register a passkey here',
      userTitle: "Accounts from another organization can't add a passkey here",
      userText: 'Your account here belongs to another organization. A passkey for it has to come from that organization.',
      detail: `This account belongs to someone from another organization (${signs.join('; ')}), even though it is listed as a member. Microsoft Entra ID does not support registering passkeys (FIDO2) for B2B collaboration users in the resource tenant.`,
      userFix: 'Set up the passkey with your home organization (the one that issued your account) and sign in here with that account.',
      adminFix:
        'No passkey policy setting changes this. To accept the person\'s strong sign-in from home, trust their tenant\'s MFA: Microsoft Entra admin center > Entra ID > External Identities > Cross-tenant access settings > (the organization) > Inbound access > Trust settings. If the person should be an employee account, create an internal account instead of the invited one.',
      ...(evidence.length > 0 ? { evidence } : {}),
    };
  },
};
