import assert from 'node:assert/strict';
import {
  GROUP,
  STRENGTH,
  authenticatorApp,
  ca,
  device,
  finding,
  ids,
  input,
  password,
  phone,
  securityKey,
  strength,
  tap,
} from './builders';
import { AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID } from '../../../../src/directory/facts';
import { diagnose } from '../../../../src/features/diagnosis/domain';

const smsOnly = [password(), phone()];
const phishingResistant = (over = {}) => ca({ displayName: 'Admins: phishing-resistant MFA', includeGroups: ['group-admins'], strengthId: STRENGTH.phishingResistant, ...over });

describe('diagnosis: Conditional Access', () => {
  describe('strength-excludes-tap', () => {
    it('fires when the built-in Phishing-resistant MFA strength applies and the user has only SMS', () => {
      const found = finding({ methods: smsOnly, groupIds: ['group-admins'], ca: [phishingResistant()] }, 'strength-excludes-tap');
      assert.ok(found);
      assert.match(found.detail, /Phishing-resistant MFA/);
      assert.match(found.adminFix ?? '', /New authentication strength/);
    });
    it('fires for the built-in Passwordless MFA strength too', () => {
      assert.ok(ids({ methods: smsOnly, ca: [ca({ strengthId: STRENGTH.passwordless })] }).includes('strength-excludes-tap'));
    });
    it('fires even with a usable TAP, since the strength would refuse it', () => {
      assert.ok(ids({ methods: [...smsOnly, tap()], groupIds: ['group-admins'], ca: [phishingResistant()] }).includes('strength-excludes-tap'));
    });
    it('does not fire for a custom strength that includes TAP', () => {
      const onboarding = strength('custom-onboarding', 'Passkey + TAP', ['fido2', 'windowsHelloForBusiness', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse']);
      assert.ok(!ids({ methods: smsOnly, strengths: [onboarding], ca: [ca({ strengthId: 'custom-onboarding' })] }).includes('strength-excludes-tap'));
    });
    it('does not fire when the user already has a method that meets the strength (a security key)', () => {
      assert.ok(!ids({ methods: [...smsOnly, securityKey()], groupIds: ['group-admins'], ca: [phishingResistant()] }).includes('strength-excludes-tap'));
    });
    it('respects an AAGUID restriction on the strength: a key of another model does not meet it', () => {
      const restricted = strength('custom-keys', 'Approved keys', ['fido2'], {
        combinationConfigurations: [{ '@odata.type': '#microsoft.graph.fido2CombinationConfiguration', id: 'c1', appliesToCombinations: ['fido2'], allowedAAGUIDs: ['00000000-aaaa-bbbb-cccc-000000000000'] }] as never,
      });
      assert.ok(ids({ methods: [password(), securityKey()], strengths: [restricted], ca: [ca({ strengthId: 'custom-keys' })] }).includes('strength-excludes-tap'));
    });
    it('does not fire for a report-only policy', () => {
      assert.ok(!ids({ methods: smsOnly, groupIds: ['group-admins'], ca: [phishingResistant({ state: 'enabledForReportingButNotEnforced' })] }).includes('strength-excludes-tap'));
    });
    it('does not fire for a disabled policy', () => {
      assert.ok(!ids({ methods: smsOnly, groupIds: ['group-admins'], ca: [phishingResistant({ state: 'disabled' })] }).includes('strength-excludes-tap'));
    });
    it('does not fire when an excluded group holds the user (exclusion wins)', () => {
      const policy = ca({ strengthId: STRENGTH.phishingResistant, excludeGroups: ['group-breakglass'] });
      assert.ok(!ids({ methods: smsOnly, groupIds: ['group-breakglass'], ca: [policy] }).includes('strength-excludes-tap'));
    });
    it('does not fire when the user is outside the policy groups', () => {
      assert.ok(!ids({ methods: smsOnly, ca: [phishingResistant()] }).includes('strength-excludes-tap'));
    });
    it('applies to a directory role the user holds', () => {
      const byRole = ca({ includeRoles: ['62e90394-69f5-4237-9190-012177145e10'], strengthId: STRENGTH.phishingResistant });
      assert.ok(ids({ methods: smsOnly, roles: ['62e90394-69f5-4237-9190-012177145e10'], ca: [byRole] }).includes('strength-excludes-tap'));
    });
    it('does not fire for a policy on specific apps only', () => {
      assert.ok(!ids({ methods: smsOnly, ca: [ca({ includeApplications: ['00000003-0000-0ff1-ce00-000000000000'], strengthId: STRENGTH.phishingResistant })] }).includes('strength-excludes-tap'));
    });
    it('does not fire on a guess for a desktop-only policy while the platform is unknown', () => {
      assert.ok(!ids({ methods: smsOnly, ca: [ca({ includePlatforms: ['windows', 'macOS'], strengthId: STRENGTH.phishingResistant })] }).includes('strength-excludes-tap'));
    });
    it('fires for a policy on both mobile platforms even when the platform is unknown', () => {
      assert.ok(ids({ methods: smsOnly, ca: [ca({ includePlatforms: ['android', 'iOS'], strengthId: STRENGTH.phishingResistant })] }).includes('strength-excludes-tap'));
    });
    it('does not fire for an iOS-only policy when the phone is Android', () => {
      const iosOnly = ca({ includePlatforms: ['iOS'], strengthId: STRENGTH.phishingResistant });
      assert.ok(!ids({ methods: smsOnly, ca: [iosOnly], answers: { platform: 'android' } }).includes('strength-excludes-tap'));
      assert.ok(ids({ methods: smsOnly, ca: [iosOnly], answers: { platform: 'ios' } }).includes('strength-excludes-tap'));
    });
    it('does not fire for a policy limited to browsers when registering in the app', () => {
      const browserOnly = ca({ clientAppTypes: ['browser'], strengthId: STRENGTH.phishingResistant });
      assert.ok(!ids({ methods: smsOnly, ca: [browserOnly], answers: { registration: 'same-device' } }).includes('strength-excludes-tap'));
      assert.ok(ids({ methods: smsOnly, ca: [browserOnly], answers: { registration: 'cross-device' } }).includes('strength-excludes-tap'));
    });
  });

  describe('compliant-device-required', () => {
    const requireCompliant = ca({ displayName: 'Require compliant device', includeGroups: [GROUP.mobileWorkers], builtInControls: ['compliantDevice'] });
    const personalPhone = device({ id: 'device-personal', deviceName: 'Personal Galaxy', managedDeviceOwnerType: 'personal', complianceState: 'noncompliant' });
    it('fires for a chosen personal, non-compliant phone', () => {
      const found = finding({ groupIds: [GROUP.mobileWorkers], ca: [requireCompliant], devices: [personalPhone], answers: { device: 'device-personal' } }, 'compliant-device-required');
      assert.ok(found);
      assert.match(found.detail, /Personal Galaxy/);
    });
    it('fires for "another phone" (not managed)', () => {
      assert.ok(ids({ groupIds: [GROUP.mobileWorkers], ca: [requireCompliant], answers: { device: 'other' } }).includes('compliant-device-required'));
    });
    it('does not fire for a managed, compliant phone', () => {
      const corporate = device({ id: 'device-corp' });
      assert.ok(!ids({ groupIds: [GROUP.mobileWorkers], ca: [requireCompliant], devices: [corporate], answers: { device: 'device-corp' } }).includes('compliant-device-required'));
    });
    it('does not fire on a guess when the phone is unknown, and asks which phone', () => {
      const result = diagnose(input({ groupIds: [GROUP.mobileWorkers], ca: [requireCompliant] }));
      assert.ok(!result.findings.some((f) => f.id === 'compliant-device-required'));
      assert.ok(result.questions.includes('device'));
    });
    it('does not fire when the policy also accepts MFA (require one of the controls)', () => {
      const either = ca({ includeGroups: [GROUP.mobileWorkers], builtInControls: ['compliantDevice', 'mfa'], operator: 'OR' });
      assert.ok(!ids({ groupIds: [GROUP.mobileWorkers], ca: [either], answers: { device: 'other' } }).includes('compliant-device-required'));
    });
    it('does not fire when the Authenticator Credential Registration app is excluded from the policy', () => {
      const excluded = ca({ includeGroups: [GROUP.mobileWorkers], builtInControls: ['compliantDevice'], excludeApplications: [AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID] });
      assert.ok(!ids({ groupIds: [GROUP.mobileWorkers], ca: [excluded], answers: { device: 'other' } }).includes('compliant-device-required'));
    });
  });

  describe('approved-app-required', () => {
    const approvedApps = ca({ displayName: 'Approved client apps', includeGroups: ['group-frontline'], builtInControls: ['approvedApplication'] });
    it('fires for "Require approved client app" on all resources, with the documented workarounds', () => {
      const found = finding({ groupIds: ['group-frontline'], ca: [approvedApps] }, 'approved-app-required');
      assert.ok(found);
      assert.match(found.adminFix ?? '', /6aa00308-ea33-4caa-90d6-ae905d8cb51b/);
      assert.match(found.adminFix ?? '', /provision/);
      assert.match(found.adminFix ?? '', /filter for applications/);
    });
    it('says the service principal already exists when it does', () => {
      const found = finding({ groupIds: ['group-frontline'], ca: [approvedApps], servicePrincipalExists: true }, 'approved-app-required');
      assert.match(found?.adminFix ?? '', /already exists/);
    });
    it('fires for "Require app protection policy" too', () => {
      assert.ok(ids({ ca: [ca({ builtInControls: ['compliantApplication'] })] }).includes('approved-app-required'));
    });
    it('fires for an approved-app policy on Android and iOS while the platform is unknown', () => {
      assert.ok(ids({ ca: [ca({ builtInControls: ['approvedApplication'], includePlatforms: ['android', 'iOS'] })] }).includes('approved-app-required'));
    });
    it('does not fire when a compliant device is accepted instead and the phone is compliant', () => {
      const either = ca({ builtInControls: ['approvedApplication', 'compliantDevice'], operator: 'OR' });
      const phoneDevice = device({ id: 'device-corp' });
      assert.ok(!ids({ ca: [either], devices: [phoneDevice], answers: { device: 'device-corp' } }).includes('approved-app-required'));
    });
    it('does not fire for a report-only policy', () => {
      assert.ok(!ids({ ca: [ca({ builtInControls: ['approvedApplication'], state: 'enabledForReportingButNotEnforced' })] }).includes('approved-app-required'));
    });
  });

  describe('register-security-info-restricted', () => {
    const trustedOnly = ca({
      displayName: 'Register security info from trusted locations only',
      includeGroups: ['group-travellers'],
      includeUserActions: ['urn:user:registersecurityinfo'],
      includeLocations: ['All'],
      excludeLocations: ['AllTrusted'],
      builtInControls: ['block'],
    });
    it('fires for a block outside trusted locations on "Register security information"', () => {
      const found = finding({ groupIds: ['group-travellers'], ca: [trustedOnly] }, 'register-security-info-restricted');
      assert.ok(found);
      assert.equal(found.audience, 'user');
      assert.match(found.userFix ?? '', /office network/);
    });
    it('fires for an outright block of the user action', () => {
      const block = ca({ includeUserActions: ['urn:user:registersecurityinfo'], builtInControls: ['block'] });
      assert.equal(finding({ ca: [block] }, 'register-security-info-restricted')?.audience, 'admin');
    });
    it('does not fire for Microsoft\'s template (MFA outside trusted locations), which a TAP satisfies', () => {
      const template = ca({ includeUserActions: ['urn:user:registersecurityinfo'], includeLocations: ['All'], excludeLocations: ['AllTrusted'], builtInControls: ['mfa'] });
      assert.ok(!ids({ ca: [template] }).includes('register-security-info-restricted'));
    });
    it('does not fire when the user is not in the policy', () => {
      assert.ok(!ids({ ca: [trustedOnly] }).includes('register-security-info-restricted'));
    });
    it('does not fire for a disabled policy', () => {
      assert.ok(!ids({ groupIds: ['group-travellers'], ca: [{ ...trustedOnly, state: 'disabled' }] }).includes('register-security-info-restricted'));
    });
  });

  it('a policy that only asks for MFA produces no finding for a user with MFA', () => {
    assert.deepEqual(ids({ methods: [password(), authenticatorApp()], ca: [ca()], answers: { registration: 'same-device', authenticatorSetUp: true, platform: 'ios', osVersion: '18' } }), ['ready']);
  });
});
