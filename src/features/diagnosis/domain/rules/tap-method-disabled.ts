import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';
import { needsTap } from '../scope/tap';

const id = 'tap-method-disabled';
const source = LEARN_PAGES.temporaryAccessPass;

/** Only when a TAP is what the person needs. */
export const tapMethodDisabled: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    if (methodPolicyScope(ctx, methodConfiguration(ctx, 'TemporaryAccessPass')) !== 'disabled' || !needsTap(ctx)) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Temporary Access Pass is turned off',
      userTitle: "Temporary Access Passes can't be used right now",
      userText: "You need a Temporary Access Pass to add a passkey, but your organization has switched them off, so a pass wouldn't let you sign in.",
      detail: 'You need a Temporary Access Pass to sign in and add a passkey, but the Temporary Access Pass method is disabled in the Authentication methods policy: a pass could be created but not used to sign in.',
      userFix: 'Nothing to do on your phone: send this diagnosis to the helpdesk.',
      adminFix: `${ADMIN.tapPolicy} > Enable and target: set Enable to On and target All users or the onboarding group; under Configure, leave One-time use at No so passes work for passkey set-up.`,
    };
  },
};
