import assert from 'node:assert/strict';
import {
  GROUP,
  HEALTHY_IPHONE,
  STRENGTH,
  authenticatorApp,
  ca,
  device,
  fido2Config,
  input,
  password,
  phone,
  tapConfig,
} from './builders';
import { FINDING_IDS, RULES, diagnose } from '../../../../src/features/diagnosis/domain';

const ids = (result: ReturnType<typeof diagnose>) => result.findings.map((f) => f.id);

describe('diagnosis engine', () => {
  describe('the rule catalog', () => {
    it('has exactly one rule per finding id', () => {
      assert.deepEqual(RULES.map((r) => r.id).sort(), [...FINDING_IDS].sort());
    });
    it('cites a Microsoft Learn page for every rule', () => {
      for (const rule of RULES) assert.match(rule.source, /^https:\/\/learn\.microsoft\.com\//, rule.id);
    });
  });

  describe('ordering', () => {
    it('puts what must happen first first: policy scope, then MFA/TAP, then Conditional Access, then the phone, then the app', () => {
      const result = diagnose(
        input({
          methods: [password()],
          groupIds: [GROUP.contractors, 'group-admins'],
          fido2: fido2Config({ excludeTargets: [{ id: GROUP.contractors }] }),
          tap: tapConfig({ excludeTargets: [{ id: GROUP.contractors }], isUsableOnce: true }),
          ca: [ca({ includeGroups: ['group-admins'], strengthId: STRENGTH.phishingResistant })],
          answers: { platform: 'android', osVersion: '13', passkeyProviderEnabled: false, androidProfile: 'work' },
        }),
      );
      assert.deepEqual(ids(result), [
        'user-excluded-from-passkey-policy',
        'no-mfa-for-registration',
        'user-not-in-tap-policy',
        'strength-excludes-tap',
        'os-version-unsupported',
        'passkey-provider-not-enabled',
        'tap-one-time-policy',
        'android-work-profile',
      ]);
    });
    it('lists blockers before warnings and information', () => {
      const result = diagnose(input({ migration: 'preMigration', answers: { platform: 'android', osVersion: '15', androidProfile: 'work', passkeyProviderEnabled: false } }));
      assert.deepEqual(ids(result), ['passkey-provider-not-enabled', 'legacy-policy-migration-incomplete', 'android-work-profile']);
    });
    it('puts ready before warnings and information when nothing blocks', () => {
      const result = diagnose(input({ migration: 'migrationInProgress', answers: { ...HEALTHY_IPHONE, registration: 'cross-device', bluetooth: true } }));
      assert.deepEqual(ids(result), ['ready', 'legacy-policy-migration-incomplete', 'cross-device-not-recommended']);
    });
  });

  describe('findings', () => {
    it('are complete: severity, audience, title, detail, fixes and source', () => {
      const result = diagnose(input({ methods: [password()], migration: 'preMigration', answers: { registration: 'cross-device', bluetooth: false, androidProfile: 'both' } }));
      assert.ok(result.findings.length >= 4);
      for (const f of result.findings) {
        assert.ok(['blocker', 'warning', 'info'].includes(f.severity), f.id);
        assert.ok(['user', 'admin', 'helpdesk'].includes(f.audience), f.id);
        assert.ok(f.title.length > 0 && f.detail.length > 0, f.id);
        assert.ok(f.userFix !== null || f.adminFix !== null, `${f.id} has a fix`);
        assert.match(f.source, /^https:\/\/learn\.microsoft\.com\//);
      }
    });
    it('never carries a TAP value or other secret from the facts', () => {
      const secretTap = { '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: 't1', temporaryAccessPass: 'SECRET-TAP-123', isUsable: false, methodUsabilityReason: 'Expired', isUsableOnce: false };
      const result = diagnose(input({ methods: [password(), secretTap] }));
      assert.doesNotMatch(JSON.stringify(result), /SECRET-TAP-123/);
    });
    it('does not change its input', () => {
      const facts = input({ methods: [password(), phone()], devices: [device()], ca: [ca({ strengthId: STRENGTH.phishingResistant })] });
      const before = JSON.stringify(facts);
      diagnose(facts);
      assert.equal(JSON.stringify(facts), before);
    });
  });

  describe('questions', () => {
    it('asks everything that could change the verdict for a healthy user with no answers', () => {
      const { questions } = diagnose(input());
      assert.deepEqual(questions, ['platform', 'osVersion', 'registration', 'bluetooth', 'androidProfile', 'authenticatorSetUp', 'passkeyProviderEnabled', 'lostDevice', 'errorText']);
    });
    it('asks nothing more once the phone side is settled', () => {
      assert.deepEqual(diagnose(input({ answers: HEALTHY_IPHONE })).questions, []);
    });
    it('never asks a key that was answered', () => {
      const answers = { platform: 'android' as const, registration: 'cross-device' as const };
      const { questions } = diagnose(input({ answers }));
      assert.ok(!questions.includes('platform') && !questions.includes('registration'));
      assert.ok(questions.includes('bluetooth'), 'Bluetooth matters for cross-device');
      assert.ok(questions.includes('androidProfile'), 'work profile matters on Android');
    });
    it('does not ask about Bluetooth for registration inside the app, nor about Android profiles on an iPhone', () => {
      const { questions } = diagnose(input({ answers: { platform: 'ios', registration: 'same-device' } }));
      assert.ok(!questions.includes('bluetooth'));
      assert.ok(!questions.includes('androidProfile'));
    });
    it('takes platform and OS version from the only Intune phone instead of asking', () => {
      const { questions } = diagnose(input({ devices: [device({ operatingSystem: 'iOS', osVersion: '17.5', deviceName: 'iPhone 15' })] }));
      assert.ok(!questions.includes('platform') && !questions.includes('osVersion'));
      assert.ok(!questions.includes('androidProfile'), 'no Android questions for an iPhone');
      assert.ok(!questions.includes('device'), 'the phone decides nothing here');
    });
    it('asks to confirm the phone when what Intune says about it decides a finding', () => {
      const { findings, questions } = diagnose(input({ devices: [device({ osVersion: '13' })] }));
      assert.deepEqual(findings.map((f) => f.id), ['os-version-unsupported']);
      assert.ok(questions.includes('device'));
    });
    it('does not ask about a lost phone when no method lives on a phone', () => {
      const { questions } = diagnose(input({ methods: [password()] }));
      assert.ok(!questions.includes('lostDevice'));
    });
    it('asks nothing while a tenant blocker applies that the person cannot work around', () => {
      assert.deepEqual(diagnose(input({ fido2: fido2Config({ state: 'disabled' }) })).questions, []);
      assert.deepEqual(diagnose(input({ groupIds: [GROUP.contractors], fido2: fido2Config({ excludeTargets: [{ id: GROUP.contractors }] }) })).questions, []);
      assert.deepEqual(diagnose(input({ user: { userType: 'Guest' } })).questions, []);
      assert.deepEqual(diagnose(input({ ca: [ca({ builtInControls: ['approvedApplication'] })] })).questions, [], 'an admin-only Conditional Access blocker');
    });
    it('asks which phone when a compliant-device policy applies and no phone is known', () => {
      const result = diagnose(input({ ca: [ca({ builtInControls: ['compliantDevice'] })], answers: HEALTHY_IPHONE }));
      assert.deepEqual(result.questions, ['device', 'errorText']);
    });
    it('keeps asking after a blocker the person can fix (e.g. an old OS), for what else may be wrong', () => {
      const { questions } = diagnose(input({ methods: [password(), authenticatorApp()], answers: { platform: 'android', osVersion: '13' } }));
      assert.ok(questions.includes('passkeyProviderEnabled'));
    });
  });
});
