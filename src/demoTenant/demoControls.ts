/**
 * Demo-only controls, outside the /v1.0 tree (Graph has nothing like them):
 * they play a person's part so the closed loops can be watched end to end,
 * and change faults at run time. Served to loopback callers only; no token.
 *
 *   POST /_demo/users/{id|upn}/registerPasskey        {"platform":"ios"|"android"}
 *   POST /_demo/users/{id|upn}/useTemporaryAccessPass
 *   POST /_demo/users/{id|upn}/attemptRegistration  {"platform","path","computer"?,"location"} (registrationAttempt.ts)
 *   GET  /_demo/state
 *   GET  /_demo/faults          POST /_demo/faults  {latencyMs?, throttleRate?, retryAfterSeconds?, unavailableRate?, unavailableAfterWrite?}
 *   GET  /_demo/licences        POST /_demo/licences {entraIdP1?}  (without P1 the logs answer 403)
 *   POST /_demo/stats/reset
 */
import { randomUUID } from 'node:crypto';
import { AUTHENTICATOR_AAGUID_ANDROID, AUTHENTICATOR_AAGUID_IOS } from '../directory/facts';
import { tapUsability } from './authenticationMethods';
import { FaultsSchema, LicencesSchema, type Faults, type FixtureMethod } from './fixture';
import type { GraphResponse } from './router';
import type { TenantState } from './state';
import { AttemptSchema, attemptRegistration } from './registrationAttempt';

export interface DemoControlContext {
  state: TenantState;
  now: Date;
  stats: { requests: number; batchItems: number; byPath: Map<string, number> };
  resetStats(): void;
  setFaults(faults: Faults): void;
}

function answer(status: number, body: unknown): GraphResponse {
  return { status, body };
}

function refusal(status: number, code: string, message: string): GraphResponse {
  return answer(status, { error: { code, message } });
}

function registerPasskey(context: DemoControlContext, userKey: string, body: unknown): GraphResponse {
  const user = context.state.findUser(userKey);
  if (!user) return refusal(404, 'userNotFound', `No user '${userKey}' in the demo tenant.`);
  const platform = (body as { platform?: unknown } | undefined)?.platform;
  if (platform !== 'ios' && platform !== 'android') return refusal(400, 'badRequest', 'Body must be {"platform":"ios"} or {"platform":"android"}.');
  // What the person would run into in Authenticator: the service refuses these.
  if (user.accountEnabled === false) return refusal(409, 'accountDisabled', 'The account is disabled: the person cannot sign in to register a passkey.');
  if (String(user.userType).toLowerCase() === 'guest') return refusal(409, 'guestAccount', 'Guest accounts cannot register passkeys in this tenant.');
  if (!context.state.isMethodEnabledFor(context.state.methodConfiguration('Fido2'), user.id)) {
    return refusal(409, 'passkeyNotEnabled', 'The Passkey (FIDO2) method is not enabled for this user by the authentication methods policy.');
  }
  const label = platform === 'ios' ? 'Microsoft Authenticator - iOS' : 'Microsoft Authenticator - Android';
  const method: FixtureMethod = {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id: randomUUID(),
    displayName: label,
    createdDateTime: context.now.toISOString(),
    aaGuid: platform === 'ios' ? AUTHENTICATOR_AAGUID_IOS : AUTHENTICATOR_AAGUID_ANDROID,
    model: label,
    attestationCertificates: [],
    attestationLevel: 'attested',
  };
  context.state.addMethod(user.id, method);
  // Signing in with a one-time TAP to register spends it.
  const tap = context.state.temporaryAccessPassOf(user.id);
  if (tap && tap.isUsableOnce === true && tapUsability(context.state, user.id, tap, context.now).isUsable) context.state.markTemporaryAccessPassUsed(tap.id);
  return answer(201, method);
}

