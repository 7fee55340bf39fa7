import assert from 'node:assert/strict';
import { Deadline } from '../../../src/graph/port';
import { backoffMs, isRetryableStatus, waitWithinDeadline } from '../../../src/graph/retry';

describe('Graph retry policy', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('backs off exponentially, capped', () => {
    assert.deepEqual([1, 2, 3, 4, 10].map(backoffMs), [500, 1000, 2000, 4000, 4000]);
  });

  it('retries 429 for any request, 503/504 only for idempotent ones, nothing else', () => {
    assert.equal(isRetryableStatus(429, false), true);
    assert.equal(isRetryableStatus(429, true), true);
    assert.equal(isRetryableStatus(503, true), true);
    assert.equal(isRetryableStatus(504, true), true);
    assert.equal(isRetryableStatus(503, false), false);
    assert.equal(isRetryableStatus(504, false), false);
    assert.equal(isRetryableStatus(500, true), false);
    assert.equal(isRetryableStatus(404, true), false);
  });

  it('waits when the wait fits in the deadline and fails fast with deadlineExceeded when it does not', async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    await waitWithinDeadline(1000, new Deadline(8000, now), 'a read', () => now, sleep);
    await assert.rejects(waitWithinDeadline(8000, new Deadline(8000, now), 'a read', () => now, sleep), {
      name: 'GraphError',
      code: 'deadlineExceeded',
      status: 0,
    });
    assert.deepEqual(slept, [1000]);
  });
});
