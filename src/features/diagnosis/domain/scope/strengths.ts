/**
 * Authentication strengths: what a Conditional Access policy requires and whether the person meets it today.
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import { type AuthenticationStrengthPolicy, type ConditionalAccessPolicy } from '../../../../directory/facts';
import { type RuleContext, includesId, sameId } from './context';
import { usableMfaMethods } from './userMethods';
import { MFA_CAPABLE_METHOD_TYPES, methodKind } from '../../../../directory/methods';

// ---------------------------------------------------------------- authentication strengths

export interface ResolvedStrength {
  id: string;
  displayName: string;
  allowedCombinations: string[];
  policy?: AuthenticationStrengthPolicy;
}

/** The strength a CA policy requires, with its combinations; undefined when unknown. */
export function resolveStrength(ctx: RuleContext, required: ConditionalAccessPolicy['grantControls']): ResolvedStrength | undefined {
  const reference = required?.authenticationStrength;
  if (!reference) return undefined;
  const id = reference.id ?? '';
  const listed = ctx.input.tenant.authenticationStrengthPolicies.find((s) => sameId(s.id, id));
  const combinations = (listed?.allowedCombinations ?? reference.allowedCombinations ?? undefined) as string[] | undefined;
  if (combinations && combinations.length > 0) {
    return {
      id,
      displayName: listed?.displayName ?? reference.displayName ?? id,
      allowedCombinations: combinations,
      policy: listed ?? (reference as AuthenticationStrengthPolicy),
    };
  }
  // Graph lists the built-in strengths with the custom ones; a strength we can't read is unknown, not guessed.
  return undefined;
}

function combinationModes(combination: string): string[] {
  return combination.split(',').map((m) => m.trim()).filter(Boolean);
}

/** Does the strength accept a Temporary Access Pass (one-time or multi-use)? */
export function strengthAllowsTap(strength: ResolvedStrength): boolean {
  return strength.allowedCombinations.some((c) =>
    combinationModes(c).some((m) => m === 'temporaryAccessPassOneTime' || m === 'temporaryAccessPassMultiUse'),
  );
}

/**
 * The authentication-method modes the user can present today (TAP excluded:
 * it's judged on its own). Lenient where Graph can't tell (Authenticator
 * phone sign-in, certificate MFA): an unknown never makes a blocker.
 */
export function userModes(ctx: RuleContext): Set<string> {
  const modes = new Set<string>();
  const inHand = new Set(usableMfaMethods(ctx));
  for (const method of ctx.input.user.methods) {
    const kind = methodKind(method);
    if (MFA_CAPABLE_METHOD_TYPES.has(kind) && !inHand.has(method)) continue;
    switch (kind) {
      case 'password':
        modes.add('password');
        break;
      case 'email':
        modes.add('email');
        break;
      case 'phone':
        modes.add('voice');
        if (method.phoneType !== 'office') modes.add('sms');
        break;
      case 'microsoftAuthenticator':
        modes.add('microsoftAuthenticatorPush');
        modes.add('deviceBasedPush');
        break;
      case 'softwareOath':
        modes.add('softwareOath');
        break;
      case 'hardwareOath':
        modes.add('hardwareOath');
        break;
      case 'fido2':
        modes.add('fido2');
        break;
      case 'windowsHelloForBusiness':
      case 'platformCredential':
        // Strengths list Platform Credential for macOS under "Windows Hello for Business / Platform Credential".
        modes.add('windowsHelloForBusiness');
        break;
      case 'x509Certificate':
        modes.add('x509CertificateMultiFactor');
        modes.add('x509CertificateSingleFactor');
        break;
      case 'qrCodePin':
        modes.add('qrCodePin');
        break;
      default:
        break;
    }
  }
  return modes;
}

/** Can the user satisfy the strength with what they have today (no TAP)? */
export function userSatisfiesStrength(ctx: RuleContext, strength: ResolvedStrength): boolean {
  const modes = userModes(ctx);
  type Combination = { '@odata.type'?: string; allowedAAGUIDs?: string[] | null };
  const configurations = (strength.policy?.combinationConfigurations ?? []) as Combination[];
  const fido2Restriction = configurations.find(
    (c) => (c['@odata.type'] ?? '').toLowerCase().endsWith('fido2combinationconfiguration') && (c.allowedAAGUIDs ?? []).length > 0,
  );
  const inHand = new Set(usableMfaMethods(ctx));
  const fido2Allowed = (): boolean => {
    const keys = ctx.input.user.methods.filter((m) => methodKind(m) === 'fido2' && inHand.has(m));
    if (!fido2Restriction) return keys.length > 0;
    return keys.some((k) => includesId(fido2Restriction.allowedAAGUIDs ?? [], String(k.aaGuid ?? '')));
  };
  return strength.allowedCombinations.some((combination) => {
    const needed = combinationModes(combination);
    if (!needed.every((m) => modes.has(m))) return false;
    return !needed.includes('fido2') || fido2Allowed();
  });
}
