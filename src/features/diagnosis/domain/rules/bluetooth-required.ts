import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, LEARN_PAGES } from '../rule';
import { crossDeviceBlockedByAttestation } from '../scope/methodPolicy';

const id = 'bluetooth-required';
const source = LEARN_PAGES.enableAuthenticatorPasskey;

/** Cross-device registration checks proximity over Bluetooth on both devices. */
export const bluetoothRequired: Rule = {
  id,
  source,
  needs: ['registration', 'bluetooth'],
  evaluate(ctx) {
    const { registration, bluetooth } = ctx.input.answers;
    if (registration !== 'cross-device' || bluetooth !== false) return null;
    // When attestation rules out cross-device anyway, Bluetooth is beside the point.
    if (crossDeviceBlockedByAttestation(ctx)) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Turn on Bluetooth on both devices',
      userTitle: 'Turn on Bluetooth on both devices',
      userText: 'When you add a passkey by scanning a QR code on a computer, the phone and the computer use Bluetooth to check that they are close together.',
      detail: 'Registering with a QR code from a computer checks that the phone is nearby over Bluetooth, and needs an internet connection on both devices.',
      userFix: `Turn on Bluetooth on the phone and on the computer, keep them close together, and try again. Simpler: skip the computer. ${ADD_WORK_ACCOUNT} on the phone and create the passkey there; that needs no Bluetooth.`,
      adminFix:
        'If Bluetooth is restricted by device policy, allow Bluetooth pairing only with passkey-enabled FIDO2 authenticators. Both devices need internet: allow cable.ua5v.com and cable.auth.com, and for iPhones app-site-association.cdn-apple.com and app-site-association.networking.apple, through proxies and firewalls.',
    };
  },
};
