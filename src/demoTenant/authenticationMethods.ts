/**
 * /users/{id}/authentication: all methods, the typed collections, GET by id,
 * DELETE where Graph allows it, and Temporary Access Pass creation under the
 * TemporaryAccessPass method policy (one TAP per user; the code only in the 201).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { GraphHttpError, badRequest, methodNotAllowed, resourceNotFound } from './errors';
import type { FixtureMethod, FixtureUser } from './fixture';
import { odataContext, project, selectedFields } from './paging';
import type { GraphResponse, Route, RouteContext } from './router';
import { TAP_TYPE, type TenantState } from './state';

/** Typed collection segment → the @odata.type of its items. */
export const METHOD_COLLECTIONS: Record<string, string> = {
  emailMethods: '#microsoft.graph.emailAuthenticationMethod',
  fido2Methods: '#microsoft.graph.fido2AuthenticationMethod',
  hardwareOathMethods: '#microsoft.graph.hardwareOathAuthenticationMethod',
  microsoftAuthenticatorMethods: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  passwordMethods: '#microsoft.graph.passwordAuthenticationMethod',
  phoneMethods: '#microsoft.graph.phoneAuthenticationMethod',
  platformCredentialMethods: '#microsoft.graph.platformCredentialAuthenticationMethod',
  softwareOathMethods: '#microsoft.graph.softwareOathAuthenticationMethod',
  temporaryAccessPassMethods: TAP_TYPE,
  windowsHelloForBusinessMethods: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
};

/** Graph has no DELETE on passwordMethods. */
const UNDELETABLE = new Set(['passwordMethods']);

/** Characters of generated passes (Graph's mix letters, digits and a few symbols). */
const TAP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+!#%&*=?@';

export interface TapUsability {
  isUsable: boolean;
  methodUsabilityReason: 'EnabledByPolicy' | 'DisabledByPolicy' | 'Expired' | 'NotYetValid' | 'OneTimeUsed';
}

/** A used one-time pass stays "OneTimeUsed"; otherwise its time window, then the policy, decide. */
export function tapUsability(state: TenantState, userId: string, tap: FixtureMethod, now: Date): TapUsability {
  if (state.isTemporaryAccessPassUsed(tap.id)) return { isUsable: false, methodUsabilityReason: 'OneTimeUsed' };
  const start = Date.parse(String(tap.startDateTime ?? tap.createdDateTime ?? ''));
  const lifetimeMinutes = Number(tap.lifetimeInMinutes ?? 60);
  if (Number.isFinite(start)) {
    if (now.getTime() < start) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
    if (now.getTime() >= start + lifetimeMinutes * 60_000) return { isUsable: false, methodUsabilityReason: 'Expired' };
  }
  if (!state.isMethodEnabledFor(state.methodConfiguration('TemporaryAccessPass'), userId)) return { isUsable: false, methodUsabilityReason: 'DisabledByPolicy' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}

/** A method as Graph shows it: TAPs without their code and with computed usability. */
export function renderMethod(state: TenantState, userId: string, method: FixtureMethod, now: Date): Record<string, unknown> {
  if (method['@odata.type'] !== TAP_TYPE) return { ...method };
  return { ...method, temporaryAccessPass: null, ...tapUsability(state, userId, method, now) };
}

function requireUser(context: RouteContext): FixtureUser {
  const user = context.state.findUser(context.params.userId);
  if (!user) throw resourceNotFound(context.params.userId);
  return user;
}

/** The typed collection named in the path (case-insensitive), or Graph's unknown-segment 400. */
function collectionName(segment: string): string {
  // /authentication/methods is read-only: other verbs there are a 405, like Graph's.
  if (segment.toLowerCase() === 'methods') throw methodNotAllowed();
  const name = Object.keys(METHOD_COLLECTIONS).find((candidate) => candidate.toLowerCase() === segment.toLowerCase());
  if (name === undefined) throw badRequest(`Resource not found for the segment '${segment}'.`);
  return name;
}

function listAll(context: RouteContext): GraphResponse {
  const user = requireUser(context);
  const fields = selectedFields(context);
  const value = context.state.methodsOf(user.id).map((method) => project(renderMethod(context.state, user.id, method, context.now), fields));
  return { status: 200, body: { '@odata.context': odataContext(context, `users('${user.id}')/authentication/methods`), value } };
}

function getOne(context: RouteContext): GraphResponse {
  const user = requireUser(context);
  const method = context.state.methodsOf(user.id).find((candidate) => candidate.id === context.params.methodId);
  if (!method) throw resourceNotFound(context.params.methodId);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, `users('${user.id}')/authentication/methods/$entity`), ...project(renderMethod(context.state, user.id, method, context.now), selectedFields(context)) },
  };
}

function listTyped(context: RouteContext): GraphResponse {
  const user = requireUser(context);
  const name = collectionName(context.params.collection);
  const fields = selectedFields(context);
  const value = context.state
    .methodsOf(user.id)
    .filter((method) => method['@odata.type'] === METHOD_COLLECTIONS[name])
    .map((method) => project(renderMethod(context.state, user.id, method, context.now), fields));
  return { status: 200, body: { '@odata.context': odataContext(context, `users('${user.id}')/authentication/${name}`), value } };
}

