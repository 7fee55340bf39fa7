/**
 * Typed models for the status, look-up, report and nudge cards
 * (adaptiveCards/status*.json, report*.json, nudge*.json). Every directory or
 * user string is escaped before it reaches a TextBlock; times are shown in the
 * reader's time zone.
 */
import type { NudgeCampaign } from '../domain/nudges';
import { describeProgress, remaining } from '../domain/nudges';
import type { PersonalStatus } from '../domain/personal';
import { compareSnapshots, type ReadinessCounts, type ReadinessTrend } from '../domain/report';
import { formatTime, cardText, readableUpn } from '../../../shared/text';
import { MENU_VERBS, STATUS_VERBS } from '../../../shared/verbs';
import type { GroupSnapshot, NeedsActionSample, ReportSnapshot } from '../app/reportSnapshots';
import type { NudgePreview, PreviewExclusion } from '../domain/nudgePreview';
import type { AdaptiveCardJson, CardTemplates } from '../../../shared/cardTemplates';

export { STATUS_VERBS } from '../../../shared/verbs';

type Color = 'Default' | 'Good' | 'Warning' | 'Attention';

// ---- Personal status and helpdesk look-up ------------------------------------------

export interface StatusCardModel {
  title: string;
  subtitle: string;
  verdict: string;
  verdictColor: Color;
  methods: Array<{ icon: string; name: string; verdict: string; color: Color }>;
  tap: string;
  nextStepTitle: string;
  nextStep: string;
  primaryTitle: string;
  primaryVerb: string;
  refreshVerb: string;
  refreshUserId: string;
  showLookup: boolean;
  lookup: { diagnosis: string; tapRequests: Array<{ text: string }>; audit: Array<{ text: string }> } | null;
}

/** What the helpdesk sees besides the status (all optional: other features may not have stored anything). */
export interface LookupDetails {
  lastDiagnosis?: { at: string; findings: Array<{ id: string; severity?: string; title?: string }> };
  tapRequests: Array<{ id: string; status: string }>;
  audit: Array<{ at: string; event: string; actorName?: string }>;
}

export interface StatusCardOptions {
  now: Date;
  timeZone?: string;
  /** Present for a helpdesk look-up of someone else. */
  lookup?: LookupDetails;
}

export function statusCardModel(status: PersonalStatus, options: StatusCardOptions): StatusCardModel {
  const { timeZone, lookup } = options;
  const forSelf = lookup === undefined;
  const who = cardText(status.user.displayName ?? (readableUpn(status.user.userPrincipalName) || status.user.id));
  const upn = status.user.userPrincipalName && status.user.displayName ? ` (${cardText(readableUpn(status.user.userPrincipalName))})` : '';
  const disabled = status.nextStep.id === 'account-disabled';
  const verdict = disabled
    ? { text: forSelf ? 'Your account is disabled.' : 'This account is disabled.', color: 'Attention' as const }
    : status.phishingResistant
      ? { text: forSelf ? '✅ Your sign-in is phishing-resistant.' : '✅ Phishing-resistant sign-in.', color: 'Good' as const }
      : { text: forSelf ? '⚠️ Your sign-in is not phishing-resistant yet.' : '⚠️ Not phishing-resistant yet.', color: 'Warning' as const };
  const primary = forSelf ? primaryAction(status) : null;
  return {
    title: forSelf ? 'Your sign-in methods' : `Sign-in methods of ${who}${upn}`,
    subtitle: `Checked ${formatTime(options.now, timeZone)}`,
    verdict: verdict.text,
    verdictColor: verdict.color,
    methods: status.methods.map((method) => ({
      icon: method.phishingResistant ? '✅' : '⚠️',
      name: cardText(method.displayName),
      verdict: method.phishingResistant ? 'Phishing-resistant' : 'Not phishing-resistant',
      color: method.phishingResistant ? 'Good' : 'Warning',
    })),
    // Only when it ends: the pass itself is never read, stored or shown.
    tap: status.tapActiveUntil ? `A Temporary Access Pass is active until ${formatTime(status.tapActiveUntil, timeZone)}.` : '',
    nextStepTitle: forSelf ? 'Your next step' : 'Their next step',
    nextStep: status.nextStep.text,
    primaryTitle: primary?.title ?? '',
    primaryVerb: primary?.verb ?? '',
    refreshVerb: forSelf ? STATUS_VERBS.refresh : STATUS_VERBS.lookup,
    refreshUserId: forSelf ? '' : status.user.id,
    showLookup: !forSelf,
    lookup: lookup ? lookupModel(lookup, timeZone) : null,
  };
}

