/**
 * The demo tenant: a Graph v1.0 emulator as a plain Node request listener.
 * It never listens itself (src/server.ts `listenHttp` does); the bot reaches
 * it through the same Graph client as the real service, only the base URL
 * and credential differ.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticationMethodRoutes } from './authenticationMethods';
import { runBatch } from './batch';
import { handleDemoControl } from './demoControls';
import { GraphHttpError, badRequest, errorBody, serviceUnavailable, tooManyRequests, unauthenticated } from './errors';
import { decideFault, type Faults } from './faults';
import type { Fixture } from './fixture';
import { policyRoutes } from './policies';
import { reportRoutes } from './reports';
import { Router, type GraphRequest, type GraphResponse, type RouteMatch } from './router';
import { TenantState } from './state';
import { userRoutes } from './users';
import { allows, limitedMembers, requirementOf } from './permissions';
import { createTokenValidator, insufficientPrivileges, type Caller, type StrictAuthOptions } from './strictAuth';
import { directoryRoleRoutes } from './directoryRoles';
import { signInLogRoutes } from './signInLogs';

export interface DemoTenantOptions {
  /** The largest page the emulator serves (default 999, Graph's maximum). Pages hold `$top` items (default 100), capped by this. */
  pageSize?: number;
  /** Overrides the fixture's `faults`. */
  faults?: Faults;
  /** For deterministic fault decisions in tests (default Math.random). */
  random?: () => number;
  /** The clock (TAP lifetimes, timestamps). */
  now?: () => Date;
  /** Check tokens and application permissions as Graph does (tenant-mode tests); default: any bearer token. */
  strict?: StrictAuthOptions;
}

export interface DemoTenantStats {
  /** HTTP requests received under /v1.0 (a $batch counts as 1). */
  requests: number;
  /** Requests carried inside $batch bodies. */
  batchItems: number;
  /** Per route ("GET /users/{userId}") or "POST /$batch": top-level requests and batch items alike. */
  byPath: Map<string, number>;
}

