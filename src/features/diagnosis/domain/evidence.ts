/**
 * What the logs (and a pasted error) say about this person's registration
 * attempts. Pure: the Graph port reads the last 24 hours; here they are
 * filtered to what counts as evidence at `now`.
 *
 * A sign-in failure counts when it is interactive, no older than 24 hours and
 * not superseded by a later success to the same app (the person got past it).
 * Only a policy result of "failure" is a block: report-only results
 * ("reportOnlyFailure") never are.
 */
import type { DiagnosisInput, DirectoryAuditEntry, EvidenceItem, SignInLogEntry } from '../../../directory/facts';
import { catalogueEntry, matchErrorText, type CatalogueEntry } from './errorCodes';
import type { FindingId } from './rule';

export const EVIDENCE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface FailingPolicy {
  id: string;
  name: string;
  grantControls: string[];
}

export interface SignInFailure {
  at: string;
  appId?: string;
  app: string;
  code: string;
  failureReason?: string;
  failingPolicies: FailingPolicy[];
  device: { os?: string; compliant?: boolean; managed?: boolean };
  entry: CatalogueEntry | undefined;
}

export interface EvidenceSummary {
  /** Whether the logs were read ('unavailable': without permission or licence; 'not-read': no log facts given). */
  logs: 'read' | 'unavailable' | 'not-read';
  failures: SignInFailure[];
  /** The newest sign-in's device (for the registration path when the person didn't say). */
  lastDevice?: { os?: string; compliant?: boolean; managed?: boolean; at: string };
  /** "Get passkey creation options" with no passkey added after it. */
  orphanedStart?: DirectoryAuditEntry;
  /** Failed security-info registrations in the directory audit log. */
  auditFailures: DirectoryAuditEntry[];
  /** Catalogued texts and AADSTS codes in the pasted error. */
  pasted: Array<{ code: string; entry: CatalogueEntry | undefined }>;
}

const time = (iso: string | undefined | null) => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

function withinWindow(iso: string | undefined | null, now: Date): boolean {
  const ms = time(iso);
  return ms !== undefined && ms <= now.getTime() + 60_000 && now.getTime() - ms <= EVIDENCE_WINDOW_MS;
}

function toFailure(signIn: SignInLogEntry): SignInFailure {
  const code = String(signIn.status?.errorCode ?? '');
  const device = signIn.deviceDetail ?? {};
  return {
    at: signIn.createdDateTime,
    appId: signIn.appId ?? undefined,
    app: signIn.appDisplayName ?? signIn.appId ?? 'an app',
    code,
    failureReason: signIn.status?.failureReason ?? undefined,
    failingPolicies: (signIn.appliedConditionalAccessPolicies ?? [])
      .filter((p) => p.result === 'failure')
      .map((p) => ({ id: p.id ?? '', name: p.displayName ?? p.id ?? 'a Conditional Access policy', grantControls: p.enforcedGrantControls ?? [] })),
    device: {
      os: device.operatingSystem ?? undefined,
      compliant: device.isCompliant ?? undefined,
      managed: device.isManaged ?? undefined,
    },
    entry: catalogueEntry(code),
  };
}

const PASSKEY_STARTED = 'get passkey creation options';
const PASSKEY_ADDED = /^add passkey|^user registered security info/i;

