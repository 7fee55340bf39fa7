/**
 * Organisation readiness from rows of
 * /reports/authenticationMethods/userRegistrationDetails.
 *
 * Streaming: the aggregator keeps counters only (one set for the totals and one
 * per department / group), never the rows, so a 100,000-user tenant fits in a
 * small, constant amount of memory. The CSV of users who still need action is
 * produced row by row (`csvRow`) for the caller to stream out.
 */
import type { UserRegistrationDetail } from '../../../directory/facts';

/** Public contract (docs/status.md): every count in `report --json`. */
export interface ReadinessCounts {
  users: number;
  guests: number;
  phishingResistant: number;
  passkeyInAuthenticator: number;
  phishableOnly: number;
  noMfa: number;
}

export interface ReadinessReport {
  generatedAt: string;
  totals: ReadinessCounts;
  breakdown: Array<{ name: string } & ReadinessCounts>;
}

/** `methodsRegistered` values (Graph `userRegistrationDetails`) that are phishing-resistant. */
export const PHISHING_RESISTANT_REGISTRATIONS: ReadonlySet<string> = new Set([
  'fido2', // older name of fido2SecurityKey
  'fido2SecurityKey',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'passKeySynced',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey', // platform credential (Platform SSO on a Mac)
  'x509Certificate',
]);

/** Registrations that mean "a passkey in Microsoft Authenticator". */
export const AUTHENTICATOR_PASSKEY_REGISTRATIONS: ReadonlySet<string> = new Set(['passKeyDeviceBoundAuthenticator']);

/**
 * Registrations that can satisfy multifactor authentication but are phishable.
 * Not counted: email and securityQuestion (self-service password reset only),
 * appPassword, and temporaryAccessPass (temporary by design: a person with only
 * a TAP still has to register a lasting method).
 */
export const PHISHABLE_MFA_REGISTRATIONS: ReadonlySet<string> = new Set([
  'mobilePhone',
  'alternateMobilePhone',
  'officePhone',
  'sms',
  'microsoftAuthenticatorPush',
  'microsoftAuthenticatorPasswordless',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'externalAuthMethod',
]);

export type Readiness = 'phishingResistant' | 'phishableOnly' | 'noMfa';

/** Where one user stands; the three readiness values are mutually exclusive. */
export function readinessOf(row: Pick<UserRegistrationDetail, 'methodsRegistered'>): {
  readiness: Readiness;
  passkeyInAuthenticator: boolean;
} {
  const methods = row.methodsRegistered ?? [];
  const passkeyInAuthenticator = methods.some((method) => AUTHENTICATOR_PASSKEY_REGISTRATIONS.has(method));
  if (passkeyInAuthenticator || methods.some((method) => PHISHING_RESISTANT_REGISTRATIONS.has(method))) {
    return { readiness: 'phishingResistant', passkeyInAuthenticator };
  }
  if (methods.some((method) => PHISHABLE_MFA_REGISTRATIONS.has(method))) return { readiness: 'phishableOnly', passkeyInAuthenticator };
  return { readiness: 'noMfa', passkeyInAuthenticator };
}

export function isGuest(row: Pick<UserRegistrationDetail, 'userType'>): boolean {
  return (row.userType ?? '').toLowerCase() === 'guest';
}

export interface ReportAggregatorOptions {
  /** Names of the groups a user belongs to (a user counts in each); undefined = none. */
  groupOf?: (userId: string) => string[] | undefined;
  /** A user's department; undefined or empty = NO_DEPARTMENT. */
  departmentOf?: (userId: string) => string | undefined;
}

export const NO_DEPARTMENT = '(no department)';

export interface ReportAggregator {
  add(rows: Iterable<UserRegistrationDetail>): void;
  finish(generatedAt: Date | string): ReadinessReport;
}

