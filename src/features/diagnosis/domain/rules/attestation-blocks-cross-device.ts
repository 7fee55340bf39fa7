import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, ADMIN, LEARN_PAGES } from '../rule';
import { crossDeviceBlockedByAttestation, methodConfiguration, methodPolicyScope } from '../scope/methodPolicy';

const id = 'attestation-blocks-cross-device';
const source = `${LEARN_PAGES.enableAuthenticatorPasskey}#authenticator-attestation`;

/** With attestation enforced only registration inside the Authenticator app works. */
export const attestationBlocksCrossDevice: Rule = {
  id,
  source,
  needs: ['registration', 'platform', 'device'],
  evaluate(ctx) {
    if (ctx.input.answers.registration !== 'cross-device') return null;
    if (methodPolicyScope(ctx, methodConfiguration(ctx, 'Fido2')) !== 'included') return null;
    if (!crossDeviceBlockedByAttestation(ctx)) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Add the passkey inside the Authenticator app, not with a QR code',
      userTitle: 'Add the passkey inside the Authenticator app, not with a QR code',
      userText: 'Your company only accepts passkeys created in the Authenticator app itself, so scanning a QR code on your computer will not work.',
      detail: 'Your passkey profile enforces attestation. Attested passkeys can only be registered directly in the Authenticator app; cross-device registration (QR code from a computer) and browser registration fail.',
      userFix: `${ADD_WORK_ACCOUNT}, then follow the prompts to create the passkey in the app. You don't need a computer or Bluetooth for this.`,
      adminFix: `Usually nothing: in-app registration is the recommended path. Only if cross-device registration must work: ${ADMIN.passkeyPolicy} > Configure > edit the passkey profile > Enforce attestation: No (weaker: Entra ID can then no longer vouch for the passkey's make and model).`,
    };
  },
};
