/**
 * The question model behind the diagnosis card and the CLI's `--answers`:
 * which answers exist, how raw answers are parsed and validated, what Intune
 * already tells us (pre-fill), and which answers are still worth asking.
 *
 * Pure: no I/O. The engine passes its own evaluation in (`openQuestions`), so
 * this module does not depend on the rules.
 */
import { z } from 'zod';
import type { AnswerKey, Answers, ManagedDevice } from '../../../directory/facts';

export type Platform = 'android' | 'ios';
export const PLATFORMS: readonly Platform[] = ['android', 'ios'];

/** Every answer key, in the order a card asks them. */
export const ANSWER_KEYS: readonly AnswerKey[] = [
  'device',
  'platform',
  'osVersion',
  'registration',
  'bluetooth',
  'computerManaged',
  'androidProfile',
  'authenticatorSetUp',
  'passkeyProviderEnabled',
  'lostDevice',
  'errorText',
];

export interface QuestionChoice {
  value: string;
  title: string;
}

/** How a card renders one question. `choices` of `device` come from `deviceChoices()`. */
export interface Question {
  key: AnswerKey;
  kind: 'choice' | 'toggle' | 'text';
  label: string;
  choices?: QuestionChoice[];
  placeholder?: string;
  optional?: boolean;
}

export const QUESTIONS: Readonly<Record<AnswerKey, Question>> = {
  device: { key: 'device', kind: 'choice', label: 'Which phone do you want the passkey on?' },
  platform: {
    key: 'platform',
    kind: 'choice',
    label: 'What kind of phone is it?',
    choices: [
      { value: 'ios', title: 'iPhone (iOS)' },
      { value: 'android', title: 'Android' },
    ],
  },
  osVersion: { key: 'osVersion', kind: 'text', label: 'Which iOS or Android version does it run?', placeholder: 'e.g. 17.4 or 14' },
  registration: {
    key: 'registration',
    kind: 'choice',
    label: 'Where are you adding the passkey?',
    choices: [
      { value: 'same-device', title: 'In the Authenticator app on the phone (recommended)' },
      { value: 'cross-device', title: 'From a computer, scanning a QR code with the phone' },
    ],
  },
  bluetooth: { key: 'bluetooth', kind: 'toggle', label: 'Is Bluetooth turned on on both the phone and the computer?' },
  computerManaged: { key: 'computerManaged', kind: 'toggle', label: 'Is the computer you use company-managed?' },
  androidProfile: {
    key: 'androidProfile',
    kind: 'choice',
    label: 'Does your Android phone have a work profile?',
    choices: [
      { value: 'personal', title: 'No, only a personal profile' },
      { value: 'work', title: 'Yes, and I use work apps only in the work profile' },
      { value: 'both', title: 'Yes, and I sign in from both profiles' },
    ],
  },
  authenticatorSetUp: {
    key: 'authenticatorSetUp',
    kind: 'toggle',
    label: 'Is Microsoft Authenticator installed with your work account added?',
  },
  passkeyProviderEnabled: {
    key: 'passkeyProviderEnabled',
    kind: 'toggle',
    label: 'Is Authenticator turned on as a passkey provider in the phone settings?',
  },
  lostDevice: {
    key: 'lostDevice',
    kind: 'toggle',
    label: 'Did you lose or replace the phone you used to sign in with?',
  },
  errorText: {
    key: 'errorText',
    kind: 'text',
    label: 'Did you see an error? Paste or type it here.',
    placeholder: 'optional',
    optional: true,
  },
};

// ---------------------------------------------------------------- devices

/** The phone platform of an Intune device, or undefined for anything that isn't a phone/tablet. */
export function devicePlatform(device: Pick<ManagedDevice, 'operatingSystem'>): Platform | undefined {
  const os = (device.operatingSystem ?? '').toLowerCase();
  if (os.startsWith('android')) return 'android';
  if (os === 'ios' || os === 'ipados' || os.startsWith('ios')) return 'ios';
  return undefined;
}

export function mobileDevices(devices: readonly ManagedDevice[]): ManagedDevice[] {
  return devices.filter((d) => devicePlatform(d) !== undefined);
}

export interface Prefill {
  /** The managed device the pre-fill came from. */
  deviceId?: string;
  platform?: Platform;
  osVersion?: string;
}

