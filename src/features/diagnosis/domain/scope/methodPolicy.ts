/**
 * Method policies (passkey and TAP): who is in scope, and what the passkey profiles allow (AAGUIDs, attestation, passkey types).
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import {
  ALL_USERS_TARGET,
  type AuthenticationMethodConfiguration,
  type MethodTarget,
  type PasskeyProfile,
} from '../../../../directory/facts';
import { type Platform } from '../questions';
import { type RuleContext, authenticatorAaguid, candidatePlatforms, includesId, sameId } from './context';

// ---------------------------------------------------------------- method policy

export function methodConfiguration(ctx: RuleContext, id: 'Fido2' | 'TemporaryAccessPass'): AuthenticationMethodConfiguration | undefined {
  return ctx.input.tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find((c) => c.id.toLowerCase() === id.toLowerCase());
}

function targetMatches(target: MethodTarget, ctx: RuleContext): boolean {
  const { user, groupIds } = ctx.input.user;
  return sameId(target.id, ALL_USERS_TARGET) || sameId(target.id, user.id) || includesId(groupIds, target.id);
}

export type PolicyScope = 'included' | 'excluded' | 'not-included' | 'disabled' | 'unknown';

/** Is the user in a method policy's targets? Exclusion wins over inclusion. */
export function methodPolicyScope(ctx: RuleContext, config: AuthenticationMethodConfiguration | undefined): PolicyScope {
  if (!config || config.state === undefined) return 'unknown';
  if (config.state !== 'enabled') return 'disabled';
  if ((config.excludeTargets ?? []).some((t) => targetMatches(t, ctx))) return 'excluded';
  if ((config.includeTargets ?? []).some((t) => targetMatches(t, ctx))) return 'included';
  return 'not-included';
}

export function matchingTargets(ctx: RuleContext, targets: readonly MethodTarget[] | undefined): MethodTarget[] {
  return (targets ?? []).filter((t) => targetMatches(t, ctx));
}

/** A passkey profile, or the legacy global Fido2 settings presented as one. */
export interface EffectiveProfile extends PasskeyProfile {
  legacy: boolean;
}

/**
 * The passkey profiles that apply to the user: the profiles of every include
 * target they match (a target without profiles uses the default profile);
 * without passkey profiles, the legacy global settings. Undefined when the
 * policy doesn't say (no match, unknown profile ids).
 */
export function effectivePasskeyProfiles(ctx: RuleContext): EffectiveProfile[] | undefined {
  const config = methodConfiguration(ctx, 'Fido2');
  if (!config) return undefined;
  const profiles = config.passkeyProfiles ?? [];
  if (profiles.length === 0) {
    return [
      {
        id: 'global',
        name: 'Passkey (FIDO2) global settings',
        // Before passkey profiles, the policy only allowed device-bound passkeys.
        passkeyTypes: 'deviceBound',
        attestationEnforcement:
          config.isAttestationEnforced === undefined ? undefined : config.isAttestationEnforced ? 'registrationOnly' : 'disabled',
        keyRestrictions: config.keyRestrictions ?? null,
        legacy: true,
      },
    ];
  }
  const ids = new Set<string>();
  for (const target of matchingTargets(ctx, config.includeTargets)) {
    const allowed = target.allowedPasskeyProfiles ?? [];
    if (allowed.length > 0) allowed.forEach((id) => ids.add(id.toLowerCase()));
    else if (config.defaultPasskeyProfile) ids.add(config.defaultPasskeyProfile.toLowerCase());
  }
  const result = profiles.filter((p) => ids.has(p.id.toLowerCase())).map((p) => ({ ...p, legacy: false }));
  return result.length > 0 ? result : undefined;
}

export function profileLabel(profile: EffectiveProfile): string {
  return profile.legacy ? 'the global Passkey (FIDO2) settings' : `the passkey profile "${profile.name ?? profile.id}"`;
}

/** Does the profile allow device-bound passkeys? Unknown passkeyTypes count as allowed (no guess). */
export function profileAllowsDeviceBound(profile: PasskeyProfile): boolean {
  if (profile.passkeyTypes === undefined || profile.passkeyTypes === null) return true;
  return profile.passkeyTypes
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .includes('devicebound');
}

/** Do the profile's key restrictions let Authenticator's AAGUID for this platform through? */
export function profileAllowsAaguid(profile: PasskeyProfile, platform: Platform): boolean {
  const restrictions = profile.keyRestrictions;
  if (!restrictions || restrictions.isEnforced !== true) return true;
  const listed = includesId(restrictions.aaGuids ?? [], authenticatorAaguid(platform));
  if (restrictions.enforcementType === 'allow') return listed;
  if (restrictions.enforcementType === 'block') return !listed;
  return true;
}

/** Does the profile allow an Authenticator (device-bound) passkey on this platform? */
export function profileAllowsAuthenticator(profile: PasskeyProfile, platform: Platform): boolean {
  return profileAllowsDeviceBound(profile) && profileAllowsAaguid(profile, platform);
}

export function profileEnforcesAttestation(profile: PasskeyProfile): boolean | undefined {
  const legacyFlag = (profile as { isAttestationEnforced?: unknown }).isAttestationEnforced;
  if (profile.attestationEnforcement === 'registrationOnly' || legacyFlag === true) return true;
  if (profile.attestationEnforcement === 'disabled' || legacyFlag === false) return false;
  return undefined;
}

/**
 * With attestation enforced, only registration inside the Authenticator app
 * works. Cross-device is blocked when, on every platform the phone may be,
 * every profile that allows Authenticator enforces attestation.
 */
export function crossDeviceBlockedByAttestation(ctx: RuleContext): boolean {
  const profiles = effectivePasskeyProfiles(ctx);
  if (!profiles) return false;
  return candidatePlatforms(ctx).every((platform) => {
    const allowing = profiles.filter((p) => profileAllowsAuthenticator(p, platform));
    return allowing.length > 0 && allowing.every((p) => profileEnforcesAttestation(p) === true);
  });
}