export function summarizeEvidence(input: DiagnosisInput): EvidenceSummary {
  const evidence = input.user.evidence;
  const pasted = input.answers.errorText ? matchErrorText(input.answers.errorText) : [];
  if (!evidence || evidence.status !== 'read') {
    return { logs: evidence ? 'unavailable' : 'not-read', failures: [], auditFailures: [], pasted };
  }
  const now = input.now;
  const signIns = evidence.signIns
    .filter((s) => s.userId === undefined || s.userId === null || s.userId === input.user.user.id)
    .filter((s) => s.isInteractive !== false && withinWindow(s.createdDateTime, now))
    .sort((a, b) => (time(b.createdDateTime) ?? 0) - (time(a.createdDateTime) ?? 0));
  const failures: SignInFailure[] = [];
  signIns.forEach((signIn, index) => {
    const code = signIn.status?.errorCode ?? 0;
    if (code === 0) return;
    const app = signIn.appId ?? signIn.appDisplayName;
    // A later success to the same app means the person got past this failure.
    const superseded = signIns.slice(0, index).some((later) => (later.status?.errorCode ?? 0) === 0 && (later.appId ?? later.appDisplayName) === app);
    if (!superseded) failures.push(toFailure(signIn));
  });
  const newest = signIns[0];
  const lastDevice = newest?.deviceDetail
    ? {
        os: newest.deviceDetail.operatingSystem ?? undefined,
        compliant: newest.deviceDetail.isCompliant ?? undefined,
        managed: newest.deviceDetail.isManaged ?? undefined,
        at: newest.createdDateTime,
      }
    : undefined;

  const audits = evidence.directoryAudits
    .filter((a) => withinWindow(a.activityDateTime, now))
    .filter((a) => (a.targetResources ?? []).length === 0 || (a.targetResources ?? []).some((t) => t.id === input.user.user.id))
    .sort((a, b) => (time(b.activityDateTime) ?? 0) - (time(a.activityDateTime) ?? 0));
  const lastStart = audits.find((a) => a.activityDisplayName.toLowerCase() === PASSKEY_STARTED && a.result !== 'failure');
  const addedAfter =
    lastStart !== undefined &&
    audits.some((a) => PASSKEY_ADDED.test(a.activityDisplayName) && a.result === 'success' && (time(a.activityDateTime) ?? 0) >= (time(lastStart.activityDateTime) ?? 0));
  const auditFailures = audits.filter((a) => a.result === 'failure');
  return {
    logs: 'read',
    failures,
    lastDevice,
    orphanedStart: lastStart && !addedAfter ? lastStart : undefined,
    auditFailures,
    pasted,
  };
}

/** "14:02 UTC" of an ISO time (the card's wording); the date too when it isn't today. */
export function clockTime(iso: string, now: Date): string {
  const date = new Date(iso);
  const hhmm = date.toISOString().slice(11, 16);
  return date.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? `${hhmm} UTC` : `${date.toISOString().slice(0, 10)} ${hhmm} UTC`;
}

export function signInEvidence(failure: SignInFailure, policy?: FailingPolicy): EvidenceItem {
  const item: EvidenceItem = { source: 'signIn', at: failure.at, code: failure.code, app: failure.app };
  const named = policy ?? failure.failingPolicies[0];
  if (named) item.policy = named.name;
  if (failure.failureReason) item.text = failure.failureReason;
  return item;
}

/** Sign-in failures whose code the catalogue maps to `finding`. */
export function failuresFor(summary: EvidenceSummary, finding: FindingId): SignInFailure[] {
  return summary.failures.filter((f) => f.entry?.finding === finding);
}

/** Pasted-text evidence for `finding`. */
export function pastedFor(summary: EvidenceSummary, finding: FindingId, text: string | undefined): EvidenceItem[] {
  return summary.pasted
    .filter((p) => p.entry?.finding === finding)
    .map((p) => ({ source: 'errorText' as const, code: p.code, text: (text ?? '').slice(0, 200) }));
}

/**
 * The sentence a card shows for a confirmed verdict. For IT (the finding's detail) it names the
 * policy, the app and the log; for the employee the same fact in plain words, with the rule's
 * name and the error code kept, so they can quote them to the helpdesk.
 */
export function evidenceSentence(items: readonly EvidenceItem[], now: Date, audience: 'it' | 'employee' = 'it'): string {
  const signIn = items.find((i) => i.source === 'signIn');
  if (signIn?.at) {
    const code = signIn.code ? ` (AADSTS${signIn.code})` : '';
    if (audience === 'employee') {
      const by = signIn.policy ? `was stopped by your organization's sign-in rule '${signIn.policy}'${code}` : `failed with the error${code || ' shown'}`;
      return `Your sign-in at ${clockTime(signIn.at, now)} ${by}.`;
    }
    const by = signIn.policy ? `was stopped by the policy '${signIn.policy}'` : `failed with error AADSTS${signIn.code}`;
    return `Your sign-in at ${clockTime(signIn.at, now)} to ${signIn.app ?? 'an app'} ${by}${signIn.policy && signIn.code ? ` (AADSTS${signIn.code})` : ''}.`;
  }
  const audit = items.find((i) => i.source === 'directoryAudit');
  if (audit?.at && audience === 'employee') return `Microsoft's records show your attempt at ${clockTime(audit.at, now)}.`;
  if (audit?.at) return `The audit log shows "${audit.text ?? 'a registration attempt'}" at ${clockTime(audit.at, now)}.`;
  const pasted = items.find((i) => i.source === 'errorText');
  if (pasted) return /^\d+$/.test(pasted.code ?? '') ? `The error you saw (AADSTS${pasted.code}) confirms this.` : 'The error you saw confirms this.';
  return '';
}
