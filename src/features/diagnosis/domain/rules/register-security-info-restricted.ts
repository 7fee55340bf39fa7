import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { applicableCaPolicies, caLocationsUnconditioned, elementBlocks, policyLabel } from '../scope/conditionalAccess';

const id = 'register-security-info-restricted';
const source = LEARN_PAGES.registrationPolicy;

/**
 * A CA policy on the "Register security information" user action that blocks
 * (outright, or outside trusted locations), or that asks outside trusted
 * locations for something the person can't give. Registering in Authenticator
 * is subject to it. A location policy that asks for MFA is no finding: a TAP
 * satisfies it anywhere.
 */
export const registerSecurityInfoRestricted: Rule = {
  id,
  source,
  needs: ['platform', 'device', 'registration'],
  evaluate(ctx) {
    const restricting = applicableCaPolicies(ctx, { ignoreLocations: true })
      .filter(({ target }) => target === 'register-security-info')
      .map(({ policy }) => policy)
      .filter((policy) => {
        const blocks = (policy.grantControls?.builtInControls ?? []).includes('block');
        if (blocks) return true;
        return !caLocationsUnconditioned(policy) && elementBlocks(ctx, policy, () => true);
      });
    if (restricting.length === 0) return null;
    const byLocation = restricting.some((p) => !caLocationsUnconditioned(p));
    const names = restricting.map(policyLabel).join(', ');
    return {
      id,
      source,
      severity: 'blocker',
      audience: byLocation ? 'user' : 'admin',
      title: byLocation ? 'You can only add security info from a trusted location' : 'Adding security info is blocked for you',
      userTitle: byLocation ? 'Add the passkey while on the office network' : 'Adding sign-in methods is blocked for you',
      userText: byLocation ? 'Your organization lets you add sign-in methods, such as a passkey, only from its own networks.' : 'Your organization stops your account from adding sign-in methods, such as a passkey.',
      detail: byLocation
        ? `Conditional Access policy ${names} restricts "Register security information" by network location: outside the organization's trusted locations, registering a passkey is refused. If you are on the office network right now, this doesn't stop you.`
        : `Conditional Access policy ${names} blocks the "Register security information" user action for you, and adding a passkey in Authenticator counts as registering security info.`,
      userFix: byLocation
        ? 'Add the passkey while connected to the office network (a trusted location), or ask the helpdesk for an exception.'
        : 'Nothing to do on your phone: ask the helpdesk to let you register security information.',
      adminFix: `${ADMIN.caPolicies} > ${names}: instead of Block, grant access with "Require authentication strength" (or MFA) outside trusted locations, as in Microsoft's template, so a Temporary Access Pass works from anywhere; or exclude the user until they have registered.`,
    };
  },
};
