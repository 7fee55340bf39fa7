/**
 * The closed loop after issuing: the `tap.poll` job lists the user's methods
 * until the TAP ends; a new Authenticator passkey (a fido2 method with one of
 * Authenticator's AAGUIDs, created after the TAP was issued) is the signal.
 * The TAP is deleted when the person confirms, when the expected passkeys
 * exist, or it simply expires (`expire`).
 */
import { type Answers } from '../../../directory/facts';

export { isAuthenticatorPasskey };
import { type Accepted, type Decision, type Effect, type SeenPasskey, type TapRequest, refuse } from './request';
import { type TapSettings, withDefaults } from './settings';
import { type Actor, expire, markCompleted, revoke } from './transitions';
import { isAuthenticatorPasskey } from '../../../directory/methods';


/** A method as Graph lists it (facts.ts `AuthenticationMethod` fits). */
export interface ListedMethod {
  '@odata.type': string;
  id?: string | null;
  displayName?: string | null;
  createdDateTime?: string | null;
  aaGuid?: string | null;
  [property: string]: unknown;
}


/**
 * Authenticator passkeys created at or after `since` (minus clock skew) that are not
 * already known. Without a creation time a passkey can't be told apart from an old
 * one, so it is not counted (no false "done").
 */
export function newAuthenticatorPasskeys(
  methodsNow: readonly ListedMethod[],
  since: string,
  options: { knownIds?: readonly string[]; clockSkewSeconds?: number } = {},
): SeenPasskey[] {
  const threshold = Date.parse(since) - (options.clockSkewSeconds ?? withDefaults().clockSkewSeconds) * 1000;
  const known = new Set(options.knownIds ?? []);
  return methodsNow
    .filter((m) => isAuthenticatorPasskey(m) && m.id && !known.has(m.id))
    .filter((m) => {
      const created = m.createdDateTime ? Date.parse(m.createdDateTime) : Number.NaN;
      return !Number.isNaN(created) && created >= threshold;
    })
    .map((m) => ({
      id: m.id as string,
      displayName: m.displayName ?? 'Passkey in Microsoft Authenticator',
      ...(m.createdDateTime ? { createdDateTime: m.createdDateTime } : {}),
    }));
}

/**
 * How many passkeys the person needs, when we can tell: an Android phone with a
 * work profile keeps passkeys per profile, so work + personal means two
 * (Microsoft recommends one in each). Otherwise unknown: ask after the first.
 */
export function expectedPasskeyCount(answers: Pick<Answers, 'platform' | 'androidProfile'>): number | undefined {
  if (answers.androidProfile === 'both' || answers.androidProfile === 'work') return 2;
  return undefined;
}

function nextPollEffects(request: TapRequest, now: Date, settings: TapSettings): Effect[] {
  const next = now.getTime() + settings.pollSeconds * 1000;
  // Bounded: polling stops at the TAP's end; the tap.expire job closes the loop then.
  if (!request.issued || next >= Date.parse(request.issued.validUntil)) return [];
  return [{ kind: 'schedule', job: 'tap.poll', at: new Date(next).toISOString() }];
}

