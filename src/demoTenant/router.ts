/**
 * A small router table: method + path pattern ("/users/{id}/manager") → handler.
 * Literal segments match case-insensitively, as Graph's do; parameters are URL-decoded.
 */
import { methodNotAllowed, segmentNotFound } from './errors';
import type { TenantState } from './state';

/** One Graph call, from the HTTP request or from a $batch item. */
export interface GraphRequest {
  method: string;
  /** Path below /v1.0, still URL-encoded, e.g. "/users/adele%40contoso.example". */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, if any. */
  body: unknown;
  /** e.g. "http://127.0.0.1:4000/v1.0": nextLinks and @odata.context are absolute, like Graph's. */
  baseUrl: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RouteContext {
  request: GraphRequest;
  params: Record<string, string>;
  state: TenantState;
  now: Date;
  pageSize: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  method: HttpMethod;
  pattern: string;
  handler: (context: RouteContext) => GraphResponse;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = splitPath(pattern);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (part.startsWith('{') && part.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(segments[index]);
      } catch {
        return undefined;
      }
      params[part.slice(1, -1)] = value;
    } else if (part.toLowerCase() !== segments[index].toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

export class Router {
  constructor(private readonly routes: Route[]) {}

  /** The route for method + path; throws Graph's 400 (unknown segment) or 405 (known path, other method). */
  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, segments);
      if (params === undefined) continue;
      if (route.method === method) return { route, params };
      pathKnown = true;
    }
    if (pathKnown) throw methodNotAllowed();
    throw segmentNotFound(path);
  }
}
