/**
 * Typed view models for the TAP cards: pure functions of the stored request,
 * who is looking and pre-computed facts. Every user- or directory-supplied
 * string is Markdown-escaped (Adaptive Card TextBlocks and FactSets render
 * Markdown), contact details are masked, times are shown in the viewer's
 * time zone. The card templates (adaptiveCards/*.json) bind these models.
 */
import {
  type TapRequest,
  TAP_VERBS,
  VERIFICATION_LABELS,
  VERIFICATION_METHODS,
  describeApprovers,
  REASON_MAX_LENGTH,
} from '../domain/request';
import { type TapSettings, withDefaults } from '../domain/settings';
import { type HelpdeskActor, checkDecider } from '../domain/transitions';

// Text helpers live in src/shared/text.ts (cards outside the TAP flow use them too).
export { escapeMarkdown, formatAge, formatTime, maskEmail, maskPhone, safeTimeZone } from '../../../shared/text';
import { cardText, escapeMarkdown, formatAge, formatTime, maskEmail, maskPhone, readableUpn } from '../../../shared/text';

// ---------------------------------------------------------------- shared

export interface ViewOptions {
  now: Date;
  /** The viewer's IANA zone (`localTimezone` of the activity). */
  timeZone?: string | null;
  locale?: string;
  settings?: Partial<TapSettings>;
}

export interface ActionView {
  verb: string;
  title: string;
  /** The only identifier taken back from the action: the server reloads everything else. */
  data: { requestId: string };
  style?: 'positive' | 'destructive';
}

export interface RefreshView {
  verb: string;
  /** Teams user ids (MRIs, `from.id`) supplied by the shell; at most 60. */
  userIds: string[];
  data: { requestId: string };
}

export type StatusColor = 'default' | 'good' | 'attention' | 'warning' | 'accent';

export interface Fact {
  title: string;
  value: string;
}

const action = (request: TapRequest, verb: string, title: string, style?: ActionView['style']): ActionView => ({
  verb,
  title,
  data: { requestId: request.id },
  ...(style ? { style } : {}),
});

const RELATION_TEXT = { self: 'themself', manager: 'their manager', helpdesk: 'the helpdesk' } as const;

/**
 * A time on a card many people read (the helpdesk channel): Adaptive Card
 * DATE/TIME functions, which Teams and the Agents Playground render in each
 * reader's own zone and locale. RFC 3339 without fractions, as the functions require.
 */
