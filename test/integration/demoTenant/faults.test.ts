import assert from 'node:assert/strict';
import { contoso, startDemo, type RunningDemo } from './helpers';

/** Draws that cycle through the given values. */
function draws(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length];
}

describe('Demo tenant: fault injection', () => {
  let running: RunningDemo | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('answers 429 TooManyRequests with Retry-After when the draw falls under the throttle rate', async () => {
    running = await startDemo({ faults: { throttleRate: 0.5, retryAfterSeconds: 7 }, random: draws(0.1, 0.9) });
    const throttled = await running.get('/users/adele@contoso.example');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '7');
    assert.equal(throttled.body.error.code, 'TooManyRequests');
    assert.ok(throttled.body.error.innerError['request-id']);
    const passed = await running.get('/users/adele@contoso.example');
    assert.equal(passed.status, 200);
  });

  it('answers 503 with Retry-After for the unavailable share, after the throttle share', async () => {
    running = await startDemo({ faults: { throttleRate: 0.2, unavailableRate: 0.3 }, random: draws(0.1, 0.3, 0.6) });
    assert.equal((await running.get('/users/adele@contoso.example')).status, 429);
    const unavailable = await running.get('/users/adele@contoso.example');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '1', 'default Retry-After');
    assert.equal((await running.get('/users/adele@contoso.example')).status, 200);
  });

  it('throttles a single item inside a 200 batch', async () => {
    running = await startDemo({ faults: { throttleRate: 0.5, retryAfterSeconds: 3 }, random: draws(0.9, 0.1, 0.9) });
    const answer = await running.post('/$batch', {
      requests: ['adele', 'alex', 'bianca'].map((name, index) => ({ id: String(index), method: 'GET', url: `/users/${name}@contoso.example` })),
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.responses.map((item: { status: number }) => item.status), [200, 429, 200]);
    assert.equal(answer.body.responses[1].headers['Retry-After'], '3');
  });

  it('does not apply a refused write, unless told that the reply of an applied write got lost', async () => {
    running = await startDemo({ faults: { unavailableRate: 1 } });
    assert.equal((await running.post('/users/alex@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60 })).status, 503);
    running.demo.setFaults({});
    assert.deepEqual((await running.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods')).body.value, []);

    running.demo.setFaults({ unavailableRate: 1, unavailableAfterWrite: true });
    assert.equal((await running.post('/users/alex@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60 })).status, 503);
    running.demo.setFaults({});
    const listed = await running.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods');
    assert.equal(listed.body.value.length, 1, 'the TAP exists although the caller saw a 503');
  });

  it('takes faults from the fixture when no option overrides them', async () => {
    const fixture = contoso();
    fixture.faults = { throttleRate: 1, retryAfterSeconds: 2 };
    running = await startDemo({}, fixture);
    const answer = await running.get('/users');
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get('retry-after'), '2');
  });

  it('adds the configured latency and still answers', async () => {
    running = await startDemo({ faults: { latencyMs: 5 } });
    assert.equal((await running.get('/users/adele@contoso.example')).status, 200);
  });
});