/** The `tap.poll` job: compares the methods now with what was there when the TAP was issued. */
export function pollMethods(request: TapRequest, methodsNow: readonly ListedMethod[], now: Date, settings?: Partial<TapSettings>): Decision {
  const s = withDefaults(settings);
  if (request.status !== 'issued' || !request.issued) return refuse('not-issued', 'Nothing to watch: the pass is not issued.');
  if (now.getTime() >= Date.parse(request.issued.validUntil)) return expire(request, now);

  const fresh = newAuthenticatorPasskeys(methodsNow, request.issued.attemptStartedAt, {
    knownIds: request.closedLoop.passkeysSeen.map((p) => p.id),
    clockSkewSeconds: s.clockSkewSeconds,
  });
  if (fresh.length === 0) return { ok: true, request, events: [], effects: nextPollEffects(request, now, s) };

  const passkeysSeen = [...request.closedLoop.passkeysSeen, ...fresh];
  const withSeen: TapRequest = {
    ...request,
    version: request.version + 1,
    updatedAt: now.toISOString(),
    closedLoop: { ...request.closedLoop, passkeysSeen },
    history: [...request.history, { at: now.toISOString(), from: 'issued', to: 'issued', event: 'passkey-detected', actor: 'system' }],
  };
  const detected = {
    at: now.toISOString(),
    requestId: request.id,
    event: 'passkey-detected' as const,
    actor: 'system',
    details: { passkeyIds: fresh.map((p) => p.id), seen: passkeysSeen.length, expected: request.closedLoop.expectedPasskeys ?? null },
  };

  const expected = request.closedLoop.expectedPasskeys;
  if (expected !== undefined && passkeysSeen.length >= expected) {
    const completed = markCompleted(withSeen, now, 'expected-passkeys-registered');
    if (!completed.ok) return completed;
    return { ...completed, events: [detected, ...completed.events] };
  }

  // A known count not reached yet (work and personal profile): no question, and the card holding the pass stays as it is.
  const ask: Effect[] = expected === undefined ? [{ kind: 'ask-passkey-done' }] : [];
  const effects: Effect[] = [...ask, { kind: 'rerender-helpdesk-card' }, ...nextPollEffects(withSeen, now, s)];
  return { ok: true, request: withSeen, events: [detected], effects };
}

function checkLoopActor(request: TapRequest, actor: Actor) {
  if (actor.id !== request.recipient.id && actor.id !== request.targetUser.id)
    return refuse('not-recipient', `Only ${request.recipient.displayName} can answer this.`);
  if (request.status !== 'issued' || !request.issued) return refuse('not-issued', 'There is no active Temporary Access Pass for this request.');
  return null;
}

/**
 * "Done? Remove my TAP" (`tap.done`). `methodsNow`, when the shell lists them, counts
 * passkeys the last poll hasn't seen yet. Without any passkey the pass is simply
 * removed (revoked at the person's request).
 */
export function confirmDone(request: TapRequest, actor: Actor, now: Date, methodsNow?: readonly ListedMethod[], settings?: Partial<TapSettings>): Decision {
  const refusal = checkLoopActor(request, actor);
  if (refusal) return refusal;
  let current = request;
  if (methodsNow && request.issued) {
    const fresh = newAuthenticatorPasskeys(methodsNow, request.issued.attemptStartedAt, {
      knownIds: request.closedLoop.passkeysSeen.map((p) => p.id),
      clockSkewSeconds: withDefaults(settings).clockSkewSeconds,
    });
    if (fresh.length > 0) current = { ...request, closedLoop: { ...request.closedLoop, passkeysSeen: [...request.closedLoop.passkeysSeen, ...fresh] } };
  }
  if (current.closedLoop.passkeysSeen.length === 0)
    return revoke(current, { id: actor.id, displayName: actor.displayName, isHelpdeskMember: false }, now, 'Removed by the user before a passkey was registered');
  return markCompleted(current, now, 'user-confirmed', actor.id);
}

/** "I still need another passkey" (`tap.another`): keep the pass and the polling; done after one more. */
export function anotherPasskey(request: TapRequest, actor: Actor, now: Date): Decision {
  const refusal = checkLoopActor(request, actor);
  if (refusal) return refusal;
  const expectedPasskeys = request.closedLoop.passkeysSeen.length + 1;
  const next: TapRequest = {
    ...request,
    version: request.version + 1,
    updatedAt: now.toISOString(),
    closedLoop: { ...request.closedLoop, expectedPasskeys },
    history: [...request.history, { at: now.toISOString(), from: 'issued', to: 'issued', event: 'another-passkey', actor: actor.id }],
  };
  const result: Accepted = {
    ok: true,
    request: next,
    events: [{ at: now.toISOString(), requestId: request.id, event: 'another-passkey', actor: actor.id, details: { expectedPasskeys } }],
    effects: [
      {
        kind: 'notify',
        to: 'recipient',
        message:
          'OK: register the next passkey (on Android with a work profile, add one in Authenticator in each profile) with the same Temporary Access Pass. We will remove the pass once it appears.',
      },
    ],
  };
  return result;
}
