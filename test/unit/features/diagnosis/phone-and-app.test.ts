import assert from 'node:assert/strict';
import {
  HEALTHY_IPHONE,
  authenticatorApp,
  authenticatorPasskey,
  device,
  fido2Config,
  finding,
  ids,
  password,
  securityKey,
  tap,
} from './builders';

describe('diagnosis: phone, OS and app set-up', () => {
  describe('os-version-unsupported', () => {
    it('fires for Android 13 from the answers', () => {
      const found = finding({ answers: { platform: 'android', osVersion: '13' } }, 'os-version-unsupported');
      assert.ok(found);
      assert.match(found.detail, /Android 14 or later/);
    });
    it('fires for iOS 16.7 from the answers', () => {
      assert.ok(ids({ answers: { platform: 'ios', osVersion: '16.7.2' } }).includes('os-version-unsupported'));
    });
    it('fires for the only Intune phone when nothing was answered, and names it', () => {
      const found = finding({ devices: [device({ deviceName: 'Diego Pixel 6', osVersion: '13' })] }, 'os-version-unsupported');
      assert.match(found?.detail ?? '', /Diego Pixel 6/);
      assert.match(found?.adminFix ?? '', /company phone/);
    });
    it('uses the chosen Intune device among several', () => {
      const devices = [device({ id: 'old', osVersion: '12' }), device({ id: 'new', osVersion: '15' })];
      assert.ok(ids({ devices, answers: { device: 'old' } }).includes('os-version-unsupported'));
      assert.ok(!ids({ devices, answers: { device: 'new' } }).includes('os-version-unsupported'));
      assert.ok(!ids({ devices }).includes('os-version-unsupported'), 'two phones and no choice: no guess');
    });
    it('does not fire for Android 14 or iOS 17', () => {
      assert.ok(!ids({ answers: { platform: 'android', osVersion: '14' } }).includes('os-version-unsupported'));
      assert.ok(!ids({ answers: { platform: 'ios', osVersion: '17.0' } }).includes('os-version-unsupported'));
    });
    it('does not fire when the platform is unknown', () => {
      assert.ok(!ids({ answers: { osVersion: '13' } }).includes('os-version-unsupported'));
    });
    it('does not fire for "another phone" even if an old managed phone exists', () => {
      assert.ok(!ids({ devices: [device({ osVersion: '12' })], answers: { device: 'other' } }).includes('os-version-unsupported'));
    });
  });

  describe('bluetooth-required', () => {
    it('fires for cross-device registration with Bluetooth off', () => {
      assert.ok(ids({ answers: { registration: 'cross-device', bluetooth: false } }).includes('bluetooth-required'));
    });
    it('does not fire with Bluetooth on, or for same-device registration', () => {
      assert.ok(!ids({ answers: { registration: 'cross-device', bluetooth: true } }).includes('bluetooth-required'));
      assert.ok(!ids({ answers: { registration: 'same-device', bluetooth: false } }).includes('bluetooth-required'));
    });
    it('does not fire when attestation rules out cross-device anyway', () => {
      assert.ok(!ids({ fido2: fido2Config({ isAttestationEnforced: true }), answers: { registration: 'cross-device', bluetooth: false } }).includes('bluetooth-required'));
    });
  });

  describe('authenticator-not-set-up', () => {
    it('fires when the person says Authenticator is not set up', () => {
      const found = finding({ answers: { platform: 'android', authenticatorSetUp: false } }, 'authenticator-not-set-up');
      assert.match(found?.userFix ?? '', /Google Play/);
      assert.match(found?.userFix ?? '', /Work or school account/);
    });
    it('does not fire when it is set up, or unknown', () => {
      assert.ok(!ids({ answers: { authenticatorSetUp: true } }).includes('authenticator-not-set-up'));
      assert.ok(!ids().includes('authenticator-not-set-up'));
    });
  });

  describe('passkey-provider-not-enabled', () => {
    it('fires with the iPhone settings path on iOS', () => {
      const found = finding({ answers: { platform: 'ios', passkeyProviderEnabled: false } }, 'passkey-provider-not-enabled');
      assert.match(found?.userFix ?? '', /AutoFill Passwords and Passkeys/);
      assert.doesNotMatch(found?.userFix ?? '', /Additional providers/);
    });
    it('fires with the Android settings path on Android', () => {
      assert.match(finding({ answers: { platform: 'android', passkeyProviderEnabled: false } }, 'passkey-provider-not-enabled')?.userFix ?? '', /Additional providers/);
    });
    it('does not fire when enabled or unknown', () => {
      assert.ok(!ids({ answers: { passkeyProviderEnabled: true } }).includes('passkey-provider-not-enabled'));
      assert.ok(!ids().includes('passkey-provider-not-enabled'));
    });
  });

  describe('android-work-profile', () => {
    it('is information for an Android work profile', () => {
      const found = finding({ answers: { platform: 'android', osVersion: '15', androidProfile: 'work' } }, 'android-work-profile');
      assert.equal(found?.severity, 'info');
    });
    it('asks for a passkey in each profile when both are used', () => {
      assert.match(finding({ answers: { androidProfile: 'both' } }, 'android-work-profile')?.userFix ?? '', /each profile/);
    });
    it('does not fire for a personal profile only, or on an iPhone', () => {
      assert.ok(!ids({ answers: { platform: 'android', androidProfile: 'personal' } }).includes('android-work-profile'));
      assert.ok(!ids({ answers: { platform: 'ios', androidProfile: 'work' } }).includes('android-work-profile'));
    });
  });

  describe('cross-device-not-recommended', () => {
    it('is information for cross-device registration', () => {
      assert.equal(finding({ answers: { registration: 'cross-device', bluetooth: true } }, 'cross-device-not-recommended')?.severity, 'info');
    });
    it('does not fire for same-device registration', () => {
      assert.ok(!ids({ answers: { registration: 'same-device' } }).includes('cross-device-not-recommended'));
    });
  });

  describe('passkey-already-registered', () => {
    it('names the device and AAGUID of the existing Authenticator passkey', () => {
      const found = finding({ methods: [password(), authenticatorApp(), authenticatorPasskey('ios')] }, 'passkey-already-registered');
      assert.match(found?.detail ?? '', /90a3ccdf-635c-4729-a248-9b709135078f/);
      assert.match(found?.detail ?? '', /iOS/);
    });
    it('does not fire for a security key (not Authenticator)', () => {
      assert.ok(!ids({ methods: [password(), securityKey()] }).includes('passkey-already-registered'));
    });
  });

  describe('orphaned-local-passkey', () => {
    it('fires when the error says the passkey already exists', () => {
      assert.ok(ids({ answers: { errorText: 'A passkey for this account already exists on this device' } }).includes('orphaned-local-passkey'));
      assert.ok(ids({ answers: { errorText: 'This passkey is already registered.' } }).includes('orphaned-local-passkey'));
    });
    it('does not fire for another error', () => {
      assert.ok(!ids({ answers: { errorText: 'Something went wrong (AADSTS50076)' } }).includes('orphaned-local-passkey'));
    });
  });

  describe('ready', () => {
    it('fires when nothing blocks, with iPhone steps', () => {
      const found = finding({ answers: HEALTHY_IPHONE }, 'ready');
      assert.ok(found);
      assert.match(found.userFix ?? '', /^1\. /);
      assert.match(found.userFix ?? '', /Work or school account/);
      assert.match(found.userFix ?? '', /AutoFill Passwords and Passkeys/);
      assert.doesNotMatch(found.userFix ?? '', /Additional providers/);
    });
    it('gives generic same-device steps when the platform is unknown', () => {
      const found = finding({}, 'ready');
      assert.match(found?.userFix ?? '', /AutoFill Passwords and Passkeys/);
      assert.match(found?.userFix ?? '', /Additional providers/);
      assert.match(found?.detail ?? '', /Android 14 or iOS 17/);
    });
    it('gives cross-device steps for cross-device registration', () => {
      assert.match(finding({ answers: { registration: 'cross-device', bluetooth: true, platform: 'android' } }, 'ready')?.userFix ?? '', /QR code/);
    });
    it('tells a user without MFA to sign in with their usable TAP', () => {
      assert.match(finding({ methods: [password(), tap()] }, 'ready')?.userFix ?? '', /Temporary Access Pass/);
    });
    it('does not fire when a blocker applies', () => {
      assert.deepEqual(ids({ answers: { ...HEALTHY_IPHONE, osVersion: '16' } }), ['os-version-unsupported']);
    });
    it('does not fire when an Authenticator passkey already exists for this platform', () => {
      assert.ok(!ids({ methods: [password(), authenticatorApp(), authenticatorPasskey('ios')], answers: { platform: 'ios' } }).includes('ready'));
    });
    it('still fires for a new Android phone when the existing passkey is on an iPhone', () => {
      assert.ok(ids({ methods: [password(), authenticatorApp(), authenticatorPasskey('ios')], answers: { platform: 'android' } }).includes('ready'));
    });
    it('does not fire while a leftover passkey on the phone must be deleted first', () => {
      assert.ok(!ids({ answers: { errorText: 'passkey already exists' } }).includes('ready'));
    });
  });
});
