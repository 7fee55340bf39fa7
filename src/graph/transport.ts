/**
 * One Graph request, with retries inside the per-turn deadline, over `@microsoft/microsoft-graph-client`.
 *
 * The SDK's default middleware chain is replaced by: BearerTokenHandler → HTTPMessageHandler.
 * - No SDK RetryHandler: its waits can outlast Teams' ~15 s limit, so retries happen here (`send`).
 * - Our own token handler: the SDK's AuthenticationHandler only sends tokens to https Graph hosts,
 *   and the demo tenant is plain http on loopback. Ours sends the token to the configured origin only.
 */
import {
  Client,
  GraphClientError,
  HTTPMessageHandler,
  ResponseType,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from './credentials';
import { graphErrorFromResponse } from './errors';
import { Deadline, GraphError } from './port';
import { MAX_RETRIES, backoffMs, deadlineExceeded, isRetryableStatus, waitWithinDeadline } from './retry';
import { parseRetryAfter } from '../shared/retryAfter';

export interface Logger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { warn() {}, info() {}, debug() {} };

export interface GraphRequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, query included: `/users/abc?$select=id`. */
  path: string;
  body?: unknown;
  /** Safe to repeat after a 5xx (reads, and POSTs that only read such as `$batch`). Writes: false. */
  idempotent: boolean;
  deadline: Deadline;
  /** Extra request headers (e.g. `Prefer`). */
  headers?: Record<string, string>;
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface TransportOptions {
  /** e.g. `https://graph.microsoft.com/v1.0` or `http://127.0.0.1:4000/v1.0` */
  baseUrl: string;
  credential: TokenCredential;
  /** The token scope (default `<baseUrl origin>/.default`; see GRAPH_TOKEN_SCOPE). */
  scope?: string;
  logger: Logger;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** The token could not be obtained. A GraphClientError, so the SDK passes it through unwrapped. */
class TokenUnavailable extends GraphClientError {
  constructor(readonly causeName: string) {
    super('No access token for Microsoft Graph');
    Object.setPrototypeOf(this, TokenUnavailable.prototype);
  }
}

class BearerTokenHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly provider: TokenCredentialAuthenticationProvider,
    private readonly origin: string,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      let token: string;
      try {
        token = await this.provider.getAccessToken();
      } catch (error) {
        throw new TokenUnavailable((error as Error)?.name ?? 'Error');
      }
      context.options = context.options ?? {};
      context.options.headers = { ...(context.options.headers as Record<string, string>), Authorization: `Bearer ${token}` };
    }
    await this.next!.execute(context);
  }
}

export class GraphTransport {
  private readonly client: Client;
  private readonly versionPath: string;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly credential: TokenCredential;
  private readonly scope: string;