function findTyped(context: RouteContext): { user: FixtureUser; name: string; method: FixtureMethod } {
  const user = requireUser(context);
  const name = collectionName(context.params.collection);
  const method = context.state.methodsOf(user.id).find((candidate) => candidate.id === context.params.methodId && candidate['@odata.type'] === METHOD_COLLECTIONS[name]);
  if (!method) throw resourceNotFound(context.params.methodId);
  return { user, name, method };
}

function getTyped(context: RouteContext): GraphResponse {
  const { user, name, method } = findTyped(context);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, `users('${user.id}')/authentication/${name}/$entity`), ...project(renderMethod(context.state, user.id, method, context.now), selectedFields(context)) },
  };
}

function deleteTyped(context: RouteContext): GraphResponse {
  const name = collectionName(context.params.collection);
  if (UNDELETABLE.has(name)) throw methodNotAllowed();
  const { user, method } = findTyped(context);
  context.state.removeMethod(user.id, method.id);
  return { status: 204 };
}

interface TapRequest {
  lifetimeInMinutes?: unknown;
  isUsableOnce?: unknown;
  startDateTime?: unknown;
}

function randomPass(length: number): string {
  let pass = '';
  for (let index = 0; index < length; index++) pass += TAP_ALPHABET[randomInt(TAP_ALPHABET.length)];
  return pass;
}

/** POST .../temporaryAccessPassMethods: the policy decides whether, how long, and how often. */
function createTemporaryAccessPass(context: RouteContext): GraphResponse {
  if (collectionName(context.params.collection) !== 'temporaryAccessPassMethods') throw methodNotAllowed();
  const user = requireUser(context);
  const body = (context.request.body ?? {}) as TapRequest;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a temporaryAccessPassAuthenticationMethod object.', 'badRequest');

  const policy = context.state.methodConfiguration('TemporaryAccessPass');
  if (!policy || policy.state !== 'enabled') {
    throw badRequest('Temporary Access Pass is disabled in the authentication methods policy.', 'badRequest');
  }
  if (!context.state.isMethodEnabledFor(policy, user.id)) {
    throw new GraphHttpError(403, 'accessDenied', 'The user is not in scope of the Temporary Access Pass authentication method policy.');
  }

  const minimum = Number(policy.minimumLifetimeInMinutes ?? 60);
  const maximum = Number(policy.maximumLifetimeInMinutes ?? 480);
  const lifetime = body.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes ?? minimum;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime)) throw badRequest('lifetimeInMinutes must be a whole number of minutes.', 'badRequest');
  if (lifetime < minimum || lifetime > maximum) {
    throw badRequest(`lifetimeInMinutes must be between ${minimum} and ${maximum} (the Temporary Access Pass policy's bounds); got ${lifetime}.`, 'badRequest');
  }
  if (body.isUsableOnce !== undefined && typeof body.isUsableOnce !== 'boolean') throw badRequest('isUsableOnce must be true or false.', 'badRequest');
  // A policy that makes every pass one-time wins over the request.
  const isUsableOnce = policy.isUsableOnce === true ? true : (body.isUsableOnce ?? false);

  let start = context.now;
  if (body.startDateTime !== undefined) {
    const parsed = typeof body.startDateTime === 'string' ? Date.parse(body.startDateTime) : Number.NaN;
    if (!Number.isFinite(parsed)) throw badRequest('startDateTime must be an ISO 8601 date and time.', 'badRequest');
    start = new Date(parsed);
  }

  const length = Number(policy.defaultLength ?? 8);
  const pass = randomPass(length);
  const method: FixtureMethod = {
    '@odata.type': TAP_TYPE,
    id: randomUUID(),
    createdDateTime: context.now.toISOString(),
    startDateTime: start.toISOString(),
    lifetimeInMinutes: lifetime,
    isUsableOnce,
  };
  // One TAP per user: a new one replaces the old.
  const previous = context.state.temporaryAccessPassOf(user.id);
  if (previous) context.state.removeMethod(user.id, previous.id);
  context.state.addMethod(user.id, method);

  const rendered = { ...renderMethod(context.state, user.id, method, context.now), temporaryAccessPass: pass };
  return {
    status: 201,
    headers: { Location: `${context.request.baseUrl}/users/${user.id}/authentication/temporaryAccessPassMethods/${method.id}` },
    body: { '@odata.context': odataContext(context, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`), ...rendered },
  };
}

export const authenticationMethodRoutes: Route[] = [
  { method: 'GET', pattern: '/users/{userId}/authentication/methods', handler: listAll },
  { method: 'GET', pattern: '/users/{userId}/authentication/methods/{methodId}', handler: getOne },
  { method: 'GET', pattern: '/users/{userId}/authentication/{collection}', handler: listTyped },
  { method: 'POST', pattern: '/users/{userId}/authentication/{collection}', handler: createTemporaryAccessPass },
  { method: 'GET', pattern: '/users/{userId}/authentication/{collection}/{methodId}', handler: getTyped },
  { method: 'DELETE', pattern: '/users/{userId}/authentication/{collection}/{methodId}', handler: deleteTyped },
];
