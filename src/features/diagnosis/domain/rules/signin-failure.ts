import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';
import { catalogueEntry } from '../errorCodes';
import { clockTime, signInEvidence } from '../evidence';

const id = 'signin-failure';
const source = LEARN_PAGES.errorCodes;

/** Failures the person can simply retry (an MFA prompt not completed). */
const RETRYABLE = new Set(['50074', '50076', '50158']);

/**
 * A failed sign-in of the last 24 hours (or an AADSTS code the person pasted)
 * that no more specific finding explains: quotes the code, what it means and
 * the app. Runs after the other rules (reads their findings).
 */
export const signinFailure: Rule = {
  id,
  source,
  needs: ['errorText'],
  evaluate(ctx) {
    const fired = new Set(ctx.earlier.map((f) => f.id));
    const quoted = (f: { entry?: { finding: string } }) => f.entry !== undefined && f.entry.finding !== id && fired.has(f.entry.finding);
    const explainedByEvidence = (at: string) => ctx.earlier.some((f) => (f.evidence ?? []).some((e) => e.at === at));
    const failures = ctx.evidence.failures.filter((f) => !quoted(f) && !explainedByEvidence(f.at));
    const pasted = ctx.evidence.pasted.filter((p) => /^\d+$/.test(p.code) && !quoted(p));
    if (failures.length === 0 && pasted.length === 0) return null;
    const evidence = [
      ...failures.map((f) => signInEvidence(f)),
      ...pasted.map((p) => ({ source: 'errorText' as const, code: p.code, text: (ctx.input.answers.errorText ?? '').slice(0, 200) })),
    ];
    const first = failures[0];
    const code = first?.code ?? pasted[0].code;
    const meaning = catalogueEntry(code)?.meaning;
    const when = first ? `Your sign-in at ${clockTime(first.at, ctx.input.now)} to ${first.app}` : 'The error you saw';
    const retryable = RETRYABLE.has(code);
    return {
      id,
      source,
      severity: retryable ? 'warning' : 'blocker',
      audience: 'helpdesk',
      title: `A sign-in failed with AADSTS${code}`,
      userTitle: retryable ? 'Your sign-in was not completed' : `A sign-in failed (error ${code})`,
      userText: retryable ? 'The sign-in waited for you to confirm it, and that did not happen in time.' : 'Your organization stopped a recent sign-in. The helpdesk can look up why.',
      detail: `${when} failed with AADSTS${code}${meaning ? `: ${meaning}` : first?.failureReason ? ` ("${first.failureReason}")` : ''}.${meaning ? '' : ' This code is not in our catalogue: look it up at https://login.microsoftonline.com/error?code=' + code + '.'}`,
      userFix: retryable
        ? 'Try again and complete the verification prompt (approve the notification or enter the code) before it times out.'
        : 'Tell the helpdesk the time of the failed sign-in; they can read the details in the sign-in log.',
      adminFix: `Microsoft Entra admin center > Entra ID > Monitoring & health > Sign-in logs: open the user's failed sign-in (error ${code}) and read Basic info and Conditional Access for the cause.`,
      evidence,
    };
  },
};