/** The single next step's button, when there is one. */
function primaryAction(status: PersonalStatus): { title: string; verb: string } | null {
  switch (status.nextStep.id) {
    case 'add-passkey':
    case 'use-tap-to-add-passkey':
      return { title: 'Add a passkey in Authenticator', verb: MENU_VERBS.diagnose };
    case 'get-mfa-first':
      return { title: 'Request a Temporary Access Pass', verb: MENU_VERBS.requestTap };
    default:
      return null;
  }
}

function lookupModel(lookup: LookupDetails, timeZone: string | undefined): NonNullable<StatusCardModel['lookup']> {
  const diagnosis = lookup.lastDiagnosis;
  const findings = (diagnosis?.findings ?? []).map((finding) => {
    const title = cardText(finding.title ?? finding.id);
    return finding.severity ? `${title} (${cardText(finding.severity)})` : title;
  });
  return {
    diagnosis: diagnosis
      ? `${formatTime(diagnosis.at, timeZone)}: ${findings.length > 0 ? findings.join('; ') : 'no findings'}`
      : 'No diagnosis recorded.',
    tapRequests: lookup.tapRequests.map((request) => ({ text: `${cardText(request.id)}: ${cardText(request.status)}` })),
    audit: lookup.audit.map((event) => ({
      text: `${formatTime(event.at, timeZone)}: ${cardText(event.event)}${event.actorName ? ` by ${cardText(event.actorName)}` : ''}`,
    })),
  };
}

export function statusCard(templates: CardTemplates, status: PersonalStatus, options: StatusCardOptions): AdaptiveCardJson {
  return templates.render('status', statusCardModel(status, options));
}

// ---- Readiness report ---------------------------------------------------------------

export interface ReportCardModel {
  title: string;
  subtitle: string;
  headline: string;
  /** "As of …" with Adaptive Card DATE/TIME functions: each reader's client shows its own time zone. */
  asOf: string;
  /** A kind note under the title ("Fetching the latest numbers…", "once a minute…"); '' for none. */
  refreshNote: string;
  donut: Array<{ legend: string; value: number; color: ChartColor }>;
  totals: Array<{ title: string; value: string }>;
  trend: string;
  breakdownTitle: string;
  /**
   * One stacked bar per department in the donut's three series (counts), so a department at 0%
   * or 100% still shows its whole bar and what it is made of.
   */
  bars: Array<{ title: string; data: ReportCardModel['donut'] }>;
  breakdown: Array<{ title: string; value: string }>;
  breakdownNote: string;
  footnote: string;
  /** '' for the whole organisation. */
  groupId: string;
}

/** Departments shown on the card (the biggest); the CLI's JSON has them all. */
export const CARD_BREAKDOWN_LIMIT = 12;

export interface ReportCardInput {
  /** After "Show latest": a fresh snapshot is on its way, or the last one is still fresh (once a minute). */
  refresh?: 'fetching' | 'limited';
  current: ReportSnapshot;
  previous?: ReportSnapshot;
  /** A chosen group (from `current.groups`); undefined = the whole organisation. */
  group?: GroupSnapshot;
  timeZone?: string;
}

