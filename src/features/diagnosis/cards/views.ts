/**
 * Diagnosis → card models (pure). Everything that came from the directory or
 * from the person (names, device names, method names, error text, and the
 * finding texts that quote them) is Markdown-escaped here; contact details on
 * the helpdesk ticket are masked.
 */
import {
  QUESTIONS,
  TAP_OFFER_FINDINGS,
  deviceChoices,
  devicePlatform,
  type AnswerKey,
  type Answers,
  type AuthenticationMethod,
  type Finding,
  type ManagedDevice,
  type QuestionChoice,
} from '../domain';
import { escapeMarkdown, formatTime, maskEmail, maskPhone, cardText, readableUpn } from '../../../shared/text';
import type {
  CardActionModel,
  FindingModel,
  FindingsCardModel,
  LabelledValue,
  QuestionCardModel,
  QuestionInputModel,
  TicketCardModel,
  TicketFindingModel,
} from './cards';
import { t, type Language, type MessageKey } from '../../../i18n';
import { DIAGNOSIS_VERBS, MENU_VERBS, STATUS_VERBS } from '../../../shared/verbs';
import type { DiagnosisRun } from '../app/run';
import { evidenceSentence } from '../domain/evidence';
import { METHOD_NAMES, methodKind, methodName as methodLabel } from '../../../directory/methods';

/** Longest error text quoted on a ticket (the person may paste a whole log). */
const TICKET_ERROR_TEXT_CHARS = 300;
const ERROR_TEXT_MAX = 2000;

/** Short names of the answers, for "what I already know" and the ticket (the helpdesk reads English). */
function answerTitle(key: AnswerKey, language: Language = 'en'): string {
  return t(language, `questions.${key}.title` as MessageKey);
}

/** A question's choices in the reader's language (a phone's name stays as the directory has it). */
function choicesFor(key: AnswerKey, devices: readonly ManagedDevice[], language: Language = 'en'): QuestionChoice[] {
  if (key === 'device') {
    return deviceChoices(devices).map((c) => ({ value: c.value, title: c.value === 'other' ? t(language, 'questionCard.anotherPhone') : cardText(c.title) }));
  }
  if (QUESTIONS[key].kind === 'toggle') {
    return [
      { value: 'true', title: t(language, 'questionCard.yes') },
      { value: 'false', title: t(language, 'questionCard.no') },
    ];
  }
  return (QUESTIONS[key].choices ?? []).map((c) => ({ value: c.value, title: t(language, `questions.${key}.choices.${c.value}` as MessageKey) }));
}

/** An answer as the card shows it ("Yes", "iPhone (iOS)", the device's name). */
export function answerText(key: AnswerKey, value: Answers[AnswerKey], devices: readonly ManagedDevice[], language: Language = 'en'): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return t(language, value ? 'questionCard.yes' : 'questionCard.no');
  const choice = choicesFor(key, devices, language).find((c) => c.value === value);
  if (choice) return choice.title;
  return cardText(String(value));
}

function inputValue(value: Answers[AnswerKey] | string | undefined): string {
  if (value === undefined) return '';
  return String(value);
}

function blockers(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'blocker');
}

// ---------------------------------------------------------------- question card

export interface QuestionCardOptions {
  /** The keys to ask, in card order. */
  keys: readonly AnswerKey[];
  /** Pre-selected values (remembered answers, or what a refused submit carried). */
  values?: Partial<Record<AnswerKey, Answers[AnswerKey] | string>>;
  error?: string;
  /** "Change my answers": every question the diagnosis can use, so no "so far" list. */
  revisiting?: boolean;
  /** The reader's language (English when absent). */
  language?: Language;
}

/** A single choice question (the phone step) is answered with one tap: a button per choice. */
const ONE_TAP_MAX_CHOICES = 5;

