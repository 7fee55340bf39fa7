import type { Rule } from '../rule';
import { ADD_WORK_ACCOUNT, ADMIN, LEARN_PAGES, MY_SECURITY_INFO } from '../rule';
import { isPhoneBound, lostAllMfa, mfaMethods } from '../scope/userMethods';
import { tapState } from '../scope/tap';
import { methodName as methodLabel } from '../../../../directory/methods';

const id = 'lost-device';
const source = LEARN_PAGES.temporaryAccessPass;

/** All their MFA was on a phone they no longer have: a TAP gets them back in; the old phone's methods must go. */
export const lostDevice: Rule = {
  id,
  source,
  needs: ['lostDevice'],
  evaluate(ctx) {
    if (!lostAllMfa(ctx) || tapState(ctx).kind === 'usable') return null;
    const onPhone = mfaMethods(ctx).filter(isPhoneBound).map(methodLabel);
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'helpdesk',
      title: 'Your sign-in methods are on the phone you lost',
      userTitle: 'Your sign-in methods are on the phone you lost',
      userText: 'Everything you used to confirm your sign-ins is on the old phone. A Temporary Access Pass lets you sign in and set up the new one.',
      detail: `Every method you could complete MFA with is on the lost or replaced phone (${onPhone.join(', ')}). A Temporary Access Pass lets you sign in and set up the new phone.`,
      userFix: `Request a Temporary Access Pass with the button below (your manager can also request it for you). With it: ${ADD_WORK_ACCOUNT} on the new phone, entering the TAP when asked, and create the passkey. Then open ${MY_SECURITY_INFO} and delete the old phone's entries. If the phone was stolen, tell IT security.`,
      adminFix: `Verify the person's identity out of band and issue a TAP (${ADMIN.userMethods} > + Add authentication method > Temporary Access Pass). Delete the old phone's registrations there: ${onPhone.join(', ')}. If the phone may be in someone else's hands, also revoke the user's sessions (user > Overview > Revoke sessions).`,
    };
  },
};
