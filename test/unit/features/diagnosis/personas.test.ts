/**
 * The demo personas of docs/personas.md, rebuilt from their description with
 * the test builders: the facts each one needs for its documented findings.
 * (The bundled fixture is checked end to end elsewhere; this pins the rules.)
 */
import assert from 'node:assert/strict';
import {
  BUILT_IN_STRENGTHS,
  STRENGTH,
  YUBIKEY_AAGUID,
  allowList,
  authenticatorApp,
  authenticatorPasskey,
  ca,
  device,
  fido2WithProfiles,
  ids,
  password,
  phone,
  profile,
  tap,
  tapConfig,
  type InputOptions,
} from './builders';

const G = {
  pilot: 'g-passkey-pilot',
  sales: 'g-sales',
  contractors: 'g-contractors',
  finance: 'g-finance',
  hardware: 'g-engineering-hardware',
  research: 'g-research',
  mobileWorkers: 'g-mobile-workers',
  frontline: 'g-frontline',
  adminsPilot: 'g-admins-pilot',
  travellers: 'g-travellers',
};
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';

const contoso: InputOptions = {
  fido2: fido2WithProfiles(
    [
      profile({ id: 'p-default', name: 'Default' }),
      profile({ id: 'p-finance', name: 'Finance attested', attestationEnforcement: 'registrationOnly' }),
      profile({ id: 'p-hardware', name: 'Hardware keys only', passkeyTypes: 'deviceBound', keyRestrictions: allowList(YUBIKEY_AAGUID, 'ee882879-721c-4913-9775-3dfcce97072a') }),
      profile({ id: 'p-synced', name: 'Synced only', passkeyTypes: 'synced' }),
    ],
    [
      [G.pilot, ['p-default']],
      [G.finance, ['p-finance']],
      [G.hardware, ['p-hardware']],
      [G.research, ['p-synced']],
    ],
    { excludeTargets: [{ targetType: 'group', id: G.contractors }] },
  ),
  tap: tapConfig({ excludeTargets: [{ targetType: 'group', id: G.contractors }] }),
  strengths: BUILT_IN_STRENGTHS,
  ca: [
    ca({ displayName: 'Require compliant device', includeGroups: [G.mobileWorkers], builtInControls: ['compliantDevice'] }),
    ca({ displayName: 'Approved client apps', includeGroups: [G.frontline], builtInControls: ['approvedApplication'], includePlatforms: ['android', 'iOS'] }),
    ca({ displayName: 'Admins: phishing-resistant MFA', includeGroups: [G.adminsPilot], strengthId: STRENGTH.phishingResistant }),
    ca({
      displayName: 'Register security info from trusted locations only',
      includeGroups: [G.travellers],
      includeUserActions: ['urn:user:registersecurityinfo'],
      includeLocations: ['All'],
      excludeLocations: ['AllTrusted'],
      builtInControls: ['block'],
    }),
    ca({ displayName: 'Report-only: block legacy', state: 'enabledForReportingButNotEnforced', builtInControls: ['block'] }),
  ],
};

const persona = (over: InputOptions): string[] => ids({ ...contoso, ...over });
const withMfa = [password(), authenticatorApp()];

