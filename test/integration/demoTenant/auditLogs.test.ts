import assert from 'node:assert/strict';
import { contoso, startDemo, userId, type RunningDemo } from './helpers';

describe('Demo tenant: sign-in and audit logs, and the attemptRegistration control', () => {
  let running: RunningDemo;
  beforeEach(async () => {
    running = await startDemo();
  });
  afterEach(() => running.close());

  const attempt = (upn: string, body: unknown) =>
    running.fetchUrl(`/_demo/users/${encodeURIComponent(upn)}/attemptRegistration`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const isaiah = () => userId(contoso(), 'isaiah');

  it('a blocked attempt appends the sign-in Graph would log: AADSTS code, failing policy, device', async () => {
    const answer = await attempt('isaiah@contoso.example', { platform: 'android', path: 'same-device', location: 'untrusted' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.result, 'blocked');
    assert.equal(answer.body.errorCode, 53000);
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const log = await running.get(`/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${isaiah()}' and createdDateTime ge ${since}`)}&$top=50`);
    assert.equal(log.status, 200);
    assert.equal(log.body.value.length, 1);
    const [signIn] = log.body.value;
    assert.equal(signIn.status.errorCode, 53000);
    assert.equal(signIn.appId, '6aa00308-ea33-4caa-90d6-ae905d8cb51b');
    assert.ok(signIn.appliedConditionalAccessPolicies.some((p: { result: string }) => p.result === 'failure'));
    assert.equal(signIn.deviceDetail.isCompliant, false);
  });

  it('an unblocked attempt registers the passkey and writes the audit trail', async () => {
    const answer = await attempt('adele@contoso.example', { platform: 'ios', path: 'same-device', location: 'trusted' });
    assert.equal(answer.body.result, 'registered');
    const adele = userId(contoso(), 'adele');
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const audits = await running.get(`/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDateTime ge ${since} and targetResources/any(t:t/id eq '${adele}')`)}`);
    assert.deepEqual(
      audits.body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName),
      ['User registered security info', 'Add Passkey (device-bound)', 'Get passkey creation options', 'User started security info registration'],
    );
    const passkeys = await running.get('/users/adele@contoso.example/authentication/fido2Methods');
    assert.equal(passkeys.body.value.length, 1);
  });

  it('cross-device is judged on the computer: a compliant computer passes where the unmanaged phone fails', async () => {
    const answer = await attempt('isaiah@contoso.example', { platform: 'android', path: 'cross-device', computer: { compliant: true, os: 'Windows' }, location: 'untrusted' });
    assert.equal(answer.body.result, 'registered');
    assert.equal(answer.body.signIn.deviceDetail.operatingSystem, 'Windows');
  });

  it('refuses a malformed body with a 400 naming the expected shape', async () => {
    const answer = await attempt('isaiah@contoso.example', { platform: 'windows', path: 'same-device', location: 'trusted' });
    assert.equal(answer.status, 400);
    assert.match(answer.body.error.message, /platform/);
  });

  it('pages, orders and hides report-only results unless asked (Prefer: include-unknown-enum-members)', async () => {
    for (let i = 0; i < 3; i++) await attempt('isaiah@contoso.example', { platform: 'android', path: 'same-device', location: 'untrusted' });
    const first = await running.get(`/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${isaiah()}'`)}&$top=2`);
    assert.equal(first.body.value.length, 2);
    assert.ok(first.body['@odata.nextLink']);
    const oldestFirst = await running.get(`/auditLogs/signIns?$orderby=createdDateTime asc`);
    const times = oldestFirst.body.value.map((s: { createdDateTime: string }) => s.createdDateTime);
    assert.deepEqual(times, [...times].sort());
    const bad = await running.get(`/auditLogs/signIns?$filter=${encodeURIComponent('nonsense eq 1')}`);
    assert.equal(bad.status, 400);
  });

  describe('a tenant without the Entra ID P1 licence (fixture "licences": {"entraIdP1": false})', () => {
    let unlicensed: RunningDemo;
    beforeEach(async () => {
      unlicensed = await startDemo({}, { ...contoso(), licences: { entraIdP1: false } });
    });
    afterEach(() => unlicensed.close());

    const NON_PREMIUM = { code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" };

    it('answers both logs with Graph\'s 403 and its exact error body', async () => {
      for (const path of ['/auditLogs/signIns', '/auditLogs/directoryAudits']) {
        const answer = await unlicensed.get(path);
        assert.equal(answer.status, 403, path);
        assert.equal(answer.body.error.code, NON_PREMIUM.code);
        assert.equal(answer.body.error.message, NON_PREMIUM.message);
        assert.ok(answer.body.error.innerError['request-id'], 'Graph\'s innerError');
      }
    });

    it('refuses them inside a $batch too, while the directory reads beside them succeed', async () => {
      const answer = await unlicensed.post('/$batch', {
        requests: [
          { id: 'user', method: 'GET', url: '/users/isaiah@contoso.example' },
          { id: 'signIns', method: 'GET', url: '/auditLogs/signIns?$top=50' },
        ],
      });
      const byId = new Map(answer.body.responses.map((r: { id: string }) => [r.id, r]));
      assert.equal((byId.get('user') as { status: number }).status, 200);
      const signIns = byId.get('signIns') as { status: number; body: { error: { code: string; message: string } } };
      assert.equal(signIns.status, 403);
      assert.deepEqual({ code: signIns.body.error.code, message: signIns.body.error.message }, NON_PREMIUM);
    });

    it('still logs attempts, served again once the licence is assigned (POST /_demo/licences)', async () => {
      const blocked = await unlicensed.fetchUrl('/_demo/users/isaiah%40contoso.example/attemptRegistration', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
      });
      assert.equal(blocked.body.result, 'blocked');
      const assigned = await unlicensed.fetchUrl('/_demo/licences', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entraIdP1: true }) });
      assert.deepEqual(assigned.body, { entraIdP1: true });
      const log = await unlicensed.get(`/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${isaiah()}'`)}`);
      assert.equal(log.status, 200);
      assert.equal(log.body.value.length, 1);
    });
  });
});
