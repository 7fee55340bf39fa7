import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';
import { needsTap, tapState } from '../scope/tap';

const id = 'tap-one-time-policy';
const source = LEARN_PAGES.temporaryAccessPass;

/** A policy forcing one-time passes breaks the Authenticator registration flow. */
export const tapOneTimePolicy: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'TemporaryAccessPass');
    if (config?.isUsableOnce !== true || methodPolicyScope(ctx, config) === 'disabled') return null;
    if (!needsTap(ctx) && tapState(ctx).kind === 'none') return null;
    return {
      id,
      source,
      severity: 'warning',
      audience: 'admin',
      title: 'Temporary Access Passes are one-time only',
      userTitle: 'Your Temporary Access Pass will work only once',
      userText: 'Your organization hands out passes that work for a single sign-in, so plan to do the whole set-up in one go.',
      detail: 'The Temporary Access Pass policy forces one-time use. A one-time pass must be followed by passkey registration within 10 minutes and is spent after one sign-in, which often breaks the Authenticator set-up (sign in to the app, then register). Multi-use passes are recommended for passkey onboarding.',
      userFix: 'When you use the pass, do the whole set-up in one go: sign in to Authenticator with it and create the passkey immediately.',
      adminFix: `${ADMIN.tapPolicy} > Configure: set One-time use to No (passes can still be issued as one-time individually), keep the lifetime short (for example 1-8 hours).`,
    };
  },
};