describe('diagnosis: the demo personas', () => {
  it('Adele (compliant corporate iPhone, iOS 17.5, Authenticator push) is ready', () => {
    const iphone = device({ id: 'adele-iphone', operatingSystem: 'iOS', osVersion: '17.5', deviceName: 'Adele iPhone' });
    assert.deepEqual(persona({ groupIds: [G.pilot], methods: withMfa, devices: [iphone], answers: { registration: 'same-device', authenticatorSetUp: true } }), ['ready']);
  });
  it('Alex (new hire, only a password, no TAP) needs MFA for registration', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot, G.sales], methods: [password()] }), ['no-mfa-for-registration']);
  });
  it('Bianca (not in any passkey group) is not in the passkey policy', () => {
    assert.deepEqual(persona({ groupIds: [], methods: withMfa }), ['user-not-in-passkey-policy']);
  });
  it('Christie (Contractors) is excluded from the passkey policy', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot, G.contractors], methods: withMfa }), ['user-excluded-from-passkey-policy']);
  });
  it('Diego (corporate Android 13 in Intune) has an unsupported OS', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot], methods: withMfa, devices: [device({ osVersion: '13' })] }), ['os-version-unsupported']);
  });
  it('Grady (Finance, attestation enforced) registering cross-device is blocked by attestation', () => {
    assert.deepEqual(persona({ groupIds: [G.finance], methods: withMfa, answers: { registration: 'cross-device', bluetooth: true } }), ['attestation-blocks-cross-device']);
  });
  it('Henrietta (Engineering Hardware allow-list) is refused the Authenticator AAGUID', () => {
    assert.deepEqual(persona({ groupIds: [G.hardware], methods: withMfa }), ['authenticator-aaguid-not-allowed']);
  });
  it('Irvin (Research, synced only) has a profile that excludes Authenticator', () => {
    assert.deepEqual(persona({ groupIds: [G.research], methods: withMfa }), ['passkey-profile-excludes-authenticator']);
  });
  it('Isaiah (compliant-device policy, personal non-compliant Android) needs a compliant phone', () => {
    const personal = device({ id: 'isaiah-personal', managedDeviceOwnerType: 'personal', complianceState: 'noncompliant', osVersion: '14' });
    assert.deepEqual(persona({ groupIds: [G.pilot, G.mobileWorkers], methods: withMfa, devices: [personal], answers: { device: 'isaiah-personal' } }), ['compliant-device-required']);
  });
  it('Johanna (approved client apps on all resources) is blocked by the app policy', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot, G.frontline], methods: withMfa }), ['approved-app-required']);
  });
  it('Joni (lost the phone with her Authenticator) has a lost device', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot], methods: withMfa, answers: { lostDevice: true } }), ['lost-device']);
  });
  it('Lee (one-time TAP spent, no other MFA) has a used one-time TAP', () => {
    const spent = tap({ isUsableOnce: true, isUsable: false, methodUsabilityReason: 'OneTimeUsed' });
    assert.deepEqual(persona({ groupIds: [G.pilot], methods: [password(), spent] }), ['tap-one-time-used']);
  });
  it('Lidia (Admins Pilot, built-in phishing-resistant strength, SMS only) is caught by a strength without TAP', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot, G.adminsPilot], methods: [password(), phone()] }), ['strength-excludes-tap']);
  });
  it('Lynne (guest) cannot register as a guest', () => {
    assert.deepEqual(persona({ user: { userType: 'Guest', userPrincipalName: 'lynne_fabrikam.example#EXT#@contoso.example' }, methods: withMfa }), ['guest-account']);
  });
  it('Megan (Android work profile, provider off) must enable the provider, and learns about profiles', () => {
    assert.deepEqual(
      persona({ groupIds: [G.pilot], methods: withMfa, answers: { platform: 'android', osVersion: '15', androidProfile: 'work', passkeyProviderEnabled: false } }),
      ['passkey-provider-not-enabled', 'android-work-profile'],
    );
  });
  it('Miriam (disabled) has a disabled account', () => {
    assert.deepEqual(persona({ user: { accountEnabled: false }, groupIds: [G.pilot], methods: [password()] }), ['account-disabled']);
  });
  it('Nestor (Travellers: register security info from trusted locations only) is restricted', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot, G.travellers], methods: withMfa }), ['register-security-info-restricted']);
  });
  it('Patti (passkey already in Authenticator on iOS) already has one', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot], methods: [...withMfa, authenticatorPasskey('ios')] }), ['passkey-already-registered']);
  });
  it('Enrico (contractor, no MFA, excluded from TAP too) gets all three blockers in order', () => {
    assert.deepEqual(persona({ groupIds: [G.contractors], methods: [password()] }), [
      'user-excluded-from-passkey-policy',
      'no-mfa-for-registration',
      'user-not-in-tap-policy',
    ]);
  });
  it('Allan (Global Administrator, no MFA) needs MFA for registration', () => {
    assert.deepEqual(persona({ groupIds: [G.pilot], roles: [GLOBAL_ADMIN_ROLE], methods: [password()] }), ['no-mfa-for-registration']);
  });
});