export function questionCardModel(run: DiagnosisRun, options: QuestionCardOptions): QuestionCardModel {
  const language = options.language ?? 'en';
  const devices = run.user.managedDevices;
  const values = options.values ?? {};
  const asked = options.keys.join(',');
  const questions: QuestionInputModel[] = options.keys.map((key) => {
    const question = QUESTIONS[key];
    const kind = question.kind === 'text' ? 'text' : 'choice';
    // The only managed phone is the likely answer to "which phone".
    const preset = values[key] ?? (key === 'device' && run.prefill.deviceId ? run.prefill.deviceId : undefined);
    return {
      key,
      kind,
      label: t(language, `questions.${key}.label` as MessageKey),
      choices: kind === 'choice' ? choicesFor(key, devices, language) : [],
      value: inputValue(preset),
      placeholder: question.placeholder ? t(language, `questions.${key}.placeholder` as MessageKey) : '',
      multiline: key === 'errorText',
      maxLength: key === 'errorText' ? ERROR_TEXT_MAX : 20,
    };
  });

  const known: LabelledValue[] = [];
  const intuneDevice = run.prefill.deviceId ? devices.find((d) => d.id === run.prefill.deviceId) : undefined;
  if (intuneDevice && !options.keys.includes('device')) known.push({ title: `${answerTitle('device', language)} (Intune)`, value: deviceText(intuneDevice) });
  for (const [key, value] of Object.entries(run.answers) as Array<[AnswerKey, Answers[AnswerKey]]>) {
    if (options.keys.includes(key) || key === 'errorText') continue;
    known.push({ title: answerTitle(key, language), value: answerText(key, value, devices, language) });
  }

  // One question with a few choices and nothing typed: a button per choice, no "submit".
  const only = questions.length === 1 ? questions[0] : undefined;
  const oneTap = !options.error && !options.revisiting && only?.kind === 'choice' && only.choices.length <= ONE_TAP_MAX_CHOICES ? only : undefined;
  const actions: CardActionModel[] = oneTap
    ? [
        ...oneTap.choices.map((choice) => ({ title: choice.title, verb: DIAGNOSIS_VERBS.answer, data: { asked, [oneTap.key]: choice.value } })),
        // Skipping is an answer too ("I don't know"): the next step asks what matters without it.
        { title: t(language, 'questionCard.skip'), verb: DIAGNOSIS_VERBS.answer, data: { asked } },
      ]
    : [{ title: t(language, 'questionCard.submit'), verb: DIAGNOSIS_VERBS.answer, data: { asked } }];

  const name = firstName(run.user.user.displayName);
  return {
    title: options.revisiting ? t(language, 'questionCard.titleRevisiting') : name ? t(language, 'questionCard.titleNamed', { name }) : t(language, 'questionCard.title'),
    intro: options.revisiting ? t(language, 'questionCard.introRevisiting') : t(language, 'questionCard.intro'),
    error: options.error ? t(language, 'questionCard.error', { error: cardText(options.error) }) : '',
    knownTitle: t(language, 'questionCard.alreadyKnown'),
    known,
    soFarTitle: t(language, 'questionCard.foundSoFar'),
    soFar: options.revisiting ? [] : blockers(run.result.findings).map((f) => `• ${escapeMarkdown(f.userTitle ?? f.title)}`),
    // A one-tap question shows its label as the prompt and its choices as buttons.
    prompt: oneTap ? oneTap.label : '',
    questions: oneTap ? [] : questions,
    asked,
    answerVerb: DIAGNOSIS_VERBS.answer,
    actions,
  };
}

// ---------------------------------------------------------------- findings card

export interface FindingsCardOptions {
  timeZone?: string | null;
  banner?: FindingsCardModel['banner'];
  /** Questions that could still change the verdict but were left open. */
  unanswered?: readonly AnswerKey[];
  /** Show "Change my answers" (the diagnosis used answers, or could). */
  canChangeAnswers?: boolean;
  /** Questions that could matter were not asked yet (a blocker came first): the button offers them. */
  questionsWaiting?: boolean;
}

const LABELS: Record<Finding['audience'], string> = {
  user: 'To fix: you',
  helpdesk: 'To fix: your helpdesk',
  admin: 'To fix: an admin',
};

function findingLabel(finding: Finding): string {
  if (finding.id === 'ready') return 'Ready';
  if (finding.severity === 'blocker') return `Blocker · ${LABELS[finding.audience]}`;
  return finding.severity === 'warning' ? 'Warning' : 'Good to know';
}

function findingColor(finding: Finding): FindingModel['color'] {
  if (finding.id === 'ready') return 'Good';
  return finding.severity === 'blocker' ? 'Attention' : finding.severity === 'warning' ? 'Warning' : 'Default';
}

/** Multi-line text (numbered steps) → escaped lines, one TextBlock each. */
function lines(text: string | null): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map(escapeMarkdown);
}

/** The id of a finding's "Details for IT" container (the finding's own Container has the finding id). */
export function detailsForItId(findingId: string): string {
  return `${findingId}.details-for-it`;
}

