import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { applicableCaPolicies, elementBlocks, policyLabel } from '../scope/conditionalAccess';
import { resolveStrength, strengthAllowsTap, userSatisfiesStrength } from '../scope/strengths';

const id = 'strength-excludes-tap';
const source = LEARN_PAGES.authenticationStrengths;

/**
 * An applicable CA policy requires an authentication strength that doesn't
 * accept a TAP (built-in Passwordless MFA, Phishing-resistant MFA, or a custom
 * one without TAP) and the person has no method that meets it yet: they can't
 * sign in to register their first passkey.
 */
export const strengthExcludesTap: Rule = {
  id,
  source,
  needs: ['platform', 'device', 'registration', 'lostDevice'],
  evaluate(ctx) {
    const loops = applicableCaPolicies(ctx).flatMap(({ policy }) => {
      const strength = resolveStrength(ctx, policy.grantControls);
      if (!strength || strengthAllowsTap(strength) || userSatisfiesStrength(ctx, strength)) return [];
      if (!elementBlocks(ctx, policy, (e) => e.kind === 'strength')) return [];
      return [{ policy, strength }];
    });
    if (loops.length === 0) return null;
    const described = loops.map(({ policy, strength }) => `${policyLabel(policy)} requires "${strength.displayName}"`).join('; ');
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'A sign-in policy asks for a passkey before you can add one',
      userTitle: 'You are asked for a passkey before you can add one',
      userText: "To sign in to the Authenticator app your organization asks for a passkey, which you don't have yet; a Temporary Access Pass is not accepted for it.",
      detail: `Conditional Access ${described}. That strength doesn't accept a Temporary Access Pass, and none of your current methods meets it, so you can't sign in to Authenticator to register your first passkey.`,
      userFix: 'Nothing to do on your phone, and a Temporary Access Pass would not help: the helpdesk has to change a company setting for you.',
      adminFix: `Create a strength for onboarding: ${ADMIN.strengths} > + New authentication strength, select Passkeys (FIDO2) (under Advanced options, allow the Microsoft Authenticator AAGUIDs if you restrict AAGUIDs), Windows Hello for Business and Temporary Access Pass (one-time and multi-use). Then ${ADMIN.caPolicies} > ${loops.map(({ policy }) => policyLabel(policy)).join(', ')} > Grant > Require authentication strength: select it. Alternatively split the policy into a desktop policy (passkey only) and a mobile policy (passkey or TAP), or exclude the user until they have registered.`,
    };
  },
};
