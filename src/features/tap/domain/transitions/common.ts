/**
 * What every TAP transition shares: who acts, small time helpers, and how a change of a request is recorded (version, history, audit events).
 *
 * Part of the TAP request state machine (pure): each function takes the stored request, who acts and
 * "now", and returns the next request with its audit events and effects, or a refusal that changes nothing.
 */
import {
  type Accepted,
  type AuditEventDraft,
  type Effect,
  type Refusal,
  type TapEventName,
  type TapRequest,
  type TapStatus,
  describeApprovers,
  refuse,
} from '../request';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface Actor {
  /** aadObjectId of the person acting (from the activity, never from action data). */
  id: string;
  displayName?: string;
}

export interface HelpdeskActor extends Actor {
  /** Transitive member of HELPDESK_GROUP_ID, checked by the shell through Graph. */
  isHelpdeskMember: boolean;
}

// ---------------------------------------------------------------- helpers

export function iso(date: Date): string {
  return date.toISOString();
}

export function plus(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString();
}

export function isPast(isoTime: string | undefined, now: Date): boolean {
  return isoTime !== undefined && now.getTime() >= Date.parse(isoTime);
}

export function characterCount(text: string): number {
  return [...text].length;
}

/** Applies a change: bumps the version, appends history, drafts the audit event. */
export function change(
  request: TapRequest,
  now: Date,
  actor: string,
  event: TapEventName,
  patch: Partial<TapRequest>,
  details?: Record<string, unknown>,
): { request: TapRequest; event: AuditEventDraft } {
  const to: TapStatus = patch.status ?? request.status;
  const next: TapRequest = {
    ...request,
    ...patch,
    version: request.version + 1,
    updatedAt: iso(now),
    history: [...request.history, { at: iso(now), from: request.status, to, event, actor }],
  };
  return {
    request: next,
    event: { at: iso(now), requestId: request.id, event, actor, ...(details ? { details } : {}) },
  };
}

export function accepted(
  changed: { request: TapRequest; event: AuditEventDraft },
  effects: Effect[],
  extraEvents: AuditEventDraft[] = [],
): Accepted {
  return { ok: true, request: changed.request, events: [changed.event, ...extraEvents], effects };
}

export function isOnBehalf(request: TapRequest): boolean {
  return request.requester.relation !== 'self';
}

/** The refusal for acting on a request that is no longer in the state the action needs. */
export function closedRefusal(request: TapRequest): Refusal {
  switch (request.status) {
    case 'approved':
    case 'issuing':
    case 'issued':
    case 'issue-failed':
    case 'completed':
      return refuse('not-pending', `This request was already approved by ${describeApprovers(request)}.`);
    case 'denied':
      return refuse('not-pending', `This request was already denied by ${request.denial?.displayName ?? 'the helpdesk'}.`);
    case 'expired':
      return refuse('expired', 'This request has expired. Ask for a new one if you still need a Temporary Access Pass.');
    case 'cancelled':
      return refuse('request-closed', 'This request was cancelled.');
    case 'revoked':
      return refuse('request-closed', 'This request was revoked.');
    default:
      return refuse('not-pending', 'This request is not waiting for a decision.');
  }
}
