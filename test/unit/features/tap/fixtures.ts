/** Shared people, times and helpers for the TAP specifications (Contoso demo personas). */
import assert from 'node:assert/strict';
import {
  type Accepted,
  type Decision,
  type HelpdeskActor,
  type NewRequestContext,
  type NewRequestInput,
  type RefusalCode,
  type TapRequest,
  approve,
  beginReveal,
  completeIssue,
  validateNewRequest,
} from '../../../../src/features/tap/domain';

export const T0 = new Date('2025-03-14T09:00:00.000Z');
export function minutesAfter(minutes: number, from: Date = T0): Date {
  return new Date(from.getTime() + minutes * 60_000);
}

export const alex = { id: 'u-alex', upn: 'alex@contoso.example', displayName: 'Alex Wilber' };
export const nestor = { id: 'u-nestor', upn: 'nestor@contoso.example', displayName: 'Nestor Wilke' };
export const joni = { id: 'u-joni', upn: 'joni@contoso.example', displayName: 'Joni Sherman' };
export const adele = { id: 'u-adele', upn: 'adele@contoso.example', displayName: 'Adele Vance' };
export const pradeepPerson = { id: 'u-pradeep', upn: 'pradeep@contoso.example', displayName: 'Pradeep Gupta' };
export const debraPerson = { id: 'u-debra', upn: 'debra@contoso.example', displayName: 'Debra Berger' };

export const pradeep: HelpdeskActor = { id: pradeepPerson.id, displayName: pradeepPerson.displayName, isHelpdeskMember: true };
export const debra: HelpdeskActor = { id: debraPerson.id, displayName: debraPerson.displayName, isHelpdeskMember: true };
export const outsider: HelpdeskActor = { id: adele.id, displayName: adele.displayName, isHelpdeskMember: false };

export const joniMethods = [
  { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' },
  { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'auth-joni-iphone', displayName: "Joni's iPhone" },
  {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id: 'fido-joni-iphone',
    displayName: 'Passkey in Authenticator',
    aaGuid: '90a3ccdf-635c-4729-a248-9b709135078f',
  },
];

export function context(overrides: Partial<NewRequestContext> = {}): NewRequestContext {
  return {
    now: T0,
    tapMethodEnabled: true,
    tapPolicyApplies: true,
    accountEnabled: true,
    isGuest: false,
    isPrivileged: false,
    openRequests: [],
    requestsToday: 0,
    requesterIsManager: false,
    requesterIsHelpdeskMember: false,
    tapPolicy: { isUsableOnce: false, defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480 },
    ...overrides,
  };
}

export function input(overrides: Partial<NewRequestInput> = {}): NewRequestInput {
  return {
    id: 'req-1',
    targetUser: alex,
    requester: alex,
    reason: 'New hire: I have only a password and need to register a passkey.',
    ...overrides,
  };
}

export function expectOk(decision: Decision): Accepted {
  if (!decision.ok) assert.fail(`expected acceptance, got ${decision.reason}: ${decision.message}`);
  return decision;
}

export function expectRefused(decision: Decision, reason: RefusalCode): string {
  if (decision.ok) assert.fail(`expected refusal ${reason}, but it was accepted (status ${decision.request.status})`);
  assert.equal(decision.reason, reason, decision.message);
  assert.ok(decision.message.length > 10, 'a refusal carries a human message');
  return decision.message;
}

/** Alex's own request, pending. */
export function pendingRequest(inputOverrides: Partial<NewRequestInput> = {}, contextOverrides: Partial<NewRequestContext> = {}): TapRequest {
  return expectOk(validateNewRequest(input(inputOverrides), context(contextOverrides))).request;
}

export function approvedRequest(request: TapRequest = pendingRequest(), now = minutesAfter(5)): TapRequest {
  return expectOk(approve(request, pradeep, 'video-call-with-id', now)).request;
}

export function issuingRequest(request: TapRequest = approvedRequest(), now = minutesAfter(10)): TapRequest {
  return expectOk(beginReveal(request, { id: request.recipient.id }, now)).request;
}

/** What Graph answers to the creation POST (with the secret, as the port returns it). */
export function graphCreated(now = minutesAfter(10)) {
  return {
    id: 'tap-method-1',
    temporaryAccessPass: 'Secret#Value9',
    createdDateTime: now.toISOString(),
    startDateTime: now.toISOString(),
    lifetimeInMinutes: 60,
    isUsableOnce: false,
  };
}

export function issuedRequest(request: TapRequest = issuingRequest(), now = minutesAfter(10)): TapRequest {
  return expectOk(completeIssue(request, graphCreated(now), now)).request;
}

export function effectKinds(decision: Accepted): string[] {
  return decision.effects.map((e) => (e.kind === 'schedule' || e.kind === 'unschedule' ? `${e.kind}:${e.job}` : e.kind));
}
