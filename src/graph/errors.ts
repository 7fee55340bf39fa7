/**
 * Graph's error body → `GraphError`. Messages carry status, code and Graph's own message,
 * never request bodies, tokens or TAP values.
 */
import { GraphError } from './port';

const MAX_MESSAGE_LENGTH = 300;

interface GraphErrorBody {
  error?: {
    code?: string;
    message?: string;
    innerError?: { 'request-id'?: string; date?: string; 'client-request-id'?: string };
  };
}

/** Looks a header up case-insensitively in a Fetch `Headers` or a plain object (as in `$batch` items). */
export function headerValue(headers: Headers | Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string>)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The GraphError for a non-2xx answer (a whole response or one `$batch` item). */
export function graphErrorFromResponse(
  status: number,
  body: unknown,
  headers: Headers | Record<string, string> | undefined,
  what: string,
): GraphError {
  const error = (body as GraphErrorBody | undefined)?.error;
  const code = typeof error?.code === 'string' && error.code ? error.code : `http${status}`;
  const requestId = error?.innerError?.['request-id'] ?? headerValue(headers, 'request-id');
  const graphMessage = typeof error?.message === 'string' && error.message ? `: ${truncate(error.message)}` : '';
  return new GraphError(`Microsoft Graph answered ${status} ${code} to ${what}${graphMessage}`, status, code, requestId);
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
