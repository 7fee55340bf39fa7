import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';

const id = 'android-work-profile';
const source = `${LEARN_PAGES.enableAuthenticatorPasskey}#store-passkeys-in-android-profiles`;

/** On Android a passkey is usable only in the profile (work or personal) where it is stored. */
export const androidWorkProfile: Rule = {
  id,
  source,
  needs: ['androidProfile', 'platform', 'device'],
  evaluate(ctx) {
    const profile = ctx.input.answers.androidProfile;
    if ((profile !== 'work' && profile !== 'both') || ctx.platform === 'ios') return null;
    return {
      id,
      source,
      severity: 'info',
      audience: 'user',
      title: 'One passkey per Android profile',
      userTitle: 'One passkey per Android profile',
      userText: 'On Android a passkey works only in the profile where it is saved: one in the work profile works only in work apps, one in the personal profile only in personal apps.',
      detail: 'On Android a passkey works only in the profile where it is stored: a passkey saved by Authenticator in the work profile is usable only by work-profile apps, and one in the personal profile only by personal apps.',
      userFix:
        profile === 'both'
          ? 'Create a passkey in each profile: once in the Authenticator of the work profile (the apps with the briefcase badge) and once in the Authenticator of the personal profile.'
          : 'Create the passkey in the Authenticator app of the work profile (the one with the briefcase badge). If you later sign in from personal-profile apps too, add a second passkey there.',
      adminFix: null,
    };
  },
};
