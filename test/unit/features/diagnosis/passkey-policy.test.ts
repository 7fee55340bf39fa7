import assert from 'node:assert/strict';
import {
  GROUP,
  HEALTHY_IPHONE,
  YUBIKEY_AAGUID,
  allowList,
  blockList,
  fido2Config,
  fido2WithProfiles,
  finding,
  ids,
  profile,
} from './builders';
import { AUTHENTICATOR_AAGUID_ANDROID, AUTHENTICATOR_AAGUID_IOS } from '../../../../src/directory/facts';

describe('diagnosis: account and passkey policy', () => {
  describe('account-disabled', () => {
    it('fires for a disabled account, and nothing else is reported', () => {
      assert.deepEqual(ids({ user: { accountEnabled: false }, methods: [] }), ['account-disabled']);
    });
    it('does not fire for an enabled account', () => {
      assert.ok(!ids({ answers: HEALTHY_IPHONE }).includes('account-disabled'));
    });
  });

  describe('guest-account', () => {
    it('fires for a guest, and hides the policy findings that would follow', () => {
      assert.deepEqual(ids({ user: { userType: 'Guest' }, fido2: fido2Config({ includeTargets: [{ id: GROUP.pilot }] }) }), ['guest-account']);
    });
    it('does not fire for a member', () => {
      assert.ok(!ids().includes('guest-account'));
    });
  });

  describe('passkey-method-disabled', () => {
    it('fires when the Passkey (FIDO2) method is disabled', () => {
      assert.ok(ids({ fido2: fido2Config({ state: 'disabled' }) }).includes('passkey-method-disabled'));
    });
    it('does not fire when it is enabled', () => {
      assert.ok(!ids().includes('passkey-method-disabled'));
    });
    it('does not fire when the policy state is unknown', () => {
      assert.ok(!ids({ fido2: fido2Config({ state: undefined }) }).includes('passkey-method-disabled'));
    });
  });

  describe('user-not-in-passkey-policy', () => {
    const pilotOnly = fido2Config({ includeTargets: [{ targetType: 'group', id: GROUP.pilot }] });
    it('fires when the user is in none of the targeted groups', () => {
      assert.ok(ids({ fido2: pilotOnly }).includes('user-not-in-passkey-policy'));
    });
    it('does not fire when a transitive group membership is targeted', () => {
      assert.ok(!ids({ fido2: pilotOnly, groupIds: ['group-sales', GROUP.pilot] }).includes('user-not-in-passkey-policy'));
    });
    it('does not fire when the user is targeted directly', () => {
      const direct = fido2Config({ includeTargets: [{ targetType: 'user', id: '11111111-1111-1111-1111-111111111111' }] });
      assert.ok(!ids({ fido2: direct }).includes('user-not-in-passkey-policy'));
    });
  });

  describe('user-excluded-from-passkey-policy', () => {
    const excludingContractors = fido2Config({ excludeTargets: [{ targetType: 'group', id: GROUP.contractors }] });
    it('fires when an excluded group holds the user, even though all users are included (exclusion wins)', () => {
      const found = ids({ fido2: excludingContractors, groupIds: [GROUP.contractors] });
      assert.ok(found.includes('user-excluded-from-passkey-policy'));
      assert.ok(!found.includes('user-not-in-passkey-policy'));
    });
    it('does not fire when the user is not in the excluded group', () => {
      assert.ok(!ids({ fido2: excludingContractors, groupIds: [GROUP.pilot] }).includes('user-excluded-from-passkey-policy'));
    });
  });

  describe('self-service-registration-disabled', () => {
    it('fires when "Allow self-service set up" is No', () => {
      assert.ok(ids({ fido2: fido2Config({ isSelfServiceRegistrationAllowed: false }) }).includes('self-service-registration-disabled'));
    });
    it('does not fire when self-service set-up is allowed', () => {
      assert.ok(!ids().includes('self-service-registration-disabled'));
    });
  });

  describe('authenticator-aaguid-not-allowed', () => {
    it('fires when a passkey profile allow-list names only security keys', () => {
      const fido2 = fido2WithProfiles([profile({ id: 'hw', name: 'Hardware keys only', passkeyTypes: 'deviceBound', keyRestrictions: allowList(YUBIKEY_AAGUID) })], [['all_users', ['hw']]]);
      const found = finding({ fido2 }, 'authenticator-aaguid-not-allowed');
      assert.ok(found);
      assert.match(found.adminFix ?? '', /Hardware keys only/);
    });
    it('fires with the legacy global key restrictions when they block both Authenticator AAGUIDs', () => {
      const fido2 = fido2Config({ keyRestrictions: blockList(AUTHENTICATOR_AAGUID_IOS, AUTHENTICATOR_AAGUID_ANDROID) });
      assert.ok(ids({ fido2 }).includes('authenticator-aaguid-not-allowed'));
    });
    it('fires for an iPhone when the block list names the iOS AAGUID', () => {
      const fido2 = fido2Config({ keyRestrictions: blockList(AUTHENTICATOR_AAGUID_IOS) });
      assert.ok(ids({ fido2, answers: { platform: 'ios' } }).includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire for an iPhone when the block list names only the Android AAGUID', () => {
      const fido2 = fido2Config({ keyRestrictions: blockList(AUTHENTICATOR_AAGUID_ANDROID) });
      assert.ok(!ids({ fido2, answers: { platform: 'ios' } }).includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire on a guess when the platform is unknown and only one platform is blocked', () => {
      const fido2 = fido2Config({ keyRestrictions: blockList(AUTHENTICATOR_AAGUID_ANDROID) });
      assert.ok(!ids({ fido2 }).includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire when the allow list contains the Authenticator AAGUID for the platform', () => {
      const fido2 = fido2Config({ keyRestrictions: allowList(YUBIKEY_AAGUID, AUTHENTICATOR_AAGUID_ANDROID) });
      assert.ok(!ids({ fido2, answers: { platform: 'android' } }).includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire when a second profile in scope allows Authenticator', () => {
      const fido2 = fido2WithProfiles(
        [profile({ id: 'hw', keyRestrictions: allowList(YUBIKEY_AAGUID) }), profile({ id: 'open' })],
        [['all_users', ['hw']], [GROUP.pilot, ['open']]],
      );
      assert.ok(!ids({ fido2, groupIds: [GROUP.pilot] }).includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire when key restrictions are not enforced', () => {
      const fido2 = fido2Config({ keyRestrictions: { isEnforced: false, enforcementType: 'allow', aaGuids: [YUBIKEY_AAGUID] } });
      assert.ok(!ids({ fido2 }).includes('authenticator-aaguid-not-allowed'));
    });
  });

  describe('passkey-profile-excludes-authenticator', () => {
    const syncedOnly = profile({ id: 'synced', name: 'Synced only', passkeyTypes: 'synced' });
    it('fires when the only profile in scope allows synced passkeys only', () => {
      const found = ids({ fido2: fido2WithProfiles([syncedOnly], [['all_users', ['synced']]]) });
      assert.ok(found.includes('passkey-profile-excludes-authenticator'));
      assert.ok(!found.includes('authenticator-aaguid-not-allowed'));
    });
    it('does not fire when the profile allows device-bound passkeys too', () => {
      const both = profile({ id: 'both', passkeyTypes: 'deviceBound,synced' });
      assert.ok(!ids({ fido2: fido2WithProfiles([both], [['all_users', ['both']]]) }).includes('passkey-profile-excludes-authenticator'));
    });
    it('uses the default passkey profile for a target that lists none', () => {
      const fido2 = fido2Config({ passkeyProfiles: [syncedOnly], defaultPasskeyProfile: 'synced', includeTargets: [{ id: 'all_users' }] });
      assert.ok(ids({ fido2 }).includes('passkey-profile-excludes-authenticator'));
    });
  });

  describe('attestation-blocks-cross-device', () => {
    const attested = fido2WithProfiles([profile({ id: 'att', name: 'Finance attested', attestationEnforcement: 'registrationOnly' })], [[GROUP.finance, ['att']]]);
    it('fires for cross-device registration when the profile enforces attestation', () => {
      const found = ids({ fido2: attested, groupIds: [GROUP.finance], answers: { registration: 'cross-device', bluetooth: true } });
      assert.deepEqual(found, ['attestation-blocks-cross-device']);
    });
    it('fires with the legacy isAttestationEnforced flag', () => {
      assert.ok(ids({ fido2: fido2Config({ isAttestationEnforced: true }), answers: { registration: 'cross-device' } }).includes('attestation-blocks-cross-device'));
    });
    it('does not fire for registration inside the Authenticator app', () => {
      assert.ok(!ids({ fido2: attested, groupIds: [GROUP.finance], answers: { registration: 'same-device' } }).includes('attestation-blocks-cross-device'));
    });
    it('does not fire when the registration way is unknown', () => {
      assert.ok(!ids({ fido2: attested, groupIds: [GROUP.finance] }).includes('attestation-blocks-cross-device'));
    });
    it('does not fire when another profile in scope has attestation off', () => {
      const fido2 = fido2WithProfiles(
        [profile({ id: 'att', attestationEnforcement: 'registrationOnly' }), profile({ id: 'open' })],
        [[GROUP.finance, ['att', 'open']]],
      );
      assert.ok(!ids({ fido2, groupIds: [GROUP.finance], answers: { registration: 'cross-device' } }).includes('attestation-blocks-cross-device'));
    });
  });

  describe('legacy-policy-migration-incomplete', () => {
    it('fires as an admin warning while the migration is in progress', () => {
      const found = finding({ migration: 'migrationInProgress' }, 'legacy-policy-migration-incomplete');
      assert.equal(found?.severity, 'warning');
      assert.equal(found?.audience, 'admin');
    });
    it('does not fire once the migration is complete, or when the state is unknown', () => {
      assert.ok(!ids({ migration: 'migrationComplete' }).includes('legacy-policy-migration-incomplete'));
      assert.ok(!ids({ migration: null }).includes('legacy-policy-migration-incomplete'));
    });
  });
});
