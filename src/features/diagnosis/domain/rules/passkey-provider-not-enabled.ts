import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';
import type { Platform } from '../scope/context';

const id = 'passkey-provider-not-enabled';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

export const PASSKEY_PROVIDER_STEPS: Readonly<Record<Platform, string>> = {
  // The path Learn gives ("Register passkeys in Authenticator"); newer iOS versions may move it, so Settings' search is the fallback.
  ios: 'On the iPhone open Settings > Passwords > Password Options, turn on "AutoFill Passwords and Passkeys" and under "Use Passwords and Passkeys From" select Authenticator (if your iOS shows it elsewhere, search Settings for "AutoFill").',
  android:
    'On the Android phone open Settings > Passwords & accounts (on some phones "Passwords, passkeys & accounts"; search Settings for "passkey" if you can\'t find it) and under Additional providers turn on Authenticator.',
};

export const passkeyProviderNotEnabled: Rule = {
  id,
  source,
  needs: ['passkeyProviderEnabled'],
  evaluate(ctx) {
    if (ctx.input.answers.passkeyProviderEnabled !== false) return null;
    const steps = ctx.platform ? PASSKEY_PROVIDER_STEPS[ctx.platform] : `iPhone: ${PASSKEY_PROVIDER_STEPS.ios} Android: ${PASSKEY_PROVIDER_STEPS.android}`;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Turn on Authenticator as a passkey provider',
      userTitle: 'Let Authenticator save passkeys on your phone',
      userText: "Your phone saves a passkey in Authenticator only after you allow Authenticator to save passwords and passkeys in the phone's settings.",
      detail: 'The phone only saves a passkey in Authenticator when Authenticator is enabled as a passkey (autofill) provider in the phone settings.',
      userFix: `${steps} Then go back to Authenticator and continue.`,
      adminFix: null,
    };
  },
};
