import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { matchingTargets, methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';
import { needsTap } from '../scope/tap';

const id = 'user-not-in-tap-policy';
const source = LEARN_PAGES.temporaryAccessPass;

/** Only users in the TAP policy can sign in with a TAP. Reported only when a TAP is what they need. */
export const userNotInTapPolicy: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'TemporaryAccessPass');
    const scope = methodPolicyScope(ctx, config);
    if ((scope !== 'excluded' && scope !== 'not-included') || !needsTap(ctx)) return null;
    const excludedBy = matchingTargets(ctx, config?.excludeTargets).map((t) => t.id);
    const why =
      scope === 'excluded'
        ? `you are in an excluded target of the Temporary Access Pass policy (${excludedBy.join(', ')})`
        : 'you are not in any target of the Temporary Access Pass policy';
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'You are not allowed to sign in with a Temporary Access Pass',
      userTitle: "You can't sign in with a Temporary Access Pass yet",
      userText: 'You need a Temporary Access Pass to add a passkey, but your account is not allowed to use one.',
      detail: `You need a Temporary Access Pass to add a passkey, but ${why}. A pass can be created for anyone, but only users in the policy can sign in with it.`,
      userFix: 'Nothing to do on your phone: ask the helpdesk to allow a Temporary Access Pass for you.',
      adminFix:
        scope === 'excluded'
          ? `Take the user out of the excluded group (${excludedBy.join(', ')}) or remove the exclusion: ${ADMIN.tapPolicy} > Enable and target > Exclude. Then issue the TAP.`
          : `Add the user to a targeted group, or add a target: ${ADMIN.tapPolicy} > Enable and target > Add target. Then issue the TAP.`,
    };
  },
};
