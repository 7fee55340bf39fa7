import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { methodConfiguration } from '../scope/methodPolicy';

const id = 'passkey-method-disabled';
const source = LEARN_PAGES.enablePasskeysFido2;

export const passkeyMethodDisabled: Rule = {
  id,
  source,
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'Fido2');
    if (!config || config.state === undefined || config.state === 'enabled') return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Passkeys (FIDO2) are turned off for the organization',
      userTitle: "Passkeys aren't switched on in your organization yet",
      userText: 'Nobody in your organization can add a passkey until IT switches passkeys on.',
      detail: 'The Passkey (FIDO2) authentication method is disabled in the Authentication methods policy, so nobody can register a passkey, in Authenticator or elsewhere.',
      userFix: 'Nothing to do on your phone: your admin has to turn passkeys on first. Send this diagnosis to the helpdesk.',
      adminFix: `${ADMIN.passkeyPolicy} > Enable and target: set Enable to On and add a target (All users or the pilot security group). Then Configure: leave "Allow self-service set up" on Yes.`,
    };
  },
};
