import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { createDemoTenant, defaultFixturePath, loadFixture } from '../../../src/demoTenant';
import { requirementOf } from '../../../src/demoTenant/permissions';
import { signingKey } from '../../support/identityStandIn';

const TENANT = 'c0000000-0000-4000-8000-000000000000';
const ISSUER = `https://login.example.test/${TENANT}/v2.0`;

describe('Demo tenant strict mode: Graph bearer tokens and application permissions checked as Graph does', () => {
  const key = signingKey();
  let server: http.Server;
  let base: string;
  before(async () => {
    const demo = createDemoTenant(loadFixture(defaultFixturePath()), { strict: { keys: [key.publicJwk], issuers: [ISSUER], tenantId: TENANT } });
    server = http.createServer(demo.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: Record<string, unknown> = {}, signWith = key, expiresIn = 600) => {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ iss: ISSUER, aud: 'https://graph.microsoft.com', tid: TENANT, roles: ['User.Read.All'], iat: now, nbf: now, exp: now + expiresIn, ...claims }, signWith.privateKey, { algorithm: 'RS256', keyid: signWith.kid });
  };
  const get = async (path: string, bearer?: string) => {
    const response = await fetch(`${base}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string }; value?: unknown[] } };
  };

  it('answers a valid token that holds the permission', async () => {
    assert.equal((await get('/users?$top=1', token())).status, 200);
  });

  const refusals: Array<[string, () => string | undefined, RegExp]> = [
    ['no token', () => undefined, /empty/],
    ['an unsigned token', () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: 'https://graph.microsoft.com', tid: TENANT })).toString('base64url')}.`, /validation failure/],
    ['an expired token', () => token({}, key, -900), /expired/],
    ['a token for another audience', () => token({ aud: 'https://management.azure.com' }), /Invalid audience/],
    ['a token from another issuer', () => token({ iss: 'https://sts.example.org/other/v2.0' }), /validation failure/],
    ['a token from another tenant', () => token({ tid: '99999999-9999-4999-8999-999999999999' }), /another tenant/],
    ['a token signed with another key', () => token({}, signingKey()), /validation failure/],
  ];
  for (const [what, bearer, message] of refusals) {
    it(`refuses ${what} with 401 InvalidAuthenticationToken`, async () => {
      const { status, body } = await get('/users?$top=1', bearer());
      assert.equal(status, 401);
      assert.equal(body.error?.code, 'InvalidAuthenticationToken');
      assert.match(body.error?.message ?? '', message);
    });
  }

  it("answers a call whose permission the token's roles lack with Graph's 403 body", async () => {
    const { status, body } = await get('/policies/authenticationMethodsPolicy', token({ roles: ['User.Read.All'] }));
    assert.equal(status, 403);
    assert.equal(body.error?.code, 'Authorization_RequestDenied');
    assert.equal(body.error?.message, 'Insufficient privileges to complete the operation.');
  });

  it('accepts a higher privilege that Learn lists (UserAuthenticationMethod.ReadWrite.All for TAPs)', async () => {
    const user = 'c0000001-0000-4000-8000-000000000002';
    assert.equal((await get(`/users/${user}/authentication/temporaryAccessPassMethods`, token({ roles: ['UserAuthenticationMethod.ReadWrite.All'] }))).status, 200);
    assert.equal((await get(`/users/${user}/authentication/temporaryAccessPassMethods`, token({ roles: ['Policy.Read.All'] }))).status, 403);
  });

  it('lists directory roles with id and type only when the token may not read roles', async () => {
    const admin = 'debra@contoso.example';
    const limited = await get(`/users/${admin}/transitiveMemberOf`, token({ roles: ['User.Read.All'] }));
    const roles = (limited.body.value as Array<Record<string, unknown>>).filter((o) => o['@odata.type'] === '#microsoft.graph.directoryRole');
    assert.ok(roles.length > 0, 'Debra holds a role');
    for (const role of roles) assert.deepEqual(Object.keys(role).sort(), ['@odata.type', 'id']);
    const full = await get(`/users/${admin}/transitiveMemberOf`, token({ roles: ['User.Read.All', 'RoleManagement.Read.Directory'] }));
    assert.ok((full.body.value as Array<Record<string, unknown>>).some((o) => typeof o.roleTemplateId === 'string'));
  });

  it('cites a Learn page for every permission requirement', () => {
    const requirement = requirementOf('POST', '/users/{userId}/authentication/{collection}', { collection: 'temporaryAccessPassMethods' });
    assert.deepEqual(requirement?.anyOf, ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All']);
    assert.match(requirement?.learn ?? '', /^https:\/\/learn\.microsoft\.com\/en-us\/graph\/api\/authentication-post-temporaryaccesspassmethods/);
  });
});
