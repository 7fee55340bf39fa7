import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';

const id = 'self-service-registration-disabled';
const source = LEARN_PAGES.enablePasskeysFido2;

export const selfServiceRegistrationDisabled: Rule = {
  id,
  source,
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'Fido2');
    if (config?.isSelfServiceRegistrationAllowed !== false) return null;
    // A disabled or excluding policy already says more.
    if (methodPolicyScope(ctx, config) === 'disabled') return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Self-service passkey registration is turned off',
      userTitle: "You can't add a passkey yourself at the moment",
      userText: 'Your organization has switched off adding passkeys on your own, so IT has to allow it first.',
      detail: '"Allow self-service set up" is No in the Passkey (FIDO2) policy, so users cannot register a passkey themselves, even when passkeys are enabled for them. This setting is global, not per passkey profile.',
      userFix: 'Nothing to do on your phone: ask the helpdesk to allow self-service passkey set-up.',
      adminFix: `${ADMIN.passkeyPolicy} > Configure: set "Allow self-service set up" to Yes and save.`,
    };
  },
};
