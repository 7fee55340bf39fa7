import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { matchingTargets, methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';

const id = 'user-excluded-from-passkey-policy';
const source = LEARN_PAGES.enablePasskeysFido2;

/** An excluded group wins over every included one. */
export const userExcludedFromPasskeyPolicy: Rule = {
  id,
  source,
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'Fido2');
    if (methodPolicyScope(ctx, config) !== 'excluded') return null;
    const excludedBy = matchingTargets(ctx, config?.excludeTargets).map((t) => t.id);
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'You are excluded from the passkey policy',
      userTitle: 'Passkeys are switched off for your account',
      userText: 'IT has set passkeys up so that your account cannot use them, possibly on purpose.',
      detail: `You are in an excluded target of the Passkey (FIDO2) policy (${excludedBy.join(', ')}). An exclusion takes precedence over any included group, so passkey registration and sign-in are blocked for you.`,
      userFix: 'Nothing to do on your phone: ask the helpdesk whether you should be allowed to use passkeys.',
      adminFix: `If the user should use passkeys, remove them from the excluded group (${excludedBy.join(', ')}) or remove that exclusion: ${ADMIN.passkeyPolicy} > Enable and target > Exclude.`,
    };
  },
};
