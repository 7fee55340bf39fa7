import type { Rule, RuleContext } from '../rule';
import { LEARN_PAGES, MY_SECURITY_INFO } from '../rule';
import { lostAllMfa } from '../scope/userMethods';
import { candidatePlatforms, platformName } from '../scope/context';
import { hasNoMfa, tapState } from '../scope/tap';
import { PASSKEY_PROVIDER_STEPS } from './passkey-provider-not-enabled';
import { authenticatorPasskeyPlatform } from '../../../../directory/methods';
import { readableUpn } from '../../../../shared/text';

const id = 'ready';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

function providerStep(ctx: RuleContext): string {
  if (ctx.platform) return PASSKEY_PROVIDER_STEPS[ctx.platform];
  return `On an iPhone: ${PASSKEY_PROVIDER_STEPS.ios} On Android: ${PASSKEY_PROVIDER_STEPS.android}`;
}

function signInNote(ctx: RuleContext): string {
  const usesTap = tapState(ctx).kind === 'usable' && (hasNoMfa(ctx) || lostAllMfa(ctx));
  return usesTap ? 'When asked to verify, use your Temporary Access Pass.' : 'Complete the multifactor prompt.';
}

function store(ctx: RuleContext): string {
  return ctx.platform === 'ios' ? 'the App Store' : ctx.platform === 'android' ? 'Google Play' : 'the App Store or Google Play';
}

/** Step-by-step instructions for the person's platform and chosen way of registering. */
export function registrationSteps(ctx: RuleContext): string[] {
  // A guest signs in with their own address, not the #EXT# name the directory keeps.
  const upn = readableUpn(ctx.input.user.user.userPrincipalName) || 'your work account';
  if (ctx.input.answers.registration === 'cross-device') {
    return [
      `On the phone, install Microsoft Authenticator from ${store(ctx)} and turn it on as a passkey provider. ${providerStep(ctx)}`,
      'Turn on Bluetooth on the phone and the computer and keep them close; both need internet.',
      `On the computer, open ${MY_SECURITY_INFO}, sign in as ${upn} and select + Add sign-in method > Passkey in Microsoft Authenticator > Add. ${signInNote(ctx)}`,
      `Choose ${ctx.platform ? (ctx.platform === 'ios' ? 'iOS' : 'Android') : 'your phone type'}, then scan the QR code with the phone's camera app${ctx.platform === 'android' ? '' : ' (on an iPhone the system Camera, not the camera inside Authenticator)'} and tap Save a passkey.`,
      'Confirm with your face, fingerprint or phone PIN, then name the passkey and select Done.',
    ];
  }
  return [
    `Install Microsoft Authenticator from ${store(ctx)} if it isn't on the phone yet.`,
    `Open Authenticator, tap + > Work or school account > Sign in, and sign in as ${upn}. ${signInNote(ctx)} (Do this even if the account is already in the app: this flow is what offers the passkey.)`,
    `When Authenticator offers to create a passkey, follow the prompts. If it asks you to enable it as a passkey provider: ${providerStep(ctx)} Then return to Authenticator.`,
    'Confirm with your face, fingerprint or phone PIN.',
    `Check at ${MY_SECURITY_INFO} that "Passkey in Microsoft Authenticator" is listed.`,
  ];
}

/**
 * Nothing blocks: no blocker among the other findings, no passkey already in
 * Authenticator on this platform, no leftover passkey on the phone.
 */
export const ready: Rule = {
  id,
  source,
  evaluate(ctx) {
    if (ctx.earlier.some((f) => f.severity === 'blocker' || f.id === 'orphaned-local-passkey')) return null;
    const platforms = candidatePlatforms(ctx);
    const existing = ctx.input.user.methods.map(authenticatorPasskeyPlatform).filter((p) => p !== undefined);
    if (existing.some((p) => platforms.includes(p))) return null;
    const phone = ctx.platform ? `${platformName(ctx.platform)}${ctx.osVersion ? ` ${ctx.osVersion}` : ''} phone` : 'phone';
    const unchecked = ctx.platform && ctx.osVersion ? '' : ' The phone must run Android 14 or iOS 17 or later.';
    return {
      id,
      source,
      severity: 'info',
      audience: 'user',
      title: 'You can add a passkey in Microsoft Authenticator',
      userTitle: 'You can add a passkey in Microsoft Authenticator',
      userText: `Nothing in your account stops you from adding a passkey in Microsoft Authenticator on your ${phone}.${unchecked}`,
      detail: `Nothing in your account or the organization's policies stops you from adding a passkey in Microsoft Authenticator on your ${phone}.${unchecked}`,
      userFix: registrationSteps(ctx)
        .map((step, index) => `${index + 1}. ${step}`)
        .join('\n'),
      adminFix: null,
    };
  },
};
