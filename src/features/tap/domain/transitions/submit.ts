/**
 * A new TAP request: validated against the TAP policy, the target's account, limits and who may ask; then routed to the helpdesk.
 *
 * Part of the TAP request state machine (pure): each function takes the stored request, who acts and
 * "now", and returns the next request with its audit events and effects, or a refusal that changes nothing.
 */
import {
  type Accepted,
  type Decision,
  type Effect,
  type MethodRef,
  type PersonRef,
  type TapKind,
  type TapRequest,
  REASON_MAX_LENGTH,
  isOpen,
  refuse,
} from '../request';
import { type TapSettings, withDefaults } from '../settings';
import { MINUTE, accepted, change, characterCount, closedRefusal, iso, plus } from './common';

// ---------------------------------------------------------------- request

export interface NewRequestInput {
  /** Chosen by the shell (e.g. crypto.randomUUID()). */
  id: string;
  targetUser: PersonRef;
  requester: PersonRef;
  reason: string;
  /** ISO date or time. */
  neededBy?: string;
  /** `registrationIds`: method ids the person picked; resolved against the target's methods. */
  lostDevice?: { lost: boolean; registrationIds?: string[] };
  tapKind?: TapKind;
  /** E.g. 2 for an Android phone with work and personal profiles; absent → ask after the first passkey. */
  expectedPasskeys?: number;
}

export interface TapPolicyBounds {
  isUsableOnce?: boolean;
  defaultLifetimeInMinutes?: number;
  minimumLifetimeInMinutes?: number;
  maximumLifetimeInMinutes?: number;
}

type ListedMethod = { '@odata.type': string; id?: string | null; displayName?: string | null; [key: string]: unknown };

/** Pre-computed facts (the shell gathers them from Graph and the store; see facts.ts). */
export interface NewRequestContext {
  now: Date;
  settings?: Partial<TapSettings>;
  tapMethodEnabled: boolean;
  tapPolicyApplies: boolean;
  accountEnabled: boolean;
  isGuest: boolean;
  isPrivileged: boolean;
  /** Defaults to settings.allowPrivileged (TAP_ALLOW_PRIVILEGED). */
  allowPrivileged?: boolean;
  /** The target's requests that may still be open. */
  openRequests: readonly TapRequest[];
  /** Requests for this target today (any status). */
  requestsToday: number;
  /** The requester is the target's manager (Graph `manager`). */
  requesterIsManager: boolean;
  requesterIsHelpdeskMember: boolean;
  /** The target's methods, to resolve the lost phone's registrations. */
  targetMethods?: readonly ListedMethod[];
  tapPolicy?: TapPolicyBounds;
}

/** Method types a lost phone can hold that the approver may remove. */
export const LOST_DEVICE_REMOVABLE_TYPES = [
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  '#microsoft.graph.fido2AuthenticationMethod',
  '#microsoft.graph.softwareOathAuthenticationMethod',
] as const;

const DEFAULT_LIFETIME_MINUTES = 60;

function lifetimeFromPolicy(policy: TapPolicyBounds | undefined): number {
  const wanted = policy?.defaultLifetimeInMinutes ?? DEFAULT_LIFETIME_MINUTES;
  const min = policy?.minimumLifetimeInMinutes ?? 10;
  const max = policy?.maximumLifetimeInMinutes ?? 43200;
  return Math.min(Math.max(wanted, min), max);
}