function findingModel(finding: Finding, at: Date): FindingModel {
  // A verdict the logs confirm tells the person so ("Your sign-in at 14:02 was stopped by your organization's sign-in rule …"), not only IT.
  const evidenced = finding.evidence?.length ? evidenceSentence(finding.evidence, at, 'employee') : '';
  const color = findingColor(finding);
  const userFixLines = lines(finding.userFix);
  const onlyOthersCanFix = userFixLines.length === 0 && finding.severity !== 'info';
  return {
    id: finding.id,
    style: color === 'Attention' ? 'attention' : color === 'Warning' ? 'warning' : color === 'Good' ? 'good' : 'default',
    color,
    label: findingLabel(finding),
    // The employee reads the plain words; the admin title and detail go behind "Details for IT".
    title: escapeMarkdown(finding.userTitle ?? finding.title),
    text: escapeMarkdown([finding.userText ?? '', evidenced].filter(Boolean).join(' ')),
    userFixHeading: userFixLines.length > 0 ? (finding.id === 'ready' ? 'How to add it' : 'What you can do') : '',
    userFixLines,
    handOff: onlyOthersCanFix ? 'Only your helpdesk or an admin can change this. Select "Send this to the helpdesk" and they get the details.' : '',
    forIt: {
      id: detailsForItId(finding.id),
      // The admin's title only where it says more than the plain one above it.
      title: finding.userTitle && finding.userTitle !== finding.title ? escapeMarkdown(finding.title) : '',
      detail: escapeMarkdown(finding.detail),
      fixHeading: finding.adminFix ? 'What IT does' : '',
      fixLines: lines(finding.adminFix),
      source: finding.source,
    },
  };
}

/** The "Request a Temporary Access Pass" button's data: what the TAP request card pre-fills. */
export function tapOffer(findings: readonly Finding[], targetUpn?: string): Record<string, unknown> | undefined {
  const offered = findings.find((f) => (TAP_OFFER_FINDINGS as readonly string[]).includes(f.id));
  if (!offered) return undefined;
  return {
    reason: offered.id,
    ...(targetUpn ? { targetUpn } : {}),
    ...(offered.id === 'lost-device' ? { lostDevice: true } : {}),
  };
}

export function findingsCardModel(run: DiagnosisRun, options: FindingsCardOptions = {}): FindingsCardModel {
  const { findings } = run.result;
  const blocking = blockers(findings);
  const ready = findings.some((f) => f.id === 'ready');
  const name = cardText(run.user.user.displayName ?? readableUpn(run.user.user.userPrincipalName));
  const tap = tapOffer(findings);
  const actions: CardActionModel[] = [];
  if (tap) actions.push({ title: 'Request a Temporary Access Pass', verb: MENU_VERBS.requestTap, data: tap });
  actions.push({ title: 'Check again', verb: DIAGNOSIS_VERBS.recheck, data: {} });
  actions.push({ title: 'Send this to the helpdesk', verb: DIAGNOSIS_VERBS.sendToHelpdesk, data: {} });
  if (options.canChangeAnswers) {
    actions.push({ title: options.questionsWaiting ? 'Answer questions about my phone' : 'Change my answers', verb: DIAGNOSIS_VERBS.changeAnswers, data: {} });
  }

  const unanswered = (options.unanswered ?? []).filter((k) => k !== 'errorText');

  return {
    title: blocking.length > 0 ? "Why you can't add a passkey yet" : ready ? 'You can add a passkey' : 'Your passkey check',
    subtitle: [name, `checked ${formatTime(run.at, options.timeZone)}`].filter(Boolean).join(' · '),
    banner: options.banner ?? { text: '', color: 'Default' },
    summary:
      blocking.length === 1
        ? 'One thing stands in the way:'
        : blocking.length > 1
          ? `${blocking.length} things stand in the way, in the order to fix them:`
          : ready
            ? 'Nothing stands in the way.'
            : 'Nothing blocks you.',
    summaryColor: blocking.length > 0 ? 'Attention' : 'Good',
    findings: findings.map((finding) => findingModel(finding, run.at)),
    unknowns:
      unanswered.length > 0
        ? `Left open: ${unanswered.map((k) => answerTitle(k)).join('; ')}. Answers there could change this: select "Change my answers" to add them.`
        : '',
    actions,
  };
}

// ---------------------------------------------------------------- helpdesk ticket

export interface TicketOptions {
  /** Who pressed the button (the person themselves, from Teams). */
  sentBy: string;
  timeZone?: string | null;
}

