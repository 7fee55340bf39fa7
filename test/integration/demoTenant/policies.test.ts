import assert from 'node:assert/strict';
import { contoso, groupId, startDemo, type RunningDemo } from './helpers';

const MFA = '00000000-0000-0000-0000-000000000002';
const PASSWORDLESS = '00000000-0000-0000-0000-000000000003';
const PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';

describe('Demo tenant: tenant-wide policy reads', () => {
  const fixture = contoso();
  let running: RunningDemo;
  beforeEach(async () => {
    running = await startDemo();
  });
  afterEach(() => running.close());

  describe('authentication methods policy', () => {
    it('returns the policy with policyMigrationState and its method configurations inlined, as Graph expands them', async () => {
      const answer = await running.get('/policies/authenticationMethodsPolicy');
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#authenticationMethodsPolicy`);
      assert.equal(answer.body.id, 'authenticationMethodsPolicy');
      assert.equal(answer.body.policyMigrationState, 'migrationComplete');
      const ids = answer.body.authenticationMethodConfigurations.map((configuration: { id: string }) => configuration.id);
      for (const id of ['Fido2', 'MicrosoftAuthenticator', 'Sms', 'TemporaryAccessPass', 'Email', 'SoftwareOath']) assert.ok(ids.includes(id), id);
      assert.ok(answer.body.authenticationMethodConfigurations.every((configuration: { '@odata.type': string }) => configuration['@odata.type'].startsWith('#microsoft.graph.')));
    });

    it('returns one configuration by id, case-insensitively, with passkey profiles and targets’ allowed profiles', async () => {
      for (const id of ['Fido2', 'fido2', 'FIDO2']) {
        const answer = await running.get(`/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`);
        assert.equal(answer.status, 200, id);
        assert.equal(answer.body['@odata.type'], '#microsoft.graph.fido2AuthenticationMethodConfiguration');
      }
      const fido2 = (await running.get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2')).body;
      assert.equal(fido2.state, 'enabled');
      assert.equal(fido2.isSelfServiceRegistrationAllowed, true);
      assert.deepEqual(
        fido2.passkeyProfiles.map((profile: { name: string }) => profile.name),
        ['Default', 'Finance attested', 'Hardware keys only', 'Synced only'],
      );
      assert.equal(fido2.defaultPasskeyProfile, fido2.passkeyProfiles[0].id);
      const finance = fido2.includeTargets.find((target: { id: string }) => target.id === groupId(fixture, 'Finance'));
      const attested = fido2.passkeyProfiles.find((profile: { name: string }) => profile.name === 'Finance attested');
      assert.deepEqual(finance.allowedPasskeyProfiles, [attested.id]);
      assert.equal(attested.attestationEnforcement, 'registrationOnly');
      assert.deepEqual(fido2.excludeTargets.map((target: { id: string }) => target.id), [groupId(fixture, 'Contractors')]);

      const tap = (await running.get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/temporaryaccesspass')).body;
      assert.deepEqual(
        [tap.state, tap.isUsableOnce, tap.minimumLifetimeInMinutes, tap.maximumLifetimeInMinutes, tap.defaultLifetimeInMinutes, tap.defaultLength],
        ['enabled', false, 60, 480, 60, 8],
      );
      assert.equal((await running.get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Nope')).status, 404);
    });
  });

  describe('Conditional Access', () => {
    it('lists the policies, with an enabled, a report-only and a disabled one', async () => {
      const answer = await running.get('/identity/conditionalAccess/policies');
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#identity/conditionalAccess/policies`);
      const states = new Set(answer.body.value.map((policy: { state: string }) => policy.state));
      assert.deepEqual([...states].sort(), ['disabled', 'enabled', 'enabledForReportingButNotEnforced']);
    });

    it('expands a policy’s authentication strength, and reads one policy by id', async () => {
      const answer = await running.get('/identity/conditionalAccess/policies');
      const admins = answer.body.value.find((policy: { conditions: { users: { includeGroups: string[] } } }) => policy.conditions.users.includeGroups.includes(groupId(fixture, 'Admins Pilot')));
      assert.equal(admins.grantControls.authenticationStrength.id, PHISHING_RESISTANT);
      assert.deepEqual(admins.grantControls.authenticationStrength.allowedCombinations, ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']);
      const one = await running.get(`/identity/conditionalAccess/policies/${admins.id}`);
      assert.equal(one.body.displayName, admins.displayName);
      assert.equal((await running.get('/identity/conditionalAccess/policies/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    it('filters by state', async () => {
      const answer = await running.get(`/identity/conditionalAccess/policies?$filter=${encodeURIComponent("state eq 'enabled'")}`);
      assert.ok(answer.body.value.length > 0);
      assert.ok(answer.body.value.every((policy: { state: string }) => policy.state === 'enabled'));
    });
  });

  describe('authentication strengths', () => {
    it('always lists the three built-in strengths with their real combinations, then the custom ones', async () => {
      const answer = await running.get('/policies/authenticationStrengthPolicies');
      const byId = new Map(answer.body.value.map((strength: { id: string }) => [strength.id, strength]));
      const mfa = byId.get(MFA) as { allowedCombinations: string[]; policyType: string };
      assert.equal(mfa.policyType, 'builtIn');
      assert.ok(mfa.allowedCombinations.includes('temporaryAccessPassOneTime'));
      assert.ok(mfa.allowedCombinations.includes('password,microsoftAuthenticatorPush'));
      assert.deepEqual((byId.get(PASSWORDLESS) as { allowedCombinations: string[] }).allowedCombinations, ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush']);
      assert.deepEqual((byId.get(PHISHING_RESISTANT) as { allowedCombinations: string[] }).allowedCombinations, ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']);
      const custom = answer.body.value.filter((strength: { policyType: string }) => strength.policyType === 'custom');
      assert.equal(custom.length, fixture.authenticationStrengthPolicies.length);
      assert.ok(answer.body.value.every((strength: { combinationConfigurations: unknown }) => Array.isArray(strength.combinationConfigurations)));
    });

    it('serves a strength by id and its combinationConfigurations (fido2 AAGUID restrictions)', async () => {
      const customId = fixture.authenticationStrengthPolicies[0].id;
      const one = await running.get(`/policies/authenticationStrengthPolicies/${customId}`);
      assert.ok(one.body.allowedCombinations.includes('temporaryAccessPassMultiUse'));
      const configurations = await running.get(`/policies/authenticationStrengthPolicies/${customId}/combinationConfigurations`);
      const [fido2] = configurations.body.value;
      assert.equal(fido2['@odata.type'], '#microsoft.graph.fido2CombinationConfiguration');
      assert.deepEqual(fido2.appliesToCombinations, ['fido2']);
      assert.ok(fido2.allowedAAGUIDs.includes('90a3ccdf-635c-4729-a248-9b709135078f'));
      const single = await running.get(`/policies/authenticationStrengthPolicies/${customId}/combinationConfigurations/${fido2.id}`);
      assert.equal(single.body.id, fido2.id);
      assert.deepEqual((await running.get(`/policies/authenticationStrengthPolicies/${PHISHING_RESISTANT}/combinationConfigurations`)).body.value, []);
      assert.equal((await running.get('/policies/authenticationStrengthPolicies/nope')).status, 404);
    });

    it('filters strengths by policyType', async () => {
      const answer = await running.get(`/policies/authenticationStrengthPolicies?$filter=${encodeURIComponent("policyType eq 'builtIn'")}`);
      assert.deepEqual(answer.body.value.map((strength: { id: string }) => strength.id), [MFA, PASSWORDLESS, PHISHING_RESISTANT]);
    });
  });
});
