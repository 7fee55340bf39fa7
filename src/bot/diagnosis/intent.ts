/**
 * Does a chat message ask for a passkey diagnosis? "diagnose", "I can't add a
 * passkey", "my passkey won't register", "FIDO2 registration fails"... but not
 * another feature's command that happens to mention passkeys ("report passkey
 * readiness", "status", "tap ...").
 */
const OTHER_COMMANDS = /^\s*(help|status|report|nudge|tap|audit|cancel|approve|deny)\b/i;
const DIAGNOSE_COMMAND = /^\s*(diagnose|diagnosis|troubleshoot)\b/i;
const ABOUT_PASSKEYS = /\b(pass\s?-?keys?|fido\s?2?|security\s+keys?)\b/i;
const TEMPORARY_ACCESS_PASS = /\b(temporary\s+access\s+pass|tap)\b/i;

export function isDiagnosisRequest(text: string | undefined | null): boolean {
  const message = (text ?? '').trim();
  if (!message) return false;
  if (DIAGNOSE_COMMAND.test(message)) return true;
  if (OTHER_COMMANDS.test(message)) return false;
  // "I need a TAP for my passkey" is a TAP request: the TAP routes take it.
  if (TEMPORARY_ACCESS_PASS.test(message)) return false;
  return ABOUT_PASSKEYS.test(message);
}
