/**
 * The employee's findings card speaks plain words: for every finding a rule can
 * produce, what the person sees (everything not collapsed) has no ids, no
 * guest `#EXT#` names and no admin jargon, and "Details for IT" holds the
 * admin's explanation and fix, collapsed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  type DirectoryAuditEntry,
  type SignInLogEntry,
  type UserEvidence,
} from '../../../../src/directory/facts';
import { FINDING_IDS, type FindingId } from '../../../../src/features/diagnosis/domain';
import { diagnoseFacts } from '../../../../src/features/diagnosis/app/run';
import { diagnosisFindingsCard } from '../../../../src/features/diagnosis/cards/cards';
import { detailsForItId, findingsCardModel } from '../../../../src/features/diagnosis/cards/views';
import { CardTemplates } from '../../../../src/shared/cardTemplates';
import { projectRoot } from '../../../../src/shared/projectRoot';
import { cardElements } from '../../../support/cards';
import {
  GROUP,
  HEALTHY_IPHONE,
  NOW,
  STRENGTH,
  USER_ID,
  YUBIKEY_AAGUID,
  allowList,
  authenticatorApp,
  authenticatorPasskey,
  ca,
  device,
  fido2Config,
  fido2WithProfiles,
  input,
  password,
  phone,
  profile,
  tap,
  tapConfig,
  type InputOptions,
} from './builders';

const templates = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));

const GUEST_UPN = 'ann_fabrikam.example#EXT#@contoso.example';

function signIn(code: number): SignInLogEntry {
  return {
    id: `si-${code}`,
    createdDateTime: new Date(NOW.getTime() - 30 * 60_000).toISOString(),
    userId: USER_ID,
    appId: '6aa00308-ea33-4caa-90d6-ae905d8cb51b',
    appDisplayName: 'Microsoft Authenticator Credential Registration',
    isInteractive: true,
    status: { errorCode: code, failureReason: 'Access has been blocked by Conditional Access policies.' },
    appliedConditionalAccessPolicies: [{ id: 'ca-block', displayName: 'Block unmanaged registration', enforcedGrantControls: ['Block'], result: 'failure' }],
    deviceDetail: { operatingSystem: 'Ios 17.5', isCompliant: false, isManaged: false },
  };
}
const logs = (signIns: SignInLogEntry[], directoryAudits: DirectoryAuditEntry[] = []): UserEvidence => ({ status: 'read', signIns, directoryAudits });

/** Facts that make each finding fire (the same situations the rule tests in this folder use). */
const FIRES: Record<FindingId, InputOptions> = {
  'account-disabled': { user: { accountEnabled: false }, methods: [] },
  'guest-account': { user: { userType: 'Guest', displayName: null, userPrincipalName: GUEST_UPN } },
  'external-user': { user: { userType: 'Member', externalUserState: 'Accepted', displayName: null, userPrincipalName: GUEST_UPN } },
  'passkey-method-disabled': { fido2: fido2Config({ state: 'disabled' }) },
  'user-excluded-from-passkey-policy': { groupIds: [GROUP.contractors], fido2: fido2Config({ excludeTargets: [{ targetType: 'group', id: GROUP.contractors }] }) },
  'user-not-in-passkey-policy': { fido2: fido2Config({ includeTargets: [{ targetType: 'group', id: GROUP.pilot }] }) },
  'self-service-registration-disabled': { fido2: fido2Config({ isSelfServiceRegistrationAllowed: false }) },
  'passkey-profile-excludes-authenticator': { fido2: fido2WithProfiles([profile({ id: 'synced', name: 'Synced only', passkeyTypes: 'synced' })], [['all_users', ['synced']]]) },
  'authenticator-aaguid-not-allowed': {
    fido2: fido2WithProfiles([profile({ id: 'hw', name: 'Hardware keys only', passkeyTypes: 'deviceBound', keyRestrictions: allowList(YUBIKEY_AAGUID) })], [['all_users', ['hw']]]),
  },
  'attestation-blocks-cross-device': {
    fido2: fido2WithProfiles([profile({ id: 'att', name: 'Finance attested', attestationEnforcement: 'registrationOnly' })], [[GROUP.finance, ['att']]]),
    groupIds: [GROUP.finance],
    answers: { registration: 'cross-device', bluetooth: true },
  },
  'legacy-policy-migration-incomplete': { migration: 'migrationInProgress' },
  'no-mfa-for-registration': { methods: [password()] },
  'lost-device': { methods: [password(), authenticatorApp('Joni iPhone'), phone()], answers: { lostDevice: true } },
  'tap-method-disabled': { methods: [password()], tap: tapConfig({ state: 'disabled' }) },
  'user-not-in-tap-policy': { methods: [password()], groupIds: [GROUP.contractors], tap: tapConfig({ excludeTargets: [{ targetType: 'group', id: GROUP.contractors }] }) },
  'tap-one-time-used': { methods: [password(), tap({ isUsableOnce: true, isUsable: false, methodUsabilityReason: 'OneTimeUsed' })] },
  'tap-expired': { methods: [password(), tap({ startDateTime: '2025-06-01T08:00:00Z', lifetimeInMinutes: 60 })] },
  'tap-one-time-policy': { methods: [password()], tap: tapConfig({ isUsableOnce: true }) },
  'tap-not-usable-under-policy': { methods: [password(), tap({ isUsableOnce: false })], tap: tapConfig({ isUsableOnce: true }), answers: HEALTHY_IPHONE },
  'risk-blocks-registration': { answers: HEALTHY_IPHONE, evidence: logs([{ ...signIn(53004), appliedConditionalAccessPolicies: [] }]) },
  'ca-blocks-registration': { answers: HEALTHY_IPHONE, ca: [ca({ displayName: 'Require hybrid join', builtInControls: ['domainJoinedDevice'] })] },
  'register-security-info-restricted': {
    groupIds: ['group-travellers'],
    ca: [
      ca({
        displayName: 'Register security info from trusted locations only',
        includeGroups: ['group-travellers'],
        includeUserActions: ['urn:user:registersecurityinfo'],
        includeLocations: ['All'],
        excludeLocations: ['AllTrusted'],
        builtInControls: ['block'],
      }),
    ],
  },
  'strength-excludes-tap': {
    methods: [password(), phone()],
    groupIds: ['group-admins'],
    ca: [ca({ displayName: 'Admins: phishing-resistant MFA', includeGroups: ['group-admins'], strengthId: STRENGTH.phishingResistant })],
  },
  'approved-app-required': { groupIds: ['group-frontline'], ca: [ca({ displayName: 'Approved client apps', includeGroups: ['group-frontline'], builtInControls: ['approvedApplication'] })] },
  'compliant-device-required': {
    groupIds: [GROUP.mobileWorkers],
    ca: [ca({ displayName: 'Require compliant device', includeGroups: [GROUP.mobileWorkers], builtInControls: ['compliantDevice'] })],
    devices: [device({ id: 'device-personal', deviceName: 'Personal Galaxy', managedDeviceOwnerType: 'personal', complianceState: 'noncompliant' })],
    answers: { device: 'device-personal' },
  },
  'os-version-unsupported': { answers: { platform: 'android', osVersion: '13' } },
  'bluetooth-required': { answers: { registration: 'cross-device', bluetooth: false } },
  'authenticator-not-set-up': { answers: { platform: 'android', authenticatorSetUp: false } },
  'authenticator-app-outdated': {
    methods: [password(), { ...authenticatorApp(), phoneAppVersion: '6.8.20' }],
    fido2: fido2WithProfiles([profile({ id: 'p1', passkeyTypes: 'deviceBound,synced' })], [['all_users', ['p1']]]),
    answers: HEALTHY_IPHONE,
  },
  'passkey-provider-not-enabled': { answers: { platform: 'ios', passkeyProviderEnabled: false } },
  ready: { answers: HEALTHY_IPHONE },
  'passkey-already-registered': { methods: [password(), authenticatorApp(), authenticatorPasskey('ios')] },
  'orphaned-local-passkey': {
    answers: HEALTHY_IPHONE,
    evidence: logs(
      [],
      [
        { id: 'a1', activityDateTime: new Date(NOW.getTime() - 40 * 60_000).toISOString(), activityDisplayName: 'Get passkey creation options', result: 'success', targetResources: [{ id: USER_ID }] },
      ],
    ),
  },
  'android-work-profile': { answers: { platform: 'android', osVersion: '15', androidProfile: 'work' } },
  'cross-device-not-recommended': { answers: { registration: 'cross-device', bluetooth: true } },
  'signin-failure': { answers: { ...HEALTHY_IPHONE, errorText: 'AADSTS9999999 weird' } },
};