export function reportCardModel(input: ReportCardInput): ReportCardModel {
  const { current, group, timeZone } = input;
  const counts = group ? group.counts : current.report.totals;
  const trend = trendOf(input);
  const departments = group ? [] : [...current.report.breakdown].sort((a, b) => b.users - a.users || a.name.localeCompare(b.name));
  const shown = departments.slice(0, CARD_BREAKDOWN_LIMIT);
  return {
    title: group ? `Passkey readiness: ${cardText(group.displayName)}` : 'Passkey readiness: whole organisation',
    subtitle: `Snapshot of ${formatTime(current.generatedAt, timeZone)}, refreshed automatically.`,
    headline:
      counts.users === 0
        ? 'Nobody to count yet.'
        : `${percent(counts.phishingResistant, counts.users)} of ${counts.users} people sign in phishing-resistant; ${counts.passkeyInAuthenticator} with a passkey in Microsoft Authenticator.`,
    asOf: `As of ${cardDateTime(current.generatedAt)}`,
    refreshNote: REFRESH_NOTES[input.refresh ?? 'none'],
    donut: readinessDonut(counts),
    totals: [
      { title: 'People', value: `${counts.users} (${counts.guests} guests)` },
      { title: 'Phishing-resistant', value: `${counts.phishingResistant} (${percent(counts.phishingResistant, counts.users)})` },
      { title: 'Passkey in Authenticator', value: `${counts.passkeyInAuthenticator} (${percent(counts.passkeyInAuthenticator, counts.users)})` },
      { title: 'Phishable methods only', value: `${counts.phishableOnly} (${percent(counts.phishableOnly, counts.users)})` },
      { title: 'No MFA at all', value: `${counts.noMfa} (${percent(counts.noMfa, counts.users)})` },
    ],
    trend: trend ? trendText(trend, timeZone) : 'No earlier snapshot to compare with yet.',
    breakdownTitle: 'By department: phishing-resistant, phishable only, no MFA',
    bars: shown.map((entry) => ({ title: shortLabel(entry.name), data: readinessSeries(entry, 'short') })),
    breakdown: shown.map((entry) => ({
      title: cardText(entry.name),
      value: `${entry.phishingResistant} of ${entry.users} phishing-resistant (${percent(entry.phishingResistant, entry.users)}) · ${entry.phishableOnly} phishable only · ${entry.noMfa} no MFA`,
    })),
    breakdownNote:
      departments.length > shown.length
        ? `${departments.length - shown.length} smaller departments are not shown (the card has room for the ${shown.length} biggest). For one group, type "report" and the group's name.`
        : '',
    footnote:
      'Counts come from the authentication-methods registration report (disabled accounts are not in it) and are refreshed in the background: the report API allows only a few requests per minute.',
    groupId: group?.id ?? '',
  };
}

/**
 * The renderer's named chart colours (Teams / Agents Playground `_wellKnownChartColors`):
 * three hues far apart (blue, marigold, red) that stay distinct for the common
 * colour-vision deficiencies and in light, dark and high-contrast themes.
 */
export const CHART_COLORS = {
  phishingResistant: 'categoricalBlue',
  phishableOnly: 'categoricalMarigold',
  noMfa: 'categoricalRed',
} as const;
type ChartColor = (typeof CHART_COLORS)[keyof typeof CHART_COLORS];

/**
 * Always all three series, each with its own colour and its count in the legend,
 * so a group at 0% or 100% still shows what is missing ("Phishing-resistant: 0")
 * instead of a one-colour ring with a single legend entry.
 */
export function readinessDonut(counts: ReadinessCounts): ReportCardModel['donut'] {
  return readinessSeries(counts, 'with counts');
}

/** The three series in fixed order and colours; the donut's legend carries the counts, a bar's segments don't need to. */
function readinessSeries(counts: Pick<ReadinessCounts, 'phishingResistant' | 'phishableOnly' | 'noMfa'>, legend: 'with counts' | 'short'): ReportCardModel['donut'] {
  const label = (name: string, value: number) => (legend === 'with counts' ? `${name}: ${value}` : name);
  return [
    { legend: label('Phishing-resistant', counts.phishingResistant), value: counts.phishingResistant, color: CHART_COLORS.phishingResistant },
    { legend: label('Phishable only', counts.phishableOnly), value: counts.phishableOnly, color: CHART_COLORS.phishableOnly },
    { legend: label('No MFA', counts.noMfa), value: counts.noMfa, color: CHART_COLORS.noMfa },
  ];
}

/** Longest department label on the bar chart; longer names keep their start and end ("Engineering … Hardware"). */
export const CHART_LABEL_MAX = 24;

export function shortLabel(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= CHART_LABEL_MAX) return trimmed;
  const words = trimmed.split(/\s+/);
  if (words.length > 1 && words[0]!.length + words.at(-1)!.length + 3 <= CHART_LABEL_MAX) return `${words[0]} … ${words.at(-1)}`;
  return `${trimmed.slice(0, CHART_LABEL_MAX - 1)}…`;
}

