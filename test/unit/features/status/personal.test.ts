import assert from 'node:assert/strict';
import { AUTHENTICATOR_AAGUID_IOS } from '../../../../src/directory/facts';
import { NEXT_STEP_IDS, personalStatus } from '../../../../src/features/status/domain/personal';
import { method, tenantWithCertificatePolicy, userFacts } from './helpers';

const now = new Date('2025-03-01T10:30:00Z');
const password = method('passwordAuthenticationMethod');
const phone = method('phoneAuthenticationMethod', { phoneNumber: '+1 206 555 1234', phoneType: 'mobile' });
const authenticator = method('microsoftAuthenticatorAuthenticationMethod', { displayName: 'iPhone 15' });
const authenticatorPasskey = method('fido2AuthenticationMethod', { aaGuid: AUTHENTICATOR_AAGUID_IOS, model: 'Microsoft Authenticator - iOS' });
const securityKey = method('fido2AuthenticationMethod', { aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 NFC' });
const windowsHello = method('windowsHelloForBusinessAuthenticationMethod', { displayName: 'LAPTOP-1' });
const email = method('emailAuthenticationMethod', { emailAddress: 'adele@fabrikam.example' });
const tap = (properties: Record<string, unknown> = {}) =>
  method('temporaryAccessPassAuthenticationMethod', {
    startDateTime: '2025-03-01T10:00:00Z',
    lifetimeInMinutes: 480,
    isUsableOnce: false,
    temporaryAccessPass: 'Wq8#xZ2p',
    ...properties,
  });

describe('status: a person\'s status', () => {
  it('has exactly the keys of the status --json contract', () => {
    const status = personalStatus({ user: userFacts([password, authenticator]), now });
    assert.deepEqual(Object.keys(status), ['user', 'methods', 'phishingResistant', 'passkeyInAuthenticator', 'tapActiveUntil', 'nextStep']);
    assert.deepEqual(status.user, { id: 'user-1', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.example' });
    assert.deepEqual(Object.keys(status.methods[0]), ['type', 'displayName', 'phishingResistant']);
    assert.deepEqual(Object.keys(status.nextStep), ['id', 'text']);
  });

  it('lists every method in plain words, in Graph\'s order', () => {
    const status = personalStatus({ user: userFacts([password, phone, authenticator]), now });
    assert.deepEqual(status.methods, [
      { type: 'password', displayName: 'Password', phishingResistant: false },
      { type: 'phone', displayName: 'SMS / voice call to +• ••• ••• ••34', phishingResistant: false },
      { type: 'microsoftAuthenticator', displayName: 'Microsoft Authenticator notifications / phone sign-in on iPhone 15', phishingResistant: false },
    ]);
  });

  it('asks someone with phishable MFA only to add a passkey in Authenticator', () => {
    const status = personalStatus({ user: userFacts([password, authenticator, phone]), now });
    assert.equal(status.phishingResistant, false);
    assert.equal(status.passkeyInAuthenticator, false);
    assert.deepEqual(status.nextStep, { id: 'add-passkey', text: 'Add a passkey in Microsoft Authenticator.' });
  });

  it('tells someone with a passkey in Authenticator they are done and how to sign in with it', () => {
    const status = personalStatus({ user: userFacts([password, authenticator, authenticatorPasskey]), now });
    assert.equal(status.phishingResistant, true);
    assert.equal(status.passkeyInAuthenticator, true);
    assert.equal(status.nextStep.id, 'done');
    assert.match(status.nextStep.text, /^You're done — sign in with your passkey: choose 'Face, fingerprint, PIN or security key'/);
  });

  it('calls someone with only a FIDO2 security key phishing-resistant but not an Authenticator passkey', () => {
    const status = personalStatus({ user: userFacts([password, securityKey]), now });
    assert.equal(status.phishingResistant, true);
    assert.equal(status.passkeyInAuthenticator, false);
    assert.equal(status.nextStep.id, 'done');
  });

  it('tells someone with Windows Hello for Business they are done, signing in with Windows Hello', () => {
    const status = personalStatus({ user: userFacts([password, windowsHello]), now });
    assert.equal(status.phishingResistant, true);
    assert.equal(status.nextStep.id, 'done');
    assert.match(status.nextStep.text, /Windows Hello/);
  });

  it('counts certificate-based authentication as phishing-resistant when the policy targets the user', () => {
    const user = userFacts([password], { authorizationInfo: { certificateUserIds: ['X509:<PN>adele@contoso.example'] } });
    const status = personalStatus({ user, tenant: tenantWithCertificatePolicy(['all_users']), now });
    assert.equal(status.phishingResistant, true);
    assert.equal(status.methods.at(-1)?.type, 'x509Certificate');
    assert.equal(status.nextStep.id, 'done');
  });

  it('sends someone with no MFA method (password and e-mail codes only) to get a Temporary Access Pass first', () => {
    const status = personalStatus({ user: userFacts([password, email]), now });
    assert.equal(status.tapActiveUntil, null);
    assert.equal(status.nextStep.id, 'get-mfa-first');
    assert.match(status.nextStep.text, /Temporary Access Pass/);
  });

  it('does not count an unknown method as MFA (never a guess)', () => {
    const status = personalStatus({ user: userFacts([password, method('someFutureAuthenticationMethod')]), now });
    assert.equal(status.methods[1].type, 'other');
    assert.equal(status.nextStep.id, 'get-mfa-first');
  });

  describe('with a Temporary Access Pass', () => {
    it('shows until when an active pass is usable — start + lifetime — and never its value', () => {
      const status = personalStatus({ user: userFacts([password, tap()]), now });
      assert.equal(status.tapActiveUntil, '2025-03-01T18:00:00.000Z');
      assert.doesNotMatch(JSON.stringify(status), /Wq8#xZ2p/);
    });

    it('asks to use the pass to add a passkey, naming the end time in UTC', () => {
      const status = personalStatus({ user: userFacts([password, tap()]), now });
      assert.equal(status.nextStep.id, 'use-tap-to-add-passkey');
      assert.match(status.nextStep.text, /valid until 2025-03-01 18:00 UTC/);
    });

    it('prefers the pass over other phishable MFA (it was issued for this)', () => {
      assert.equal(personalStatus({ user: userFacts([password, phone, tap()]), now }).nextStep.id, 'use-tap-to-add-passkey');
    });

    it('ignores an expired, not yet started or already used pass', () => {
      const expired = tap({ startDateTime: '2025-02-28T10:00:00Z', lifetimeInMinutes: 60 });
      const future = tap({ startDateTime: '2025-03-02T10:00:00Z' });
      const used = tap({ isUsable: false, isUsableOnce: true, methodUsabilityReason: 'OneTimeUsed' });
      for (const pass of [expired, future, used]) {
        const status = personalStatus({ user: userFacts([password, pass]), now });
        assert.equal(status.tapActiveUntil, null);
        assert.equal(status.nextStep.id, 'get-mfa-first');
      }
    });

    it('still reports the active pass of someone who is already done', () => {
      const status = personalStatus({ user: userFacts([password, authenticatorPasskey, tap()]), now });
      assert.equal(status.tapActiveUntil, '2025-03-01T18:00:00.000Z');
      assert.equal(status.nextStep.id, 'done');
    });
  });

  it('tells someone whose account is disabled to contact the helpdesk, before anything else', () => {
    const status = personalStatus({ user: userFacts([password, authenticatorPasskey], { accountEnabled: false }), now });
    assert.equal(status.nextStep.id, 'account-disabled');
  });

  it('tells a guest to set up a passkey with their own organisation', () => {
    const status = personalStatus({ user: userFacts([], { userType: 'Guest', userPrincipalName: 'lynne_fabrikam.example#EXT#@contoso.example' }), now });
    assert.equal(status.methods.length, 0);
    assert.equal(status.nextStep.id, 'guest-account');
  });

  it('uses only next-step ids from the documented list', () => {
    const everyCase = [
      userFacts([password], { accountEnabled: false }),
      userFacts([], { userType: 'Guest' }),
      userFacts([authenticatorPasskey]),
      userFacts([tap()]),
      userFacts([phone]),
      userFacts([password]),
    ];
    const ids = everyCase.map((user) => personalStatus({ user, now }).nextStep.id);
    assert.deepEqual(ids, ['account-disabled', 'guest-account', 'done', 'use-tap-to-add-passkey', 'add-passkey', 'get-mfa-first']);
    assert.deepEqual([...ids].sort(), [...NEXT_STEP_IDS].sort());
  });
});
