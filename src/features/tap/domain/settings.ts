/**
 * Timings and limits of the TAP workflow. Pure: the environment is passed in,
 * so the config module (src/config) can merge `tapSettingsSchema` into its own.
 */
import { z } from 'zod';

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

/** Environment variable of each configurable setting (docs/tap.md, docs/configuration.md). */
export const TAP_SETTINGS_ENV = {
  reminderMinutes: 'TAP_REMINDER_MINUTES',
  pendingExpiryMinutes: 'TAP_PENDING_EXPIRY_MINUTES',
  revealExpiryHours: 'TAP_REVEAL_EXPIRY_HOURS',
  dailyLimit: 'TAP_DAILY_LIMIT',
  allowPrivileged: 'TAP_ALLOW_PRIVILEGED',
  pollSeconds: 'TAP_POLL_SECONDS',
  maxIssueAttempts: 'TAP_MAX_ISSUE_ATTEMPTS',
} as const satisfies Partial<Record<keyof TapSettings, string>>;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes')
  .default('false');

/** zod schema over the environment's strings (unset → default). */
export const tapSettingsSchema = z
  .object({
    TAP_REMINDER_MINUTES: positiveInt(DEFAULT_TAP_SETTINGS.reminderMinutes),
    TAP_PENDING_EXPIRY_MINUTES: positiveInt(DEFAULT_TAP_SETTINGS.pendingExpiryMinutes),
    TAP_REVEAL_EXPIRY_HOURS: positiveInt(DEFAULT_TAP_SETTINGS.revealExpiryHours),
    TAP_DAILY_LIMIT: positiveInt(DEFAULT_TAP_SETTINGS.dailyLimit),
    TAP_ALLOW_PRIVILEGED: booleanText,
    TAP_POLL_SECONDS: z.coerce.number().int().min(10).default(DEFAULT_TAP_SETTINGS.pollSeconds),
    TAP_MAX_ISSUE_ATTEMPTS: positiveInt(DEFAULT_TAP_SETTINGS.maxIssueAttempts),
  })
  .refine((env) => env.TAP_REMINDER_MINUTES < env.TAP_PENDING_EXPIRY_MINUTES, {
    message: 'TAP_REMINDER_MINUTES must be less than TAP_PENDING_EXPIRY_MINUTES',
    path: ['TAP_REMINDER_MINUTES'],
  });

/** Reads the TAP settings from an environment map; throws a ZodError naming the variable on bad input. */
export function tapSettingsFromEnv(env: Record<string, string | undefined>): TapSettings {
  const pick = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const parsed = tapSettingsSchema.parse({
    TAP_REMINDER_MINUTES: pick('TAP_REMINDER_MINUTES'),
    TAP_PENDING_EXPIRY_MINUTES: pick('TAP_PENDING_EXPIRY_MINUTES'),
    TAP_REVEAL_EXPIRY_HOURS: pick('TAP_REVEAL_EXPIRY_HOURS'),
    TAP_DAILY_LIMIT: pick('TAP_DAILY_LIMIT'),
    TAP_ALLOW_PRIVILEGED: pick('TAP_ALLOW_PRIVILEGED')?.toLowerCase(),
    TAP_POLL_SECONDS: pick('TAP_POLL_SECONDS'),
    TAP_MAX_ISSUE_ATTEMPTS: pick('TAP_MAX_ISSUE_ATTEMPTS'),
  });
  return {
    ...DEFAULT_TAP_SETTINGS,
    reminderMinutes: parsed.TAP_REMINDER_MINUTES,
    pendingExpiryMinutes: parsed.TAP_PENDING_EXPIRY_MINUTES,
    revealExpiryHours: parsed.TAP_REVEAL_EXPIRY_HOURS,
    dailyLimit: parsed.TAP_DAILY_LIMIT,
    allowPrivileged: parsed.TAP_ALLOW_PRIVILEGED,
    pollSeconds: parsed.TAP_POLL_SECONDS,
    maxIssueAttempts: parsed.TAP_MAX_ISSUE_ATTEMPTS,
  };
}

/** Settings with defaults filled in (tests and callers pass only what they change). */
export function withDefaults(settings?: Partial<TapSettings>): TapSettings {
  return { ...DEFAULT_TAP_SETTINGS, ...settings };
}
