import assert from 'node:assert/strict';
import {
  type TapRequest,
  anotherPasskey,
  approve,
  beginReveal,
  completeIssue,
  confirmDone,
  expectedPasskeyCount,
  expire,
  isAuthenticatorPasskey,
  newAuthenticatorPasskeys,
  pollMethods,
  recordRouting,
  validateNewRequest,
} from '../../../../src/features/tap/domain';
import { AUTHENTICATOR_AAGUID_ANDROID, AUTHENTICATOR_AAGUID_IOS } from '../../../../src/directory/facts';
import {
  alex,
  context,
  effectKinds,
  expectOk,
  expectRefused,
  graphCreated,
  input,
  issuedRequest,
  minutesAfter,
  nestor,
  pendingRequest,
  pradeep,
  approvedRequest,
  issuingRequest,
} from './fixtures';

const fido2 = '#microsoft.graph.fido2AuthenticationMethod';
const password = { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: 'pw' };
function passkey(id: string, createdMinutes: number, aaGuid = AUTHENTICATOR_AAGUID_IOS) {
  return { '@odata.type': fido2, id, displayName: `Passkey ${id}`, aaGuid, createdDateTime: minutesAfter(createdMinutes).toISOString() };
}

describe('TAP closed loop: watching for the passkey', () => {
  it('recognises an Authenticator passkey by its AAGUID (iOS and Android), not a security key', () => {
    assert.equal(isAuthenticatorPasskey(passkey('a', 0)), true);
    assert.equal(isAuthenticatorPasskey(passkey('b', 0, AUTHENTICATOR_AAGUID_ANDROID.toUpperCase())), true);
    assert.equal(isAuthenticatorPasskey(passkey('yubikey', 0, 'cb69481e-8ff7-4039-93ec-0a2729a154a8')), false);
    assert.equal(isAuthenticatorPasskey(password), false);
  });

  it('counts only passkeys created after the TAP was issued and not already seen', () => {
    const methods = [password, passkey('old', -600), passkey('new', 20), passkey('seen', 15)];
    assert.deepEqual(
      newAuthenticatorPasskeys(methods, minutesAfter(10).toISOString(), { knownIds: ['seen'] }).map((p) => p.id),
      ['new'],
    );
  });

  it('expects two passkeys for an Android phone with a work profile, otherwise asks', () => {
    assert.equal(expectedPasskeyCount({ platform: 'android', androidProfile: 'both' }), 2);
    assert.equal(expectedPasskeyCount({ platform: 'android', androidProfile: 'work' }), 2);
    assert.equal(expectedPasskeyCount({ platform: 'android', androidProfile: 'personal' }), undefined);
    assert.equal(expectedPasskeyCount({ platform: 'ios' }), undefined);
  });

  it('keeps polling every TAP_POLL_SECONDS while nothing new appears (no write needed)', () => {
    const issued = issuedRequest();
    const decision = expectOk(pollMethods(issued, [password], minutesAfter(11)));
    assert.equal(decision.request, issued);
    assert.deepEqual(decision.effects, [{ kind: 'schedule', job: 'tap.poll', at: minutesAfter(12).toISOString() }]);
  });

  it('stops polling at the TAP\'s end (bounded)', () => {
    const decision = expectOk(pollMethods(issuedRequest(), [password], minutesAfter(69.5)));
    assert.deepEqual(decision.effects, []);
  });

  it('a new passkey with an unknown expected count: remembers it and asks "Done? / Another?"', () => {
    const decision = expectOk(pollMethods(issuedRequest(), [password, passkey('pk-1', 20)], minutesAfter(21)));
    assert.equal(decision.request.status, 'issued');
    assert.deepEqual(decision.request.closedLoop.passkeysSeen.map((p) => p.id), ['pk-1']);
    assert.deepEqual(effectKinds(decision), ['ask-passkey-done', 'rerender-helpdesk-card', 'schedule:tap.poll']);
    assert.deepEqual(decision.events.map((e) => e.event), ['passkey-detected']);
    // The same passkey is not announced twice.
    const again = expectOk(pollMethods(decision.request, [password, passkey('pk-1', 20)], minutesAfter(22)));
    assert.equal(again.effects.some((e) => e.kind === 'ask-passkey-done'), false);
  });

  it('"Done? Remove my TAP" completes the request and deletes the TAP', () => {
    const seen = expectOk(pollMethods(issuedRequest(), [passkey('pk-1', 20)], minutesAfter(21))).request;
    const decision = expectOk(confirmDone(seen, { id: alex.id }, minutesAfter(22)));
    assert.equal(decision.request.status, 'completed');
    assert.deepEqual(decision.request.completion, { how: 'user-confirmed', at: minutesAfter(22).toISOString() });
    assert.ok(decision.effects.some((e) => e.kind === 'delete-methods' && e.methods[0]?.id === 'tap-method-1'));
    assert.deepEqual(effectKinds(decision), [
      'unschedule:tap.poll',
      'unschedule:tap.expire',
      'delete-methods',
      'rerender-helpdesk-card',
      'rerender-delivery-card',
      'notify',
    ]);
  });

  it('"Done" counts a passkey the last poll has not seen yet when the shell lists methods', () => {
    const decision = expectOk(confirmDone(issuedRequest(), { id: alex.id }, minutesAfter(22), [passkey('pk-fresh', 21)]));
    assert.equal(decision.request.status, 'completed');
  });

  it('"Done" without any passkey simply removes the TAP (revoked at the person\'s request)', () => {
    const decision = expectOk(confirmDone(issuedRequest(), { id: alex.id }, minutesAfter(22), [password]));
    assert.equal(decision.request.status, 'revoked');
    assert.ok(decision.effects.some((e) => e.kind === 'delete-methods'));
  });

  it('"I still need another passkey" keeps the TAP; the next passkey completes the loop', () => {
    const seen = expectOk(pollMethods(issuedRequest(), [passkey('pk-work', 20, AUTHENTICATOR_AAGUID_ANDROID)], minutesAfter(21))).request;
    const another = expectOk(anotherPasskey(seen, { id: alex.id }, minutesAfter(22)));
    assert.equal(another.request.closedLoop.expectedPasskeys, 2);
    assert.equal(another.request.status, 'issued');
    const methods = [passkey('pk-work', 20, AUTHENTICATOR_AAGUID_ANDROID), passkey('pk-personal', 25, AUTHENTICATOR_AAGUID_ANDROID)];
    const done = expectOk(pollMethods(another.request, methods, minutesAfter(26)));
    assert.equal(done.request.status, 'completed');
    assert.equal(done.request.completion?.how, 'expected-passkeys-registered');
    assert.deepEqual(done.events.map((e) => e.event), ['passkey-detected', 'completed']);
  });

  it('completes on its own when the expected passkeys (Android work + personal) exist', () => {
    const request = issuedRequest(issuingRequest(approvedRequest(pendingRequest({ expectedPasskeys: 2 }))));
    const one = expectOk(pollMethods(request, [passkey('pk-1', 20, AUTHENTICATOR_AAGUID_ANDROID)], minutesAfter(21)));
    assert.equal(one.request.status, 'issued');
    const two = expectOk(
      pollMethods(one.request, [passkey('pk-1', 20, AUTHENTICATOR_AAGUID_ANDROID), passkey('pk-2', 21, AUTHENTICATOR_AAGUID_ANDROID)], minutesAfter(22)),
    );
    assert.equal(two.request.status, 'completed');
    assert.ok(two.effects.some((e) => e.kind === 'delete-methods'));
  });

  it('a TAP that expires after a passkey was registered completes the request without a deletion', () => {
    const seen = expectOk(pollMethods(issuedRequest(), [passkey('pk-1', 20)], minutesAfter(21))).request;
    const decision = expectOk(expire(seen, minutesAfter(70)));
    assert.equal(decision.request.status, 'completed');
    assert.equal(decision.request.completion?.how, 'tap-expired');
    assert.equal(decision.effects.some((e) => e.kind === 'delete-methods'), false);
  });

  it('only the recipient or the target answers the loop, and only while the TAP is issued', () => {
    expectRefused(confirmDone(issuedRequest(), { id: pradeep.id }, minutesAfter(22)), 'not-recipient');
    expectRefused(anotherPasskey(approvedRequest(), { id: alex.id }, minutesAfter(22)), 'not-issued');
  });
});