export function createReportAggregator(options: ReportAggregatorOptions = {}): ReportAggregator {
  const totals = emptyCounts();
  const byDepartment = new Map<string, ReadinessCounts>();
  const byGroup = new Map<string, ReadinessCounts>();

  const countInto = (map: Map<string, ReadinessCounts>, name: string, row: UserRegistrationDetail) => {
    let counts = map.get(name);
    if (!counts) map.set(name, (counts = emptyCounts()));
    count(counts, row);
  };

  return {
    add(rows) {
      for (const row of rows) {
        count(totals, row);
        if (options.departmentOf) countInto(byDepartment, options.departmentOf(row.id) || NO_DEPARTMENT, row);
        if (options.groupOf) {
          for (const group of new Set(options.groupOf(row.id) ?? [])) countInto(byGroup, group, row);
        }
      }
    },
    finish(generatedAt) {
      return {
        generatedAt: typeof generatedAt === 'string' ? generatedAt : generatedAt.toISOString(),
        totals: { ...totals },
        breakdown: [...sortedEntries(byDepartment), ...sortedEntries(byGroup)],
      };
    },
  };
}

function count(counts: ReadinessCounts, row: UserRegistrationDetail): void {
  const { readiness, passkeyInAuthenticator } = readinessOf(row);
  counts.users += 1;
  if (isGuest(row)) counts.guests += 1;
  counts[readiness] += 1;
  if (passkeyInAuthenticator) counts.passkeyInAuthenticator += 1;
}

function emptyCounts(): ReadinessCounts {
  return { users: 0, guests: 0, phishingResistant: 0, passkeyInAuthenticator: 0, phishableOnly: 0, noMfa: 0 };
}

/** By name; "(no department)" last. */
function sortedEntries(map: Map<string, ReadinessCounts>): Array<{ name: string } & ReadinessCounts> {
  return [...map.entries()]
    .sort(([a], [b]) => (a === NO_DEPARTMENT ? 1 : b === NO_DEPARTMENT ? -1 : a.localeCompare(b)))
    .map(([name, counts]) => ({ name, ...counts }));
}

// ---- Trend ------------------------------------------------------------------

export interface ReadinessTrend {
  since: string;
  until: string;
  /** current − previous, per total. */
  totals: ReadinessCounts;
  /** Per breakdown name of the current report; a name new since then counts from 0. */
  breakdown: Array<{ name: string } & ReadinessCounts>;
}

export function compareSnapshots(previous: ReadinessReport, current: ReadinessReport): ReadinessTrend {
  const previousByName = new Map(previous.breakdown.map((entry) => [entry.name, entry]));
  return {
    since: previous.generatedAt,
    until: current.generatedAt,
    totals: difference(current.totals, previous.totals),
    breakdown: current.breakdown.map((entry) => ({
      name: entry.name,
      ...difference(entry, previousByName.get(entry.name) ?? emptyCounts()),
    })),
  };
}

function difference(current: ReadinessCounts, previous: ReadinessCounts): ReadinessCounts {
  return {
    users: current.users - previous.users,
    guests: current.guests - previous.guests,
    phishingResistant: current.phishingResistant - previous.phishingResistant,
    passkeyInAuthenticator: current.passkeyInAuthenticator - previous.passkeyInAuthenticator,
    phishableOnly: current.phishableOnly - previous.phishableOnly,
    noMfa: current.noMfa - previous.noMfa,
  };
}

// ---- CSV of users who still need action ---------------------------------------

export const CSV_COLUMNS = ['userPrincipalName', 'displayName', 'userType', 'department', 'status', 'methodsRegistered'] as const;

/** Lines end with CRLF (RFC 4180). */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/**
 * One CSV line for a user who still needs action (no phishing-resistant
 * method), or null for a user who doesn't. `status` is phishableOnly or noMfa;
 * methods are separated by ';'.
 */
export function csvRow(row: UserRegistrationDetail, department?: string): string | null {
  const { readiness } = readinessOf(row);
  if (readiness === 'phishingResistant') return null;
  const cells = [
    row.userPrincipalName,
    row.userDisplayName,
    isGuest(row) ? 'guest' : 'member',
    department ?? '',
    readiness,
    (row.methodsRegistered ?? []).join(';'),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * RFC 4180 quoting, plus a guard against formula injection: a cell a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) gets a
 * leading apostrophe so it is shown as text.
 */
export function csvCell(value: string | null | undefined): string {
  let cell = value ?? '';
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}
