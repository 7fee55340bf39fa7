import type { Rule } from '../rule';
import { LEARN_PAGES, MY_SECURITY_INFO } from '../rule';

const id = 'orphaned-local-passkey';
const source = `${LEARN_PAGES.registerAuthenticatorPasskey}#troubleshooting`;

/** Error texts meaning "a passkey for this account is already on the phone". */
const ALREADY_EXISTS = /already\s+(exists?|registered|been\s+registered|have\s+a\s+passkey)|passkey\b.*\bexists|existe\s+d[ée]j[àa]|bereits\s+(vorhanden|registriert)/i;

export const orphanedLocalPasskey: Rule = {
  id,
  source,
  needs: ['errorText'],
  evaluate(ctx) {
    const text = ctx.input.answers.errorText;
    const started = ctx.evidence.orphanedStart;
    // A start younger than 10 minutes may still be in progress.
    const orphaned = started !== undefined && ctx.input.now.getTime() - Date.parse(started.activityDateTime) >= 10 * 60_000;
    if (!(text && ALREADY_EXISTS.test(text)) && !orphaned) return null;
    return {
      id,
      source,
      severity: 'info',
      audience: 'user',
      title: 'A passkey for your account is already in Authenticator',
      userTitle: 'An old passkey for your account is still in Authenticator',
      userText: 'Authenticator still holds a passkey from an earlier try, so it refuses to create a new one.',
      detail: 'The error means Authenticator still holds a passkey for this account (for example from an earlier attempt, or one deleted only on the server), so it refuses to create another.',
      userFix: `In Authenticator, open your work account, select the passkey, tap the trash icon and confirm Delete. If the passkey is still listed at ${MY_SECURITY_INFO}, delete it there too. Then add the passkey again.`,
      adminFix: null,
    };
  },
};
