import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { candidatePlatforms } from '../scope/context';
import { effectivePasskeyProfiles, methodConfiguration, methodPolicyScope, profileAllowsAuthenticator, profileAllowsDeviceBound, profileLabel } from '../scope/methodPolicy';

const id = 'passkey-profile-excludes-authenticator';
const source = LEARN_PAGES.enablePasskeysFido2;

/**
 * Passkeys in Authenticator are device-bound. When none of the user's passkey
 * profiles allows them, and at least one profile rules out device-bound
 * passkeys altogether, the profile type is the problem (AAGUID-only problems
 * are `authenticator-aaguid-not-allowed`).
 */
export const passkeyProfileExcludesAuthenticator: Rule = {
  id,
  source,
  needs: ['platform', 'device'],
  evaluate(ctx) {
    if (methodPolicyScope(ctx, methodConfiguration(ctx, 'Fido2')) !== 'included') return null;
    const profiles = effectivePasskeyProfiles(ctx);
    if (!profiles) return null;
    const blockedEverywhere = candidatePlatforms(ctx).every((platform) => !profiles.some((p) => profileAllowsAuthenticator(p, platform)));
    const typeBlocked = profiles.filter((p) => !profileAllowsDeviceBound(p));
    if (!blockedEverywhere || typeBlocked.length === 0) return null;
    const names = typeBlocked.map(profileLabel).join(', ');
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Your passkey profile does not allow passkeys in Authenticator',
      userTitle: "Passkeys in Microsoft Authenticator aren't allowed for you yet",
      userText: "Your organization accepts other kinds of passkeys for you, but not the kind Microsoft Authenticator creates.",
      detail: `Passkeys in Microsoft Authenticator are device-bound, but ${names} allows only ${typeBlocked.map((p) => p.passkeyTypes).join(' / ')} passkeys, and no other passkey profile that applies to you allows Authenticator.`,
      userFix: 'Nothing to do on your phone: your admin has to allow passkeys in Microsoft Authenticator for you.',
      adminFix: `${ADMIN.passkeyPolicy} > Configure > edit ${names}: under Passkey types select Device-bound (keep Synced if you want both) and save. Or, under Enable and target, give the user's group a passkey profile that allows device-bound passkeys in Microsoft Authenticator.`,
    };
  },
};
