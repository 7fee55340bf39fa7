import assert from 'node:assert/strict';
import { createGraphPort, Deadline, GraphError, StaticTokenCredential, type GraphPortOptions, type TokenCredential } from '../../../src/graph';
import { fakeTime, graphError, ok, page, startStubGraph, type Route, type StubGraph } from './stubGraph';

const ADELE = {
  id: '11111111-0000-0000-0000-000000000001',
  displayName: 'Adele Vance',
  userPrincipalName: 'adele@contoso.example',
  accountEnabled: true,
  userType: 'Member',
};
const GROUP = { '@odata.type': '#microsoft.graph.group', id: 'group-1' };
const ROLE = { '@odata.type': '#microsoft.graph.directoryRole', id: 'role-obj-1', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10' };
const FIDO = { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'fido-1', aaGuid: '90a3ccdf-635c-4729-a248-9b709135078f' };
const PHONE = { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: 'phone-1', phoneNumber: '+1 555 0100' };

/** Answers the five per-user reads for Adele; `override` answers first when it returns something. */
function adeleRoute(override: (url: string) => ReturnType<Route> | undefined = () => undefined): Route {
  return ({ url }) => {
    const custom = override(url);
    if (custom) return custom;
    const path = url.split('?')[0];
    if (path === '/users/adele%40contoso.example') return ok(ADELE);
    if (path.endsWith('/manager')) return graphError(404, 'Request_ResourceNotFound', 'No manager');
    if (path.endsWith('/transitiveMemberOf')) return page([GROUP, ROLE]);
    if (path.endsWith('/authentication/methods')) return page([FIDO, PHONE]);
    if (path.endsWith('/managedDevices')) return page([{ id: 'dev-1', deviceName: 'iPhone', operatingSystem: 'iOS', osVersion: '17.5', complianceState: 'compliant', managedDeviceOwnerType: 'company' }]);
    return graphError(404, 'Request_ResourceNotFound', `Unknown ${url}`);
  };
}

describe('Graph port over HTTP (stand-in Graph server)', () => {
  let stub: StubGraph | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  async function portFor(route: Route, extra: Partial<GraphPortOptions> = {}) {
    stub = await startStubGraph(route);
    const time = fakeTime();
    const port = createGraphPort({
      baseUrl: stub.baseUrl,
      credential: new StaticTokenCredential('test-token'),
      tenantId: 'tenant-1',
      clock: time.clock,
      sleep: time.sleep,
      ...extra,
    });
    return { port, time, stub };
  }

  describe('loadUserFacts', () => {
    it('reads user, manager, memberships, methods and devices in one $batch, with the UPN URL-encoded', async () => {
      const { port, stub } = await portFor(adeleRoute());
      const facts = await port.loadUserFacts('adele@contoso.example');

      assert.equal(stub.requests.length, 1);
      assert.equal(stub.requests[0].method, 'POST');
      assert.equal(stub.requests[0].url, '/$batch');
      assert.equal(stub.requests[0].authorization, 'Bearer test-token');
      assert.equal(stub.batchItems.length, 7, "five directory reads and the two logs");
      const directoryItems = stub.batchItems.filter((i) => !i.url.startsWith('/auditLogs/'));
      assert.equal(directoryItems.length, 5);
      for (const item of directoryItems) assert.match(item.url, /^\/users\/adele%40contoso\.example(\/|\?|$)/);
      // The logs of the last 24 h ride along, by UPN when that is what we were given.
      assert.ok(stub.batchItems.some((i) => i.url.startsWith('/auditLogs/signIns?$filter=userPrincipalName%20eq%20\'adele%40contoso.example\'%20and%20createdDateTime%20ge%20')));
      assert.ok(stub.batchItems.some((i) => i.url.startsWith('/auditLogs/directoryAudits?$filter=')));
      const userItem = stub.batchItems.find((i) => i.url.startsWith('/users/adele%40contoso.example?'))!;
      assert.match(userItem.url, /\$select=[^&]*accountEnabled/);
      assert.match(userItem.url, /\$select=[^&]*authorizationInfo/);
      assert.ok(stub.batchItems.some((i) => /transitiveMemberOf\?\$select=id,roleTemplateId&\$top=999$/.test(i.url)));

      assert.equal(facts.user.id, ADELE.id);
      assert.equal(facts.user.accountEnabled, true);
      assert.equal(facts.manager, null);
      assert.deepEqual(facts.groupIds, ['group-1']);
      assert.deepEqual(facts.directoryRoleTemplateIds, ['62e90394-69f5-4237-9190-012177145e10']);
      assert.deepEqual(facts.methods.map((m) => m.id), ['fido-1', 'phone-1']);
      assert.equal(facts.managedDevices[0].osVersion, '17.5');
    });

    it('returns the manager when there is one', async () => {
      const { port } = await portFor(adeleRoute((url) => (url.includes('/manager') ? ok({ '@odata.type': '#microsoft.graph.user', id: 'm-1', displayName: 'Nestor Wilke', userPrincipalName: 'nestor@contoso.example' }) : undefined)));
      const facts = await port.loadUserFacts('adele@contoso.example');
      assert.deepEqual(facts.manager, { id: 'm-1', displayName: 'Nestor Wilke', userPrincipalName: 'nestor@contoso.example' });
    });

    it('follows @odata.nextLink of a batched collection that has more pages, and only then', async () => {
      const { port, stub } = await portFor(
        adeleRoute((url) => {
          if (url.endsWith('/transitiveMemberOf?$select=id,roleTemplateId&$top=999')) {
            return page([GROUP], `${stub.baseUrl}/users/adele%40contoso.example/transitiveMemberOf?$skiptoken=p2`);
          }
          if (url.includes('$skiptoken=p2')) return page([{ '@odata.type': '#microsoft.graph.group', id: 'group-2' }]);
          return undefined;
        }),
      );
      const facts = await port.loadUserFacts('adele@contoso.example');
      assert.deepEqual(facts.groupIds, ['group-1', 'group-2']);
      assert.equal(stub.requests.length, 2);
      assert.equal(stub.requests[1].method, 'GET');
      assert.equal(stub.requests[1].url, '/users/adele%40contoso.example/transitiveMemberOf?$skiptoken=p2');
    });

    it('says clearly that there is no such user when Graph answers 404 for the user', async () => {
      const { port } = await portFor(() => graphError(404, 'Request_ResourceNotFound', "Resource 'nobody@contoso.example' does not exist"));
      await assert.rejects(port.loadUserFacts('nobody@contoso.example'), (error: GraphError) => {
        assert.ok(error instanceof GraphError);
        assert.equal(error.status, 404);
        assert.equal(error.code, 'Request_ResourceNotFound');
        assert.ok(error.isNotFound);
        assert.match(error.message, /no user nobody@contoso\.example/);
        return true;
      });
    });

    it('retries only the batch items Graph throttled, after their Retry-After', async () => {
      let methodsCalls = 0;
      const { port, stub, time } = await portFor(
        adeleRoute((url) => {
          if (!url.endsWith('/authentication/methods')) return undefined;
          methodsCalls++;
          return methodsCalls === 1 ? graphError(429, 'TooManyRequests', 'Throttled', { 'Retry-After': '1' }) : undefined;
        }),
      );
      const facts = await port.loadUserFacts('adele@contoso.example');
      assert.equal(facts.methods.length, 2);
      assert.equal(stub.requests.length, 2, 'two $batch requests');
      assert.equal(stub.batchItems.length, 8, 'the second batch holds only the throttled item');
      assert.match(stub.batchItems[7].url, /\/authentication\/methods$/);
      assert.deepEqual(time.sleeps, [1000]);
    });

    it('fails with deadlineExceeded when a throttled batch item would have to wait past the deadline', async () => {
      const { port, stub, time } = await portFor(
        adeleRoute((url) => (url.endsWith('/authentication/methods') ? graphError(429, 'TooManyRequests', 'Throttled', { 'Retry-After': '30' }) : undefined)),
      );
      await assert.rejects(port.loadUserFacts('adele@contoso.example'), { name: 'GraphError', code: 'deadlineExceeded', status: 0 });
      assert.equal(stub.requests.length, 1);
      assert.deepEqual(time.sleeps, []);
    });
  });

  describe('retries of whole requests', () => {
    it('retries a throttled read after Retry-After seconds', async () => {
      let calls = 0;
      const { port, stub, time } = await portFor(() => (++calls === 1 ? graphError(429, 'TooManyRequests', 'Slow down', { 'Retry-After': '1' }) : page([FIDO])));
      const methods = await port.listAuthenticationMethods('u-1');
      assert.equal(methods.length, 1);
      assert.equal(stub.requests.length, 2);
      assert.deepEqual(time.sleeps, [1000]);
    });

    it('honours a Retry-After given as an HTTP date', async () => {
      let calls = 0;
      let retryAt = '';
      const { port, time } = await portFor(() => (++calls === 1 ? graphError(429, 'TooManyRequests', 'Slow down', { 'Retry-After': retryAt }) : page([])));
      retryAt = new Date(time.now + 2000).toUTCString();
      await port.listAuthenticationMethods('u-1');
      assert.deepEqual(time.sleeps, [2000]);
    });

    it('retries a read on 503 and 504 with backoff', async () => {
      let calls = 0;
      const { port, stub, time } = await portFor(() => {
        calls++;
        if (calls === 1) return graphError(503, 'serviceNotAvailable', 'Busy');
        if (calls === 2) return graphError(504, 'gatewayTimeout', 'Slow');
        return page([PHONE]);
      });
      await port.listAuthenticationMethods('u-1');
      assert.equal(stub.requests.length, 3);
      assert.equal(time.sleeps.length, 2);
      assert.ok(time.sleeps[1] > time.sleeps[0], 'backoff grows');
    });

    it('gives up on a read after a bounded number of retries and reports the last error', async () => {
      const { port, stub } = await portFor(() => graphError(503, 'serviceNotAvailable', 'Busy'));
      await assert.rejects(port.listAuthenticationMethods('u-1'), { code: 'serviceNotAvailable', status: 503 });
      assert.equal(stub.requests.length, 4);
    });

    it('never retries the TAP creation POST on 503 (it may have been processed)', async () => {
      const { port, stub } = await portFor(() => graphError(503, 'serviceNotAvailable', 'Busy'));
      await assert.rejects(port.createTemporaryAccessPass('u-1', { lifetimeInMinutes: 60, isUsableOnce: false }), { status: 503 });
      assert.equal(stub.requests.length, 1);
    });

    it('retries the TAP creation POST on 429 (rejected before processing)', async () => {
      let calls = 0;
      const { port, stub } = await portFor(({ method, body }) => {
        assert.equal(method, 'POST');
        assert.deepEqual(body, { lifetimeInMinutes: 60, isUsableOnce: false });
        return ++calls === 1
          ? graphError(429, 'TooManyRequests', 'Slow down', { 'Retry-After': '1' })
          : { status: 201, body: { id: 'tap-1', temporaryAccessPass: 'Secret#123', createdDateTime: '2025-01-01T00:00:00Z', startDateTime: '2025-01-01T00:00:00Z', lifetimeInMinutes: 60, isUsableOnce: false, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' } };
      });
      const tap = await port.createTemporaryAccessPass('u-1', { lifetimeInMinutes: 60, isUsableOnce: false });
      assert.equal(tap.temporaryAccessPass, 'Secret#123');
      assert.equal(tap.lifetimeInMinutes, 60);
      assert.equal(stub.requests.length, 2);
    });

    it('fails with deadlineExceeded at once when Retry-After is longer than the time left', async () => {
      const { port, stub, time } = await portFor(() => graphError(429, 'TooManyRequests', 'Slow down', { 'Retry-After': '30' }));
      const deadline = new Deadline(8000, time.now);
      await assert.rejects(port.listAuthenticationMethods('u-1', { deadline }), (error: GraphError) => {
        assert.equal(error.code, 'deadlineExceeded');
        assert.equal(error.status, 0);
        return true;
      });
      assert.equal(stub.requests.length, 1);
      assert.deepEqual(time.sleeps, []);
    });

    it('aborts an attempt that outlives the deadline', async () => {
      const { port } = await portFor(() => ({ status: 200, hang: true }), { clock: Date.now, sleep: undefined });
      await assert.rejects(port.listAuthenticationMethods('u-1', { deadline: new Deadline(300) }), { code: 'deadlineExceeded' });
    });

    it('sends nothing once the deadline has passed', async () => {
      const { port, stub, time } = await portFor(() => page([]));
      await assert.rejects(port.listAuthenticationMethods('u-1', { deadline: new Deadline(0, time.now) }), { code: 'deadlineExceeded' });
      assert.equal(stub.requests.length, 0);
    });
  });

  describe('errors', () => {
    it("maps Graph's error body to status, code and request id", async () => {
      const { port } = await portFor(() => graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
      await assert.rejects(port.listAuthenticationMethods('u-1'), (error: GraphError) => {
        assert.ok(error instanceof GraphError);
        assert.equal(error.status, 403);
        assert.equal(error.code, 'Authorization_RequestDenied');
        assert.equal(error.requestId, 'req-Authorization_RequestDenied');
        assert.match(error.message, /Insufficient privileges/);
        assert.doesNotMatch(error.message, /test-token/);
        return true;
      });
    });

    it('maps an error without a Graph body by its status', async () => {
      const { port } = await portFor(() => ({ status: 500, body: undefined, headers: { 'request-id': 'abc' } }));
      await assert.rejects(port.listGroupUsers('g-1'), { status: 500, code: 'http500', requestId: 'abc' });
    });

    it('answers 401 authenticationFailed, sending nothing, when the credential cannot give a token', async () => {
      const failing: TokenCredential = {
        async getToken() {
          const error = new Error('AADSTS7000215: Invalid client secret provided.');
          error.name = 'AuthenticationRequiredError';
          throw error;
        },
      };
      const { port, stub } = await portFor(() => page([]), { credential: failing });
      await assert.rejects(port.listAuthenticationMethods('u-1'), (error: GraphError) => {
        assert.equal(error.status, 401);
        assert.equal(error.code, 'authenticationFailed');
        assert.doesNotMatch(error.message, /secret/i);
        return true;
      });
      assert.equal(stub.requests.length, 0);
    });

    it("passes Graph's 401 through when the token is refused", async () => {
      const { port } = await portFor(({ authorization }) =>
        authorization === 'Bearer test-token' ? page([]) : graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
        { credential: new StaticTokenCredential('') },
      );
      await assert.rejects(port.listAuthenticationMethods('u-1'), { status: 401, code: 'InvalidAuthenticationToken' });
    });

    it('reports a network failure as networkError', async () => {
      const { port, stub } = await portFor(() => page([]));
      await stub.close();
      await assert.rejects(port.listAuthenticationMethods('u-1'), { status: 0, code: 'networkError' });
    });
  });

  describe('tenant facts cache', () => {
    const tenantRoute: Route = ({ url }) => {
      const path = url.split('?')[0];
      if (path === '/policies/authenticationMethodsPolicy') {
        return ok({ id: 'authenticationMethodsPolicy', policyMigrationState: 'migrationComplete', authenticationMethodConfigurations: [{ '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', id: 'Fido2', state: 'enabled' }] });
      }
      if (path === '/identity/conditionalAccess/policies') return page([{ id: 'ca-1', state: 'enabled', displayName: 'Require compliant device' }]);
      if (path === '/policies/authenticationStrengthPolicies') {
        return page([
          { id: '00000000-0000-0000-0000-000000000004', policyType: 'builtIn', allowedCombinations: ['fido2'], combinationConfigurations: [] },
          { id: 'custom-1', policyType: 'custom', allowedCombinations: ['fido2'] },
        ]);
      }
      if (path === '/policies/authenticationStrengthPolicies/custom-1/combinationConfigurations') {
        return page([{ '@odata.type': '#microsoft.graph.fido2CombinationConfiguration', id: 'cc-1', appliesToCombinations: ['fido2'], allowedAAGUIDs: ['90a3ccdf-635c-4729-a248-9b709135078f'] }]);
      }
      if (path === '/servicePrincipals') {
        assert.match(decodeURIComponent(url), /\$filter=appId eq '6aa00308-ea33-4caa-90d6-ae905d8cb51b'/);
        return page([{ id: 'sp-1', appId: '6aa00308-ea33-4caa-90d6-ae905d8cb51b' }]);
      }
      return graphError(404, 'Request_ResourceNotFound', url);
    };

    it('reads policy, CA policies, strengths and the registration app in one $batch', async () => {
      const { port, stub } = await portFor(tenantRoute);
      const facts = await port.loadTenantFacts();
      assert.equal(facts.tenantId, 'tenant-1');
      assert.equal(facts.authenticationMethodsPolicy.policyMigrationState, 'migrationComplete');
      assert.equal(facts.authenticationMethodsPolicy.authenticationMethodConfigurations[0].id, 'Fido2');
      assert.equal(facts.conditionalAccessPolicies[0].id, 'ca-1');
      assert.equal(facts.authenticatorCredentialRegistrationServicePrincipalExists, true);
      const custom = facts.authenticationStrengthPolicies.find((s) => s.id === 'custom-1')!;
      assert.deepEqual(custom.combinationConfigurations?.[0].allowedAAGUIDs, ['90a3ccdf-635c-4729-a248-9b709135078f']);
      assert.deepEqual(stub.requests.map((r) => r.url), ['/$batch', '/$batch'], 'a second batch only for a custom strength listed without its configurations');
      assert.equal(stub.batchItems.length, 5);
    });

    it('serves tenant facts from the cache within the TTL, reads again after it, and bypasses it when fresh', async () => {
      const { port, stub, time } = await portFor(tenantRoute, { tenantCacheTtlMs: 60_000 });
      await port.loadTenantFacts();
      const afterFirst = stub.requests.length;
      await port.loadTenantFacts();
      time.now += 59_000;
      await port.loadTenantFacts();
      assert.equal(stub.requests.length, afterFirst, 'no request within the TTL');

      await port.loadTenantFacts({ fresh: true });
      assert.equal(stub.requests.length, afterFirst * 2, 'fresh reads again');

      time.now += 60_000;
      await port.loadTenantFacts();
      assert.equal(stub.requests.length, afterFirst * 3, 'expired entry is read again');
    });

    it('lets concurrent callers share one read', async () => {
      const { port, stub } = await portFor(tenantRoute);
      const [a, b, c] = await Promise.all([port.loadTenantFacts(), port.loadTenantFacts(), port.loadTenantFacts()]);
      assert.equal(a, b);
      assert.equal(b, c);
      assert.equal(stub.requests.length, 2);
    });

    it('gives "Check again" (fresh) its own read even while another is in flight', async () => {
      const { port, stub } = await portFor(tenantRoute);
      const [shared, fresh] = await Promise.all([port.loadTenantFacts(), port.loadTenantFacts({ fresh: true })]);
      assert.notEqual(shared, fresh);
      assert.equal(stub.requests.length, 4, 'two reads of two batches each');
      assert.equal(await port.loadTenantFacts(), fresh, 'the newest read is cached');
    });

    it('does not cache a failed read', async () => {
      let fail = true;
      const { port } = await portFor((request) => (fail ? graphError(403, 'Authorization_RequestDenied', 'No') : tenantRoute(request)));
      await assert.rejects(port.loadTenantFacts(), { status: 403 });
      fail = false;
      const facts = await port.loadTenantFacts();
      assert.equal(facts.conditionalAccessPolicies.length, 1);
    });
  });

  describe('other reads and writes', () => {
    it('collects every page of a group’s transitive members, users only', async () => {
      const { port, stub } = await portFor(({ url }) => {
        const n = Number(/\$skiptoken=(\d+)/.exec(url)?.[1] ?? '0');
        const users = [0, 1].map((i) => ({ '@odata.type': '#microsoft.graph.user', id: `u-${n}-${i}`, displayName: `User ${n}.${i}`, userPrincipalName: `u${n}${i}@contoso.example` }));
        const nested = { '@odata.type': '#microsoft.graph.group', id: `g-${n}` };
        return page([...users, nested], n < 5 ? `${stub.baseUrl}/groups/g-1/transitiveMembers?$skiptoken=${n + 1}` : undefined);
      });
      const members = await port.listGroupUsers('g-1');
      assert.equal(members.length, 12);
      assert.equal(stub.requests.length, 6);
      assert.deepEqual(members[0], { id: 'u-0-0', displayName: 'User 0.0', userPrincipalName: 'u00@contoso.example' });
    });

    it('pages the registration report with $top and @odata.nextLink', async () => {
      const { port, stub } = await portFor(({ url }) => {
        const n = Number(/\$skiptoken=(\d+)/.exec(url)?.[1] ?? '0');
        const rows = [{ id: `r-${n}`, userPrincipalName: `r${n}@contoso.example`, userDisplayName: `R ${n}`, methodsRegistered: ['passKeyDeviceBound'] }];
        return page(rows, n < 3 ? `${stub.baseUrl}/reports/authenticationMethods/userRegistrationDetails?$top=1&$skiptoken=${n + 1}` : undefined);
      });
      const pages: string[][] = [];
      for await (const rows of port.userRegistrationDetails({ pageSize: 1 })) pages.push(rows.map((r) => r.id));
      assert.deepEqual(pages, [['r-0'], ['r-1'], ['r-2'], ['r-3']]);
      assert.equal(stub.requests[0].url, '/reports/authenticationMethods/userRegistrationDetails?$top=1');
    });

    it('finds a user by id or UPN, and a guest by e-mail; null when nobody matches', async () => {
      const { port, stub } = await portFor(({ url }) => {
        if (url.startsWith('/users/adele%40contoso.example?')) return ok(ADELE);
        if (url.startsWith('/users?$filter=')) {
          return decodeURIComponent(url).includes("mail eq 'lynne@fabrikam.example'")
            ? page([{ id: 'g-1', userPrincipalName: 'lynne_fabrikam.example#EXT#@contoso.example', userType: 'Guest', accountEnabled: true }])
            : page([]);
        }
        return graphError(404, 'Request_ResourceNotFound', 'No such user');
      });
      assert.equal((await port.findUser('adele@contoso.example'))?.id, ADELE.id);
      assert.equal((await port.findUser('lynne@fabrikam.example'))?.userType, 'Guest');
      assert.equal(await port.findUser('nobody@contoso.example'), null);
      assert.equal(await port.findUser('00000000-0000-0000-0000-00000000dead'), null);
      assert.ok(stub.requests.every((r) => r.method === 'GET'));
    });

    it('finds a group by object id or by exact display name; null when none', async () => {
      const HELPDESK = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: "Passkey Helpdesk's team" };
      const { port, stub } = await portFor(({ url }) => {
        if (url.startsWith(`/groups/${HELPDESK.id}?`)) return ok(HELPDESK);
        if (url.startsWith('/groups?$filter=')) {
          return decodeURIComponent(url).includes("displayName eq 'Passkey Helpdesk''s team'") ? page([HELPDESK]) : page([]);
        }
        return graphError(404, 'Request_ResourceNotFound', 'No such group');
      });
      assert.deepEqual(await port.findGroup(HELPDESK.id), HELPDESK);
      assert.deepEqual(await port.findGroup("Passkey Helpdesk's team"), HELPDESK);
      assert.equal(await port.findGroup('Nobody'), null);
      assert.equal(await port.findGroup('aaaaaaaa-0000-4000-8000-00000000dead'), null);
      assert.equal(stub.requests.length, 4);
    });

    it('checks transitive membership with one request', async () => {
      const { port, stub } = await portFor(() => page([GROUP, ROLE]));
      assert.equal(await port.isTransitiveMemberOf('u-1', 'group-1'), true);
      assert.equal(await port.isTransitiveMemberOf('u-1', 'group-2'), false);
      assert.equal(stub.requests.length, 2);
    });

    it('lists TAPs without any value', async () => {
      const { port } = await portFor(() => page([{ id: 'tap-1', temporaryAccessPass: null, createdDateTime: 'c', startDateTime: 's', lifetimeInMinutes: 60, isUsableOnce: true, isUsable: false, methodUsabilityReason: 'OneTimeUsed' }]));
      const [tap] = await port.listTemporaryAccessPasses('u-1');
      assert.equal('temporaryAccessPass' in tap, false);
      assert.equal(tap.methodUsabilityReason, 'OneTimeUsed');
      assert.equal(tap.isUsable, false);
    });

    it('deletes a method through its typed collection, treats "already gone" as deleted, refuses unknown types', async () => {
      const { port, stub } = await portFor(({ method, url }) => {
        assert.equal(method, 'DELETE');
        return url.endsWith('/gone') ? graphError(404, 'itemNotFound', 'Gone') : { status: 204 };
      });
      await port.deleteAuthenticationMethod('u-1', { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'ma-1' });
      await port.deleteAuthenticationMethod('u-1', { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'gone' });
      await port.deleteTemporaryAccessPass('u-1', 'tap-1');
      await assert.rejects(port.deleteAuthenticationMethod('u-1', { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: 'pw' }), { code: 'methodNotDeletable' });
      assert.deepEqual(stub.requests.map((r) => r.url), [
        '/users/u-1/authentication/microsoftAuthenticatorMethods/ma-1',
        '/users/u-1/authentication/fido2Methods/gone',
        '/users/u-1/authentication/temporaryAccessPassMethods/tap-1',
      ]);
    });

    it('never retries a DELETE on 503', async () => {
      const { port, stub } = await portFor(() => graphError(503, 'serviceNotAvailable', 'Busy'));
      await assert.rejects(port.deleteTemporaryAccessPass('u-1', 'tap-1'), { status: 503 });
      assert.equal(stub.requests.length, 1);
    });

    it('pings true when Graph answers and false when it does not', async () => {
      const { port, stub } = await portFor(() => page([{ id: 'x' }]));
      assert.equal(await port.ping(), true);
      await stub.close();
      assert.equal(await port.ping(), false);
    });
  });
});
