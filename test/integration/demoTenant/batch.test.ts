import assert from 'node:assert/strict';
import { contoso, startDemo, userId, type RunningDemo } from './helpers';

describe('Demo tenant: JSON batching ($batch)', () => {
  const fixture = contoso();
  let running: RunningDemo;
  beforeEach(async () => {
    running = await startDemo();
  });
  afterEach(() => running.close());

  it('answers up to 20 requests with per-item id, status, headers and body, counting the batch as one request', async () => {
    const requests = Array.from({ length: 20 }, (_, index) => ({ id: String(index + 1), method: 'GET', url: `/users/${fixture.users[index].id}?$select=id` }));
    running.demo.resetStats();
    const answer = await running.post('/$batch', { requests });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.responses.length, 20);
    for (const [index, item] of answer.body.responses.entries()) {
      assert.equal(item.id, String(index + 1));
      assert.equal(item.status, 200);
      assert.match(item.headers['Content-Type'], /^application\/json/);
      assert.equal(item.body.id, fixture.users[index].id);
    }
    assert.equal(running.demo.stats.requests, 1);
    assert.equal(running.demo.stats.batchItems, 20);
    assert.equal(running.demo.stats.byPath.get('GET /users/{userId}'), 20);
    assert.equal(running.demo.stats.byPath.get('POST /$batch'), 1);
  });

  it('refuses 21 requests with a 400 and Graph’s error body', async () => {
    const requests = Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/users/adele@contoso.example' }));
    const answer = await running.post('/$batch', { requests });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'BadRequest');
    assert.match(answer.body.error.message, /20/);
    assert.ok(answer.body.error.innerError['request-id']);
  });

  it('refuses a malformed batch: no requests, duplicate ids, an unknown dependsOn', async () => {
    assert.equal((await running.post('/$batch', {})).status, 400);
    assert.equal((await running.post('/$batch', { requests: [] })).status, 400);
    const duplicate = [
      { id: 'a', method: 'GET', url: '/users/adele@contoso.example' },
      { id: 'a', method: 'GET', url: '/users/alex@contoso.example' },
    ];
    assert.equal((await running.post('/$batch', { requests: duplicate })).status, 400);
    assert.equal((await running.post('/$batch', { requests: [{ id: 'a', method: 'GET', url: '/users', dependsOn: ['zz'] }] })).status, 400);
  });

  it('answers an unknown id inside the batch with a per-item 404 while the others succeed', async () => {
    const answer = await running.post('/$batch', {
      requests: [
        { id: 'known', method: 'GET', url: '/users/adele@contoso.example' },
        { id: 'unknown', method: 'GET', url: '/users/nobody@contoso.example' },
        { id: 'relativeWithoutSlash', method: 'GET', url: 'users/alex@contoso.example/manager' },
      ],
    });
    const byId = new Map(answer.body.responses.map((item: { id: string }) => [item.id, item]));
    assert.equal((byId.get('known') as { status: number }).status, 200);
    const unknown = byId.get('unknown') as { status: number; body: { error: { code: string } } };
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'Request_ResourceNotFound');
    assert.equal((byId.get('relativeWithoutSlash') as { body: { userPrincipalName: string } }).body.userPrincipalName, 'nestor@contoso.example');
  });

  it('runs dependents after what they depend on, and answers 424 when a dependency failed', async () => {
    const answer = await running.post('/$batch', {
      requests: [
        { id: 'list', method: 'GET', url: '/users/alex@contoso.example/authentication/temporaryAccessPassMethods', dependsOn: ['create'] },
        { id: 'create', method: 'POST', url: '/users/alex@contoso.example/authentication/temporaryAccessPassMethods', headers: { 'Content-Type': 'application/json' }, body: { lifetimeInMinutes: 60 } },
        { id: 'broken', method: 'GET', url: '/users/nobody@contoso.example' },
        { id: 'afterBroken', method: 'GET', url: '/users/adele@contoso.example', dependsOn: ['broken'] },
      ],
    });
    const byId = new Map<string, { status: number; body: any }>(answer.body.responses.map((item: { id: string; status: number; body: any }) => [item.id, item]));
    assert.equal(byId.get('create')!.status, 201);
    assert.equal(byId.get('list')!.body.value.length, 1, 'the TAP created first is listed');
    assert.equal(byId.get('list')!.body.value[0].temporaryAccessPass, null);
    assert.equal(byId.get('afterBroken')!.status, 424);
    assert.deepEqual(answer.body.responses.map((item: { id: string }) => item.id), ['list', 'create', 'broken', 'afterBroken'], 'answers in request order');
  });

  it('refuses an item with a body but no Content-Type, and absolute or versioned URLs, per item', async () => {
    const answer = await running.post('/$batch', {
      requests: [
        { id: '1', method: 'POST', url: `/users/${userId(fixture, 'alex')}/authentication/temporaryAccessPassMethods`, body: { lifetimeInMinutes: 60 } },
        { id: '2', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' },
        { id: '3', method: 'GET', url: '/v1.0/users' },
      ],
    });
    assert.deepEqual(answer.body.responses.map((item: { status: number }) => item.status), [400, 400, 400]);
  });

  it('needs the bearer token on the batch itself', async () => {
    const answer = await running.fetchUrl(`${running.base}/$batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/users' }] }) });
    assert.equal(answer.status, 401);
  });
});
