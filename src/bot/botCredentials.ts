/**
 * The bot's outgoing tokens (to the Bot Connector) from a TokenCredential (src/graph's @azure/identity).
 *
 * Why not botbuilder's own factory: it builds MSAL clients that always ask the public cloud whether a
 * login host is a known Entra authority (instance discovery), whatever ValidateAuthority says. A private
 * or sovereign authority (ToChannelFromBotLoginUrl) then fails when that answer doesn't come. With
 * @azure/identity the authority host is trusted as configured, and managed identities work the same way.
 */
import { AppCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { AuthorityOptions, TokenCredential } from '../graph';

/** Entra's public cloud: no authority override needed. */
const PUBLIC_LOGIN_HOST = 'https://login.microsoftonline.com';

/** One credential per audience; botbuilder caches the tokens (AppCredentials.cache). */
class TokenAppCredentials extends AppCredentials {
  constructor(
    appId: string,
    tenantId: string,
    oAuthScope: string,
    private readonly credential: TokenCredential,
  ) {
    super(appId, tenantId, oAuthScope);
  }

  protected async refreshToken(): Promise<{ accessToken: string; expiresOn: Date }> {
    const scope = this.oAuthScope.endsWith('/.default') ? this.oAuthScope : `${this.oAuthScope}/.default`;
    const token = await this.credential.getToken(scope);
    if (!token?.token) throw new Error('Authentication: no token for the Bot Connector');
    return { accessToken: token.token, expiresOn: new Date(token.expiresOnTimestamp) };
  }
}

export class TokenCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly credentials = new Map<string, TokenCredential>();

  /** `credentialFor` makes the credential for an authority (from ToChannelFromBotLoginUrl; undefined: public cloud). */
  constructor(
    private readonly appId: string,
    private readonly tenantId: string,
    private readonly credentialFor: (authority: AuthorityOptions) => TokenCredential,
  ) {
    super();
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string, audience: string | undefined, loginEndpoint?: string, validateAuthority?: boolean): Promise<AppCredentials> {
    if (appId !== this.appId) throw new Error('Invalid appId.');
    // A single-tenant bot signs in to its own tenant; the login URL only tells which cloud.
    const origin = loginEndpoint ? new URL(loginEndpoint).origin : PUBLIC_LOGIN_HOST;
    const authority: AuthorityOptions = origin === PUBLIC_LOGIN_HOST ? {} : { authorityHost: origin, disableInstanceDiscovery: validateAuthority === false };
    const key = `${authority.authorityHost ?? ''}|${authority.disableInstanceDiscovery ?? ''}`;
    let credential = this.credentials.get(key);
    if (!credential) this.credentials.set(key, (credential = this.credentialFor(authority)));
    return new TokenAppCredentials(appId, this.tenantId, audience ?? 'https://api.botframework.com', credential);
  }
}
