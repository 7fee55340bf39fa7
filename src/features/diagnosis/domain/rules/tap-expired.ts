import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { formatDate } from '../scope/context';
import { needsTap, tapState, tapPolicyOneTimeOnly } from '../scope/tap';

const id = 'tap-expired';
const source = LEARN_PAGES.temporaryAccessPass;

export const tapExpired: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    const tap = tapState(ctx);
    if (tap.kind !== 'expired' || !needsTap(ctx)) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'Your Temporary Access Pass has expired',
      userTitle: 'Your Temporary Access Pass has expired',
      userText: "An expired pass can't be used to sign in, and you have no other way to confirm your sign-in.",
      detail: `Your Temporary Access Pass expired (${tap.end ? `at ${formatDate(tap.end)}` : 'its lifetime is over'}), and you have no other way to complete MFA. An expired pass can't be used to sign in.`,
      userFix: 'Request a new Temporary Access Pass with the button below, and use it as soon as it arrives: sign in to Authenticator with it and create the passkey in the same sitting.',
      adminFix: `Issue a new TAP: ${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass (${tapPolicyOneTimeOnly(ctx) ? 'one-time, as the TAP policy requires' : 'multi-use'}; a lifetime that covers when the person will actually do it). It replaces the expired one.`,
    };
  },
};