function attempt(context: DemoControlContext, userKey: string, body: unknown): GraphResponse {
  const user = context.state.findUser(userKey);
  if (!user) return refusal(404, 'userNotFound', `No user '${userKey}' in the demo tenant.`);
  const parsed = AttemptSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refusal(400, 'badRequest', `${issue.path.join('.') || 'body'}: ${issue.message}. Body: {"platform":"ios"|"android","path":"same-device"|"cross-device","computer":{"compliant":bool,"os":"Windows"}?,"location":"trusted"|"untrusted"}`);
  }
  const outcome = attemptRegistration(context.state, user, parsed.data, context.now, () => {
    registerPasskey(context, user.id, { platform: parsed.data.platform });
  });
  return answer(200, outcome);
}

function useTemporaryAccessPass(context: DemoControlContext, userKey: string): GraphResponse {
  const user = context.state.findUser(userKey);
  if (!user) return refusal(404, 'userNotFound', `No user '${userKey}' in the demo tenant.`);
  const tap = context.state.temporaryAccessPassOf(user.id);
  if (!tap) return refusal(404, 'noTemporaryAccessPass', 'The user has no Temporary Access Pass.');
  if (tap.isUsableOnce !== true) return refusal(409, 'multiUsePass', 'This Temporary Access Pass is multi-use: signing in with it does not use it up.');
  context.state.markTemporaryAccessPassUsed(tap.id);
  return answer(200, { ...tap, temporaryAccessPass: null, ...tapUsability(context.state, user.id, tap, context.now) });
}

function summary(context: DemoControlContext): GraphResponse {
  const { state } = context;
  const temporaryAccessPasses = state.users
    .map((user) => ({ user, tap: state.temporaryAccessPassOf(user.id) }))
    .filter((entry): entry is { user: typeof entry.user; tap: FixtureMethod } => entry.tap !== undefined)
    .map(({ user, tap }) => ({ userPrincipalName: user.userPrincipalName, id: tap.id, ...tapUsability(state, user.id, tap, context.now) }));
  return answer(200, {
    tenant: state.tenant,
    counts: { users: state.users.length, groups: state.groups.length, conditionalAccessPolicies: state.conditionalAccessPolicies.length },
    temporaryAccessPasses,
    faults: state.faults,
    licences: state.licences,
    stats: { requests: context.stats.requests, batchItems: context.stats.batchItems, byPath: Object.fromEntries(context.stats.byPath) },
  });
}

function setFaults(context: DemoControlContext, body: unknown): GraphResponse {
  const result = FaultsSchema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    return refusal(400, 'badRequest', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  context.setFaults(result.data);
  return answer(200, result.data);
}

/** Replaces the licences (absent keys: licensed), e.g. to watch the bot recover when P1 is assigned. */
function setLicences(context: DemoControlContext, body: unknown): GraphResponse {
  const result = LicencesSchema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    return refusal(400, 'badRequest', `${issue.path.join('.') || 'body'}: ${issue.message}. Body: {"entraIdP1": true|false}`);
  }
  context.state.licences = { entraIdP1: result.data.entraIdP1 ?? true };
  return answer(200, context.state.licences);
}

/** Answers one demo control call; `path` is below /_demo. */
export function handleDemoControl(context: DemoControlContext, method: string, path: string, body: unknown): GraphResponse {
  const userAction = /^\/users\/([^/]+)\/(registerPasskey|useTemporaryAccessPass|attemptRegistration)$/i.exec(path);
  if (userAction && method === 'POST') {
    const userKey = decodeURIComponent(userAction[1]);
    if (userAction[2].toLowerCase() === 'attemptregistration') return attempt(context, userKey, body);
    return userAction[2].toLowerCase() === 'registerpasskey' ? registerPasskey(context, userKey, body) : useTemporaryAccessPass(context, userKey);
  }
  if (path === '/state' && method === 'GET') return summary(context);
  if (path === '/faults' && method === 'GET') return answer(200, context.state.faults);
  if (path === '/faults' && method === 'POST') return setFaults(context, body);
  if (path === '/licences' && method === 'GET') return answer(200, context.state.licences);
  if (path === '/licences' && method === 'POST') return setLicences(context, body);
  if (path === '/stats/reset' && method === 'POST') {
    context.resetStats();
    return answer(200, { requests: 0, batchItems: 0 });
  }
  return refusal(404, 'notFound', `No demo control ${method} /_demo${path}.`);
}

