/**
 * The person's registered methods: which can complete MFA, which live on the phone.
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import type { AuthenticationMethod } from '../../../../directory/facts';
import { MFA_CAPABLE_METHOD_TYPES, authenticatorPasskeyPlatform, methodKind } from '../../../../directory/methods';
import { type RuleContext } from './context';

// ---------------------------------------------------------------- the user's methods

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);


/** Methods that can complete MFA (not password, not email; a TAP is counted separately). */
export function mfaMethods(ctx: RuleContext): AuthenticationMethod[] {
  return ctx.input.user.methods.filter((m) => MFA_CAPABLE_METHOD_TYPES.has(methodKind(m)));
}

/** Does this method live on the phone (gone with a lost phone)? */
export function isPhoneBound(method: AuthenticationMethod): boolean {
  const kind = methodKind(method);
  if (kind === 'microsoftAuthenticator' || kind === 'softwareOath') return true;
  if (kind === 'phone') return method.phoneType !== 'office';
  return authenticatorPasskeyPlatform(method) !== undefined;
}

/** MFA methods still in hand: when the phone is lost, those on it don't count. */
export function usableMfaMethods(ctx: RuleContext): AuthenticationMethod[] {
  const methods = mfaMethods(ctx);
  return ctx.input.answers.lostDevice === true ? methods.filter((m) => !isPhoneBound(m)) : methods;
}

/** Lost phone: the person had MFA on it and has none left elsewhere. */
export function lostAllMfa(ctx: RuleContext): boolean {
  if (ctx.input.answers.lostDevice !== true) return false;
  const methods = mfaMethods(ctx);
  return methods.some(isPhoneBound) && !methods.some((m) => !isPhoneBound(m));
}