function deviceText(device: ManagedDevice): string {
  const os = [device.operatingSystem, device.osVersion].filter(Boolean).join(' ');
  return cardText([device.deviceName ?? device.model ?? 'Phone', os ? `(${os})` : ''].filter(Boolean).join(' '));
}

function ticketDeviceText(device: ManagedDevice): string {
  const facts = [device.complianceState ?? 'compliance unknown', device.managedDeviceOwnerType ? `${device.managedDeviceOwnerType}-owned` : ''].filter(Boolean).join(', ');
  return `${deviceText(device)} · ${cardText(facts)}`;
}

/** A method as the helpdesk reads it: kind and name, contact details masked, never a secret. */
function methodText(method: AuthenticationMethod): string {
  const kind = methodKind(method);
  if (kind === 'phone') return `${METHOD_NAMES.phone} ${maskPhone(typeof method.phoneNumber === 'string' ? method.phoneNumber : '')}`.trim();
  if (kind === 'email') return `${METHOD_NAMES.email} ${maskEmail(typeof method.emailAddress === 'string' ? method.emailAddress : '')}`.trim();
  if (kind === 'temporaryAccessPass') {
    const usability = method.isUsable === false ? `not usable${typeof method.methodUsabilityReason === 'string' ? `: ${method.methodUsabilityReason}` : ''}` : 'usable';
    return cardText(`Temporary Access Pass (${method.isUsableOnce === true ? 'one-time' : 'multi-use'}, ${usability})`);
  }
  return cardText(methodLabel(method));
}

export function ticketCardModel(run: DiagnosisRun, options: TicketOptions): TicketCardModel {
  const { user, managedDevices, methods, manager } = run.user;
  const devices = managedDevices.filter((d) => devicePlatform(d) !== undefined);
  const person: LabelledValue[] = [
    { title: 'Name', value: cardText(user.displayName) },
    { title: 'Sign-in address', value: cardText(readableUpn(user.userPrincipalName)) },
    { title: 'Email', value: maskEmail(user.mail) },
    { title: 'Job title', value: cardText(user.jobTitle) },
    { title: 'Department', value: cardText(user.department) },
    { title: 'Manager', value: cardText(manager?.displayName) },
    { title: 'Account', value: `${user.accountEnabled ? 'enabled' : 'disabled'}, ${cardText(user.userType)}` },
  ].filter((fact) => fact.value !== '');

  const answers: LabelledValue[] = (Object.entries(run.answers) as Array<[AnswerKey, Answers[AnswerKey]]>).map(([key, value]) => ({
    title: answerTitle(key),
    value:
      key === 'errorText'
        ? cardText(String(value), TICKET_ERROR_TEXT_CHARS)
        : answerText(key, value, managedDevices),
  }));

  const findings: TicketFindingModel[] = run.result.findings.map((finding) => {
    const fix = finding.adminFix ?? finding.userFix;
    return {
      id: finding.id,
      color: findingColor(finding),
      label: `${findingLabel(finding)} · ${finding.id}`,
      // The admin's title only where it says more than the plain one above it.
      title: finding.userTitle && finding.userTitle !== finding.title ? escapeMarkdown(finding.title) : '',
      detail: escapeMarkdown(finding.detail),
      fixHeading: fix ? (finding.adminFix ? 'What the helpdesk or admin does' : 'What the person does') : '',
      fixLines: lines(fix),
    };
  });

  const actions: CardActionModel[] = [{ title: 'Look up this person', verb: STATUS_VERBS.lookup, data: { userId: user.id } }];
  const tap = tapOffer(run.result.findings, user.userPrincipalName ?? undefined);
  if (tap) actions.push({ title: 'Request a Temporary Access Pass for them', verb: MENU_VERBS.requestTap, data: tap });

  const blocking = blockers(run.result.findings).length;
  return {
    title: `Passkey diagnosis: ${cardText(user.displayName ?? (readableUpn(user.userPrincipalName) || user.id))}`,
    subtitle: `Sent by ${cardText(options.sentBy)} · checked ${formatTime(run.at, options.timeZone)} · ${blocking === 0 ? 'no blockers' : `${blocking} blocker${blocking === 1 ? '' : 's'}`}`,
    person,
    answers,
    devices: devices.map(ticketDeviceText),
    methods: methods.filter((m) => methodKind(m) !== 'password').map(methodText),
    findings,
    actions,
  };
}

function firstName(displayName: string | null | undefined): string {
  return cardText((displayName ?? '').trim().split(/\s+/)[0] ?? '');
}