/** What a card shows before anything is expanded: elements under `isVisible: false` are left out. */
function visibleElements(card: { body?: any[] }): any[] {
  const hidden = new Set(cardElements({ body: cardElements(card).filter((e) => e.isVisible === false) }));
  return cardElements(card).filter((e) => !hidden.has(e));
}

function textOf(elements: any[]): string {
  return elements
    .flatMap((e) => [e.text, ...(e.facts ?? []).flatMap((f: any) => [f.title, f.value]), ...(e.actions ?? []).map((a: any) => a.title)])
    .filter((t): t is string => typeof t === 'string')
    .join('\n')
    .replace(/\\/g, '');
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const JARGON = [/#EXT#/i, /attestation/i, /conditional access/i, /authentication strength/i, /polic(y|ies)/i, /admin cent(er|re)/i, /AAGUID/i];

function render(id: FindingId) {
  const facts = input(FIRES[id]);
  const run = diagnoseFacts(facts.user, facts.tenant, facts.answers, NOW);
  const card = diagnosisFindingsCard(templates, findingsCardModel(run, { timeZone: 'Europe/Berlin', canChangeAnswers: true })) as { body?: any[] };
  const finding = run.result.findings.find((f) => f.id === id);
  return { card, finding };
}

describe('the employee findings card (plain words, "Details for IT")', () => {
  it('has a situation that makes each finding fire', () => {
    assert.deepEqual(Object.keys(FIRES).sort(), [...FINDING_IDS].sort());
  });

  for (const id of FINDING_IDS) {
    describe(id, () => {
      it('fires, with a plain title and text of its own', () => {
        const { finding } = render(id);
        assert.ok(finding, `${id} fires`);
        assert.ok(finding.userTitle && finding.userText, `${id} has userTitle and userText`);
      });

      it('shows the person no ids, no guest #EXT# names and no admin jargon', () => {
        const { card, finding } = render(id);
        assert.ok(finding);
        const visible = textOf(visibleElements(card));
        assert.ok(visible.includes(finding.userTitle!.replace(/\\/g, '')), 'the plain title is shown');
        assert.doesNotMatch(visible, GUID);
        for (const word of JARGON) assert.doesNotMatch(visible, word);
        if (id === 'guest-account' || id === 'external-user') assert.match(visible, /ann@fabrikam\.example/, 'the guest reads their own address');
      });

      it('keeps the admin explanation and fix collapsed behind "Details for IT"', () => {
        const { card, finding } = render(id);
        assert.ok(finding);
        const container = cardElements(card).find((e) => e.id === id);
        const details = cardElements({ body: [container] }).find((e) => e.id === detailsForItId(id));
        assert.equal(details?.isVisible, false);
        const toggle = cardElements({ body: [container] })
          .filter((e) => e.type === 'ActionSet')
          .flatMap((e) => e.actions)
          .find((a) => a.type === 'Action.ToggleVisibility');
        assert.equal(toggle?.title, 'Details for IT');
        assert.deepEqual(toggle?.targetElements, [detailsForItId(id)]);
        const forIt = textOf(cardElements({ body: [details] }));
        assert.ok(forIt.includes(finding.detail.replace(/\\/g, '').split('\n')[0]), 'the detail');
        for (const line of (finding.adminFix ?? '').split('\n').filter(Boolean)) assert.ok(forIt.includes(line.trim()), `the admin fix: ${line}`);
        assert.ok(forIt.includes(finding.source), 'the Learn link');
      });
    });
  }
});
