import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, LEARN_PAGES } from '../rule';

const id = 'authenticator-not-set-up';
const source = LEARN_PAGES.registerAuthenticatorPasskey;

export const authenticatorNotSetUp: Rule = {
  id,
  source,
  needs: ['authenticatorSetUp'],
  evaluate(ctx) {
    if (ctx.input.answers.authenticatorSetUp !== false) return null;
    const store = ctx.platform === 'ios' ? 'the App Store' : ctx.platform === 'android' ? 'Google Play' : 'the App Store (iPhone) or Google Play (Android)';
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Set up Microsoft Authenticator first',
      userTitle: 'Set up Microsoft Authenticator first',
      userText: 'The passkey is kept in the Microsoft Authenticator app, so the app must be on the phone with your work account in it.',
      detail: 'The passkey is stored in Microsoft Authenticator, so the app must be installed on the phone with your work account in it.',
      userFix: `Install Microsoft Authenticator from ${store}. ${ADD_WORK_ACCOUNT}. Even if the account is already in the app, going through "+ > Work or school account" is what offers the passkey.`,
      adminFix: null,
    };
  },
};
