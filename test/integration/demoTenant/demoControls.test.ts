import assert from 'node:assert/strict';
import { startDemo, type RunningDemo } from './helpers';

describe('Demo tenant: demo-only controls (/_demo)', () => {
  let running: RunningDemo;
  beforeEach(async () => {
    running = await startDemo();
  });
  afterEach(() => running.close());

  const control = (path: string, body?: unknown) =>
    running.fetchUrl(`/_demo${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('registers a passkey in Authenticator for a person, visible through Graph as a fido2 method', async () => {
    const answer = await control('/users/alex@contoso.example/registerPasskey', { platform: 'ios' });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.displayName, 'Microsoft Authenticator - iOS');
    const passkeys = await running.get('/users/alex@contoso.example/authentication/fido2Methods');
    assert.deepEqual(
      passkeys.body.value.map((method: { aaGuid: string; displayName: string }) => [method.aaGuid, method.displayName]),
      [['90a3ccdf-635c-4729-a248-9b709135078f', 'Microsoft Authenticator - iOS']],
    );
    const android = await control('/users/adele%40contoso.example/registerPasskey', { platform: 'android' });
    assert.equal(android.body.aaGuid, 'de1e552d-db1d-4423-a619-566b625cdc84');
    assert.equal(android.body.displayName, 'Microsoft Authenticator - Android');
  });

  it('refuses what the service would refuse: no such platform, a disabled account, a user outside the passkey policy', async () => {
    assert.equal((await control('/users/alex@contoso.example/registerPasskey', { platform: 'windows' })).status, 400);
    assert.equal((await control('/users/miriam@contoso.example/registerPasskey', { platform: 'ios' })).status, 409);
    assert.equal((await control('/users/bianca@contoso.example/registerPasskey', { platform: 'ios' })).status, 409);
    assert.equal((await control('/users/christie@contoso.example/registerPasskey', { platform: 'ios' })).status, 409, 'Contractors are excluded');
    assert.equal((await control('/users/nobody@contoso.example/registerPasskey', { platform: 'ios' })).status, 404);
  });

  it('marks a one-time TAP used, and spends it when the person registers a passkey with it', async () => {
    const fixtureTap = await running.post('/users/alex@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60, isUsableOnce: true });
    assert.equal(fixtureTap.status, 201);
    await control('/users/alex@contoso.example/registerPasskey', { platform: 'android' });
    const [spent] = (await running.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods')).body.value;
    assert.equal(spent.methodUsabilityReason, 'OneTimeUsed');

    await running.post('/users/adele@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60, isUsableOnce: true });
    const used = await control('/users/adele@contoso.example/useTemporaryAccessPass', {});
    assert.equal(used.status, 200);
    assert.equal(used.body.isUsable, false);
    assert.equal(used.body.temporaryAccessPass, null);
  });

  it('leaves a multi-use TAP usable and says so', async () => {
    await running.post('/users/adele@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60, isUsableOnce: false });
    assert.equal((await control('/users/adele@contoso.example/useTemporaryAccessPass', {})).status, 409);
    assert.equal((await control('/users/bianca@contoso.example/useTemporaryAccessPass', {})).status, 404, 'no TAP');
  });

  it('summarises the state: tenant, counts, TAPs (never their codes), faults and request counts', async () => {
    const created = await running.post('/users/alex@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60 });
    const state = await control('/state');
    assert.equal(state.status, 200);
    assert.equal(state.body.tenant.id, running.demo.tenantId);
    assert.ok(state.body.counts.users > 20);
    assert.ok(state.body.temporaryAccessPasses.some((tap: { userPrincipalName: string }) => tap.userPrincipalName === 'alex@contoso.example'));
    assert.equal(JSON.stringify(state.body).includes(created.body.temporaryAccessPass), false);
    assert.equal(state.body.stats.requests, 1);
  });

  it('changes faults at run time and validates them', async () => {
    const set = await control('/faults', { throttleRate: 1, retryAfterSeconds: 4 });
    assert.equal(set.status, 200);
    assert.equal((await running.get('/users')).status, 429);
    assert.deepEqual((await control('/faults')).body, { throttleRate: 1, retryAfterSeconds: 4 });
    assert.equal((await control('/faults', { throttleRate: 2 })).status, 400);
    await control('/faults', {});
    assert.equal((await running.get('/users')).status, 200);
  });

  it('resets the request counters', async () => {
    await running.get('/users');
    assert.equal((await control('/stats/reset', {})).status, 200);
    assert.equal(running.demo.stats.requests, 0);
  });

  it('needs no token, and is not part of /v1.0', async () => {
    assert.equal((await running.get('/_demo/state')).status, 400, 'unknown Graph segment under /v1.0');
    assert.equal((await control('/nothing')).status, 404);
  });
});
