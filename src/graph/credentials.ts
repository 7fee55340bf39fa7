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

/**
 * Where Microsoft Entra is (AZURE_AUTHORITY_HOST): a sovereign cloud, or the local identity stand-in of the
 * tenant-mode tests. A configured host is trusted as given: instance discovery (a call to the public cloud
 * asking whether the host is an Entra authority) is turned off.
 */
export interface AuthorityOptions {
  authorityHost?: string;
  /** Default true when a host is given. */
  disableInstanceDiscovery?: boolean;
}

function authorityOptions(options: AuthorityOptions): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  return options.authorityHost ? { authorityHost: options.authorityHost, disableInstanceDiscovery: options.disableInstanceDiscovery ?? true } : {};
}

export function createGraphCredential(config: GraphCredentialConfig, options: AuthorityOptions = {}): TokenCredential {
  switch (config.kind) {
    case 'secret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, authorityOptions(options));
    case 'certificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, config.certificatePath, authorityOptions(options));
    case 'managedIdentity':
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
    case 'demo':
      return new StaticTokenCredential();
  }
}

/**
 * The credential behind the bot's own tokens (replies and proactive messages to the Bot Connector), for a
 * client secret or a user-assigned managed identity; certificates stay with botbuilder's own factory.
 * The same library as for Graph, so AZURE_AUTHORITY_HOST and managed identities behave alike for both.
 */
export function createBotTokenCredential(
  bot: { kind: 'secret'; appId: string; password: string } | { kind: 'managedIdentity'; appId: string },
  tenantId: string,
  options: AuthorityOptions = {},
): TokenCredential {
  return bot.kind === 'secret'
    ? new ClientSecretCredential(tenantId, bot.appId, bot.password, authorityOptions(options))
    : new ManagedIdentityCredential({ clientId: bot.appId });
}
