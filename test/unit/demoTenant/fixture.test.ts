import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultFixturePath, faultsFromEnv, loadFixture } from '../../../src/demoTenant';

describe('Demo tenant fixture loading', () => {
  let directory: string;
  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-fixture-'));
  });
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  function write(name: string, content: unknown): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  const tenant = { id: 't1', displayName: 'T', defaultDomain: 't.example' };
  const user = (id: string, upn: string, extra: Record<string, unknown> = {}) => ({ id, userPrincipalName: upn, displayName: id, ...extra });

  it('finds the bundled Contoso fixture and loads it', () => {
    assert.ok(defaultFixturePath().endsWith(path.join('src', 'demoTenant', 'fixtures', 'contoso.json')));
    const fixture = loadFixture(defaultFixturePath());
    assert.equal(fixture.tenant.defaultDomain, 'contoso.example');
  });

  it('treats absent keys as "none"', () => {
    const fixture = loadFixture(write('minimal.json', { tenant }));
    assert.deepEqual(fixture.users, []);
    assert.deepEqual(fixture.groups, []);
    assert.deepEqual(fixture.authenticationMethods, {});
    assert.deepEqual(fixture.conditionalAccessPolicies, []);
    assert.equal(fixture.faults, undefined);
    assert.equal(fixture.licences, undefined, 'licensed (Entra ID P1) unless the fixture says otherwise');
  });

  it('reads the licences key ({"entraIdP1": false}: a tenant without the premium licence)', () => {
    const fixture = loadFixture(write('unlicensed.json', { tenant, licences: { entraIdP1: false } }));
    assert.deepEqual(fixture.licences, { entraIdP1: false });
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['a missing tenant', { users: [] }, /tenant: Required/],
    ['a user without a UPN', { tenant, users: [user('u1', 'a@t.example'), { id: 'u2' }] }, /users\[1\]\.userPrincipalName: Required/],
    ['a duplicate user id', { tenant, users: [user('u1', 'a@t.example'), user('u1', 'b@t.example')] }, /users\[1\]\.id: duplicate id "u1"/],
    ['a manager who does not exist', { tenant, users: [user('u1', 'a@t.example', { managerId: 'ghost' })] }, /users\[0\]\.managerId: no user with id "ghost"/],
    ['a group member who does not exist', { tenant, users: [user('u1', 'a@t.example')], groups: [{ id: 'g1', displayName: 'G', memberIds: ['u1', 'ghost'] }] }, /groups\[0\]\.memberIds\[1\]: no user or group/],
    ['methods of an unknown user', { tenant, authenticationMethods: { ghost: [] } }, /authenticationMethods\["ghost"\]: no user with id "ghost"/],
    ['a method without @odata.type', { tenant, users: [user('u1', 'a@t.example')], authenticationMethods: { u1: [{ id: 'm1' }] } }, /authenticationMethods\["u1"\]\[0\]\.@odata\.type: Required/],
    ['a CA policy with an unknown state', { tenant, conditionalAccessPolicies: [{ id: 'p', displayName: 'P', state: 'on', conditions: {} }] }, /conditionalAccessPolicies\[0\]\.state/],
    ['a built-in strength listed as custom', { tenant, authenticationStrengthPolicies: [{ id: '00000000-0000-0000-0000-000000000004', displayName: 'X', allowedCombinations: ['fido2'] }] }, /authenticationStrengthPolicies\[0\]\.id: built-in/],
    ['a throttle rate above 1', { tenant, faults: { throttleRate: 1.5 } }, /faults\.throttleRate/],
    ['a licence flag that is not a boolean', { tenant, licences: { entraIdP1: 'no' } }, /licences\.entraIdP1/],
    ['an unknown licence', { tenant, licences: { entraIdP3: true } }, /licences/],
    ['an unknown top-level key', { tenant, userz: [] }, /userz: unknown top-level key/],
  ];
  for (const [what, content, message] of cases) {
    it(`names the bad path for ${what}`, () => {
      const file = write('bad.json', content);
      assert.throws(() => loadFixture(file), (error: Error) => {
        assert.match(error.message, message);
        assert.ok(error.message.includes(file), 'names the file');
        return true;
      });
    });
  }

  it('says when the file is not JSON or cannot be read', () => {
    assert.throws(() => loadFixture(write('broken.json', '{"tenant": ')), /not valid JSON/);
    assert.throws(() => loadFixture(path.join(directory, 'missing.json')), /Cannot read demo tenant fixture/);
  });
});

describe('Demo tenant faults from the environment', () => {
  it('is undefined when no variable is set', () => {
    assert.equal(faultsFromEnv({}), undefined);
  });

  it('reads latency, throttle and unavailable shares and Retry-After', () => {
    assert.deepEqual(
      faultsFromEnv({ DEMO_TENANT_LATENCY_MS: '25', DEMO_TENANT_THROTTLE_RATE: '0.1', DEMO_TENANT_UNAVAILABLE_RATE: '0.05', DEMO_TENANT_RETRY_AFTER_SECONDS: '2' }),
      { latencyMs: 25, throttleRate: 0.1, unavailableRate: 0.05, retryAfterSeconds: 2 },
    );
  });

  it('names the variable when a value is wrong', () => {
    assert.throws(() => faultsFromEnv({ DEMO_TENANT_THROTTLE_RATE: 'lots' }), /DEMO_TENANT_THROTTLE_RATE/);
    assert.throws(() => faultsFromEnv({ DEMO_TENANT_UNAVAILABLE_RATE: '3' }), /DEMO_TENANT_UNAVAILABLE_RATE/);
    assert.throws(() => faultsFromEnv({ DEMO_TENANT_LATENCY_MS: '-1' }), /DEMO_TENANT_LATENCY_MS/);
  });
});
