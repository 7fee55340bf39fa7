import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { failuresFor, pastedFor, signInEvidence } from '../evidence';

const id = 'risk-blocks-registration';
const source = LEARN_PAGES.riskPolicies;

/**
 * Registration was blocked because of user or sign-in risk (AADSTS53004, or a
 * failing policy with a risk condition). Risk is run-time state the directory
 * doesn't show: this finding only comes from evidence, never from prediction.
 */
export const riskBlocksRegistration: Rule = {
  id,
  source,
  needs: ['errorText'],
  evaluate(ctx) {
    const riskPolicyIds = new Set(
      ctx.input.tenant.conditionalAccessPolicies
        .filter((p) => [...(p.conditions?.userRiskLevels ?? []), ...(p.conditions?.signInRiskLevels ?? [])].some((l) => l !== 'none'))
        .map((p) => p.id.toLowerCase()),
    );
    const byCode = failuresFor(ctx.evidence, id);
    const byPolicy = ctx.evidence.failures.filter((f) => !byCode.includes(f) && f.failingPolicies.some((p) => riskPolicyIds.has(p.id.toLowerCase())));
    const evidence = [
      ...byCode.map((f) => signInEvidence(f)),
      ...byPolicy.map((f) => signInEvidence(f, f.failingPolicies.find((p) => riskPolicyIds.has(p.id.toLowerCase())))),
      ...pastedFor(ctx.evidence, id, ctx.input.answers.errorText),
    ];
    if (evidence.length === 0) return null;
    const policy = evidence.find((e) => e.policy)?.policy;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'Registration was blocked because the sign-in looked risky',
      userTitle: 'Your sign-in was stopped because it looked unusual',
      userText: "To protect your account, the sign-in was stopped because something about it looked unusual (for example a new place or network). You can't add a passkey until the helpdesk has checked it.",
      detail: `Microsoft Entra ID Protection rated the user or the sign-in as risky${policy ? ` and the policy '${policy}' blocked it` : ''}, and security info can't be registered while that risk stands (AADSTS53004 means exactly this).`,
      userFix: 'Nothing on your phone will fix this: the helpdesk has to check and clear the risk first. Avoid further attempts from an unusual network (for example a VPN or a hotel) until then.',
      adminFix: `Investigate the user in Microsoft Entra admin center > ID Protection > Risky users (and Risky sign-ins). If the activity is genuine, select the user > Confirm user safe (or Dismiss user risk); if not, reset the password and revoke sessions. Then have the person retry. ${ADMIN.caPolicies} shows the risk policy that applied.`,
      evidence,
    };
  },
};