export interface DemoTenant {
  listener: http.RequestListener;
  stats: DemoTenantStats;
  resetStats(): void;
  /** The directory, methods and policy the emulator serves (what the demo controls change). */
  state: TenantState;
  tenantId: string;
  faults(): Faults;
  setFaults(faults: Faults): void;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

// The preflight's reads come last: a route registered earlier for the same path wins.
const router = new Router([...userRoutes, ...authenticationMethodRoutes, ...policyRoutes, ...reportRoutes, ...directoryRoleRoutes, ...signInLogRoutes]);

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new GraphHttpError(413, 'RequestEntityTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function lowerCaseHeaders(request: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function hasBearerToken(headers: Record<string, string>): boolean {
  return /^Bearer\s+\S+/i.test(headers.authorization ?? '');
}

export function createDemoTenant(fixture: Fixture, options: DemoTenantOptions = {}): DemoTenant {
  const now = options.now ?? (() => new Date());
  const state = new TenantState(fixture, options.faults ?? fixture.faults ?? {}, now());
  const random = options.random ?? Math.random;
  const pageSize = options.pageSize ?? 999;
  const stats: DemoTenantStats = { requests: 0, batchItems: 0, byPath: new Map() };

  const count = (key: string) => stats.byPath.set(key, (stats.byPath.get(key) ?? 0) + 1);
  const resetStats = () => {
    stats.requests = 0;
    stats.batchItems = 0;
    stats.byPath.clear();
  };
  const setFaults = (faults: Faults) => {
    state.faults = faults;
  };

  function errorResponse(error: unknown, requestId: string, clientRequestId: string): GraphResponse {
    const graphError = error instanceof GraphHttpError ? error : new GraphHttpError(500, 'generalException', 'An unexpected error occurred in the demo tenant.');
    return { status: graphError.status, headers: graphError.headers, body: errorBody(graphError.code, graphError.message, requestId, clientRequestId, now()) };
  }

  /** One Graph call (top-level or a $batch item): route, fault decision, handler. */
  const validateToken = options.strict ? createTokenValidator(options.strict) : undefined;

  async function runOne(request: GraphRequest, requestId: string, clientRequestId: string, caller?: Caller): Promise<GraphResponse> {
    let match: RouteMatch;
    try {
      match = router.match(request.method, request.path);
    } catch (error) {
      count(`${request.method} (unmatched)`);
      return errorResponse(error, requestId, clientRequestId);
    }
    count(`${request.method} ${match.route.pattern}`);
    try {
      const fault = decideFault(state.faults, random);
      if (fault.kind === 'throttle') throw tooManyRequests(fault.retryAfterSeconds);
      const context = { request, params: match.params, state, now: now(), pageSize };
      if (fault.kind === 'unavailable') {
        // "The reply got lost": the write happened, the caller can't tell.
        if (state.faults.unavailableAfterWrite === true && WRITE_METHODS.has(request.method)) match.route.handler(context);
        throw serviceUnavailable(fault.retryAfterSeconds);
      }
      if (caller) {
        const requirement = requirementOf(request.method, match.route.pattern, match.params);
        if (!requirement || !allows(requirement, caller.roles)) throw insufficientPrivileges();
      }
      const response = match.route.handler(context);
      if (caller && match.route.pattern.includes('/transitiveMemberOf') && Array.isArray((response.body as { value?: unknown[] } | undefined)?.value)) {
        const body = response.body as { value: unknown[] };
        return { ...response, body: { ...body, value: limitedMembers(body.value, caller.roles) } };
      }
      return response;
    } catch (error) {
      return errorResponse(error, requestId, clientRequestId);
    }
  }

  async function serveGraph(incoming: http.IncomingMessage, url: URL, requestId: string, clientRequestId: string): Promise<GraphResponse> {
    stats.requests += 1;
    const headers = lowerCaseHeaders(incoming);
    const text = await readBody(incoming);
    let caller: Caller | undefined;
    if (validateToken) {
      try {
        caller = validateToken(headers.authorization, now());
      } catch (error) {
        return errorResponse(error, requestId, clientRequestId);
      }
    } else if (!hasBearerToken(headers)) return errorResponse(unauthenticated(), requestId, clientRequestId);
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return errorResponse(badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'), requestId, clientRequestId);
      }
    }
    const latencyMs = state.faults.latencyMs ?? 0;
    if (latencyMs > 0) await sleep(latencyMs);

    const request: GraphRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: url.pathname.slice('/v1.0'.length) || '/',
      query: url.searchParams,
      headers,
      body,
      baseUrl: `${url.protocol}//${url.host}/v1.0`,
    };
    if (request.path.toLowerCase() === '/$batch') {
      if (request.method !== 'POST') return errorResponse(new GraphHttpError(405, 'Request_BadRequest', 'Only POST is allowed on $batch.'), requestId, clientRequestId);
      count('POST /$batch');
      try {
        const batch = await runBatch(request, (item) => {
          stats.batchItems += 1;
          return runOne(item, requestId, clientRequestId, caller);
        });
        return batch.response;
      } catch (error) {
        return errorResponse(error, requestId, clientRequestId);
      }
    }
    return runOne(request, requestId, clientRequestId, caller);
  }

  async function serveDemoControl(incoming: http.IncomingMessage, url: URL): Promise<GraphResponse> {
    if (!isLoopback(incoming.socket.remoteAddress)) return { status: 403, body: { error: { code: 'forbidden', message: 'Demo controls answer loopback callers only.' } } };
    const text = await readBody(incoming);
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      return { status: 400, body: { error: { code: 'badRequest', message: 'The body is not valid JSON.' } } };
    }
    return handleDemoControl({ state, now: now(), stats, resetStats, setFaults }, (incoming.method ?? 'GET').toUpperCase(), url.pathname.slice('/_demo'.length), body);
  }

  const listener: http.RequestListener = (incoming, outgoing) => {
    const requestId = randomUUID();
    const clientRequestId = String(incoming.headers['client-request-id'] ?? requestId);
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? '127.0.0.1'}`);
    const path = url.pathname;
    const work =
      path === '/v1.0' || path.startsWith('/v1.0/')
        ? serveGraph(incoming, url, requestId, clientRequestId)
        : path.startsWith('/_demo/')
          ? serveDemoControl(incoming, url)
          : Promise.resolve(errorResponse(new GraphHttpError(404, 'NotFound', 'The demo tenant serves Microsoft Graph under /v1.0 (and demo controls under /_demo).'), requestId, clientRequestId));
    work
      .catch((error: unknown) => errorResponse(error, requestId, clientRequestId))
      .then((response) => {
        if (outgoing.headersSent) return;
        const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId, ...response.headers };
        // No chaining on writeHead: restify patches ServerResponse in the same process.
        if (response.body === undefined) {
          outgoing.writeHead(response.status, headers);
          outgoing.end();
          return;
        }
        const payload = JSON.stringify(response.body);
        outgoing.writeHead(response.status, { ...headers, 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(payload) });
        outgoing.end(payload);
      })
      .catch(() => outgoing.destroy());
  };

  return {
    listener,
    stats,
    resetStats,
    state,
    tenantId: state.tenant.id,
    faults: () => state.faults,
    setFaults,
  };
}