describe('TAP request: the record never holds the TAP value', () => {
  function collectKeys(value: unknown, keys = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => collectKeys(v, keys));
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        keys.add(key);
        collectKeys(inner, keys);
      }
    return keys;
  }

  it('has no field for it in the record type (checked by tsc)', () => {
    type KeysOf<T> = T extends object ? keyof T : never;
    type Leaks = 'temporaryAccessPass' extends KeysOf<TapRequest> | KeysOf<NonNullable<TapRequest['issued']>> ? true : false;
    const leaks: Leaks = false;
    assert.equal(leaks, false);
  });

  it('a full on-behalf, lost-phone flow serialises without a temporaryAccessPass key or the value', () => {
    const secret = 'Zq9#Secret!Tap';
    let request: TapRequest = expectOk(
      validateNewRequest(input({ requester: nestor, lostDevice: { lost: true, registrationIds: [] } }), context({ requesterIsManager: true })),
    ).request;
    const everything: unknown[] = [];
    const keep = (d: ReturnType<typeof approve>) => {
      const ok = expectOk(d);
      everything.push(ok);
      request = ok.request;
    };
    keep(recordRouting(request, { conversationId: 'c', activityId: 'a' }, minutesAfter(0.1)));
    keep(approve(request, pradeep, 'manager-confirmed', minutesAfter(5)));
    keep(beginReveal(request, { id: nestor.id }, minutesAfter(10)));
    const graphResponse = { ...graphCreated(minutesAfter(10)), temporaryAccessPass: secret };
    keep(completeIssue(request, graphResponse, minutesAfter(10)));
    keep(pollMethods(request, [passkey('pk-1', 20)], minutesAfter(21)));
    keep(confirmDone(request, { id: nestor.id }, minutesAfter(22)));
    assert.equal(request.status, 'completed');

    const serialised = JSON.stringify({ request, everything });
    assert.equal(collectKeys(JSON.parse(serialised)).has('temporaryAccessPass'), false);
    assert.equal(serialised.includes(secret), false);
  });
});
