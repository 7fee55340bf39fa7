import assert from 'node:assert/strict';
import { graphErrorFromResponse, headerValue } from '../../../src/graph/errors';
import { GraphError } from '../../../src/graph/port';

describe('Graph error mapping', () => {
  it("takes code, message and request id from Graph's error body", () => {
    const error = graphErrorFromResponse(
      404,
      { error: { code: 'Request_ResourceNotFound', message: "Resource 'x' does not exist.", innerError: { date: 'd', 'request-id': 'r-1', 'client-request-id': 'c-1' } } },
      undefined,
      'GET /users/x',
    );
    assert.ok(error instanceof GraphError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'Request_ResourceNotFound');
    assert.equal(error.requestId, 'r-1');
    assert.ok(error.isNotFound);
    assert.match(error.message, /404 Request_ResourceNotFound to GET \/users\/x: Resource 'x' does not exist\./);
  });

  it('falls back to the status and the request-id header when the body is not a Graph error', () => {
    const error = graphErrorFromResponse(502, '<html>bad gateway</html>', { 'Request-Id': 'r-2' }, 'POST /$batch');
    assert.equal(error.code, 'http502');
    assert.equal(error.requestId, 'r-2');
  });

  it('keeps long Graph messages short', () => {
    const error = graphErrorFromResponse(400, { error: { code: 'BadRequest', message: 'x'.repeat(2000) } }, undefined, 'GET /x');
    assert.ok(error.message.length < 400);
  });

  it('looks headers up case-insensitively in plain objects and Fetch headers', () => {
    assert.equal(headerValue({ 'Retry-After': '5' }, 'retry-after'), '5');
    assert.equal(headerValue(new Headers({ 'retry-after': '6' }), 'Retry-After'), '6');
    assert.equal(headerValue(undefined, 'retry-after'), undefined);
  });
});
