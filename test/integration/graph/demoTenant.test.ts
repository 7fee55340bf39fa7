/**
 * The Graph port against the demo tenant (the Graph emulator) over real HTTP: round trips counted
 * with the demo tenant's own request counter, faults injected with a deterministic `random`.
 */
import assert from 'node:assert/strict';
import { createDemoTenant, defaultFixturePath, loadFixture } from '../../../src/demoTenant';
import { AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID } from '../../../src/directory/facts';
import { createGraphCredential, createGraphPort, Deadline, GraphError, type GraphPortOptions } from '../../../src/graph';
import { listenHttp, type Listening } from '../../../src/server';

type DemoOptions = Parameters<typeof createDemoTenant>[1];

/** Draws that cycle through the given values: 0 → fault, 0.99 → no fault (with rates well below 1). */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('Graph port against the demo tenant', () => {
  const fixture = loadFixture(defaultFixturePath());
  let listening: Listening | undefined;

  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  async function start(demoOptions: DemoOptions = {}, portOptions: Partial<GraphPortOptions> = {}) {
    const demo = createDemoTenant(fixture, demoOptions);
    listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    const sleeps: number[] = [];
    const port = createGraphPort({
      baseUrl: `${listening.url}/v1.0`,
      credential: createGraphCredential({ kind: 'demo' }),
      tenantId: demo.tenantId,
      // Retries are counted, not waited for.
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...portOptions,
    });
    return { demo, port, sleeps };
  }

  it('reads a persona’s facts in one $batch round trip', async () => {
    const { demo, port } = await start();
    demo.resetStats();
    const facts = await port.loadUserFacts('adele@contoso.example');
    assert.equal(demo.stats.requests, 1);
    assert.equal(demo.stats.batchItems, 7);
    assert.equal(facts.user.userPrincipalName, 'adele@contoso.example');
    assert.equal(facts.user.accountEnabled, true);
    assert.equal(facts.user.userType, 'Member');
    assert.ok(facts.methods.some((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod'));
    assert.ok(facts.managedDevices.some((d) => d.operatingSystem === 'iOS' && d.complianceState === 'compliant'));
  });

  it('reads the manager, the nested groups and the directory roles', async () => {
    const { port } = await start();
    const alex = await port.loadUserFacts('alex@contoso.example');
    assert.equal(alex.manager?.userPrincipalName, 'nestor@contoso.example');
    const allan = await port.loadUserFacts('allan@contoso.example');
    assert.ok(allan.directoryRoleTemplateIds.includes('62e90394-69f5-4237-9190-012177145e10'), 'Global Administrator');
    const sales = fixture.groups?.find((g: { displayName: string }) => g.displayName === 'Sales');
    const pilot = fixture.groups?.find((g: { displayName: string }) => g.displayName === 'Passkey Pilot');
    assert.ok(sales && pilot);
    const diego = await port.loadUserFacts('diego@contoso.example');
    assert.ok(diego.groupIds.includes(sales.id), 'Diego is in Sales');
    assert.ok(diego.groupIds.includes(pilot.id), 'Sales is nested in Passkey Pilot');
  });

  it('says there is no such user with a 404 Request_ResourceNotFound', async () => {
    const { port } = await start();
    await assert.rejects(port.loadUserFacts('nobody@contoso.example'), (error: GraphError) => {
      assert.equal(error.status, 404);
      assert.equal(error.code, 'Request_ResourceNotFound');
      return true;
    });
  });

  it('diagnoses cold in two round trips and warm in one', async () => {
    const { demo, port } = await start();
    demo.resetStats();
    await Promise.all([port.loadUserFacts('grady@contoso.example'), port.loadTenantFacts()]);
    assert.equal(demo.stats.requests, 2, 'cold: user batch + tenant batch');
    demo.resetStats();
    await Promise.all([port.loadUserFacts('grady@contoso.example'), port.loadTenantFacts()]);
    assert.equal(demo.stats.requests, 1, 'warm: user batch only');
    demo.resetStats();
    await port.loadTenantFacts({ fresh: true });
    assert.equal(demo.stats.requests, 1, '"Check again" reads the policy again');
  });

  it('reads the tenant policy the diagnosis needs', async () => {
    const { port, demo } = await start();
    const tenant = await port.loadTenantFacts();
    assert.equal(tenant.tenantId, demo.tenantId);
    assert.equal(tenant.authenticationMethodsPolicy.policyMigrationState, 'migrationComplete');
    const fido2 = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find((c) => c.id === 'Fido2');
    assert.ok(fido2, 'Fido2 configuration');
    assert.ok((fido2.passkeyProfiles ?? []).length >= 4, 'passkey profiles');
    const tap = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find((c) => c.id === 'TemporaryAccessPass');
    assert.equal(tap?.isUsableOnce, false);
    const strengthIds = tenant.authenticationStrengthPolicies.map((s) => s.id);
    for (const builtIn of ['00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004']) {
      assert.ok(strengthIds.includes(builtIn), `built-in strength ${builtIn}`);
    }
    assert.ok(tenant.authenticationStrengthPolicies.every((s) => Array.isArray(s.combinationConfigurations)));
    assert.ok(tenant.conditionalAccessPolicies.some((p) => p.state === 'enabled'));
    const registrationAppInFixture = (fixture.servicePrincipals ?? []).some((sp: { appId: string }) => sp.appId === AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID);
    assert.equal(tenant.authenticatorCredentialRegistrationServicePrincipalExists, registrationAppInFixture);
  });

  it('follows server-driven paging across many pages', async () => {
    const { demo, port } = await start({ pageSize: 2 });
    const users = fixture.users.filter((u: { accountEnabled?: boolean }) => u.accountEnabled !== false);
    demo.resetStats();
    const rows: string[] = [];
    let pages = 0;
    for await (const page of port.userRegistrationDetails({ pageSize: 2 })) {
      pages++;
      rows.push(...page.map((r) => r.userPrincipalName));
    }
    assert.equal(rows.length, users.length, 'disabled accounts are left out');
    assert.equal(new Set(rows).size, rows.length, 'no row twice');
    assert.equal(pages, Math.ceil(users.length / 2));
    assert.equal(demo.stats.requests, pages);

    const helpdesk = fixture.groups?.find((g: { displayName: string }) => g.displayName === 'Passkey Helpdesk');
    assert.ok(helpdesk);
    const members = await port.listGroupUsers(helpdesk.id);
    assert.deepEqual(members.map((m) => m.userPrincipalName).sort(), ['debra@contoso.example', 'pradeep@contoso.example']);
  });

  describe('sign-in evidence beyond the first page (50 entries)', () => {
    const ISAIAH = 'isaiah@contoso.example';
    /** `count` successful sign-ins to Teams in the last hour: newer than anything else in the log. */
    function busy(demo: Awaited<ReturnType<typeof start>>['demo'], count: number): void {
      const userId = demo.state.findUser(ISAIAH)!.id;
      for (let i = 0; i < count; i++) {
        demo.state.signIns.push({
          id: `busy-${i}`,
          createdDateTime: new Date(Date.now() - i * 1000).toISOString(),
          userId,
          userPrincipalName: ISAIAH,
          appDisplayName: 'Microsoft Teams',
          isInteractive: true,
          status: { errorCode: 0 },
        });
      }
    }
    async function blockedAttempt(): Promise<void> {
      const response = await fetch(`${listening!.url}/_demo/users/${encodeURIComponent(ISAIAH)}/attemptRegistration`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
      });
      assert.equal(response.status, 200);
    }

    it('a person with a quiet day: the first page holds everything, no request beyond the $batch', async () => {
      const { demo, port } = await start();
      await blockedAttempt();
      demo.resetStats();
      const facts = await port.loadUserFacts(ISAIAH);
      assert.equal(demo.stats.requests, 1);
      assert.equal(facts.evidence?.status === 'read' && facts.evidence.signIns.filter((s) => s.status?.errorCode === 53000).length, 1);
    });

    it('a busy person: a failure behind 120 newer sign-ins is still read (1 $batch + 2 pages, Prefer kept on them)', async () => {
      const { demo, port } = await start();
      await blockedAttempt();
      // Older than the busy hour: the failure is the 121st newest entry.
      demo.state.signIns[demo.state.signIns.length - 1].createdDateTime = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
      busy(demo, 120);
      demo.resetStats();
      const facts = await port.loadUserFacts(ISAIAH);
      assert.equal(demo.stats.requests, 3, 'the $batch and two further pages of 50');
      assert.equal(demo.stats.byPath.get('GET /auditLogs/signIns'), 3, 'one batched, two direct');
      assert.ok(facts.evidence?.status === 'read');
      assert.equal(facts.evidence.signIns.length, 121);
      const failure = facts.evidence.signIns.find((s) => s.status?.errorCode === 53000);
      assert.ok(failure, 'the failure was read');
      assert.ok(
        failure.appliedConditionalAccessPolicies?.some((p) => p.result === 'reportOnlyFailure'),
        'the report-only policy stays visible on a further page (Prefer: include-unknown-enum-members)',
      );
    });

    it('reads at most four further pages, however busy the day', async () => {
      const { demo, port } = await start();
      busy(demo, 400);
      demo.resetStats();
      const facts = await port.loadUserFacts(ISAIAH);
      assert.equal(demo.stats.requests, 5, 'the $batch and four further pages');
      assert.equal(facts.evidence?.status === 'read' && facts.evidence.signIns.length, 250);
    });
  });

  it('follows the next link of a batched collection with more pages', async () => {
    const { demo, port } = await start({ pageSize: 1 });
    demo.resetStats();
    const facts = await port.loadUserFacts('grady@contoso.example');
    const memberships = facts.groupIds.length + facts.directoryRoleTemplateIds.length;
    assert.ok(memberships >= 2, 'Grady is in more than one group');
    assert.ok(demo.stats.requests > 1, 'extra requests for the extra pages');
  });

  it('retries throttled batch items honouring Retry-After and still answers', async () => {
    // The outer $batch passes, then its first item is throttled; the rest pass.
    const { demo, port, sleeps } = await start({ faults: { throttleRate: 0.5, retryAfterSeconds: 1 }, random: draws(0.99, 0, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99) });
    demo.resetStats();
    const facts = await port.loadUserFacts('adele@contoso.example');
    assert.equal(facts.user.userPrincipalName, 'adele@contoso.example');
    assert.ok(demo.stats.requests >= 2, 'a second $batch for the throttled item');
    assert.ok(sleeps.includes(1000), 'waited Retry-After: 1');
  });

  it('gives up with deadlineExceeded rather than wait past the deadline', async () => {
    const { port, sleeps } = await start({ faults: { throttleRate: 1, retryAfterSeconds: 30 } });
    await assert.rejects(port.loadUserFacts('adele@contoso.example', { deadline: new Deadline(8000) }), { code: 'deadlineExceeded' });
    assert.deepEqual(sleeps, []);
  });

  it('creates a TAP under the policy, shows its value only once, and deletes it', async () => {
    const { port, demo } = await start();
    demo.resetStats();
    const tap = await port.createTemporaryAccessPass('alex@contoso.example', { lifetimeInMinutes: 60, isUsableOnce: false });
    assert.equal(demo.stats.requests, 1);
    assert.ok(tap.temporaryAccessPass.length >= 8);
    const listed = await port.listTemporaryAccessPasses('alex@contoso.example');
    assert.deepEqual(listed.map((t) => t.id), [tap.id]);
    assert.equal(JSON.stringify(listed).includes(tap.temporaryAccessPass), false);
    await port.deleteTemporaryAccessPass('alex@contoso.example', tap.id);
    assert.deepEqual(await port.listTemporaryAccessPasses('alex@contoso.example'), []);
  });

  it('does not retry the TAP creation POST on 503', async () => {
    const { port, demo } = await start({ faults: { unavailableRate: 1 } });
    demo.resetStats();
    await assert.rejects(port.createTemporaryAccessPass('alex@contoso.example', { lifetimeInMinutes: 60, isUsableOnce: false }), { status: 503 });
    assert.equal(demo.stats.requests, 1);
  });

  it('maps a policy refusal to a GraphError with Graph’s code', async () => {
    const { port } = await start();
    // Lifetime above the policy's 480-minute maximum.
    await assert.rejects(port.createTemporaryAccessPass('alex@contoso.example', { lifetimeInMinutes: 10_000, isUsableOnce: false }), (error: GraphError) => {
      assert.equal(error.status, 400);
      assert.ok(error.code.length > 0);
      assert.ok(error.requestId);
      return true;
    });
  });

  it('deletes a registered method through its typed collection', async () => {
    const { port } = await start();
    const methods = await port.listAuthenticationMethods('joni@contoso.example');
    const authenticator = methods.find((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod');
    assert.ok(authenticator, 'Joni has Authenticator registered');
    await port.deleteAuthenticationMethod('joni@contoso.example', { '@odata.type': authenticator['@odata.type'], id: authenticator.id! });
    const after = await port.listAuthenticationMethods('joni@contoso.example');
    assert.equal(after.some((m) => m.id === authenticator.id), false);
  });

  it('finds a group by id, null when none', async () => {
    const { port } = await start();
    const helpdesk = fixture.groups?.find((g: { displayName: string }) => g.displayName === 'Passkey Helpdesk');
    assert.ok(helpdesk);
    assert.deepEqual(await port.findGroup(helpdesk.id), { id: helpdesk.id, displayName: 'Passkey Helpdesk' });
    assert.equal(await port.findGroup('00000000-0000-4000-8000-00000000dead'), null);
  });

  it("lists every user's department page by page", async () => {
    const { port } = await start({ pageSize: 3 });
    const rows: Array<{ id: string; department: string | null }> = [];
    let pages = 0;
    for await (const page of port.listUsersDepartments({ pageSize: 3 })) {
      pages++;
      rows.push(...page);
    }
    assert.equal(rows.length, fixture.users.length);
    assert.equal(pages, Math.ceil(fixture.users.length / 3));
    assert.ok(rows.some((r) => typeof r.department === 'string'));
  });

  it('finds users by UPN and guests by e-mail, checks membership, and pings', async () => {
    const { port } = await start();
    const pradeep = await port.findUser('pradeep@contoso.example');
    assert.ok(pradeep);
    assert.equal((await port.findUser('lynne@fabrikam.example'))?.userType, 'Guest');
    assert.equal(await port.findUser('nobody@contoso.example'), null);
    const helpdesk = fixture.groups?.find((g: { displayName: string }) => g.displayName === 'Passkey Helpdesk');
    assert.ok(helpdesk);
    assert.equal(await port.isTransitiveMemberOf(pradeep.id, helpdesk.id), true);
    assert.equal(await port.isTransitiveMemberOf((await port.findUser('adele@contoso.example'))!.id, helpdesk.id), false);
    assert.equal(await port.ping(), true);
  });
});