/** Adaptive Card text functions (RFC 3339, no fraction): the client formats them in the reader's zone. */
export function cardDateTime(iso: string): string {
  const instant = new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${instant}, SHORT)}} {{TIME(${instant})}}`;
}

const REFRESH_NOTES: Record<NonNullable<ReportCardInput['refresh']> | 'none', string> = {
  none: '',
  fetching: '⟳ Fetching the latest numbers: this card updates itself when they are in (usually within a minute).',
  limited: 'ℹ These are the latest numbers: new ones can be fetched once a minute. Press "Show latest" again in a moment.',
};

function trendOf(input: ReportCardInput): ReadinessTrend | undefined {
  const { current, previous, group } = input;
  if (!previous) return undefined;
  if (!group) return compareSnapshots(previous.report, current.report);
  const before = previous.groups.find((entry) => entry.id === group.id);
  if (!before) return undefined;
  return compareSnapshots(
    { generatedAt: previous.generatedAt, totals: before.counts, breakdown: [] },
    { generatedAt: current.generatedAt, totals: group.counts, breakdown: [] },
  );
}

function trendText(trend: ReadinessTrend, timeZone: string | undefined): string {
  const parts: Array<[string, keyof ReadinessCounts]> = [
    ['phishing-resistant', 'phishingResistant'],
    ['passkey in Authenticator', 'passkeyInAuthenticator'],
    ['phishable only', 'phishableOnly'],
    ['no MFA', 'noMfa'],
    ['people', 'users'],
  ];
  return `Since ${formatTime(trend.since, timeZone)}: ${parts.map(([label, key]) => `${label} ${signed(trend.totals[key])}`).join(', ')}.`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '±0';
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((100 * part) / whole)}%`;
}

export function reportCard(templates: CardTemplates, input: ReportCardInput): AdaptiveCardJson {
  return templates.render('report', reportCardModel(input));
}

export interface ReportPreparingModel {
  title: string;
  text: string;
  groupId: string;
}

export function reportPreparingCard(templates: CardTemplates, group?: { id: string; displayName: string }): AdaptiveCardJson {
  const model: ReportPreparingModel = {
    title: group ? `Passkey readiness: ${cardText(group.displayName)}` : 'Passkey readiness',
    text: group
      ? 'The numbers for this group are being prepared. I will update this card when they are ready (usually within a few minutes).'
      : 'The report is being prepared. I will update this card when it is ready (usually within a few minutes).',
    groupId: group?.id ?? '',
  };
  return templates.render('reportPreparing', model);
}

export interface NeedsActionCardModel {
  title: string;
  subtitle: string;
  people: Array<{ title: string; value: string }>;
  note: string;
  groupId: string;
}

export function needsActionCard(
  templates: CardTemplates,
  input: { sample: NeedsActionSample; generatedAt: string; group?: { id: string; displayName: string }; timeZone?: string },
): AdaptiveCardJson {
  const { sample, group } = input;
  const shown = sample.people.length;
  const model: NeedsActionCardModel = {
    title: group ? `Who still needs action: ${cardText(group.displayName)}` : 'Who still needs action',
    subtitle: `${sample.count} ${sample.count === 1 ? 'person has' : 'people have'} no phishing-resistant method (snapshot of ${formatTime(input.generatedAt, input.timeZone)}).`,
    people: sample.people.map((person) => ({
      title: cardText(person.displayName || readableUpn(person.userPrincipalName)),
      value: `${cardText(readableUpn(person.userPrincipalName))} · ${person.status === 'noMfa' ? 'no MFA at all' : 'phishable methods only'}`,
    })),
    note:
      (shown < sample.count ? `Showing the first ${shown}. ` : '') +
      `${group ? '' : 'For a shorter list, open one group\'s report: type "report" and the group\'s name. '}The full list as a CSV file comes from your Passkey Helpdesk administrator.`,
    groupId: group?.id ?? '',
  };
  return templates.render('reportNeedsAction', model);
}

// ---- Nudges -------------------------------------------------------------------------

export interface NudgeCardModel {
  title: string;
  intro: string;
  verdict: string;
  methods: Array<{ text: string }>;
  nextStep: string;
  campaignId: string;
}

export function nudgeCard(templates: CardTemplates, status: PersonalStatus, campaignId: string): AdaptiveCardJson {
  const model: NudgeCardModel = {
    title: 'Time to set up a passkey',
    intro:
      'Your organisation is moving everyone to phishing-resistant sign-in. A passkey in Microsoft Authenticator takes a couple of minutes to add, and I can walk you through it.',
    verdict: 'Your sign-in is not phishing-resistant yet.',
    methods: status.methods.map((method) => ({
      text: `${method.phishingResistant ? '✅' : '⚠️'} ${cardText(method.displayName)}`,
    })),
    nextStep: status.nextStep.text,
    campaignId,
  };
  return templates.render('nudge', model);
}