  constructor(options: TransportOptions) {
    const base = new URL(options.baseUrl.replace(/\/+$/, ''));
    // The SDK builds `${baseUrl}/${defaultVersion}/${path}`: split "https://host/v1.0" into both halves.
    const segments = base.pathname.split('/').filter(Boolean);
    const version = segments.pop() ?? 'v1.0';
    const prefix = segments.length ? `/${segments.join('/')}` : '';
    this.versionPath = `${prefix}/${version}/`;
    this.credential = options.credential;
    this.scope = options.scope ?? `${base.origin}/.default`;
    const provider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [this.scope] });
    const tokenHandler = new BearerTokenHandler(provider, base.origin);
    this.client = Client.initWithMiddleware({
      baseUrl: `${base.origin}${prefix}`,
      defaultVersion: version,
      middleware: [tokenHandler, new HTTPMessageHandler()],
    });
    this.logger = options.logger;
    this.clock = options.clock;
    this.sleep = options.sleep;
  }

  /**
   * The path (relative to the version root) an `@odata.nextLink` points at. Only its path and query are used:
   * requests always go to the configured Graph, so our token never follows a link elsewhere.
   */
  relativePath(nextLink: string): string {
    const url = new URL(nextLink);
    if (!url.pathname.startsWith(this.versionPath)) {
      throw new GraphError('Microsoft Graph returned a next link outside its API root', 0, 'invalidNextLink');
    }
    return `/${url.pathname.slice(this.versionPath.length)}${url.search}`;
  }

  /** Asks the credential for a token of the configured scope; the token itself never leaves this module. */
  async acquireToken(): Promise<{ ok: true; expiresOn: Date } | { ok: false; reason: string }> {
    try {
      const token = await this.credential.getToken(this.scope);
      if (!token?.token) return { ok: false, reason: 'the credential returned no token' };
      return { ok: true, expiresOn: new Date(token.expiresOnTimestamp) };
    } catch (error) {
      // Credential errors carry Entra's AADSTS code and text, never the secret.
      const message = String((error as Error)?.message ?? error).split('\n')[0].slice(0, 300);
      return { ok: false, reason: `${(error as Error)?.name ?? 'Error'}: ${message}` };
    }
  }

  /** Sends the request, retrying as `retry.ts` allows; resolves with a 2xx answer or throws GraphError. */
  async send(spec: GraphRequestSpec): Promise<GraphResponse> {
    const what = describe(spec);
    for (let retry = 0; ; retry++) {
      const response = await this.attempt(spec, what);
      if (response.status < 400) return response;
      const error = graphErrorFromResponse(response.status, response.body, response.headers, what);
      if (!isRetryableStatus(response.status, spec.idempotent) || retry >= MAX_RETRIES) throw error;
      const waitMs = parseRetryAfter(response.headers.get('retry-after'), this.clock()) ?? backoffMs(retry + 1);
      this.logger.info({ graph: what, status: response.status, waitMs, retry: retry + 1 }, 'Graph request will be retried');
      await waitWithinDeadline(waitMs, spec.deadline, what, this.clock, this.sleep);
    }
  }

  /** One HTTP exchange, aborted when the deadline passes. */
  private async attempt(spec: GraphRequestSpec, what: string): Promise<GraphResponse> {
    const remainingMs = spec.deadline.remainingMs(this.clock());
    if (remainingMs <= 0) throw deadlineExceeded(what);
    const timeout = AbortSignal.timeout(remainingMs);
    try {
      const request = this.client.api(spec.path).responseType(ResponseType.RAW).option('signal', timeout);
      if (spec.headers) request.headers(spec.headers);
      let raw: Response;
      switch (spec.method) {
        case 'GET':
          raw = (await request.get()) as Response;
          break;
        case 'POST':
          raw = (await request.post(spec.body ?? {})) as Response;
          break;
        case 'PATCH':
          raw = (await request.patch(spec.body ?? {})) as Response;
          break;
        case 'DELETE':
          raw = (await request.delete()) as Response;
          break;
      }
      const text = await raw.text();
      return { status: raw.status, headers: raw.headers, body: parseJson(text) };
    } catch (error) {
      if (error instanceof GraphError) throw error;
      if (error instanceof TokenUnavailable) {
        this.logger.warn({ graph: what, credentialError: error.causeName }, 'No access token for Microsoft Graph');
        throw new GraphError(`Could not get an access token for Microsoft Graph (${error.causeName})`, 401, 'authenticationFailed');
      }
      if (timeout.aborted) throw deadlineExceeded(what);
      // The SDK wraps fetch failures in its own GraphError whose `code` is the original error's name.
      const name = (error as { code?: string })?.code || (error as Error)?.name || 'Error';
      this.logger.warn({ graph: what, error: name }, 'Microsoft Graph unreachable');
      throw new GraphError(`Could not reach Microsoft Graph for ${what} (${name})`, 0, 'networkError');
    }
  }
}

/** "GET /users/{…}/manager": method and path without the query, for logs and error messages. */
function describe(spec: GraphRequestSpec): string {
  return `${spec.method} ${spec.path.split('?')[0]}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
