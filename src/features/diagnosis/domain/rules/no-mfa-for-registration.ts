import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, ADMIN, LEARN_PAGES } from '../rule';
import { formatDate } from '../scope/context';
import { hasNoMfa, tapState, tapPolicyOneTimeOnly } from '../scope/tap';
import { lostAllMfa } from '../scope/userMethods';
import { policyLabel, unmetStrengths } from '../scope/conditionalAccess';
import { strengthAllowsTap } from '../scope/strengths';
import { methodName as methodLabel } from '../../../../directory/methods';

const id = 'no-mfa-for-registration';
const source = LEARN_PAGES.temporaryAccessPass;

/**
 * Registering a passkey needs a fresh MFA. No MFA-capable method (password and
 * email don't count) and no usable TAP: a TAP is the way in. Also when a
 * TAP-accepting authentication strength asks for more than the user has.
 * A spent or expired TAP and a lost phone have their own, more precise findings.
 */
export const noMfaForRegistration: Rule = {
  id,
  source,
  needs: ['lostDevice', 'platform', 'device', 'registration'],
  evaluate(ctx) {
    const tap = tapState(ctx);
    if (tap.kind === 'usable' || tap.kind === 'one-time-used' || tap.kind === 'expired') return null;
    if (lostAllMfa(ctx)) return null;
    const noMfa = hasNoMfa(ctx);
    const strengthGaps = unmetStrengths(ctx).filter(({ strength }) => strengthAllowsTap(strength));
    if (!noMfa && strengthGaps.length === 0) return null;
    const have = ctx.input.user.methods.map(methodLabel);
    const reasons: string[] = [];
    if (noMfa) {
      reasons.push(
        `Adding a passkey requires multifactor authentication first, and you have no method that can do MFA (${have.length ? `you have: ${have.join(', ')}` : 'no methods registered'}; a password or email code doesn't count).`,
      );
    } else {
      for (const { policy, strength } of strengthGaps) {
        reasons.push(`Conditional Access policy ${policyLabel(policy)} requires the authentication strength "${strength.displayName}", which none of your methods meets yet, but which accepts a Temporary Access Pass.`);
      }
    }
    if (tap.kind === 'not-yet-valid') reasons.push(`Your Temporary Access Pass only becomes valid at ${formatDate(tap.start)}.`);
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'You need a Temporary Access Pass to add a passkey',
      userTitle: 'You need a Temporary Access Pass to add a passkey',
      userText: 'Before you can add a passkey you have to prove it is you, and your account has no second way to do that yet (such as the Authenticator app or a phone number). A Temporary Access Pass is a short-lived code that does it for you.',
      detail: reasons.join(' '),
      userFix: `Request a Temporary Access Pass (TAP) with the button below. Once you have it: ${ADD_WORK_ACCOUNT}, entering the TAP when asked, and create the passkey when Authenticator offers it. ${
        tapPolicyOneTimeOnly(ctx) ? 'Your organization issues one-time passes only: do the whole set-up in one go, within 10 minutes of signing in.' : 'Ask for a multi-use pass: a one-time pass can run out in the middle of the set-up.'
      }`,
      adminFix: `Verify the person's identity, then issue a TAP: ${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass (${
        tapPolicyOneTimeOnly(ctx) ? 'one-time, as the TAP policy requires; a lifetime that covers when the person will do it' : 'multi-use, at least 60 minutes'
      }). Hand it over securely, never by email to the same account.`,
    };
  },
};
