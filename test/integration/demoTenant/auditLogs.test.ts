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
});
