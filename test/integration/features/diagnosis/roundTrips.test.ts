import assert from 'node:assert/strict';
import { runDiagnosis } from '../../../../src/features/diagnosis/app/run';
import { createDemoTenant, defaultFixturePath, loadFixture, type DemoTenant } from '../../../../src/demoTenant';
import { createGraphCredential, createGraphPort, GraphError, type GraphPort } from '../../../../src/graph';
import { listenHttp, type Listening } from '../../../../src/server';

/** Counts what reaches the demo tenant: one `$batch` is one round trip, whatever it carries. */
describe('Diagnosis round trips to Microsoft Graph (demo tenant)', () => {
  let demo: DemoTenant;
  let listening: Listening;
  let graph: GraphPort;

  beforeEach(async () => {
    // Each test gets its own tenant (the policy test changes it) and a cold policy cache.
    demo = createDemoTenant(structuredClone(loadFixture(defaultFixturePath())));
    listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    graph = createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: demo.tenantId });
  });
  afterEach(() => listening.close());

  const MEGAN = 'c0000001-0000-4000-8000-000000000015';
  const BIANCA = 'c0000001-0000-4000-8000-000000000003';

  it('a cold diagnosis takes two round trips: the person\'s $batch and the tenant policy', async () => {
    await runDiagnosis(graph, MEGAN);
    assert.equal(demo.stats.requests, 2);
  });

  it('a warm diagnosis (policy cached) takes one round trip: the person\'s $batch', async () => {
    await runDiagnosis(graph, MEGAN);
    demo.resetStats();
    const run = await runDiagnosis(graph, BIANCA);
    assert.equal(demo.stats.requests, 1);
    assert.equal(demo.stats.byPath.get('POST /$batch'), 1);
    assert.deepEqual(run.result.findings.map((f) => f.id), ['user-not-in-passkey-policy']);
  });

  it('"Check again" (fresh) reads the policy again and sees an admin\'s fix at once; the cache would not', async () => {
    const before = await runDiagnosis(graph, BIANCA);
    assert.deepEqual(before.result.findings.map((f) => f.id), ['user-not-in-passkey-policy']);

    // The admin adds Bianca to the Passkey (FIDO2) policy.
    demo.state.methodConfiguration('Fido2')!.includeTargets!.push({ targetType: 'user', id: BIANCA, isRegistrationRequired: false });

    const cached = await runDiagnosis(graph, BIANCA);
    assert.deepEqual(cached.result.findings.map((f) => f.id), ['user-not-in-passkey-policy'], 'within the TTL the cached policy answers');

    demo.resetStats();
    const fresh = await runDiagnosis(graph, BIANCA, { fresh: true });
    assert.equal(demo.stats.requests, 2, 'the $batch and a fresh policy read');
    assert.ok(!fresh.result.findings.some((f) => f.id === 'user-not-in-passkey-policy'), 'the fix shows');
  });

  it('evidence rides in the same $batch: a failed attempt logged by Graph confirms the finding, still one round trip warm', async () => {
    const ISAIAH = demo.state.findUser('isaiah@contoso.example')!.id;
    await runDiagnosis(graph, MEGAN);
    const attempt = await fetch(`${listening.url}/_demo/users/isaiah%40contoso.example/attemptRegistration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
    });
    assert.equal(attempt.status, 200);
    demo.resetStats();
    const run = await runDiagnosis(graph, ISAIAH, { answers: { registration: 'same-device' } });
    assert.equal(demo.stats.requests, 1);
    const compliant = run.result.findings.find((f) => f.id === 'compliant-device-required');
    assert.ok(compliant, run.result.findings.map((f) => f.id).join(','));
    assert.equal(compliant.evidence?.[0].source, 'signIn');
    assert.equal(compliant.evidence?.[0].code, '53000');
    assert.match(compliant.detail, /was stopped by the policy '/);
  });

  it('a busy person: the failure behind 60 newer sign-ins still confirms the finding, for one further page', async () => {
    const ISAIAH = demo.state.findUser('isaiah@contoso.example')!.id;
    await runDiagnosis(graph, MEGAN);
    await fetch(`${listening.url}/_demo/users/isaiah%40contoso.example/attemptRegistration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
    });
    const failedAt = Date.parse(String(demo.state.signIns[demo.state.signIns.length - 1].createdDateTime));
    for (let i = 1; i <= 60; i++) {
      demo.state.signIns.push({ id: `teams-${i}`, createdDateTime: new Date(failedAt + i * 1000).toISOString(), userId: ISAIAH, appDisplayName: 'Microsoft Teams', isInteractive: true, status: { errorCode: 0 } });
    }
    demo.resetStats();
    const run = await runDiagnosis(graph, ISAIAH, { answers: { registration: 'same-device' } });
    assert.equal(demo.stats.requests, 2, 'the $batch and one further page of sign-ins');
    assert.equal(run.result.findings.find((f) => f.id === 'compliant-device-required')?.evidence?.[0].code, '53000');
  });

  it('answers add no round trip: a warm diagnosis with answers is still one', async () => {
    await runDiagnosis(graph, MEGAN);
    demo.resetStats();
    await runDiagnosis(graph, MEGAN, { answers: { platform: 'android', osVersion: '15', androidProfile: 'work', passkeyProviderEnabled: false } });
    assert.equal(demo.stats.requests, 1);
  });

  it('an unknown person is a 404 GraphError (the bot says so; the CLI exits 2)', async () => {
    await assert.rejects(runDiagnosis(graph, '99999999-0000-4000-8000-000000000099'), (error: unknown) => error instanceof GraphError && error.isNotFound);
  });
});