/**
 * What Intune tells us about the phone: the chosen device (a managedDevice id)
 * or, when none is chosen, the user's only mobile device. "other" or an
 * ambiguous choice gives nothing.
 */
export function prefillFromDevices(managedDevices: readonly ManagedDevice[], chosenDeviceId?: string): Prefill {
  const mobile = mobileDevices(managedDevices);
  let device: ManagedDevice | undefined;
  if (chosenDeviceId !== undefined) {
    device = mobile.find((d) => d.id === chosenDeviceId);
  } else if (mobile.length === 1) {
    device = mobile[0];
  }
  if (!device) return {};
  const prefill: Prefill = { deviceId: device.id, platform: devicePlatform(device) };
  if (device.osVersion) prefill.osVersion = device.osVersion;
  return prefill;
}

/** Choices for the `device` question: each managed phone, then "another phone". */
export function deviceChoices(managedDevices: readonly ManagedDevice[]): QuestionChoice[] {
  const phones = mobileDevices(managedDevices).map((d) => ({
    value: d.id,
    title: [d.deviceName ?? d.model ?? 'Phone', d.operatingSystem && d.osVersion ? `(${d.operatingSystem} ${d.osVersion})` : '']
      .filter(Boolean)
      .join(' '),
  }));
  return [...phones, { value: 'other', title: 'Another phone' }];
}

// ---------------------------------------------------------------- parsing

const booleanAnswer = z.preprocess(
  // Adaptive Card toggles submit "true"/"false" strings.
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean({ invalid_type_error: 'must be true or false' }),
);

const answerFields = {
  platform: z.enum(['android', 'ios']),
  osVersion: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().regex(/^\d{1,3}(\.\d{1,5}){0,3}$/, 'must be a version number such as "17.4" or "14"')),
  registration: z.enum(['same-device', 'cross-device']),
  bluetooth: booleanAnswer,
  computerManaged: booleanAnswer,
  androidProfile: z.enum(['personal', 'work', 'both']),
  device: z.string().trim().min(1).max(200),
  authenticatorSetUp: booleanAnswer,
  passkeyProviderEnabled: booleanAnswer,
  lostDevice: booleanAnswer,
  errorText: z.string().max(2000, 'must be at most 2000 characters').transform((v) => v.trim()),
} satisfies Record<AnswerKey, z.ZodTypeAny>;

const strictAnswers = z.object(answerFields).partial().strict();
const lenientAnswers = z.object(answerFields).partial().strip();

export type ParseAnswersResult = { ok: true; answers: Answers } | { ok: false; error: string };

/**
 * Parses raw answers: a JSON object, or a JSON string of one (the CLI's
 * `--answers`). Empty strings and nulls mean "not answered" (a card submits
 * them for untouched inputs). Unknown keys are an error unless
 * `ignoreUnknownKeys` (a card submit also carries its action data).
 */
export function parseAnswers(raw: unknown, options: { ignoreUnknownKeys?: boolean } = {}): ParseAnswersResult {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      return { ok: false, error: `answers must be a JSON object (${(error as Error).message})` };
    }
  }
  if (value === undefined || value === null) return { ok: true, answers: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'answers must be a JSON object' };
  }
  const present = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== '' && v !== null && v !== undefined),
  );
  const schema = options.ignoreUnknownKeys ? lenientAnswers : strictAnswers;
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const error = parsed.error.issues
      .map((issue) => (issue.path.length ? `answers.${issue.path.join('.')}: ${issue.message}` : `answers: ${issue.message}`))
      .join('; ');
    return { ok: false, error };
  }
  const answers: Answers = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    // A text answer that is blank after trimming is no answer.
    if (v === undefined || v === '') continue;
    (answers as Record<string, unknown>)[key] = v;
  }
  return { ok: true, answers };
}

// ---------------------------------------------------------------- open questions

/** The values a key is probed with to see whether its answer would change anything. */
export function candidateValues(key: AnswerKey, managedDevices: readonly ManagedDevice[]): unknown[] {
  switch (key) {
    case 'platform':
      return ['android', 'ios'];
    case 'osVersion':
      // One version below both minimums (Android 14, iOS 17), one above both.
      return ['10', '99'];
    case 'registration':
      return ['same-device', 'cross-device'];
    case 'androidProfile':
      return ['personal', 'work', 'both'];
    case 'device':
      return [...mobileDevices(managedDevices).map((d) => d.id), 'other'];
    case 'errorText':
      return ['The passkey already exists'];
    default:
      return [true, false];
  }
}

