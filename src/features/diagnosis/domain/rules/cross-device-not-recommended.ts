import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, LEARN_PAGES } from '../rule';
import { crossDeviceBlockedByAttestation } from '../scope/methodPolicy';

const id = 'cross-device-not-recommended';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

export const crossDeviceNotRecommended: Rule = {
  id,
  source,
  needs: ['registration'],
  evaluate(ctx) {
    if (ctx.input.answers.registration !== 'cross-device' || crossDeviceBlockedByAttestation(ctx)) return null;
    return {
      id,
      source,
      severity: 'info',
      audience: 'user',
      title: 'Adding the passkey inside Authenticator is easier',
      userTitle: 'Adding the passkey inside Authenticator is easier',
      userText: 'Scanning a QR code on a computer works, but needs Bluetooth on both devices and more steps. Adding the passkey right in the app is quicker.',
      detail: 'Cross-device registration (QR code from a computer) works, but needs Bluetooth and internet on both devices and more steps. Registering directly in the Authenticator app is the recommended, fastest way and also gives single sign-on to Microsoft apps on the phone.',
      userFix: `${ADD_WORK_ACCOUNT} on the phone and create the passkey when offered.`,
      adminFix: null,
    };
  },
};
