/**
 * The person's Temporary Access Pass and whether they need one.
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import { type AuthenticationMethod } from '../../../../directory/facts';
import { type RuleContext } from './context';
import { methodConfiguration, methodPolicyScope } from './methodPolicy';
import { lostAllMfa, mfaMethods, str } from './userMethods';
import { strengthNeedsTap } from './conditionalAccess';
import { methodKind } from '../../../../directory/methods';

// ---------------------------------------------------------------- Temporary Access Pass

export type TapState =
  | { kind: 'none' }
  | { kind: 'usable'; tap: AuthenticationMethod; end?: Date }
  | { kind: 'one-time-used'; tap: AuthenticationMethod }
  | { kind: 'expired'; tap: AuthenticationMethod; end?: Date }
  | { kind: 'not-yet-valid'; tap: AuthenticationMethod; start: Date }
  | { kind: 'unusable'; tap: AuthenticationMethod; reason?: string };

export function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The user's Temporary Access Pass and whether it can be used at `now`.
 * Graph's `isUsable`/`methodUsabilityReason` win when they say no; the time
 * window (start + lifetime) is checked too. A pass is only usable when the
 * TAP policy is on for the user.
 */
export function tapState(ctx: RuleContext): TapState {
  const taps = ctx.input.user.methods.filter((m) => methodKind(m) === 'temporaryAccessPass');
  if (taps.length === 0) return { kind: 'none' };
  // A user has at most one TAP; take the newest if the facts hold more.
  const tap = [...taps].sort((a, b) => (dateOf(b.createdDateTime)?.getTime() ?? 0) - (dateOf(a.createdDateTime)?.getTime() ?? 0))[0];
  const reason = str(tap.methodUsabilityReason);
  const start = dateOf(tap.startDateTime) ?? dateOf(tap.createdDateTime);
  const lifetime = typeof tap.lifetimeInMinutes === 'number' ? tap.lifetimeInMinutes : undefined;
  const end = start && lifetime !== undefined ? new Date(start.getTime() + lifetime * 60_000) : undefined;
  const now = ctx.input.now.getTime();
  if (reason?.toLowerCase() === 'onetimeused') return { kind: 'one-time-used', tap };
  if (reason?.toLowerCase() === 'expired' || (end && end.getTime() <= now)) return { kind: 'expired', tap, end };
  if (reason?.toLowerCase() === 'notyetvalid' || (start && start.getTime() > now)) {
    return { kind: 'not-yet-valid', tap, start: start ?? ctx.input.now };
  }
  if (tap.isUsable === false) return { kind: 'unusable', tap, reason };
  const scope = methodPolicyScope(ctx, methodConfiguration(ctx, 'TemporaryAccessPass'));
  if (scope !== 'included' && scope !== 'unknown') return { kind: 'unusable', tap, reason: 'DisabledByPolicy' };
  return { kind: 'usable', tap, end };
}


// ---------------------------------------------------------------- what the person needs

/** The person has no way to complete MFA (before any TAP). */
export function hasNoMfa(ctx: RuleContext): boolean {
  return mfaMethods(ctx).length === 0;
}

/**
 * Does the person need a (new) TAP to register? Yes when they have no usable
 * TAP and: no MFA at all, or all their MFA was on a lost phone, or a
 * TAP-accepting strength asks for more than they have.
 */
export function needsTap(ctx: RuleContext): boolean {
  if (tapState(ctx).kind === 'usable') return false;
  return hasNoMfa(ctx) || lostAllMfa(ctx) || strengthNeedsTap(ctx);
}

/** Does the TAP policy force one-time passes? Then no advice may ask for a multi-use pass. */
export function tapPolicyOneTimeOnly(ctx: RuleContext): boolean {
  return methodConfiguration(ctx, 'TemporaryAccessPass')?.isUsableOnce === true;
}
