import assert from 'node:assert/strict';
import { NOW, USER_ID, input, authenticatorApp, ca, device, fido2WithProfiles, finding, ids, password, profile, tap, tapConfig, HEALTHY_IPHONE } from './builders';
import type { DirectoryAuditEntry, SignInLogEntry, UserEvidence } from '../../../../src/directory/facts';
import { ERROR_CODES, ERROR_TEXTS, FINDING_IDS, diagnose, catalogueEntry, matchErrorText } from '../../../../src/features/diagnosis/domain';

const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function signIn(over: Partial<SignInLogEntry> & { code?: number; minutesAgo?: number } = {}): SignInLogEntry {
  const { code = 53003, minutesAgo: age = 30, ...rest } = over;
  return {
    id: `si-${Math.random()}`,
    createdDateTime: minutesAgo(age),
    userId: USER_ID,
    appId: '6aa00308-ea33-4caa-90d6-ae905d8cb51b',
    appDisplayName: 'Microsoft Authenticator Credential Registration',
    isInteractive: true,
    status: { errorCode: code, failureReason: code === 0 ? null : 'Access has been blocked by Conditional Access policies.' },
    appliedConditionalAccessPolicies: code === 0 ? [] : [{ id: 'ca-block', displayName: 'Block unmanaged registration', enforcedGrantControls: ['Block'], result: 'failure' }],
    deviceDetail: { operatingSystem: 'Ios 17.5', isCompliant: false, isManaged: false },
    ...rest,
  };
}

const logs = (signIns: SignInLogEntry[], directoryAudits: DirectoryAuditEntry[] = []): UserEvidence => ({ status: 'read', signIns, directoryAudits });

