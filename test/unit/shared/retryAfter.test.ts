import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../../src/shared/retryAfter';

describe('Retry-After (one reader for Graph and the Bot Connector)', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads Retry-After as delay-seconds', () => {
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('2.5', now), 2500);
  });

  it('reads Retry-After as an HTTP date, never negative', () => {
    assert.equal(parseRetryAfter(new Date(now + 3000).toUTCString(), now), 3000);
    assert.equal(parseRetryAfter(new Date(now - 3000).toUTCString(), now), 0);
  });

  it('treats a missing or unreadable Retry-After as absent', () => {
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = new Date('2025-03-01T09:00:00Z'); // a Date works as well as epoch milliseconds
    assert.equal(parseRetryAfter('7', now), 7_000);
    assert.equal(parseRetryAfter('0.5', now), 500);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 09:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 08:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

});