export function readerTime(value: string | undefined): string {
  const date = value ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

/** The approval card's status line: read by the whole helpdesk channel, so times are the reader's. */
function statusLine(request: TapRequest, _o: ViewOptions): { text: string; color: StatusColor } {
  const t = readerTime;
  const approvers = cardText(describeApprovers(request));
  switch (request.status) {
    case 'pending':
      return request.approvals.length > 0
        ? { text: `Approved by ${approvers} (${request.approvals.length} of ${request.requiredApprovals}): a second approver is needed`, color: 'warning' }
        : { text: 'Waiting for a decision', color: 'accent' };
    case 'approved':
      return { text: `Approved by ${approvers}: waiting for ${cardText(request.recipient.displayName)} to reveal it`, color: 'good' };
    case 'issuing':
      return { text: `Approved by ${approvers}: being issued`, color: 'good' };
    case 'issued':
      return {
        text: `Issued at ${t(request.issued?.issuedAt)}, valid until ${t(request.issued?.validUntil)}${
          request.closedLoop.passkeysSeen.length > 0 ? ` · ${request.closedLoop.passkeysSeen.length} passkey(s) registered` : ''
        }`,
        color: 'good',
      };
    case 'issue-failed':
      return { text: `Issuing failed: ${cardText(request.lastFailure?.why ?? 'unknown error')}`, color: 'attention' };
    case 'completed':
      return { text: 'Completed: passkey registered', color: 'good' };
    case 'denied':
      return {
        text: `Denied by ${cardText(request.denial?.displayName ?? 'the helpdesk')}: ${cardText(request.denial?.reason, REASON_MAX_LENGTH)}`,
        color: 'attention',
      };
    case 'expired':
      return {
        text: request.issued
          ? 'Expired: the pass ran out before a passkey was registered'
          : request.approvals.length >= request.requiredApprovals
            ? 'Expired: approved but not revealed in time'
            : 'Expired without a decision',
        color: 'default',
      };
    case 'cancelled':
      return { text: `Cancelled: ${cardText(request.cancellation?.reason, REASON_MAX_LENGTH)}`, color: 'default' };
    case 'revoked':
      return { text: `Revoked: ${cardText(request.revocation?.reason, REASON_MAX_LENGTH)}`, color: 'default' };
  }
}

// ---------------------------------------------------------------- approval card

export interface RiskFacts {
  accountCreatedDateTime?: string | null;
  /** Display names of the target's directory roles. */
  directoryRoleNames?: string[];
  /** Other TAP requests for the target in the last 30 days. */
  recentTapCount?: number;
  recentDenialCount?: number;
}

/** Facts the shell gathers for the approval card (all optional: unknown is left out). */
export interface ApprovalCardFacts {
  target?: {
    jobTitle?: string | null;
    department?: string | null;
    managerDisplayName?: string | null;
    mail?: string | null;
    phoneNumbers?: string[];
  };
  requesterProfile?: { jobTitle?: string | null; department?: string | null };
  /** Plain names of the target's current methods ("Password", "Authenticator on iPhone"). */
  currentMethods?: string[];
  lastDiagnosis?: { at: string; findingTitles: string[] };
  risk?: RiskFacts;
  /** Teams user ids of the approvers for `refresh.userIds` (user-specific views). */
  approverTeamsIds?: string[];
  /** False in the Playground (no user-specific views): the base card then carries the buttons. */
  userSpecificViews?: boolean;
  /** TAP_ALLOW_PRIVILEGED, to explain a privileged target. */
  allowPrivileged?: boolean;
}

export interface PersonView {
  displayName: string;
  upn: string;
  jobTitle: string;
  department: string;
  manager: string;
  email: string;
  phones: string[];
}

export interface RiskHint {
  text: string;
  level: 'warning' | 'info';
}

export interface ApprovalCardView {
  requestId: string;
  version: number;
  mode: 'decide' | 'read-only';
  /** Why this viewer sees no buttons (read-only only). */
  readOnlyNote: string;
  title: string;
  status: { text: string; color: StatusColor };
  target: PersonView;
  requester: PersonView & { relation: string };
  onBehalf: boolean;
  reason: string;
  facts: Fact[];
  currentMethods: string[];
  lastDiagnosis: string;
  riskHints: RiskHint[];
  approvals: string[];
  verificationChoices: { title: string; value: string }[];
  lostDevice: { registrations: string[]; canRemove: boolean } | null;
  actions: ActionView[];
  refresh: RefreshView | null;
}

function riskHints(request: TapRequest, facts: ApprovalCardFacts, o: ViewOptions): RiskHint[] {
  const hints: RiskHint[] = [];
  const risk = facts.risk ?? {};
  if (risk.accountCreatedDateTime) {
    const ageDays = (o.now.getTime() - Date.parse(risk.accountCreatedDateTime)) / 86_400_000;
    const age = formatAge(risk.accountCreatedDateTime, o.now);
    hints.push(
      ageDays < 7
        ? { text: `New account: created ${age === 'today' ? 'today' : `${age} ago`}`, level: 'warning' }
        : { text: `Account created ${age} ago`, level: 'info' },
    );
  }
  if (request.privilegedTarget || (risk.directoryRoleNames?.length ?? 0) > 0) {
    const roles = risk.directoryRoleNames?.length ? risk.directoryRoleNames.map((name) => cardText(name)).join(', ') : 'a directory role';
    const rule = facts.allowPrivileged ? 'two different approvers are required' : 'refused by policy (TAP_ALLOW_PRIVILEGED)';
    hints.push({ text: `Privileged account (${roles}): ${rule}`, level: 'warning' });
  }
  if ((risk.recentTapCount ?? 0) > 0)
    hints.push({ text: `${risk.recentTapCount} other TAP request(s) for this person in the last 30 days`, level: 'warning' });
  if ((risk.recentDenialCount ?? 0) > 0)
    hints.push({ text: `${risk.recentDenialCount} denied TAP request(s) for this person in the last 30 days`, level: 'warning' });
  if (request.requester.relation !== 'self')
    hints.push({
      text: `Asked on their behalf by ${RELATION_TEXT[request.requester.relation]}: the pass goes to ${cardText(request.recipient.displayName)} for handover. Verify both.`,
      level: 'warning',
    });
  if (request.lostDevice?.lost)
    hints.push({ text: 'Lost or replaced phone: you can remove its registrations with this approval', level: 'info' });
  return hints;
}

function person(ref: { displayName: string; upn: string }, profile?: ApprovalCardFacts['target']): PersonView {
  return {
    displayName: cardText(ref.displayName),
    upn: cardText(readableUpn(ref.upn)),
    jobTitle: cardText(profile?.jobTitle),
    department: cardText(profile?.department),
    manager: cardText(profile?.managerDisplayName),
    email: cardText(maskEmail(profile?.mail)),
    phones: (profile?.phoneNumbers ?? []).map((p) => cardText(maskPhone(p))),
  };
}

/**
 * The helpdesk thread's card. `viewer` undefined = the base card everyone sees;
 * with a viewer (a refresh or an action's response) = that person's view.
 */
export function approvalCardView(
  request: TapRequest,
  viewer: HelpdeskActor | undefined,
  facts: ApprovalCardFacts,
  options: ViewOptions,
): ApprovalCardView {
  // The channel's card: every reader sees the times in their own zone (DATE/TIME functions).
  const t = readerTime;
  const userSpecificViews = facts.userSpecificViews ?? true;
  const approverIds = facts.approverTeamsIds ?? [];
  const refreshable = userSpecificViews && approverIds.length > 0 && approverIds.length <= 60;

  let mode: ApprovalCardView['mode'] = 'read-only';
  let readOnlyNote = '';
  if (request.status === 'pending' && options.now.getTime() < Date.parse(request.expiresAt ?? '9999-12-31')) {
    if (viewer) {
      const refusal = checkDecider(request, viewer, options.now);
      const alreadyApproved = request.approvals.some((a) => a.approverId === viewer.id);
      if (refusal) readOnlyNote = refusal.message;
      else if (alreadyApproved) readOnlyNote = 'You approved this request; a second, different helpdesk member must approve too.';
      else mode = 'decide';
    } else if (refreshable) {
      readOnlyNote = 'Helpdesk members see Approve and Deny here.';
    } else {
      // No user-specific views (Playground, or more than 60 approvers): everyone sees the
      // buttons and the server's checks do the protecting.
      mode = 'decide';
    }
  }

  const facts_: Fact[] = [
    { title: 'For', value: `${cardText(request.targetUser.displayName)} (${cardText(readableUpn(request.targetUser.upn))})` },
    {
      title: 'Asked by',
      value:
        request.requester.relation === 'self'
          ? 'The person themself'
          : `${cardText(request.requester.displayName)} (${RELATION_TEXT[request.requester.relation]})`,
    },
    { title: 'Requested', value: t(request.createdAt) },
  ];
  if (request.neededBy) facts_.push({ title: 'Needed by', value: t(request.neededBy) });
  facts_.push({
    title: 'Pass',
    value: `${request.tapKind === 'oneTime' ? 'One-time' : 'Multi-use'}, valid ${request.lifetimeInMinutes} minutes from Reveal`,
  });
  if (request.lostDevice?.lost) facts_.push({ title: 'Lost phone', value: 'Yes' });

  const approvals = request.approvals.map(
    (a) => `${cardText(a.displayName)}: ${VERIFICATION_LABELS[a.verification]}, ${t(a.at)}${a.removeLostDeviceRegistrations ? ' (remove lost-phone registrations)' : ''}`,
  );

  return {
    requestId: request.id,
    version: request.version,
    mode,
    readOnlyNote: cardText(readOnlyNote),
    title: `Temporary Access Pass for ${cardText(request.targetUser.displayName)}`,
    status: statusLine(request, options),
    target: person(request.targetUser, facts.target),
    requester: { ...person(request.requester, facts.requesterProfile), relation: RELATION_TEXT[request.requester.relation] },
    onBehalf: request.requester.relation !== 'self',
    reason: cardText(request.reason, REASON_MAX_LENGTH),
    facts: facts_,
    currentMethods: (facts.currentMethods ?? []).map((name) => cardText(name)),
    lastDiagnosis: facts.lastDiagnosis
      ? `${t(facts.lastDiagnosis.at)}: ${facts.lastDiagnosis.findingTitles.map(escapeMarkdown).join('; ') || 'no findings'}`
      : '',
    riskHints: riskHints(request, facts, options),
    approvals,
    verificationChoices: VERIFICATION_METHODS.map((value) => ({ title: VERIFICATION_LABELS[value], value })),
    lostDevice: request.lostDevice?.lost
      ? {
          registrations: request.lostDevice.registrationIds.map((r) => cardText(r.displayName)),
          canRemove: mode === 'decide' && request.lostDevice.registrationIds.length > 0,
        }
      : null,
    actions:
      mode === 'decide'
        ? [action(request, TAP_VERBS.approve, 'Approve', 'positive'), action(request, TAP_VERBS.deny, 'Deny', 'destructive')]
        : [],
    refresh: refreshable ? { verb: TAP_VERBS.refresh, userIds: approverIds.slice(0, 60), data: { requestId: request.id } } : null,
  };
}

// ---------------------------------------------------------------- delivery card

export type DeliveryState = 'waiting' | 'ready' | 'issuing' | 'shown-once' | 'passkey-question' | 'failed' | 'completed' | 'closed' | 'not-for-you';

export interface DeliveryCardView {
  requestId: string;
  version: number;
  state: DeliveryState;
  title: string;
  lines: string[];
  /** On behalf: how to hand the pass over. */
  handover: string;
  actions: ActionView[];
  refresh: RefreshView | null;
}

function handoverText(request: TapRequest): string {
  if (request.requester.relation === 'self') return '';
  return `This pass is for ${cardText(request.targetUser.displayName)}. Hand it over in person or read it out on a call where you can see or verify them. Never send it by chat, e-mail or text message.`;
}

/**
 * The recipient's 1:1 card in every state. It never contains the value: after a
 * Reveal any rendering (refresh, other device, other person) shows "shown once".
 */
export function deliveryCardView(
  request: TapRequest,
  viewer: { id: string } | undefined,
  options: ViewOptions & { refreshUserIds?: string[] },
): DeliveryCardView {
  const s = withDefaults(options.settings);
  const t = (v: string | undefined) => formatTime(v, options.timeZone, options.locale);
  const base = {
    requestId: request.id,
    version: request.version,
    handover: handoverText(request),
    refresh: options.refreshUserIds?.length
      ? { verb: TAP_VERBS.refresh, userIds: options.refreshUserIds.slice(0, 60), data: { requestId: request.id } }
      : null,
  };
  const forWhom = cardText(request.targetUser.displayName);
  if (viewer && viewer.id !== request.recipient.id)
    return { ...base, handover: '', state: 'not-for-you', title: 'Temporary Access Pass', lines: ['This card belongs to someone else.'], actions: [] };

  const deadlinePassed = request.expiresAt !== undefined && options.now.getTime() >= Date.parse(request.expiresAt);
  switch (request.status) {
    case 'pending':
      return {
        ...base,
        state: 'waiting',
        title: 'Temporary Access Pass requested',
        lines: [`Your request for ${forWhom} is waiting for the helpdesk. They will verify the person out of band (for example a video call with ID) before approving.`],
        actions: [action(request, TAP_VERBS.cancel, 'Cancel request')],
      };
    case 'approved':
      if (deadlinePassed) break;
      return {
        ...base,
        state: 'ready',
        title: 'Your Temporary Access Pass is ready',
        lines: [
          `Approved by ${cardText(describeApprovers(request))}.`,
          `Press Reveal when you are ready to register the passkey: the pass is created at that moment, valid for ${request.lifetimeInMinutes} minutes, and shown only once.`,
          `Reveal before ${t(request.expiresAt)}.`,
        ],
        actions: [action(request, TAP_VERBS.reveal, 'Reveal', 'positive'), action(request, TAP_VERBS.cancel, 'I no longer need it')],
      };
    case 'issuing':
      return { ...base, state: 'issuing', title: 'Creating your Temporary Access Pass…', lines: ['This takes a few seconds.'], actions: [] };
    case 'issued':
      // A passkey appeared and nobody said how many are wanted: the same card asks "Done?" (one card per workflow).
      if (request.closedLoop.passkeysSeen.length > 0 && request.closedLoop.expectedPasskeys === undefined) {
        const question = passkeyQuestionView(request, options);
        return { ...base, state: 'passkey-question', title: question.title, lines: [...question.lines, ...question.passkeys.map((p) => `• ${p}`)], actions: question.actions };
      }
      return {
        ...base,
        state: 'shown-once',
        title: 'Temporary Access Pass: shown once',
        lines: [
          `Issued at ${t(request.issued?.issuedAt)}, valid until ${t(request.issued?.validUntil)}. It was shown once and can't be shown again.`,
          request.closedLoop.passkeysSeen.length > 0
            ? `${request.closedLoop.passkeysSeen.length} passkey(s) registered so far: we will remove the pass once the next one appears.`
            : 'We will tell you when your passkey appears.',
        ],
        actions: [action(request, TAP_VERBS.done, 'Done: remove my TAP', 'positive')],
      };
    case 'issue-failed': {
      if (deadlinePassed) break;
      const canRetry = request.issueAttempts < s.maxIssueAttempts;
      return {
        ...base,
        state: 'failed',
        title: 'Your Temporary Access Pass could not be created',
        lines: [
          request.lastFailure?.recovery === 'created-and-deleted'
            ? 'A pass was created but the connection failed before it could be shown, so it was removed for your safety. No pass is active.'
            : 'Nothing was created. No pass is active.',
          canRetry ? 'Press Retry to try again.' : 'No more retries are possible: the helpdesk has been told.',
        ],
        actions: canRetry ? [action(request, TAP_VERBS.retry, 'Retry', 'positive')] : [],
      };
    }
    case 'completed':
      return { ...base, state: 'completed', title: 'Completed: passkey registered', lines: completedLines(request), actions: [] };
    default:
      break;
  }
  const why =
    request.status === 'denied'
      ? `Denied by ${cardText(request.denial?.displayName ?? 'the helpdesk')}: ${cardText(request.denial?.reason, REASON_MAX_LENGTH)}`
      : request.status === 'cancelled'
        ? `Cancelled: ${cardText(request.cancellation?.reason, REASON_MAX_LENGTH)}`
        : request.status === 'revoked'
          ? `Revoked: ${cardText(request.revocation?.reason, REASON_MAX_LENGTH)}`
          : 'This request has expired. Ask again if you still need a pass.';
  return { ...base, state: 'closed', title: 'Temporary Access Pass', lines: [why], actions: [] };
}

/** The same sentences markCompleted tells the recipient, so the banner of the answered card can drop them. */
function completedLines(request: TapRequest): string[] {
  return request.completion?.how === 'tap-expired'
    ? ['Your Temporary Access Pass has expired.', 'Your passkey stays registered: sign in with it from now on.']
    : ['All set: your passkey is registered and the Temporary Access Pass has been removed.', 'Sign in with your passkey from now on.'];
}

// ---------------------------------------------------------------- reveal (invoke response only)

export interface RevealedOnceView {
  requestId: string;
  title: string;
  /**
   * The secret, raw: bind it to a RichTextBlock TextRun (no Markdown processing, so
   * it shows exactly). This model exists only while the invoke response is built.
   */
  passValue: string;
  validUntil: string;
  usage: string;
  handover: string;
  warning: string;
  steps: { ios: string[]; android: string[] };
  actions: ActionView[];
}

/** Registration steps in Microsoft Authenticator, paraphrased from Microsoft Learn. */
export function authenticatorSteps(upn: string): { ios: string[]; android: string[] } {
  const who = cardText(readableUpn(upn));
  return {
    ios: [
      'Open Microsoft Authenticator (iOS 17 or later), tap +, choose Work or school account, then Sign in.',
      `Sign in as ${who}. When asked for a second step, choose Temporary Access Pass and enter the pass.`,
      'When prompted, allow Authenticator as a passkey provider: Settings → General → AutoFill & Passwords (on iOS 17: Settings → Passwords → Password Options), turn on Authenticator.',
      'Back in Authenticator, follow the prompts to create the passkey.',
    ],
    android: [
      'Open Microsoft Authenticator (Android 14 or later), tap +, choose Work or school account, then Sign in.',
      `Sign in as ${who}. When asked for a second step, use the Temporary Access Pass.`,
      'When prompted, turn on Authenticator as a passkey provider: Settings → Passwords & accounts → Additional providers → Authenticator (names vary by manufacturer; search Settings for "passkey").',
      'Follow the prompts to create the passkey. With a work profile, do this in Authenticator in the work profile and again in the personal profile.',
    ],
  };
}

/** The one card that carries the value: returned only as the Reveal's invoke response. */
export function revealedOnceView(request: TapRequest, passValue: string, options: ViewOptions): RevealedOnceView {
  const t = (v: string | undefined) => formatTime(v, options.timeZone, options.locale);
  return {
    requestId: request.id,
    title: `Temporary Access Pass for ${cardText(request.targetUser.displayName)}`,
    passValue,
    validUntil: `Valid until ${t(request.issued?.validUntil)}`,
    usage: request.issued?.isUsableOnce ? 'One-time: it works for a single sign-in.' : 'Multi-use until it expires.',
    handover: handoverText(request),
    warning: 'Shown once: it is not stored anywhere and won\'t be shown again. Nobody from IT will ever ask you for it.',
    steps: authenticatorSteps(request.targetUser.upn),
    actions: [action(request, TAP_VERBS.hide, 'Hide it')],
  };
}

// ---------------------------------------------------------------- closed loop question

export interface PasskeyQuestionView {
  requestId: string;
  title: string;
  lines: string[];
  passkeys: string[];
  actions: ActionView[];
}

/** "Done? Remove my TAP" / "I still need another passkey" after a passkey appeared. */
export function passkeyQuestionView(request: TapRequest, options: ViewOptions): PasskeyQuestionView {
  const t = (v: string | undefined) => formatTime(v, options.timeZone, options.locale);
  const seen = request.closedLoop.passkeysSeen;
  return {
    requestId: request.id,
    title: 'Passkey registered',
    lines: [
      `We can see ${seen.length === 1 ? 'a passkey' : `${seen.length} passkeys`} in Microsoft Authenticator for ${cardText(request.targetUser.displayName)}.`,
      `Done? Then remove the Temporary Access Pass now. Otherwise it stays valid until ${t(request.issued?.validUntil)}.`,
    ],
    passkeys: seen.map((p) => `${cardText(p.displayName)}${p.createdDateTime ? ` (${t(p.createdDateTime)})` : ''}`),
    actions: [
      action(request, TAP_VERBS.done, 'Done: remove my TAP', 'positive'),
      action(request, TAP_VERBS.another, 'I still need another passkey (e.g. Android work profile)'),
    ],
  };
}
