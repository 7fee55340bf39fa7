import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { pastedFor, signInEvidence } from '../evidence';
import { ERROR_TEXTS } from '../errorCodes';
import { methodConfiguration } from '../scope/methodPolicy';
import { tapState } from '../scope/tap';

const id = 'tap-not-usable-under-policy';
const source = LEARN_PAGES.temporaryAccessPass;

const POLICY_BLOCK = ERROR_TEXTS.find((t) => t.code === 'tap-policy-block')!.pattern;

/**
 * The person's pass can't be used under the TAP policy: a multi-use pass while
 * the policy forces one-time passes, or the sign-in says so ("Temporary Access
 * Pass sign in was blocked due to User Credential Policy").
 */
export const tapNotUsableUnderPolicy: Rule = {
  id,
  source,
  needs: ['errorText'],
  evaluate(ctx) {
    const config = methodConfiguration(ctx, 'TemporaryAccessPass');
    const state = tapState(ctx);
    const multiUseUnderOneTime =
      config?.isUsableOnce === true && 'tap' in state && state.tap.isUsableOnce === false && state.kind !== 'expired' && state.kind !== 'one-time-used';
    const logged = ctx.evidence.failures.filter((f) => POLICY_BLOCK.test(`${f.failureReason ?? ''} ${f.entry?.meaning ?? ''}`));
    const evidence = [...logged.map((f) => signInEvidence(f)), ...pastedFor(ctx.evidence, id, ctx.input.answers.errorText)];
    if (!multiUseUnderOneTime && evidence.length === 0) return null;
    const oneTimePolicy = config?.isUsableOnce === true;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'Your Temporary Access Pass is refused by the TAP policy',
      userTitle: "Your Temporary Access Pass doesn't let you sign in",
      userText: multiUseUnderOneTime ? 'Your pass was made to work several times, but your organization only accepts passes that work once, so you need a new one.' : 'Your organization refused the pass when you tried to sign in with it, so you need a new one.',
      detail: multiUseUnderOneTime
        ? 'Your pass was issued as multi-use, but the Temporary Access Pass policy only allows one-time passes, so signing in with it is blocked ("Temporary Access Pass sign in was blocked due to User Credential Policy").'
        : 'Signing in with your Temporary Access Pass was blocked by the Temporary Access Pass policy: you are not in the policy, the pass is multi-use while the policy allows only one-time passes, or a one-time pass was already used.',
      userFix: oneTimePolicy
        ? 'Request a new pass with the button below. It will be one-time: sign in to Authenticator with it and create the passkey right away, within 10 minutes.'
        : 'Request a new pass with the button below, or ask the helpdesk to check that your account may use a Temporary Access Pass.',
      adminFix: oneTimePolicy
        ? `Delete the multi-use pass and issue a one-time pass (${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass, One-time use: Yes). Or, if multi-use passes should be allowed, ${ADMIN.tapPolicy} > Configure: One-time use: No.`
        : `Check that the user is included in ${ADMIN.tapPolicy} (Enable and target), then issue a new pass.`,
      ...(evidence.length > 0 ? { evidence } : {}),
    };
  },
};
