import assert from 'node:assert/strict';
import {
  GROUP,
  STRENGTH,
  authenticatorApp,
  authenticatorPasskey,
  ca,
  email,
  finding,
  ids,
  password,
  phone,
  securityKey,
  softwareOath,
  strength,
  tap,
  tapConfig,
  windowsHello,
} from './builders';
import { TAP_OFFER_FINDINGS } from '../../../../src/features/diagnosis/domain';

const excludedFromTap = tapConfig({ excludeTargets: [{ targetType: 'group', id: GROUP.contractors }] });

describe('diagnosis: MFA and Temporary Access Pass bootstrap', () => {
  it('offers a TAP for exactly the findings a TAP fixes', () => {
    assert.deepEqual([...TAP_OFFER_FINDINGS].sort(), ['lost-device', 'no-mfa-for-registration', 'tap-expired', 'tap-not-usable-under-policy', 'tap-one-time-used']);
  });

  describe('no-mfa-for-registration', () => {
    it('fires for a new hire with only a password, and says a TAP fixes it', () => {
      const found = finding({ methods: [password()] }, 'no-mfa-for-registration');
      assert.ok(found);
      assert.equal(found.severity, 'blocker');
      assert.match(found.userFix ?? '', /Temporary Access Pass/);
    });
    it('counts an email-only user as having no MFA', () => {
      assert.ok(ids({ methods: [password(), email()] }).includes('no-mfa-for-registration'));
    });
    for (const [name, method] of [
      ['a phone', phone()],
      ['Authenticator', authenticatorApp()],
      ['a software OATH token', softwareOath()],
      ['a security key', securityKey()],
      ['Windows Hello for Business', windowsHello()],
    ] as const) {
      it(`does not fire for a user with ${name}`, () => {
        assert.ok(!ids({ methods: [password(), method] }).includes('no-mfa-for-registration'));
      });
    }
    it('does not fire when the user has a usable TAP', () => {
      assert.ok(!ids({ methods: [password(), tap()] }).includes('no-mfa-for-registration'));
    });
    it('fires when the only TAP starts later, and says when', () => {
      const found = finding({ methods: [password(), tap({ startDateTime: '2025-06-03T09:00:00Z', isUsable: false, methodUsabilityReason: 'NotYetValid' })] }, 'no-mfa-for-registration');
      assert.match(found?.detail ?? '', /only becomes valid at 2025-06-03 09:00 UTC/);
    });
    it('fires when a TAP-accepting strength asks for more than the user has', () => {
      const passkeyOrTap = strength('custom-1', 'Passkey or TAP', ['fido2', 'temporaryAccessPassMultiUse']);
      const found = ids({ methods: [password(), phone()], strengths: [passkeyOrTap], ca: [ca({ strengthId: 'custom-1' })] });
      assert.ok(found.includes('no-mfa-for-registration'));
      assert.ok(!found.includes('strength-excludes-tap'));
    });
  });

  describe('lost-device', () => {
    it('fires when all MFA was on the lost phone, naming what to remove', () => {
      const found = finding({ methods: [password(), authenticatorApp('Joni iPhone'), phone()], answers: { lostDevice: true } }, 'lost-device');
      assert.ok(found);
      assert.match(found.adminFix ?? '', /Joni iPhone/);
      assert.ok(!ids({ methods: [password(), authenticatorApp()], answers: { lostDevice: true } }).includes('no-mfa-for-registration'));
    });
    it('does not fire when the person still has MFA off the phone (a security key)', () => {
      assert.ok(!ids({ methods: [password(), authenticatorApp(), securityKey()], answers: { lostDevice: true } }).includes('lost-device'));
    });
    it('does not fire when the phone is not lost, or nobody said so', () => {
      assert.ok(!ids({ answers: { lostDevice: false } }).includes('lost-device'));
      assert.ok(!ids().includes('lost-device'));
    });
    it('does not fire when a usable TAP is already there', () => {
      assert.ok(!ids({ methods: [password(), authenticatorApp(), tap()], answers: { lostDevice: true } }).includes('lost-device'));
    });
    it('counts an Authenticator passkey as being on the lost phone', () => {
      assert.ok(ids({ methods: [password(), authenticatorPasskey('ios')], answers: { lostDevice: true } }).includes('lost-device'));
    });
  });

  describe('tap-method-disabled', () => {
    it('fires when a TAP is needed and the TAP method is off', () => {
      assert.ok(ids({ methods: [password()], tap: tapConfig({ state: 'disabled' }) }).includes('tap-method-disabled'));
    });
    it('does not fire when the user does not need a TAP', () => {
      assert.ok(!ids({ tap: tapConfig({ state: 'disabled' }) }).includes('tap-method-disabled'));
    });
  });

  describe('user-not-in-tap-policy', () => {
    it('fires when a TAP is needed and the user is excluded from the TAP policy', () => {
      const found = ids({ methods: [password()], groupIds: [GROUP.contractors], tap: excludedFromTap });
      assert.deepEqual(found, ['no-mfa-for-registration', 'user-not-in-tap-policy']);
    });
    it('fires when the TAP policy targets only other groups', () => {
      const pilotOnly = tapConfig({ includeTargets: [{ id: GROUP.pilot }] });
      assert.ok(ids({ methods: [password()], tap: pilotOnly }).includes('user-not-in-tap-policy'));
    });
    it('does not fire when the user has MFA and needs no TAP', () => {
      assert.ok(!ids({ groupIds: [GROUP.contractors], tap: excludedFromTap }).includes('user-not-in-tap-policy'));
    });
    it('does not fire when the user is in the TAP policy', () => {
      assert.ok(!ids({ methods: [password()] }).includes('user-not-in-tap-policy'));
    });
  });

  describe('tap-one-time-used', () => {
    const spent = tap({ isUsableOnce: true, isUsable: false, methodUsabilityReason: 'OneTimeUsed' });
    it('fires instead of no-mfa-for-registration when the one-time TAP is spent', () => {
      assert.deepEqual(ids({ methods: [password(), spent] }), ['tap-one-time-used']);
    });
    it('does not fire when the user has other MFA', () => {
      assert.ok(!ids({ methods: [password(), phone(), spent] }).includes('tap-one-time-used'));
    });
    it('does not fire for a usable one-time TAP', () => {
      assert.ok(!ids({ methods: [password(), tap({ isUsableOnce: true })] }).includes('tap-one-time-used'));
    });
  });

  describe('tap-expired', () => {
    it('fires when the TAP lifetime is over (start + lifetime before now)', () => {
      const old = tap({ startDateTime: '2025-06-01T08:00:00Z', lifetimeInMinutes: 60, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
      const found = finding({ methods: [password(), old] }, 'tap-expired');
      assert.match(found?.detail ?? '', /2025-06-01 09:00 UTC/);
      assert.ok(!ids({ methods: [password(), old] }).includes('no-mfa-for-registration'));
    });
    it('fires when Graph says the TAP expired', () => {
      assert.ok(ids({ methods: [password(), tap({ isUsable: false, methodUsabilityReason: 'Expired' })] }).includes('tap-expired'));
    });
    it('does not fire while the TAP is within its lifetime', () => {
      assert.ok(!ids({ methods: [password(), tap()] }).includes('tap-expired'));
    });
  });

  describe('tap-one-time-policy', () => {
    it('warns the admin when the TAP policy forces one-time passes and the user needs one', () => {
      const found = finding({ methods: [password()], tap: tapConfig({ isUsableOnce: true }) }, 'tap-one-time-policy');
      assert.equal(found?.severity, 'warning');
      assert.equal(found?.audience, 'admin');
    });
    it('does not warn when multi-use passes are allowed', () => {
      assert.ok(!ids({ methods: [password()] }).includes('tap-one-time-policy'));
    });
    it('does not warn a user who needs no TAP and has none', () => {
      assert.ok(!ids({ tap: tapConfig({ isUsableOnce: true }) }).includes('tap-one-time-policy'));
    });
  });

  it('a user with MFA on a phone and no TAP needs nothing from the TAP rules', () => {
    const found = ids({ methods: [password(), phone()], ca: [ca({ strengthId: STRENGTH.mfa })] });
    assert.ok(!found.some((id) => id.startsWith('tap-') || id === 'no-mfa-for-registration' || id === 'user-not-in-tap-policy'));
  });
});