describe('diagnosis from evidence (sign-in and audit logs, pasted errors)', () => {
  describe('the error catalogue', () => {
    it('maps every catalogued AADSTS code and text to a known finding and a Learn page', () => {
      for (const entry of [...ERROR_CODES, ...ERROR_TEXTS]) {
        assert.ok((FINDING_IDS as readonly string[]).includes(entry.finding), `${entry.code} → ${entry.finding}`);
        assert.match(entry.source, /^https:\/\/learn\.microsoft\.com\//, entry.code);
      }
      const codes = ERROR_CODES.map((e) => e.code).sort();
      assert.deepEqual(codes, ['135011', '50005', '50053', '50057', '50072', '50074', '50076', '50079', '50097', '50158', '53000', '53001', '53002', '53003', '53004', '53010', '530004', '530032', '530035'].sort());
    });
    it('each catalogued code pasted by the person yields its finding (or the code quoted in signin-failure)', () => {
      for (const entry of ERROR_CODES) {
        const found = ids({ answers: { ...HEALTHY_IPHONE, errorText: `Error AADSTS${entry.code}: something` } });
        assert.ok(found.includes(entry.finding) || found.includes('signin-failure'), `${entry.code}: ${found.join(',')}`);
      }
    });
    it('reads codes and texts out of what people paste', () => {
      assert.deepEqual(matchErrorText('AADSTS53004: proof up blocked').map((m) => m.code), ['53004']);
      assert.equal(matchErrorText('Temporary Access Pass sign in was blocked due to User Credential Policy')[0].entry?.finding, 'tap-not-usable-under-policy');
      assert.equal(catalogueEntry('AADSTS53000')?.finding, 'compliant-device-required');
    });
    it('quotes an unknown AADSTS code in signin-failure', () => {
      const found = finding({ answers: { ...HEALTHY_IPHONE, errorText: 'AADSTS9999999 weird' } }, 'signin-failure');
      assert.ok(found);
      assert.match(found.detail, /AADSTS9999999/);
    });
  });

  describe('ca-blocks-registration', () => {
    it('is predicted for an All-resources Block policy, and ready does not stand beside it', () => {
      const found = ids({ answers: HEALTHY_IPHONE, ca: [ca({ displayName: 'Block everything', builtInControls: ['block'] })] });
      assert.ok(found.includes('ca-blocks-registration'));
      assert.ok(!found.includes('ready'));
    });
    it('is predicted for a hybrid-joined-device grant from a phone, naming the policy', () => {
      const found = finding({ answers: HEALTHY_IPHONE, ca: [ca({ displayName: 'Require hybrid join', builtInControls: ['domainJoinedDevice'] })] }, 'ca-blocks-registration');
      assert.match(found?.detail ?? '', /Require hybrid join/);
    });
    it('comes from a failed sign-in in the log, naming the failing policy and the time', () => {
      const found = finding({ answers: HEALTHY_IPHONE, evidence: logs([signIn({ minutesAgo: 30 })]) }, 'ca-blocks-registration');
      assert.ok(found);
      assert.match(found.detail, /Block unmanaged registration/);
      assert.match(found.detail, /09:30 UTC/);
      assert.deepEqual(found.evidence?.[0], {
        source: 'signIn',
        at: minutesAgo(30),
        code: '53003',
        app: 'Microsoft Authenticator Credential Registration',
        policy: 'Block unmanaged registration',
        text: 'Access has been blocked by Conditional Access policies.',
      });
    });
    it('near miss: a failure 3 days old is not evidence', () => {
      assert.ok(!ids({ answers: HEALTHY_IPHONE, evidence: logs([signIn({ minutesAgo: 3 * 24 * 60 })]) }).includes('ca-blocks-registration'));
    });
    it('near miss: a failure followed by a success to the same app is not evidence', () => {
      const found = ids({ answers: HEALTHY_IPHONE, evidence: logs([signIn({ minutesAgo: 30 }), signIn({ code: 0, minutesAgo: 5 })]) });
      assert.ok(!found.includes('ca-blocks-registration'));
      assert.ok(found.includes('ready'));
    });
    it('near miss: a report-only failure is not a block', () => {
      const reportOnly = signIn({
        code: 0,
        appliedConditionalAccessPolicies: [{ id: 'ca-ro', displayName: 'Pilot: block unmanaged', enforcedGrantControls: ['Block'], result: 'reportOnlyFailure' }],
      });
      const found = ids({ answers: HEALTHY_IPHONE, evidence: logs([reportOnly]) });
      assert.ok(!found.includes('ca-blocks-registration'));
      assert.ok(found.includes('ready'));
    });
    it('near miss: a report-only Block policy in the tenant never blocks', () => {
      assert.ok(!ids({ answers: HEALTHY_IPHONE, ca: [ca({ state: 'enabledForReportingButNotEnforced', builtInControls: ['block'] })] }).includes('ca-blocks-registration'));
    });
  });

  describe('path-aware Conditional Access', () => {
    const desktopOnlyCompliance = ca({ displayName: 'Compliant computers', includePlatforms: ['windows', 'macOS'], builtInControls: ['compliantDevice'] });
    const phoneCompliance = ca({ displayName: 'Compliant phones', includePlatforms: ['iOS', 'android'], builtInControls: ['compliantDevice'] });
    const unmanagedPhone = { ...HEALTHY_IPHONE, device: 'other' };
    it('same-device: a phone-only compliance policy blocks an unmanaged phone; a desktop-only one does not', () => {
      assert.ok(ids({ answers: unmanagedPhone, ca: [phoneCompliance] }).includes('compliant-device-required'));
      assert.ok(!ids({ answers: unmanagedPhone, ca: [desktopOnlyCompliance] }).includes('compliant-device-required'));
    });
    it('cross-device: the computer is judged, so the verdicts swap', () => {
      const cross = { ...unmanagedPhone, registration: 'cross-device' as const, bluetooth: true, computerManaged: false };
      assert.ok(ids({ answers: cross, ca: [desktopOnlyCompliance] }).includes('compliant-device-required'));
      assert.ok(!ids({ answers: cross, ca: [phoneCompliance] }).includes('compliant-device-required'));
      assert.ok(!ids({ answers: { ...cross, computerManaged: true }, ca: [desktopOnlyCompliance] }).includes('compliant-device-required'));
    });
    it('asks "Is the computer you use company-managed?" when the computer is unknown in cross-device registration', () => {
      const cross = { ...unmanagedPhone, registration: 'cross-device' as const, bluetooth: true };
      assert.ok(diagnose(input({ answers: cross, ca: [desktopOnlyCompliance] })).questions.includes('computerManaged'));
      assert.ok(!diagnose(input({ answers: cross })).questions.includes('computerManaged'));
    });
    it('uses the only Intune computer when the person did not say', () => {
      const laptop = device({ id: 'pc-1', deviceName: 'LAPTOP', operatingSystem: 'Windows', osVersion: '10.0.22631', complianceState: 'noncompliant' });
      const cross = { ...unmanagedPhone, registration: 'cross-device' as const, bluetooth: true };
      assert.ok(ids({ answers: cross, devices: [laptop], ca: [desktopOnlyCompliance] }).includes('compliant-device-required'));
    });
  });

  describe('risk-blocks-registration', () => {
    it('fires for a 53004 sign-in and never from the policy alone', () => {
      assert.ok(ids({ answers: HEALTHY_IPHONE, evidence: logs([signIn({ code: 53004, appliedConditionalAccessPolicies: [] })]) }).includes('risk-blocks-registration'));
      const riskPolicy = { ...ca({ displayName: 'Block risky sign-ins', builtInControls: ['block'] }), conditions: { ...ca().conditions, signInRiskLevels: ['high'] } } as never;
      assert.ok(!ids({ answers: HEALTHY_IPHONE, ca: [riskPolicy] }).includes('risk-blocks-registration'));
    });
  });

  describe('tap-not-usable-under-policy', () => {
    const noMfa = [password()];
    it('fires for a multi-use pass while the policy forces one-time passes', () => {
      assert.ok(ids({ methods: [...noMfa, tap({ isUsableOnce: false })], tap: tapConfig({ isUsableOnce: true }), answers: HEALTHY_IPHONE }).includes('tap-not-usable-under-policy'));
    });
    it('near miss: a multi-use pass under a policy that allows it', () => {
      assert.ok(!ids({ methods: [...noMfa, tap({ isUsableOnce: false })], tap: tapConfig({ isUsableOnce: false }), answers: HEALTHY_IPHONE }).includes('tap-not-usable-under-policy'));
    });
    it('no multi-use advice under a one-time policy', () => {
      const found = finding({ methods: noMfa, tap: tapConfig({ isUsableOnce: true }), answers: HEALTHY_IPHONE }, 'no-mfa-for-registration');
      assert.ok(found);
      assert.doesNotMatch(`${found.userFix} ${found.adminFix}`, /multi-use/i);
    });
  });

  describe('authenticator-app-outdated', () => {
    const both = fido2WithProfiles([profile({ id: 'p1', passkeyTypes: 'deviceBound,synced' })], [['all_users', ['p1']]]);
    const deviceBound = fido2WithProfiles([profile({ id: 'p1', passkeyTypes: 'deviceBound' })], [['all_users', ['p1']]]);
    const oldApp = { ...authenticatorApp(), phoneAppVersion: '6.8.20' };
    it('fires for an old Authenticator under a profile allowing both passkey types', () => {
      assert.ok(ids({ methods: [password(), oldApp], fido2: both, answers: HEALTHY_IPHONE }).includes('authenticator-app-outdated'));
    });
    it('near miss: a current app, or a device-bound-only profile', () => {
      assert.ok(!ids({ methods: [password(), { ...oldApp, phoneAppVersion: '6.8.37' }], fido2: both, answers: HEALTHY_IPHONE }).includes('authenticator-app-outdated'));
      assert.ok(!ids({ methods: [password(), oldApp], fido2: deviceBound, answers: HEALTHY_IPHONE }).includes('authenticator-app-outdated'));
    });
    it('reads an Android version by its year-month minor part', () => {
      assert.ok(ids({ methods: [password(), { ...oldApp, phoneAppVersion: '6.2506.1000' }], fido2: both, answers: { ...HEALTHY_IPHONE, platform: undefined, osVersion: undefined } }).includes('authenticator-app-outdated'));
    });
  });

  describe('external-user', () => {
    it('fires for a B2B user whose userType is Member, and ends the diagnosis', () => {
      const found = ids({ user: { userType: 'Member', externalUserState: 'Accepted', userPrincipalName: 'ann_fabrikam.example#EXT#@contoso.example' } });
      assert.deepEqual(found, ['external-user']);
    });
    it('near miss: an ordinary member', () => {
      assert.ok(!ids({ user: { userType: 'Member', externalUserState: null } }).includes('external-user'));
    });
  });

  describe('signin-failure and evidence on existing findings', () => {
    it('quotes an evidenced failure no other finding explains (a lockout)', () => {
      const found = finding({ answers: HEALTHY_IPHONE, evidence: logs([signIn({ code: 50053, appliedConditionalAccessPolicies: [] })]) }, 'signin-failure');
      assert.match(found?.detail ?? '', /AADSTS50053/);
      assert.match(found?.detail ?? '', /locked/);
    });
    it('a 53000 in the log confirms compliant-device-required instead', () => {
      const compliance = ca({ displayName: 'Require compliant device', builtInControls: ['compliantDevice'] });
      const fail = signIn({ code: 53000, appliedConditionalAccessPolicies: [{ id: compliance.id, displayName: 'Require compliant device', enforcedGrantControls: ['RequireCompliantDevice'], result: 'failure' }] });
      const result = ids({ answers: { ...HEALTHY_IPHONE, device: 'other' }, ca: [compliance], evidence: logs([fail]) });
      assert.ok(!result.includes('signin-failure'));
      const found = finding({ answers: { ...HEALTHY_IPHONE, device: 'other' }, ca: [compliance], evidence: logs([fail]) }, 'compliant-device-required');
      assert.equal(found?.evidence?.[0].code, '53000');
      assert.match(found?.detail ?? '', /stopped by the policy 'Require compliant device'/);
    });
    it('a passkey started but never added (audit log) is an orphaned local passkey', () => {
      const started: DirectoryAuditEntry = { id: 'a1', activityDateTime: minutesAgo(40), activityDisplayName: 'Get passkey creation options', result: 'success', targetResources: [{ id: USER_ID }] };
      const found = finding({ answers: HEALTHY_IPHONE, evidence: logs([], [started]) }, 'orphaned-local-passkey');
      assert.equal(found?.evidence?.[0].source, 'directoryAudit');
      const added: DirectoryAuditEntry = { id: 'a2', activityDateTime: minutesAgo(39), activityDisplayName: 'Add Passkey (device-bound)', result: 'success', targetResources: [{ id: USER_ID }] };
      assert.ok(!ids({ answers: HEALTHY_IPHONE, evidence: logs([], [started, added]) }).includes('orphaned-local-passkey'));
    });
    it('runs without evidence when the logs were unavailable', () => {
      assert.ok(ids({ answers: HEALTHY_IPHONE, evidence: { status: 'unavailable', reason: 'forbidden' } }).includes('ready'));
    });
  });
});
