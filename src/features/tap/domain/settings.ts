/**
 * Timings and limits of the TAP workflow. Pure: the environment is read and
 * checked by the one config schema (src/config/config.ts, TAP_* variables),
 * which fills these in.
 */

export interface TapSettings {
  /** A pending request gets a reminder in the helpdesk thread after this long. */
  reminderMinutes: number;
  /** A pending request expires after this long without a decision. */
  pendingExpiryMinutes: number;
  /** An approved request expires if the recipient hasn't revealed the pass by then. */
  revealExpiryHours: number;
  /** Requests per target user per day (the shell counts them). */
  dailyLimit: number;
  /** TAPs for users holding directory roles: refused unless true; then two approvers. */
  allowPrivileged: boolean;
  /** Closed loop: how often the user's methods are polled while the TAP is valid. */
  pollSeconds: number;
  /** Reveal/Retry attempts before the recipient must ask the helpdesk again. */
  maxIssueAttempts: number;
  /** An `issuing` request untouched this long is checked by the `tap.recover` job (crash mid-issue). */
  recoverAfterSeconds: number;
  /** Tolerated clock difference between this server and Graph when comparing creation times. */
  clockSkewSeconds: number;
}

export const DEFAULT_TAP_SETTINGS: Readonly<TapSettings> = Object.freeze({
  reminderMinutes: 30,
  pendingExpiryMinutes: 240,
  revealExpiryHours: 24,
  dailyLimit: 3,
  allowPrivileged: false,
  pollSeconds: 60,
  maxIssueAttempts: 3,
  recoverAfterSeconds: 120,
  clockSkewSeconds: 120,
});

/** Polling faster than this would spend Graph's throttling budget on one person. */
export const MIN_POLL_SECONDS = 10;
/** Reveal + Retries: each attempt may leave a pass behind, so a failing Graph call stops early. */
export const MAX_ISSUE_ATTEMPTS_LIMIT = 5;

/** Settings with defaults filled in (tests and callers pass only what they change). */
export function withDefaults(settings?: Partial<TapSettings>): TapSettings {
  return { ...DEFAULT_TAP_SETTINGS, ...settings };
}