export interface NudgeProgressModel {
  title: string;
  subtitle: string;
  stateText: string;
  stateColor: Color;
  counts: Array<{ title: string; value: string }>;
  note: string;
  running: boolean;
  campaignId: string;
}

const SKIP_REASON_WORDS: Record<string, string> = {
  'already-nudged': 'already nudged',
  'opted-out': 'opted out',
  'already-phishing-resistant': 'already phishing-resistant',
  'status-unknown': 'status unknown (e.g. disabled account)',
  'app-not-installed': 'app not installed',
  sender: 'you (the sender)',
  guest: 'guest accounts',
};

export function nudgeProgressCard(
  templates: CardTemplates,
  input: { campaign: NudgeCampaign; groupName: string; startedByName: string; skipReasons: Record<string, number>; timeZone?: string },
): AdaptiveCardJson {
  const { campaign, timeZone } = input;
  const states: Record<NudgeCampaign['state'], { text: string; color: Color }> = {
    listing: { text: "Listing the group's members…", color: 'Default' },
    running: { text: `Sending: ${remaining(campaign)} to go.`, color: 'Default' },
    completed: { text: 'Done: every member has been considered.', color: 'Good' },
    cancelled: { text: 'Cancelled: no further nudges are sent.', color: 'Warning' },
    failed: { text: "Failed: I could not list the group's members, so no nudges were sent. Try again later.", color: 'Attention' },
  };
  const state = states[campaign.state];
  const reasons = Object.entries(input.skipReasons)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${SKIP_REASON_WORDS[reason] ?? reason}`);
  const model: NudgeProgressModel = {
    title: `Passkey nudges: ${cardText(input.groupName)}`,
    subtitle: `Started by ${cardText(input.startedByName)}, ${formatTime(campaign.startedAt, timeZone)}`,
    stateText: state.text,
    stateColor: state.color,
    counts: [
      { title: 'Sent', value: String(campaign.sent) },
      { title: 'Skipped', value: reasons.length > 0 ? `${campaign.skipped} (${reasons.join(', ')})` : String(campaign.skipped) },
      { title: 'Failed', value: String(campaign.failed) },
      { title: 'Members', value: campaign.state === 'listing' ? '…' : campaign.state === 'failed' ? 'unknown' : String(campaign.total) },
    ],
    note: `${describeProgress(campaign)}. Nudges go only to members who have the app, lack a phishing-resistant method and have not opted out; nobody gets two from one campaign.`,
    running: campaign.state === 'running' || campaign.state === 'listing',
    campaignId: campaign.id,
  };
  return templates.render('nudgeProgress', model);
}

// ---- Nudge preview (Send / Cancel) ----------------------------------------------------

export interface NudgePreviewModel {
  title: string;
  subtitle: string;
  stateText: string;
  stateStyle: 'default' | 'good' | 'warning' | 'attention';
  headline: string;
  counts: Array<{ title: string; value: string }>;
  excluded: Array<{ text: string }>;
  basisNote: string;
  sampleTitle: string;
  sampleIntro: string;
  sampleNextStep: string;
  pending: boolean;
  canSend: boolean;
  sendTitle: string;
  previewId: string;
}

const EXCLUSION_WORDS: Record<PreviewExclusion, (n: number) => string> = {
  sender: () => 'you (the sender)',
  done: (n) => `${n} already phishing-resistant (done)`,
  disabled: (n) => `${n} disabled ${n === 1 ? 'account' : 'accounts'}`,
  guest: (n) => `${n} ${n === 1 ? 'guest' : 'guests'} (they set up passkeys with their own organisation)`,
  optedOut: (n) => `${n} asked not to be reminded`,
  noApp: (n) => `${n} without the app in Teams (I cannot message them)`,
  unknown: (n) => `${n} I could not read (never nudged on a guess)`,
};
const EXCLUSION_ORDER: PreviewExclusion[] = ['sender', 'done', 'disabled', 'guest', 'optedOut', 'noApp', 'unknown'];

export const NUDGE_SAMPLE = {
  title: 'Time to set up a passkey',
  intro:
    'Your organisation is moving everyone to phishing-resistant sign-in. A passkey in Microsoft Authenticator takes a couple of minutes to add, and I can walk you through it.',
} as const;

export function nudgePreviewModel(preview: NudgePreview, options: { canSend?: boolean; timeZone?: string } = {}): NudgePreviewModel {
  const { counts } = preview;
  const timeZone = options.timeZone ?? preview.timeZone;
  const group = cardText(preview.group.displayName);
  const who = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
  const states: Record<NudgePreview['state'], { text: string; style: NudgePreviewModel['stateStyle'] }> = {
    pending: { text: '', style: 'default' },
    cancelled: { text: '✖ Cancelled: no nudges were sent.', style: 'warning' },
    sent: { text: '✔ Sent: the campaign is running.', style: 'good' },
  };
  const known = counts.basis !== 'unknown';
  return {
    title: `Nudge ${group}?`,
    subtitle: `Preview for ${cardText(preview.requestedBy.name)}, ${formatTime(preview.createdAt, timeZone)}. Nothing is sent until you press Send.`,
    stateText: states[preview.state].text,
    stateStyle: states[preview.state].style,
    headline: !known
      ? `I could not count ${group}'s members now: they are counted when the nudges are sent.`
      : counts.basis === 'exact'
        ? `${who(counts.lackPasskey)} in ${group} still ${counts.lackPasskey === 1 ? 'lacks' : 'lack'} a passkey; ${who(counts.toNudge)} would get a nudge now.`
        : `About ${who(counts.lackPasskey)} in ${group} still lack a passkey.`,
    counts: known
      ? [
          { title: 'Members', value: String(counts.members) },
          { title: 'Still without a passkey', value: String(counts.lackPasskey) },
          { title: 'Would get a nudge', value: counts.basis === 'exact' ? String(counts.toNudge) : `up to ${counts.toNudge}` },
        ]
      : [],
    excluded: EXCLUSION_ORDER.filter((why) => (counts.excluded[why] ?? 0) > 0).map((why) => ({ text: EXCLUSION_WORDS[why](counts.excluded[why]!) })),
    basisNote:
      counts.basis === 'snapshot'
        ? `Counted from the readiness snapshot of ${formatTime(counts.asOf, timeZone)}; each member is checked again when the nudges are sent (the sender, guests, disabled accounts, people without the app and people who opted out are left out).`
        : counts.basis === 'exact'
          ? 'Each member is checked again when the nudges are sent; nobody gets two nudges from one campaign.'
          : '',
    sampleTitle: NUDGE_SAMPLE.title,
    sampleIntro: NUDGE_SAMPLE.intro,
    sampleNextStep: preview.sample ? preview.sample.nextStep.text : 'Add a passkey in Microsoft Authenticator.',
    pending: preview.state === 'pending',
    canSend: options.canSend ?? true,
    // Nobody reachable now: each member is checked again at send time (someone may install the app meanwhile).
    sendTitle: counts.basis !== 'exact' ? 'Send' : counts.toNudge === 0 ? 'Send anyway' : `Send ${counts.toNudge} ${counts.toNudge === 1 ? 'nudge' : 'nudges'}`,
    previewId: preview.id,
  };
}

