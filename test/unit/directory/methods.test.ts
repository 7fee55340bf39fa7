import assert from 'node:assert/strict';
import { AUTHENTICATOR_AAGUID_ANDROID, AUTHENTICATOR_AAGUID_IOS } from '../../../src/directory/facts';
import { method, tenantWithCertificatePolicy, userFacts } from '../features/status/helpers';
import { classifyMethod, classifyUserMethods, METHOD_TYPES, methodKind, methodName, temporaryAccessPassActiveUntil } from '../../../src/directory/methods';

const YUBIKEY_AAGUID = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

describe('directory: naming and classifying authentication methods', () => {
  const cases: Array<[string, ReturnType<typeof method>, { type: string; displayName: string; phishingResistant: boolean }]> = [
    ['a password', method('passwordAuthenticationMethod'), { type: 'password', displayName: 'Password', phishingResistant: false }],
    [
      'a mobile phone (SMS and voice), masked',
      method('phoneAuthenticationMethod', { phoneNumber: '+1 206 555 1234', phoneType: 'mobile', smsSignInState: 'notEnabled' }),
      { type: 'phone', displayName: 'SMS / voice call to +• ••• ••• ••34', phishingResistant: false },
    ],
    [
      'an alternate mobile phone',
      method('phoneAuthenticationMethod', { phoneNumber: '+44 20 7946 0958', phoneType: 'alternateMobile' }),
      { type: 'phone', displayName: 'Voice call to alternate phone +•• •• •••• ••58', phishingResistant: false },
    ],
    [
      'an office phone',
      method('phoneAuthenticationMethod', { phoneNumber: '+1 425 555 0100x12', phoneType: 'office' }),
      { type: 'phone', displayName: 'Voice call to office phone +• ••• ••• ••••x12', phishingResistant: false },
    ],
    [
      'an e-mail address for one-time codes, masked',
      method('emailAuthenticationMethod', { emailAddress: 'adele.private@fabrikam.example' }),
      { type: 'email', displayName: 'E-mail code to a•••e@fabrikam.example', phishingResistant: false },
    ],
    [
      'Microsoft Authenticator (push / phone sign-in)',
      method('microsoftAuthenticatorAuthenticationMethod', { displayName: "Adele's iPhone", deviceTag: 'SoftwareTokenActivated' }),
      { type: 'microsoftAuthenticator', displayName: "Microsoft Authenticator notifications / phone sign-in on Adele's iPhone", phishingResistant: false },
    ],
    [
      'a software OATH token (its secret is never shown)',
      method('softwareOathAuthenticationMethod', { secretKey: null }),
      { type: 'softwareOath', displayName: 'One-time codes from an authenticator app', phishingResistant: false },
    ],
    [
      'a hardware OATH token',
      method('hardwareOathAuthenticationMethod', { device: { manufacturer: 'Token2', model: 'C202', serialNumber: '123' } }),
      { type: 'hardwareOath', displayName: 'One-time codes from a hardware token: Token2 C202', phishingResistant: false },
    ],
    [
      'a passkey in Microsoft Authenticator on iOS',
      method('fido2AuthenticationMethod', { aaGuid: AUTHENTICATOR_AAGUID_IOS, model: 'Microsoft Authenticator - iOS', displayName: 'iPhone' }),
      { type: 'fido2', displayName: 'Passkey in Microsoft Authenticator (iPhone)', phishingResistant: true },
    ],
    [
      'a passkey in Microsoft Authenticator on Android (AAGUID in upper case)',
      method('fido2AuthenticationMethod', { aaGuid: AUTHENTICATOR_AAGUID_ANDROID.toUpperCase() }),
      { type: 'fido2', displayName: 'Passkey in Microsoft Authenticator (Android)', phishingResistant: true },
    ],
    [
      'a FIDO2 security key that is not Authenticator',
      method('fido2AuthenticationMethod', { aaGuid: YUBIKEY_AAGUID, model: 'YubiKey 5 NFC', displayName: 'My key' }),
      { type: 'fido2', displayName: 'Security key (FIDO2): YubiKey 5 NFC', phishingResistant: true },
    ],
    [
      'a synced passkey',
      method('fido2AuthenticationMethod', { aaGuid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd', model: 'iCloud Keychain', passkeyType: 'synced' }),
      { type: 'fido2', displayName: 'Synced passkey: iCloud Keychain', phishingResistant: true },
    ],
    [
      'Windows Hello for Business',
      method('windowsHelloForBusinessAuthenticationMethod', { displayName: 'ADELE-LAPTOP', keyStrength: 'normal' }),
      { type: 'windowsHelloForBusiness', displayName: 'Windows Hello for Business on ADELE-LAPTOP', phishingResistant: true },
    ],
    [
      'a Temporary Access Pass',
      method('temporaryAccessPassAuthenticationMethod', { startDateTime: '2025-03-01T10:00:00Z', lifetimeInMinutes: 60 }),
      { type: 'temporaryAccessPass', displayName: 'Temporary Access Pass', phishingResistant: false },
    ],
    [
      'a platform credential (Mac)',
      method('platformCredentialAuthenticationMethod', { displayName: "Adele's MacBook", platform: 'macOS' }),
      { type: 'platformCredential', displayName: "Platform credential (Mac) on Adele's MacBook", phishingResistant: true },
    ],
    [
      'an @odata.type Graph may add in the future',
      method('qrCodePinAuthenticationMethod', { displayName: 'whatever' }),
      { type: 'other', displayName: 'Other sign-in method', phishingResistant: false },
    ],
  ];

  for (const [what, graphMethod, expected] of cases) {
    it(`classifies ${what}`, () => {
      assert.deepEqual(classifyMethod(graphMethod), expected);
    });
  }

  it('covers every public method type except the certificate (which is derived) with a case above', () => {
    const covered = new Set(cases.map(([, , expected]) => expected.type));
    assert.deepEqual(
      METHOD_TYPES.filter((type) => !covered.has(type)),
      ['x509Certificate'],
    );
  });

  it('treats a method without a usable @odata.type as "other" instead of crashing', () => {
    assert.equal(classifyMethod({ id: 'x' } as never).type, 'other');
    assert.equal(classifyMethod({ id: 'x', '@odata.type': 42 } as never).type, 'other');
    assert.equal(classifyMethod(method('fido2AuthenticationMethod', { aaGuid: null, model: null })).displayName, 'Security key (FIDO2): unknown model');
  });

  it("never puts a Temporary Access Pass's value in its display name", () => {
    const tap = method('temporaryAccessPassAuthenticationMethod', {
      temporaryAccessPass: 'Secret123',
      startDateTime: '2025-03-01T10:00:00Z',
      lifetimeInMinutes: 60,
    });
    const now = new Date('2025-03-01T10:30:00Z');
    assert.equal(classifyMethod(tap, now).displayName, 'Temporary Access Pass (active)');
    assert.doesNotMatch(JSON.stringify(classifyMethod(tap, now)), /Secret123/);
  });
});

describe('status: Temporary Access Pass activity', () => {
  const tap = (properties: Record<string, unknown>) =>
    method('temporaryAccessPassAuthenticationMethod', { startDateTime: '2025-03-01T10:00:00Z', lifetimeInMinutes: 60, ...properties });

  it('is active from its start until start + lifetime', () => {
    assert.equal(temporaryAccessPassActiveUntil(tap({}), new Date('2025-03-01T10:00:00Z'))?.toISOString(), '2025-03-01T11:00:00.000Z');
    assert.equal(temporaryAccessPassActiveUntil(tap({}), new Date('2025-03-01T10:59:59Z'))?.toISOString(), '2025-03-01T11:00:00.000Z');
  });

  it('is not active before its start or from its end on', () => {
    assert.equal(temporaryAccessPassActiveUntil(tap({}), new Date('2025-03-01T09:59:59Z')), null);
    assert.equal(temporaryAccessPassActiveUntil(tap({}), new Date('2025-03-01T11:00:00Z')), null);
  });

  it('is not active when Graph says it is not usable (a one-time pass already used)', () => {
    const used = tap({ isUsable: false, isUsableOnce: true, methodUsabilityReason: 'OneTimeUsed' });
    assert.equal(temporaryAccessPassActiveUntil(used, new Date('2025-03-01T10:30:00Z')), null);
  });

  it('is not active when its times are missing', () => {
    assert.equal(temporaryAccessPassActiveUntil(tap({ startDateTime: null }), new Date('2025-03-01T10:30:00Z')), null);
  });
});

describe('status: certificate-based authentication', () => {
  const withCertificateIds = (groupIds: string[] = ['smartcard-users']) =>
    userFacts([method('passwordAuthenticationMethod')], { authorizationInfo: { certificateUserIds: ['X509:<PN>adele@contoso.example'] } }, groupIds);

  it('is shown as a phishing-resistant method when the X.509 policy targets the user and the user has certificate user ids', () => {
    const methods = classifyUserMethods(withCertificateIds(), tenantWithCertificatePolicy(['smartcard-users']));
    assert.deepEqual(methods.at(-1), {
      type: 'x509Certificate',
      displayName: 'Certificate or smart card (certificate-based authentication)',
      phishingResistant: true,
    });
  });

  it('counts the "all users" target', () => {
    const methods = classifyUserMethods(withCertificateIds([]), tenantWithCertificatePolicy(['all_users']));
    assert.equal(methods.some((m) => m.type === 'x509Certificate'), true);
  });

  it('is not shown when the user has no certificate user ids', () => {
    const user = userFacts([method('passwordAuthenticationMethod')], { authorizationInfo: { certificateUserIds: [] } }, ['smartcard-users']);
    assert.equal(classifyUserMethods(user, tenantWithCertificatePolicy(['smartcard-users'])).some((m) => m.type === 'x509Certificate'), false);
  });

  it('is not shown when the policy does not target the user, excludes them, or is disabled', () => {
    const notTargeted = classifyUserMethods(withCertificateIds(), tenantWithCertificatePolicy(['other-group']));
    const excluded = classifyUserMethods(withCertificateIds(), tenantWithCertificatePolicy(['all_users'], ['smartcard-users']));
    const disabled = classifyUserMethods(withCertificateIds(), tenantWithCertificatePolicy(['all_users'], [], 'disabled'));
    const noTenant = classifyUserMethods(withCertificateIds(), undefined);
    for (const methods of [notTargeted, excluded, disabled, noTenant]) {
      assert.deepEqual(methods.map((m) => m.type), ['password']);
    }
  });
});

describe('directory: one short name per kind of method', () => {
  it('names every kind, and adds the device or key name Graph gives', () => {
    assert.equal(methodName(method('microsoftAuthenticatorAuthenticationMethod', { displayName: 'iPhone 13 mini' })), 'Microsoft Authenticator: iPhone 13 mini');
    assert.equal(methodName(method('fido2AuthenticationMethod', { model: 'YubiKey 5 NFC' })), 'Passkey (FIDO2): YubiKey 5 NFC');
    assert.equal(methodName(method('passwordAuthenticationMethod')), 'Password');
  });
  it('never puts a phone number or an address in the name', () => {
    const phone = methodName(method('phoneAuthenticationMethod', { phoneNumber: '+1 425 555 0100', phoneType: 'mobile' }));
    assert.equal(phone, 'Phone (SMS or voice call): mobile');
    assert.doesNotMatch(methodName(method('emailAuthenticationMethod', { emailAddress: 'megan@example.com' })), /megan/);
  });
  it('calls a type Graph adds later "Other sign-in method" rather than failing', () => {
    assert.equal(methodName(method('someFutureAuthenticationMethod')), 'Other sign-in method');
    assert.equal(methodKind(method('qrCodePinAuthenticationMethod')), 'qrCodePin');
  });
});
