import type { Rule } from '../rule';
import { LEARN_PAGES, MY_SECURITY_INFO } from '../rule';
import { authenticatorAaguid, formatDate, platformName } from '../scope/context';
import { authenticatorPasskeyPlatform } from '../../../../directory/methods';

const id = 'passkey-already-registered';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

export const passkeyAlreadyRegistered: Rule = {
  id,
  source,
  evaluate(ctx) {
    const passkeys = ctx.input.user.methods.filter((m) => authenticatorPasskeyPlatform(m) !== undefined);
    if (passkeys.length === 0) return null;
    const described = passkeys
      .map((m) => {
        const platform = authenticatorPasskeyPlatform(m)!;
        const name = typeof m.displayName === 'string' && m.displayName ? `"${m.displayName}" ` : '';
        const created = typeof m.createdDateTime === 'string' ? `, added ${formatDate(new Date(m.createdDateTime))}` : '';
        return `${name}in Authenticator for ${platformName(platform)} (AAGUID ${authenticatorAaguid(platform)}${created})`;
      })
      .join('; ');
    return {
      id,
      source,
      severity: 'info',
      audience: 'user',
      title: 'You already have a passkey in Authenticator',
      userTitle: 'You already have a passkey in Authenticator',
      userText: 'Your account already has a passkey in Microsoft Authenticator.',
      detail: `Registered: ${described}.`,
      userFix: `You can already sign in with it. If it is on a phone you no longer use, delete it at ${MY_SECURITY_INFO} and add a new one on your current phone.`,
      adminFix: null,
    };
  },
};