/** Checks a new request and, when it may go to the helpdesk, builds it (status `pending`). */
export function validateNewRequest(input: NewRequestInput, context: NewRequestContext): Decision {
  const settings = withDefaults(context.settings);
  const now = context.now;
  const self = input.requester.id === input.targetUser.id;

  // Who may ask first: nobody learns anything about someone they may not ask for.
  let relation: 'self' | 'manager' | 'helpdesk';
  if (self) relation = 'self';
  else if (context.requesterIsManager) relation = 'manager';
  else if (context.requesterIsHelpdeskMember) relation = 'helpdesk';
  else
    return refuse(
      'not-allowed-on-behalf',
      `You can ask for a Temporary Access Pass for yourself; for ${input.targetUser.displayName} only their manager or the helpdesk can.`,
    );

  const reason = (input.reason ?? '').trim();
  if (reason === '') return refuse('reason-required', 'Please say why the Temporary Access Pass is needed.');
  if (characterCount(reason) > REASON_MAX_LENGTH)
    return refuse('reason-too-long', `Please keep the reason under ${REASON_MAX_LENGTH} characters.`);

  let neededBy: string | undefined;
  if (input.neededBy !== undefined && input.neededBy.trim() !== '') {
    const parsed = Date.parse(input.neededBy);
    if (Number.isNaN(parsed)) return refuse('needed-by-invalid', 'The "needed by" date is not a valid date.');
    neededBy = new Date(parsed).toISOString();
  }

  // What would make the TAP useless: say so instead of wasting an approver's time.
  const whose = self ? 'Your account' : `${input.targetUser.displayName}'s account`;
  if (context.isGuest)
    return refuse(
      'tap-useless:guest',
      `${whose} is a guest account: guests sign in at their home organisation, so a Temporary Access Pass here wouldn't help. Register the passkey with your home organisation.`,
    );
  if (!context.accountEnabled)
    return refuse('tap-useless:account-disabled', `${whose} is disabled, so a Temporary Access Pass couldn't be used. Ask IT to enable it first.`);
  if (!context.tapMethodEnabled)
    return refuse(
      'tap-useless:tap-method-disabled',
      'Temporary Access Pass is turned off in this organisation\'s authentication methods policy. An administrator must enable it first.',
    );
  if (!context.tapPolicyApplies)
    return refuse(
      'tap-useless:not-in-tap-policy',
      `${whose} is not included in (or is excluded from) the Temporary Access Pass policy, so a pass couldn't be used. An administrator must add it to the policy's groups first.`,
    );

  const allowPrivileged = context.allowPrivileged ?? settings.allowPrivileged;
  if (context.isPrivileged && !allowPrivileged)
    return refuse(
      'privileged-target-refused',
      `${whose} holds a directory (admin) role. Temporary Access Passes for admin accounts are refused here; contact the identity team.`,
    );

  const open = context.openRequests.find((r) => r.targetUser.id === input.targetUser.id && isOpen(r, now));
  if (open)
    return refuse(
      'open-request-exists',
      `There is already an open Temporary Access Pass request for ${input.targetUser.displayName} (${open.status}). Finish or cancel it first.`,
    );

  if (context.requestsToday >= settings.dailyLimit)
    return refuse(
      'daily-limit',
      `${input.targetUser.displayName} has reached today's limit of ${settings.dailyLimit} Temporary Access Pass requests. Please contact the helpdesk.`,
    );

  let lostDevice: TapRequest['lostDevice'];
  if (input.lostDevice?.lost) {
    const registrations: MethodRef[] = [];
    for (const id of new Set(input.lostDevice.registrationIds ?? [])) {
      const method = context.targetMethods?.find(
        (m) => m.id === id && (LOST_DEVICE_REMOVABLE_TYPES as readonly string[]).includes(m['@odata.type']),
      );
      if (!method)
        return refuse('unknown-registration', 'One of the chosen phone registrations is not among the account\'s sign-in methods. Please pick again.');
      registrations.push({ '@odata.type': method['@odata.type'], id, displayName: method.displayName ?? method['@odata.type'] });
    }
    lostDevice = { lost: true, registrationIds: registrations };
  }

  const tapKind: TapKind = context.tapPolicy?.isUsableOnce ? 'oneTime' : (input.tapKind ?? 'multiUse');
  const expectedPasskeys =
    input.expectedPasskeys !== undefined && Number.isInteger(input.expectedPasskeys) && input.expectedPasskeys >= 1
      ? Math.min(input.expectedPasskeys, 4)
      : undefined;
  const privileged = context.isPrivileged;
  const remindAt = plus(now, settings.reminderMinutes * MINUTE);
  const expiresAt = plus(now, settings.pendingExpiryMinutes * MINUTE);

  const request: TapRequest = {
    id: input.id,
    version: 1,
    createdAt: iso(now),
    updatedAt: iso(now),
    targetUser: { ...input.targetUser },
    requester: { ...input.requester, relation },
    recipient: self ? { ...input.targetUser } : { ...input.requester },
    reason,
    ...(neededBy ? { neededBy } : {}),
    ...(lostDevice ? { lostDevice } : {}),
    tapKind,
    lifetimeInMinutes: lifetimeFromPolicy(context.tapPolicy),
    status: 'pending',
    approvals: [],
    privilegedTarget: privileged,
    requiredApprovals: privileged ? 2 : 1,
    routing: {},
    expiresAt,
    remindAt,
    issueAttempts: 0,
    closedLoop: { ...(expectedPasskeys ? { expectedPasskeys } : {}), passkeysSeen: [] },
    history: [{ at: iso(now), from: null, to: 'pending', event: 'requested', actor: input.requester.id }],
  };
  const effects: Effect[] = [
    { kind: 'post-helpdesk-card' },
    { kind: 'schedule', job: 'tap.remind', at: remindAt },
    { kind: 'schedule', job: 'tap.expire', at: expiresAt },
  ];
  if (!self)
    effects.push({
      kind: 'notify',
      to: 'target',
      message: `${input.requester.displayName} asked the helpdesk for a Temporary Access Pass for your account. If you didn't expect this, tell the helpdesk.`,
    });
  return {
    ok: true,
    request,
    events: [
      {
        at: iso(now),
        requestId: request.id,
        event: 'requested',
        actor: input.requester.id,
        details: { targetUserId: input.targetUser.id, relation, lostDevice: Boolean(lostDevice), privileged, tapKind },
      },
    ],
    effects,
  };
}

/** The approval card was posted: store where (opaque), so later changes can re-render it. */
export function recordRouting(request: TapRequest, helpdeskCard: Record<string, string>, now: Date): Accepted {
  const changed = change(request, now, 'system', 'routed', { routing: { ...request.routing, helpdeskCard: { ...helpdeskCard } } });
  return accepted(changed, []);
}

/** The 1:1 delivery card was sent: store where. No audit event (not a decision). */
export function recordDeliveryCard(request: TapRequest, recipientCard: Record<string, string>, now: Date): Accepted {
  return {
    ok: true,
    request: { ...request, version: request.version + 1, updatedAt: iso(now), routing: { ...request.routing, recipientCard: { ...recipientCard } } },
    events: [],
    effects: [],
  };
}

/** The approval card couldn't be posted (bot not installed in the helpdesk channel, ...): the request is withdrawn. */
export function routingFailed(request: TapRequest, now: Date, why: string): Decision {
  if (request.status !== 'pending') return closedRefusal(request);
  const changed = change(
    request,
    now,
    'system',
    'routing-failed',
    { status: 'cancelled', cancellation: { by: 'system', at: iso(now), reason: why }, remindAt: undefined, expiresAt: undefined },
    { why },
  );
  return accepted(changed, [
    { kind: 'unschedule', job: 'tap.remind' },
    { kind: 'unschedule', job: 'tap.expire' },
    {
      kind: 'notify',
      to: 'requester',
      message:
        "Your request couldn't be sent to the helpdesk because the helpdesk channel isn't reachable for this bot. Nothing was issued. Please contact the helpdesk directly.",
    },
  ]);
}
