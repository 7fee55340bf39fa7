import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';

const id = 'account-disabled';
const source = LEARN_PAGES.userProfile;

/** A disabled account can't sign in, so it can't register anything. */
export const accountDisabled: Rule = {
  id,
  source,
  evaluate(ctx) {
    if (ctx.input.user.user.accountEnabled !== false) return null;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'Your account is disabled',
      userTitle: 'Your account is switched off',
      userText: "Your work account can't sign in at the moment, so it can't get a passkey either.",
      detail: 'The account is disabled in Microsoft Entra ID (accountEnabled is false), so it cannot sign in and cannot register a passkey.',
      userFix: 'Contact the helpdesk: the account must be re-enabled before you can sign in or add a passkey.',
      adminFix: `If the account should be active, enable it: ${ADMIN.userProperties} > set "Account enabled" on. Check first that it wasn't disabled on purpose (leaver, security incident).`,
    };
  },
};
