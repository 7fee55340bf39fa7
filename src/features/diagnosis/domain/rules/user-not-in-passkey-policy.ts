import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';

const id = 'user-not-in-passkey-policy';
const source = LEARN_PAGES.enablePasskeysFido2;

export const userNotInPasskeyPolicy: Rule = {
  id,
  source,
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'Fido2');
    if (methodPolicyScope(ctx, config) !== 'not-included') return null;
    const targets = (config?.includeTargets ?? []).map((t) => t.id);
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'You are not in the passkey policy',
      userTitle: "Passkeys aren't switched on for you yet",
      userText: 'Your organization is switching passkeys on group by group, and your group is not among them yet.',
      detail: `The Passkey (FIDO2) policy is on, but only for its targets (${targets.join(', ') || 'none'}), and you are in none of them.`,
      userFix: 'Nothing to do on your phone: ask the helpdesk to add you to the passkey rollout group.',
      adminFix: `Add the user to one of the targeted security groups, or add a target for them: ${ADMIN.passkeyPolicy} > Enable and target > Add target (only security groups are supported), with a passkey profile that allows Microsoft Authenticator.`,
    };
  },
};
