/**
 * A local stand-in of the Microsoft identity platform, for the tenant-mode tests only:
 * - HTTPS with a test CA made with `openssl` at test time (children trust it through NODE_EXTRA_CA_CERTS);
 * - the Bot Framework channel's OpenID metadata and JWKS, so the test can sign activities as Teams does
 *   (issuer https://api.botframework.com, audience = MicrosoftAppId, `serviceurl` claim);
 * - an Entra tenant: OpenID metadata, JWKS and a client-credentials token endpoint that issues Graph tokens
 *   (audience https://graph.microsoft.com, `roles` = the permissions granted now) and Bot Connector tokens.
 * The product reaches it only through its documented settings (docs/configuration.md#clouds).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface TestCa {
  dir: string;
  caFile: string;
  key: string;
  cert: string;
  remove(): void;
}

/** A throw-away CA and a server certificate for 127.0.0.1 / localhost, signed by it. */
export function createTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-ca-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=Passkey Helpdesk test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('san.ext'));
  return {
    dir,
    caFile: file('ca.pem'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, use: 'sig', alg: 'RS256' } };
}

export interface ChannelTokenOptions {
  audience: string;
  serviceUrl: string;
  issuer?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  /** Sign with a key the metadata does not publish. */
  key?: SigningKey;
}

export interface IdentityStandIn {
  url: string;
  tenantId: string;
  appId: string;
  clientSecret: string;
  /** Application permissions granted to the app now (read at every token request). */
  grantedRoles: string[];
  /** Token requests received, by scope. */
  tokenRequests: Array<{ scope: string; clientId: string }>;
  entraKey: SigningKey;
  channelKey: SigningKey;
  entraIssuer: string;
  /** Settings a bot needs to use this stand-in (docs/configuration.md). */
  botEnv(): Record<string, string>;
  channelToken(options: ChannelTokenOptions): string;
  /** A Graph token as the token endpoint would issue it, with overrides for the refusal tests. */
  graphToken(overrides?: { roles?: string[]; tid?: string; aud?: string; iss?: string; expiresIn?: number; key?: SigningKey }): string;
  close(): Promise<void>;
}

export async function startIdentityStandIn(ca: TestCa, options: { tenantId: string; appId?: string; grantedRoles: string[] }): Promise<IdentityStandIn> {
  const tenantId = options.tenantId;
  const appId = options.appId ?? randomUUID();
  const clientSecret = `test-secret-${randomUUID()}`;
  const entraKey = signingKey();
  const channelKey = signingKey();
  const tokenRequests: IdentityStandIn['tokenRequests'] = [];
  let url = '';
  const entraIssuer = () => `${url}/${tenantId}/v2.0`;

  const sign = (key: SigningKey, claims: Record<string, unknown>, expiresIn: number) => {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ nbf: now - 60, iat: now - 60, exp: now + expiresIn, ...claims }, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
  };

  const standIn: IdentityStandIn = {
    url: '',
    tenantId,
    appId,
    clientSecret,
    grantedRoles: [...options.grantedRoles],
    tokenRequests,
    entraKey,
    channelKey,
    get entraIssuer() {
      return entraIssuer();
    },
    botEnv: () => ({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: clientSecret,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: tenantId,
      ToBotFromChannelOpenIdMetadataUrl: `${url}/botframework/v1/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
      ToChannelFromBotLoginUrl: `${url}/${tenantId}`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ValidateAuthority: 'false',
      AZURE_AUTHORITY_HOST: url,
      GRAPH_TOKEN_SCOPE: `${GRAPH_AUDIENCE}/.default`,
      NODE_EXTRA_CA_CERTS: ca.caFile,
    }),
    channelToken: (o) => sign(o.key ?? channelKey, { iss: o.issuer ?? BOT_FRAMEWORK_ISSUER, aud: o.audience, serviceurl: o.serviceUrl }, o.expiresIn ?? 3600),
    graphToken: (o = {}) =>
      sign(o.key ?? entraKey, { iss: o.iss ?? entraIssuer(), aud: o.aud ?? GRAPH_AUDIENCE, tid: o.tid ?? tenantId, appid: appId, roles: o.roles ?? standIn.grantedRoles }, o.expiresIn ?? 3600),
    close: async () => undefined,
  };

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = https.createServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route = new URL(req.url ?? '/', url).pathname;
      const tenantBase = `/${tenantId}`;
      if (route === '/botframework/v1/.well-known/openidconfiguration') {
        return json(res, 200, { issuer: BOT_FRAMEWORK_ISSUER, authorization_endpoint: `${url}/botframework/authorize`, jwks_uri: `${url}/botframework/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
      }
      if (route === '/botframework/keys') return json(res, 200, { keys: [{ ...channelKey.publicJwk, endorsements: ['msteams'] }] });
      if (route === `${tenantBase}/v2.0/.well-known/openid-configuration`) {
        return json(res, 200, {
          issuer: entraIssuer(),
          token_endpoint: `${url}${tenantBase}/oauth2/v2.0/token`,
          authorization_endpoint: `${url}${tenantBase}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${url}${tenantBase}/oauth2/v2.0/logout`,
          jwks_uri: `${url}${tenantBase}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (route === `${tenantBase}/discovery/v2.0/keys`) return json(res, 200, { keys: [entraKey.publicJwk] });
      if (route === `${tenantBase}/oauth2/v2.0/token` && req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const scope = form.get('scope') ?? '';
        const clientId = form.get('client_id') ?? '';
        tokenRequests.push({ scope, clientId });
        if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
        if (clientId !== appId || form.get('client_secret') !== clientSecret) {
          return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        }
        const resource = scope.split(' ').find((s) => s.endsWith('/.default'))?.slice(0, -'/.default'.length);
        if (!resource) return json(res, 400, { error: 'invalid_scope' });
        // Short-lived on purpose: MSAL renews tokens that expire within 5 minutes, so every call sees the current grants.
        const expiresIn = 120;
        const claims: Record<string, unknown> = { iss: entraIssuer(), aud: resource, tid: tenantId, appid: appId, azp: appId };
        if (resource === GRAPH_AUDIENCE) claims.roles = [...standIn.grantedRoles];
        return json(res, 200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: sign(entraKey, claims, expiresIn) });
      }
      json(res, 404, { error: 'not_found', path: route });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.url = url;
  standIn.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
