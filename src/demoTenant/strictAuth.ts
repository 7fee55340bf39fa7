/**
 * The demo tenant's strict mode: bearer tokens are checked as Microsoft Graph checks them (signature
 * against the issuer's keys, audience https://graph.microsoft.com, issuer, tenant, lifetime), and
 * each call needs one of its application permissions in the token's `roles` (permissions.ts).
 * Used by the tenant-mode tests with a local identity stand-in; demo mode accepts any token.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { GraphHttpError, unauthenticated } from './errors';

export interface StrictAuthOptions {
  /** The issuer's public signing keys (JWKS `keys`, each with a `kid`). */
  keys: Array<JsonWebKey & { kid?: string }>;
  /** Accepted `iss` values. */
  issuers: string[];
  /** The one tenant (`tid`) whose tokens are accepted. */
  tenantId: string;
  /** Default https://graph.microsoft.com. */
  audience?: string;
}

export interface Caller {
  appId?: string;
  roles: string[];
}

export function createTokenValidator(options: StrictAuthOptions): (authorization: string | undefined, now: Date) => Caller {
  const keys = new Map<string, KeyObject>();
  for (const key of options.keys) keys.set(key.kid ?? '', createPublicKey({ key, format: 'jwk' }));
  const audience = options.audience ?? 'https://graph.microsoft.com';

  return (authorization, now) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthenticated();
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw unauthenticated('Invalid JWT token. The token is malformed.');
    const key = keys.get(decoded.header.kid ?? '');
    if (!key) throw unauthenticated('Access token validation failure.');
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: ['RS256'],
        audience: [audience, `${audience}/`],
        issuer: options.issuers as [string, ...string[]],
        clockTimestamp: Math.floor(now.getTime() / 1000),
        clockTolerance: 300,
      }) as jwt.JwtPayload;
    } catch (error) {
      const name = (error as Error).name;
      const message = (error as Error).message;
      if (name === 'TokenExpiredError') throw unauthenticated('Lifetime validation failed, the token is expired.');
      if (/audience/i.test(message)) throw unauthenticated('Access token validation failure. Invalid audience.');
      throw unauthenticated('Access token validation failure.');
    }
    if (claims.tid !== options.tenantId) throw unauthenticated('Access token validation failure. The token is for another tenant.');
    return { appId: typeof claims.appid === 'string' ? claims.appid : undefined, roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [] };
  };
}

/** Graph's answer when the app lacks the permission. */
export function insufficientPrivileges(): GraphHttpError {
  return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
