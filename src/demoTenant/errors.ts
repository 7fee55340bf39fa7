/**
 * Graph's error shape: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
 * Handlers throw GraphHttpError; the emulator turns it into that body.
 */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function errorBody(code: string, message: string, requestId: string, clientRequestId: string, now: Date): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  };
}

export function resourceNotFound(id: string): GraphHttpError {
  return new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export function badRequest(message: string, code = 'BadRequest'): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

export function unauthenticated(message = 'Access token is empty.'): GraphHttpError {
  return new GraphHttpError(401, 'InvalidAuthenticationToken', message);
}

export function methodNotAllowed(): GraphHttpError {
  return new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}

export function segmentNotFound(path: string): GraphHttpError {
  const segment = path.split('/').filter(Boolean).pop() ?? '';
  return new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

export function tooManyRequests(retryAfterSeconds: number): GraphHttpError {
  return new GraphHttpError(429, 'TooManyRequests', 'Too many requests. Retry after the number of seconds in the Retry-After header.', {
    'Retry-After': String(retryAfterSeconds),
  });
}

export function serviceUnavailable(retryAfterSeconds: number): GraphHttpError {
  return new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', {
    'Retry-After': String(retryAfterSeconds),
  });
}