export function nudgePreviewCard(templates: CardTemplates, preview: NudgePreview, options: { timeZone?: string } = {}): AdaptiveCardJson {
  return templates.render('nudgePreview', nudgePreviewModel(preview, options));
}

export interface NudgeGroupChoiceModel {
  title: string;
  text: string;
  /** `title` shown, `value` the group's name as the directory has it (the button's data). */
  choices: Array<{ title: string; value: string }>;
}

/** "Did you mean …?": up to three close group names as buttons (each shows that group's preview). */
export function nudgeGroupChoiceCard(templates: CardTemplates, typed: string, choices: readonly string[]): AdaptiveCardJson {
  return templates.render('nudgeGroupChoice', {
    title: 'Did you mean …?',
    text: `I can't find a group called "${cardText(typed)}". Did you mean one of these?`,
    choices: choices.map((name) => ({ title: cardText(name), value: name })),
  } satisfies NudgeGroupChoiceModel);
}

// The templates this module renders, and the model each binds (checked by CardTemplates.render).
declare module '../../../shared/cardTemplates' {
  interface CardModels {
    status: StatusCardModel;
    report: ReportCardModel;
    reportPreparing: ReportPreparingModel;
    reportNeedsAction: NeedsActionCardModel;
    nudge: NudgeCardModel;
    nudgeProgress: NudgeProgressModel;
    nudgePreview: NudgePreviewModel;
    nudgeGroupChoice: NudgeGroupChoiceModel;
  }
}
