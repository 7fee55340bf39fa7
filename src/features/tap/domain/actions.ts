/**
 * Validates what an Action.Execute of a TAP card sends (`value.action.data`).
 * Only `requestId` identifies anything; the person acting comes from the
 * activity (`from.aadObjectId`), never from the data. Inputs arrive as Adaptive
 * Card strings (Input.Toggle → "true"/"false", multi-select → "a,b").
 */
import { isValid, parse } from 'date-fns';
import { fromZonedTime } from 'date-fns-tz';
import { z } from 'zod';
import { type Refusal, type TapKind, TAP_VERBS, refuse } from './request';

export const requestIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/, 'not a request id');

const toggle = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true')
  .optional();
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const submitSchema = z.object({
  /** On behalf: the target's UPN; empty or absent = for myself. */
  targetUpn: optionalText(256),
  // The 500-character rule is checked (with a human message) by validateNewRequest; this only bounds input.
  reason: z.string().max(5000).default(''),
  neededByDate: optionalText(10).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()),
  neededByTime: optionalText(5).pipe(z.string().regex(/^\d{2}:\d{2}$/).optional()),
  lostDevice: toggle,
  registrationIds: optionalText(2000).transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
  tapKind: z.enum(['multiUse', 'oneTime']).optional(),
  /**
   * "2" for an Android phone with work and personal profiles. Unticked means not said:
   * "false" is what the Adaptive Cards JS renderer (Teams on the web and desktop, the
   * Agents Playground) sends, as it reads an empty `valueOff` as unset.
   */
  passkeys: z
    .enum(['1', '2', 'false'])
    .optional()
    .transform((v) => (v === 'false' ? undefined : v)),
});

const approveSchema = z.object({
  requestId: requestIdSchema,
  // Checked by approve() so a missing choice gets the "verification-required" message.
  verification: optionalText(64),
  removeLostDeviceRegistrations: toggle,
});

const denySchema = z.object({ requestId: requestIdSchema, denyReason: optionalText(5000) });
const byIdSchema = z.object({ requestId: requestIdSchema });

export interface SubmitAction {
  verb: typeof TAP_VERBS.submit;
  targetUpn?: string;
  reason: string;
  neededByDate?: string;
  neededByTime?: string;
  lostDevice: boolean;
  registrationIds: string[];
  tapKind?: TapKind;
  expectedPasskeys?: number;
}
export interface ApproveAction {
  verb: typeof TAP_VERBS.approve;
  requestId: string;
  verification?: string;
  removeLostDeviceRegistrations: boolean;
}
export interface DenyAction {
  verb: typeof TAP_VERBS.deny;
  requestId: string;
  denyReason?: string;
}
export interface ByIdAction {
  verb: Exclude<(typeof TAP_VERBS)[keyof typeof TAP_VERBS], typeof TAP_VERBS.submit | typeof TAP_VERBS.approve | typeof TAP_VERBS.deny>;
  requestId: string;
}
export type TapAction = SubmitAction | ApproveAction | DenyAction | ByIdAction;

const VERBS = new Set<string>(Object.values(TAP_VERBS));

/** Parses an action's data for a TAP verb; a malformed or forged payload is refused as `invalid-input`. */
export function parseTapAction(verb: string, data: unknown): { ok: true; action: TapAction } | Refusal {
  if (!VERBS.has(verb)) return refuse('invalid-input', 'Unknown action.');
  const invalid = refuse('invalid-input', 'This card action is not valid. Please start again from the menu.');
  if (verb === TAP_VERBS.submit) {
    const parsed = submitSchema.safeParse(data ?? {});
    if (!parsed.success) return invalid;
    const d = parsed.data;
    return {
      ok: true,
      action: {
        verb,
        ...(d.targetUpn ? { targetUpn: d.targetUpn.trim() } : {}),
        reason: d.reason,
        ...(d.neededByDate ? { neededByDate: d.neededByDate } : {}),
        ...(d.neededByTime ? { neededByTime: d.neededByTime } : {}),
        lostDevice: d.lostDevice ?? false,
        registrationIds: d.registrationIds,
        ...(d.tapKind ? { tapKind: d.tapKind } : {}),
        ...(d.passkeys ? { expectedPasskeys: Number(d.passkeys) } : {}),
      },
    };
  }
  if (verb === TAP_VERBS.approve) {
    const parsed = approveSchema.safeParse(data);
    if (!parsed.success) return invalid;
    return {
      ok: true,
      action: {
        verb,
        requestId: parsed.data.requestId,
        ...(parsed.data.verification ? { verification: parsed.data.verification } : {}),
        removeLostDeviceRegistrations: parsed.data.removeLostDeviceRegistrations ?? false,
      },
    };
  }
  if (verb === TAP_VERBS.deny) {
    const parsed = denySchema.safeParse(data);
    if (!parsed.success) return invalid;
    return { ok: true, action: { verb, requestId: parsed.data.requestId, ...(parsed.data.denyReason ? { denyReason: parsed.data.denyReason } : {}) } };
  }
  const parsed = byIdSchema.safeParse(data);
  if (!parsed.success) return invalid;
  return { ok: true, action: { verb: verb as ByIdAction['verb'], requestId: parsed.data.requestId } };
}

/** The parsed action of each TAP verb. */
export type TapActionOf<V extends string> = V extends typeof TAP_VERBS.submit
  ? SubmitAction
  : V extends typeof TAP_VERBS.approve
    ? ApproveAction
    : V extends typeof TAP_VERBS.deny
      ? DenyAction
      : ByIdAction;

/** The zod schema of a TAP verb's action data, for the card-action table: parses into the typed action. */
export function tapActionSchema<V extends ByIdAction['verb'] | typeof TAP_VERBS.submit | typeof TAP_VERBS.approve | typeof TAP_VERBS.deny>(verb: V): z.ZodType<TapActionOf<V>, z.ZodTypeDef, unknown> {
  return z.unknown().transform((data, ctx) => {
    const parsed = parseTapAction(verb, verb === TAP_VERBS.submit ? withoutEmptyChoices(data) : data);
    if (!parsed.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message });
      return z.NEVER;
    }
    return parsed.action as TapActionOf<V>;
  });
}

/** An unticked toggle or an empty choice arrives as "": the same as not answered. */
function withoutEmptyChoices(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([key, value]) => !(value === '' && (key === 'passkeys' || key === 'tapKind'))));
}

/** The "needed by" instant, or why the card's date/time can't be one. */
export type NeededBy = { ok: true; neededBy?: string } | { ok: false; message: string };

/**
 * "Needed by" from the card's Input.Date (YYYY-MM-DD) and optional Input.Time (HH:mm),
 * read in the person's time zone, as an ISO instant. Date only → end of that day.
 * date-fns parses strictly (2025-02-31 is refused, never rolled into March) and
 * date-fns-tz resolves the zone's offset at that wall-clock time (DST included).
 */
export function neededByFromInputs(date: string | undefined, time: string | undefined, timeZone: string): NeededBy {
  if (!date) return { ok: true };
  const wallClock = parse(`${date} ${time ?? '23:59'}`, 'yyyy-MM-dd HH:mm', new Date(0));
  if (!isValid(wallClock)) {
    return { ok: false, message: `${date}${time ? ` ${time}` : ''} is not a date${time ? ' and time' : ''} in the calendar. Please pick it again.` };
  }
  return { ok: true, neededBy: fromZonedTime(wallClock, knownZoneOrUtc(timeZone)).toISOString() };
}

function knownZoneOrUtc(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
