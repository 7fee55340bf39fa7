import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { needsTap, tapState, tapPolicyOneTimeOnly } from '../scope/tap';

const id = 'tap-one-time-used';
const source = LEARN_PAGES.temporaryAccessPass;

export const tapOneTimeUsed: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    if (tapState(ctx).kind !== 'one-time-used' || !needsTap(ctx)) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'Your one-time Temporary Access Pass is already used',
      userTitle: 'Your Temporary Access Pass is used up',
      userText: 'It worked only once and has been used, and you have no other way to confirm your sign-in.',
      detail: 'Your Temporary Access Pass could be used only once and has been spent, and you have no other way to complete MFA. With a one-time pass, the passkey must be registered within 10 minutes of signing in with it; signing in to Authenticator and creating the passkey often needs more than one sign-in.',
      userFix: tapPolicyOneTimeOnly(ctx)
        ? 'Request a new Temporary Access Pass with the button below. It will be one-time again: sign in to Authenticator with it and create the passkey within 10 minutes, in one go.'
        : 'Request a new Temporary Access Pass with the button below, and ask for a multi-use one. Then sign in to Authenticator with it and create the passkey right away.',
      adminFix: tapPolicyOneTimeOnly(ctx)
        ? `Issue a new one-time TAP: ${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass (the TAP policy allows only one-time passes). If onboarding keeps failing, ${ADMIN.tapPolicy} > Configure: One-time use: No allows multi-use passes.`
        : `Issue a new TAP: ${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass, with "One-time use" off (multi-use) and a lifetime of at least 60 minutes. A new pass replaces the spent one.`,
    };
  },
};
