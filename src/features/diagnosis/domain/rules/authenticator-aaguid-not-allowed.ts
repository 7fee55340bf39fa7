import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { authenticatorAaguid, candidatePlatforms, platformName } from '../scope/context';
import { effectivePasskeyProfiles, methodConfiguration, methodPolicyScope, profileAllowsAaguid, profileAllowsAuthenticator, profileAllowsDeviceBound, profileLabel } from '../scope/methodPolicy';

const id = 'authenticator-aaguid-not-allowed';
const source = `${LEARN_PAGES.enableAuthenticatorPasskey}#authenticator-aaguids`;

/**
 * Key restrictions keep Authenticator's AAGUID out: an allow list without it,
 * or a block list with it. Judged per platform: a block list naming only the
 * other platform's AAGUID is no problem; with the platform unknown it fires
 * only when both are kept out.
 */
export const authenticatorAaguidNotAllowed: Rule = {
  id,
  source,
  needs: ['platform', 'device'],
  evaluate(ctx) {
    if (methodPolicyScope(ctx, methodConfiguration(ctx, 'Fido2')) !== 'included') return null;
    const profiles = effectivePasskeyProfiles(ctx);
    if (!profiles || profiles.some((p) => !profileAllowsDeviceBound(p))) return null;
    const platforms = candidatePlatforms(ctx);
    if (platforms.some((platform) => profiles.some((p) => profileAllowsAuthenticator(p, platform)))) return null;
    const aaguids = platforms.map((p) => `${authenticatorAaguid(p)} (Authenticator for ${platformName(p)})`).join(' and ');
    const blocking = profiles.filter((p) => platforms.some((platform) => !profileAllowsAaguid(p, platform)));
    const names = blocking.map(profileLabel).join(', ');
    const allowList = blocking.some((p) => p.keyRestrictions?.enforcementType === 'allow');
    const where = blocking.every((p) => p.legacy)
      ? `${ADMIN.passkeyPolicy} > Configure > Key restriction policy`
      : `${ADMIN.passkeyPolicy} > Configure > edit ${names} > Target specific AAGUIDs`;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Microsoft Authenticator is not an allowed passkey provider for you',
      userTitle: "Microsoft Authenticator isn't allowed for passkeys yet",
      userText: 'Your organization accepts passkeys only from a list of approved apps and security keys, and Microsoft Authenticator is not on it.',
      detail: `Key restrictions in ${names} keep out ${aaguids}: ${allowList ? 'the allow list does not contain it' : 'the block list contains it'}. Registration with Authenticator is refused.`,
      userFix: 'Nothing to do on your phone: your admin has to allow Microsoft Authenticator. (A security key your organization approved would still work.)',
      adminFix: allowList
        ? `${where}: with Behavior Allow, select + Add AAGUID > Microsoft Authenticator (or add ${aaguids} by hand) and save.`
        : `${where}: with Behavior Block, remove ${aaguids} from the list and save.`,
    };
  },
};