export interface OpenQuestionsOptions {
  answers: Answers;
  managedDevices: readonly ManagedDevice[];
  /** Keys already known without asking (e.g. platform from Intune). */
  known: ReadonlySet<AnswerKey>;
  /** For each key, the keys whose answers combine with it in some rule. */
  coKeys: (key: AnswerKey) => readonly AnswerKey[];
  /** The verdict for a set of answers: the finding ids, in any stable form. */
  verdict: (answers: Answers) => string;
}

/**
 * The unknown keys whose answer could change the verdict. A key is worth
 * asking when, with at most one other unknown key set to some value (or left
 * unknown), two of its values give different findings: so a question that
 * only matters together with another one (Bluetooth with cross-device,
 * OS version with platform) is asked on the same card. The phone choice is
 * neither varied for other keys nor probed against varied ones: what Intune
 * says about the phone stands.
 * `errorText` never changes whether someone can register, so it is only
 * offered alongside other questions.
 */
export function openQuestions(options: OpenQuestionsOptions): AnswerKey[] {
  const { answers, managedDevices, known, coKeys, verdict } = options;
  const isUnknown = (key: AnswerKey) => answers[key] === undefined && !known.has(key);
  const unknown = ANSWER_KEYS.filter((key) => key !== 'errorText' && isUnknown(key));
  const memo = new Map<string, string>();
  const verdictOf = (probe: Answers): string => {
    const cacheKey = JSON.stringify(ANSWER_KEYS.map((k) => probe[k]));
    let v = memo.get(cacheKey);
    if (v === undefined) {
      v = verdict(probe);
      memo.set(cacheKey, v);
    }
    return v;
  };
  const withValue = (base: Answers, key: AnswerKey, value: unknown): Answers => {
    const next: Answers = { ...base };
    if (value === undefined) delete next[key];
    else (next as Record<string, unknown>)[key] = value;
    return next;
  };
  const matters = (key: AnswerKey): boolean => {
    const values = [undefined, ...candidateValues(key, managedDevices)];
    const settings: Answers[] = [answers];
    // The phone choice is judged against the answers as they are, not against
    // hypothetical ones (another phone would make every Android question "matter").
    if (key !== 'device') for (const other of coKeys(key)) {
      // Switching phones would reopen what Intune told us (an iPhone user asked about Android profiles).
      if (other === key || other === 'device' || !isUnknown(other)) continue;
      for (const value of candidateValues(other, managedDevices)) settings.push(withValue(answers, other, value));
    }
    return settings.some((base) => new Set(values.map((value) => verdictOf(withValue(base, key, value)))).size > 1);
  };
  const asked = unknown.filter(matters);
  if (asked.length > 0 && isUnknown('errorText')) asked.push('errorText');
  return asked;
}

// ---------------------------------------------------------------- steps

/**
 * Which of the open questions to ask now. The phone comes first, on its own
 * (one tap): which phone, or else what kind of phone. Its answer decides
 * which of the other questions still matter (an iPhone user is never asked
 * about Android profiles), so they wait for the next step.
 */
export function questionStep(open: readonly AnswerKey[]): AnswerKey[] {
  for (const first of ['device', 'platform'] as const) if (open.includes(first)) return [first];
  return [...open];
}

/** What a sentence says about the phone itself: counts for any open question. */
const PHONE_FACTS: readonly AnswerKey[] = ['platform', 'osVersion', 'registration', 'androidProfile', 'bluetooth', 'errorText'];

/**
 * Answers typed in the chat while a question card is open ("it's a Pixel 8",
 * "I used the QR code"): the stated facts about the phone that answer a
 * question the diagnosis is asking; anything else (a lost phone, the app's
 * setup) only when that very question is on the card shown, so a guess from
 * the wording ("Pixel" read as a lost phone) can't overrule the questions.
 */
export function answersToOpenQuestions(stated: Answers, open: readonly AnswerKey[], onCard: readonly AnswerKey[] = open): Answers {
  const answers: Answers = {};
  for (const key of open) {
    const value = stated[key];
    if (value === undefined) continue;
    if (!PHONE_FACTS.includes(key) && !onCard.includes(key)) continue;
    (answers as Record<string, unknown>)[key] = value;
  }
  return answers;
}
