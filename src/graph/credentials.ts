/**
 * How the Graph port proves who it is. The only module that imports `@azure/identity`.
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from '@azure/identity';

export type { TokenCredential } from '@azure/identity';

import type { GraphCredentialConfig } from '../config/config';

export type { GraphCredentialConfig };

/** The bearer token the demo tenant gets: fixed and not a secret (the demo tenant accepts any non-empty token). */
export const DEMO_TOKEN = 'demo-tenant-token';

/** A credential that always answers the same token; for the demo tenant and tests. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string = DEMO_TOKEN) {}

  async getToken(_scopes: string | string[]): Promise<AccessToken> {
    // Far expiry so nothing ever tries to refresh it.
    return { token: this.token, expiresOnTimestamp: Date.UTC(2999, 0, 1) };
  }
}

export function createGraphCredential(config: GraphCredentialConfig): TokenCredential {
  switch (config.kind) {
    case 'secret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret);
    case 'certificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, config.certificatePath);
    case 'managedIdentity':
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
    case 'demo':
      return new StaticTokenCredential();
  }
}
