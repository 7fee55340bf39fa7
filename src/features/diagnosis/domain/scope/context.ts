/**
 * The rules' view of a diagnosis: the input plus what Intune and the logs add, and small shared helpers (platform names, ids, dates).
 *
 * Pure: unknown facts stay unknown; a helper that can't decide says so
 * (undefined or 'unknown') and rules never fire on that.
 */
import {
  AUTHENTICATOR_AAGUID_ANDROID,
  AUTHENTICATOR_AAGUID_IOS,
  type DiagnosisInput,
  type Finding,
  type ManagedDevice,
} from '../../../../directory/facts';
import { summarizeEvidence, type EvidenceSummary } from '../evidence';
import { PLATFORMS, devicePlatform, mobileDevices, type Platform } from '../questions';

export type { Platform } from '../questions';
export type Tri = 'yes' | 'no' | 'unknown';

export const REGISTER_SECURITY_INFO_ACTION = 'urn:user:registersecurityinfo';

export function authenticatorAaguid(platform: Platform): string {
  return platform === 'ios' ? AUTHENTICATOR_AAGUID_IOS : AUTHENTICATOR_AAGUID_ANDROID;
}

export function platformName(platform: Platform): string {
  return platform === 'ios' ? 'iOS' : 'Android';
}

export const sameId = (a: string | null | undefined, b: string | null | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

export const includesId = (list: readonly (string | null | undefined)[] | null | undefined, id: string) =>
  (list ?? []).some((entry) => sameId(entry, id));


// ---------------------------------------------------------------- context

/** What the rules read: the input plus what Intune fills in for the phone. */
export interface RuleContext {
  input: DiagnosisInput;
  /** The phone's platform: the answer, else the chosen (or only) Intune mobile device. */
  platform: Platform | undefined;
  /** The phone's OS version: the answer, else from that same Intune device. */
  osVersion: string | undefined;
  /** The phone: a managed device, "other" (not managed), or unknown. */
  device: ManagedDevice | 'other' | undefined;
  /** Whether `device` came from the `device` answer (true) or was presumed as the only phone. */
  deviceChosen: boolean;
  /**
   * The device that holds the registration session, where Conditional Access
   * is evaluated: the phone for same-device registration, the computer for
   * cross-device (its browser opens Security info). Unknown path: the phone.
   */
  session: 'phone' | 'computer';
  /** The computer of a cross-device registration: its OS (a CA platform name) and compliance. */
  computer: { platform?: string; compliance: Tri };
  /** What the sign-in and audit logs (and a pasted error) say. */
  evidence: EvidenceSummary;
  /** Findings of the rules that ran before this one (`ready` and `signin-failure` read them). */
  earlier: readonly Finding[];
}

/** An OS name (Intune, sign-in log) as a Conditional Access platform: windows, macOS, linux; undefined for phones. */
export function desktopPlatform(os: string | null | undefined): string | undefined {
  const name = (os ?? '').toLowerCase();
  if (name.startsWith('windows')) return 'windows';
  if (name.startsWith('mac')) return 'macOS';
  if (name.startsWith('linux') || name.includes('ubuntu')) return 'linux';
  return undefined;
}

/**
 * The computer's compliance: the person's answer ("company-managed"), else
 * their only Intune computer, else the newest sign-in from a computer.
 */
function computerFacts(input: DiagnosisInput, evidence: EvidenceSummary): RuleContext['computer'] {
  const computers = (input.user.managedDevices ?? []).filter((d) => desktopPlatform(d.operatingSystem) !== undefined);
  const only = computers.length === 1 ? computers[0] : undefined;
  const logged = evidence.lastDevice && desktopPlatform(evidence.lastDevice.os) ? evidence.lastDevice : undefined;
  const platform = desktopPlatform(only?.operatingSystem) ?? desktopPlatform(logged?.os);
  const answer = input.answers.computerManaged;
  if (answer !== undefined) return { platform, compliance: answer ? 'yes' : 'no' };
  if (only?.complianceState) {
    return { platform, compliance: only.complianceState === 'compliant' || only.complianceState === 'inGracePeriod' ? 'yes' : 'no' };
  }
  if (logged && typeof logged.compliant === 'boolean') return { platform, compliance: logged.compliant ? 'yes' : 'no' };
  return { platform, compliance: 'unknown' };
}

export function buildContext(input: DiagnosisInput): RuleContext {
  const { answers } = input;
  const devices = input.user.managedDevices ?? [];
  let device: ManagedDevice | 'other' | undefined;
  let deviceChosen = false;
  if (answers.device === 'other') {
    device = 'other';
    deviceChosen = true;
  } else if (answers.device !== undefined) {
    device = mobileDevices(devices).find((d) => d.id === answers.device);
    deviceChosen = device !== undefined;
  } else {
    const phones = mobileDevices(devices);
    // The only phone is presumed, unless the person said it's another platform.
    if (phones.length === 1 && (answers.platform === undefined || devicePlatform(phones[0]) === answers.platform)) {
      device = phones[0];
    }
  }
  const managed = device !== undefined && device !== 'other' ? device : undefined;
  const platform = answers.platform ?? (managed ? devicePlatform(managed) : undefined);
  const osVersion = answers.osVersion ?? (managed && devicePlatform(managed) === platform ? managed.osVersion ?? undefined : undefined);
  const evidence = summarizeEvidence(input);
  const session = answers.registration === 'cross-device' ? 'computer' : 'phone';
  return { input, platform, osVersion, device, deviceChosen, session, computer: computerFacts(input, evidence), evidence, earlier: [] };
}

/** Platforms the phone may be: the known one, or both when unknown. */
export function candidatePlatforms(ctx: RuleContext): Platform[] {
  return ctx.platform ? [ctx.platform] : [...PLATFORMS];
}

/** The major version number of "17.4.1" / "14", or undefined. */
export function majorVersion(version: string | undefined | null): number | undefined {
  const match = /^\s*(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

export const MINIMUM_OS_MAJOR: Readonly<Record<Platform, number>> = { android: 14, ios: 17 };


export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC') : 'an unknown time';
}
