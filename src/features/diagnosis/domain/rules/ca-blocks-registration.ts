import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { failuresFor, pastedFor, signInEvidence, type SignInFailure } from '../evidence';
import { applicableCaPolicies, elementBlocks, policyLabel } from '../scope/conditionalAccess';

const id = 'ca-blocks-registration';
const source = LEARN_PAGES.enableAuthenticatorPasskey;

/** Codes with a more specific finding: their failing policies are named there. */
const SPECIFIC_CODES = new Set(['53000', '53002', '53004', '53010', '50057', '50072', '50079', '530004']);

/**
 * A Conditional Access policy the person can't satisfy on the registration
 * path (Learn, "Enable passkeys in Authenticator": the conditions of
 * All-resources policies must also be met). Predicted for grants nobody can
 * meet from the device holding the session — Block, or a hybrid-joined device
 * from a phone — and evidenced by a sign-in the log shows failing a policy
 * (53003 and the like). Compliance, approved apps and strengths have their
 * own findings.
 */
export const caBlocksRegistration: Rule = {
  id,
  source,
  needs: ['platform', 'registration', 'computerManaged', 'errorText'],
  evaluate(ctx) {
    const explainedElsewhere = (name: string) => ctx.earlier.some((f) => f.detail.includes(name));
    const predicted = applicableCaPolicies(ctx)
      .map(({ policy }) => policy)
      .filter((policy) => elementBlocks(ctx, policy, (e) => e.kind === 'control' && (e.control === 'block' || e.control === 'domainJoinedDevice')))
      .filter((policy) => !explainedElsewhere(policyLabel(policy)));
    const logged: SignInFailure[] = [
      ...failuresFor(ctx.evidence, id),
      ...ctx.evidence.failures.filter((f) => f.failingPolicies.length > 0 && !SPECIFIC_CODES.has(f.code) && f.entry?.finding !== id),
    ];
    const evidence = [...logged.map((f) => signInEvidence(f)), ...pastedFor(ctx.evidence, id, ctx.input.answers.errorText)];
    if (predicted.length === 0 && evidence.length === 0) return null;
    const names = [...new Set([...predicted.map(policyLabel), ...logged.flatMap((f) => f.failingPolicies.map((p) => `"${p.name}"`))])];
    const what = names.length > 0 ? `Conditional Access policy ${names.join(', ')}` : 'A Conditional Access policy';
    const path = ctx.session === 'computer' ? 'the computer you register from' : 'your phone';
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'A Conditional Access policy blocks registration',
      userTitle: 'A company sign-in rule stops you from adding a passkey',
      userText: "Your organization has a sign-in rule that your phone can't meet while it adds a passkey.",
      detail: `${what} applies when you register a passkey and asks for something ${path} can't give (${predicted.length > 0 ? 'it blocks access or requires a Microsoft Entra hybrid joined device' : 'the sign-in log shows it failing'}). Registration in Authenticator must meet every policy on All resources.`,
      userFix: 'Nothing on your phone will get past this rule: ask the helpdesk. If you can, try again from a company-managed computer or the office network and tell the helpdesk what happened.',
      adminFix: `${ADMIN.caPolicies} > ${names.length > 0 ? names.join(', ') : '(the policy in the sign-in log: Sign-in logs > the failed sign-in > Conditional Access)'}: exclude the "Microsoft Authenticator Credential Registration" app (appId 6aa00308-ea33-4caa-90d6-ae905d8cb51b) from the All-resources policy, scope the block to the platforms it is meant for, or exclude the user until the passkey is registered.`,
      ...(evidence.length > 0 ? { evidence } : {}),
    };
  },
};
