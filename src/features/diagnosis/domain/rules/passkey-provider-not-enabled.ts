import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';
import type { Platform } from '../scope';

const id = 'passkey-provider-not-enabled';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

export const PASSKEY_PROVIDER_STEPS: Readonly<Record<Platform, string>> = {
  ios: 'On the iPhone open Settings > General > AutoFill & Passwords (on iOS 17: Settings > Passwords > Password Options), turn on "AutoFill Passwords and Passkeys" and select Authenticator.',
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
      detail: 'The phone only saves a passkey in Authenticator when Authenticator is enabled as a passkey (autofill) provider in the phone settings.',
      userFix: `${steps} Then go back to Authenticator and continue.`,
      adminFix: null,
    };
  },
};
