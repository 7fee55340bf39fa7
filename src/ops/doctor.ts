/**
 * `passkey-helpdesk doctor`: the preflight an admin runs with the production settings before users arrive.
 * Each check answers ok / warn / fail with what was seen and how to fix it (docs/deploy.md#doctor).
 * Checks never stop at the first failure: the admin gets the whole list in one run.
 */
import type { Config } from '../config/config';
import type { AccessProbe, GraphPort, GraphPreflight, ProbeOutcome } from '../graph/port';
import type { Stores } from '../storage/ports';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the report. The JSON shape is a public contract: `{"checks":[{"id","status","detail","fix"}]}`. */
export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; empty when ok. */
  fix: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  config: Config;
  graph: GraphPort & GraphPreflight;
  /** Opens (and migrates) the configured storage, as the bot does at start-up. */
  openStores(): Promise<Stores>;
  /** Whether the bot has seen itself installed in the team that holds this channel (stored conversation references). */
  isInstalledInChannel(stores: Stores, channelId: string): Promise<boolean>;
  clock?: () => Date;
}

/** A permission of the README's least-privilege table, the read that proves it, and how bad its absence is. */
interface PermissionProbe {
  permission: string;
  probe: AccessProbe;
  needs?: 'user' | 'helpdeskGroup';
  /** What stops working without it (shown in the fix). */
  without: string;
  /** Optional permissions degrade a feature; the others break one. */
  severity: 'fail' | 'warn';
}

/** The README's table (docs/deploy.md#permissions), in the order an admin grants them. */
export const PERMISSION_PROBES: readonly PermissionProbe[] = [
  { permission: 'User.Read.All', probe: 'users', without: 'users cannot be looked up: diagnosis, status and TAP requests all stop', severity: 'fail' },
  { permission: 'GroupMember.Read.All', probe: 'groupMembers', needs: 'helpdeskGroup', without: 'helpdesk membership and policy targets cannot be read: approvals are refused', severity: 'fail' },
  { permission: 'RoleManagement.Read.Directory', probe: 'directoryRoles', without: 'directory roles are unknown: privileged accounts are not recognised', severity: 'fail' },
  { permission: 'UserAuthenticationMethod.ReadWrite.All', probe: 'authenticationMethods', needs: 'user', without: "registered methods cannot be read: diagnosis and status can't see passkeys or phones", severity: 'fail' },
  { permission: 'UserAuthMethod-TAP.ReadWrite.All', probe: 'temporaryAccessPasses', needs: 'user', without: 'Temporary Access Passes cannot be read or created: the TAP workflow stops at Reveal', severity: 'fail' },
  { permission: 'Policy.Read.All', probe: 'authenticationMethodsPolicy', without: 'the methods policy, Conditional Access and strengths cannot be read: diagnosis stops', severity: 'fail' },
  { permission: 'DeviceManagementManagedDevices.Read.All', probe: 'managedDevices', needs: 'user', without: 'Intune devices are unknown: diagnosis asks the user about their phone instead', severity: 'warn' },
  { permission: 'Application.Read.All', probe: 'servicePrincipals', without: 'the Authenticator registration service principal cannot be checked', severity: 'fail' },
  { permission: 'AuditLog.Read.All', probe: 'registrationReport', without: 'the readiness report and sign-in evidence are unavailable', severity: 'warn' },
];

/** Microsoft Authenticator Credential Registration (docs/diagnosis.md). */
const REGISTRATION_APP = 'Microsoft Authenticator Credential Registration';
/** Entra's answer when the tenant has no Entra ID P1/P2 licence for sign-in logs and reports. */
const NON_PREMIUM_CODES = new Set(['Authentication_RequestFromNonPremiumTenantOrB2CTenant']);
/** Bot Framework tolerates 5 minutes of clock skew when it validates tokens. */
const SKEW_FAIL_MS = 5 * 60_000;
const SKEW_WARN_MS = 60_000;

const ok = (id: string, detail: string): DoctorCheck => ({ id, status: 'ok', detail, fix: '' });
const warn = (id: string, detail: string, fix: string): DoctorCheck => ({ id, status: 'warn', detail, fix });
const fail = (id: string, detail: string, fix: string): DoctorCheck => ({ id, status: 'fail', detail, fix });

export function exitCodeOf(report: DoctorReport): number {
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const { config, graph } = deps;
  const clock = deps.clock ?? (() => new Date());
  const checks: DoctorCheck[] = [ok('config', describeConfig(config))];

  const token = await graph.acquireToken();
  checks.push(
    token.ok
      ? ok('graph-token', `a Microsoft Graph token was acquired (valid until ${token.expiresOn.toISOString()})`)
      : fail('graph-token', `no Microsoft Graph token: ${token.reason}`, 'Check MicrosoftAppId / GRAPH_CLIENT_ID, the client secret or certificate (not expired), MicrosoftAppTenantId, and for a managed identity that it is assigned to this host.'),
  );

  // A user to run the per-user reads on: a helpdesk member, else anyone the directory lists.
  const helpdeskMembers = config.helpdeskGroupId ? await graph.probe('groupMembers', { groupId: config.helpdeskGroupId }) : undefined;
  const anyUser = await graph.probe('users');
  const sampleUserId = (helpdeskMembers?.ok ? helpdeskMembers.firstId : undefined) ?? (anyUser.ok ? anyUser.firstId : undefined);

  for (const entry of PERMISSION_PROBES) {
    checks.push(await permissionCheck(graph, entry, { sampleUserId, helpdeskGroupId: config.helpdeskGroupId, known: { users: anyUser, groupMembers: helpdeskMembers } }));
  }

  checks.push(licenceCheck(await graph.probe('signInLogs')));
  checks.push(registrationAppCheck(await graph.probe('servicePrincipals')));
  checks.push(await groupCheck('helpdesk-group', 'HELPDESK_GROUP_ID', config.helpdeskGroupId, graph, true));
  checks.push(await groupCheck('report-group', 'REPORT_GROUP_ID', config.reportGroupId, graph, false));

  let stores: Stores | undefined;
  try {
    stores = await deps.openStores();
    const reachable = await stores.ping();
    checks.push(
      reachable
        ? ok('storage', `${config.storage.backend === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`} reachable, schema migrated to the current version`)
        : fail('storage', 'storage opened but does not answer', storageFix(config)),
    );
    checks.push(await channelCheck(config, (channelId) => deps.isInstalledInChannel(stores as Stores, channelId)));
  } catch (error) {
    checks.push(fail('storage', `storage unreachable: ${safeMessage(error)}`, storageFix(config)));
    checks.push(warn('helpdesk-channel', 'not checked: the bot remembers its installations in storage, which is unreachable', 'Fix storage first, then run doctor again.'));
  } finally {
    await stores?.close().catch(() => undefined);
  }

  checks.push(clockCheck(await graph.serverTime(), clock()));
  return { checks };
}

function describeConfig(config: Config): string {
  const storage = config.storage.backend === 'postgres' ? 'PostgreSQL' : 'SQLite';
  if (config.mode === 'demo') return `demo mode (demo tenant, no credentials), storage ${storage}`;
  const credential = config.bot.kind === 'managedIdentity' ? 'user-assigned managed identity' : config.bot.kind === 'certificate' ? 'certificate' : 'client secret';
  return `tenant mode for tenant ${config.tenantId}, bot ${config.bot.appId} (${credential}), Graph ${config.graph.baseUrl}, storage ${storage}`;
}

async function permissionCheck(
  graph: GraphPreflight,
  entry: PermissionProbe,
  context: { sampleUserId?: string; helpdeskGroupId?: string; known: Partial<Record<AccessProbe, ProbeOutcome | undefined>> },
): Promise<DoctorCheck> {
  const id = `permission:${entry.permission}`;
  if (entry.needs === 'user' && !context.sampleUserId) {
    return warn(id, 'not checked: no user could be read to test it on', `Grant User.Read.All first, then run doctor again.`);
  }
  const outcome =
    context.known[entry.probe] ??
    (await graph.probe(entry.probe, { userId: context.sampleUserId, groupId: entry.needs === 'helpdeskGroup' ? context.helpdeskGroupId : undefined }));
  if (outcome.ok) return ok(id, `granted (a read that needs it succeeded)${entry.permission.includes('ReadWrite') ? '; doctor never writes, so only its read half was exercised' : ''}`);
  const grant = `Grant the Microsoft Graph application permission ${entry.permission} to the app registration and give admin consent (docs/deploy.md#permissions).`;
  if (outcome.status === 403) {
    if (NON_PREMIUM_CODES.has(outcome.code)) return warn(id, `granted, but the tenant has no Microsoft Entra ID P1/P2 licence: ${entry.without}`, 'Assign Microsoft Entra ID P1 or P2 licences to use this feature.');
    return (entry.severity === 'fail' ? fail : warn)(id, `missing ${entry.permission}: Graph answered 403 ${outcome.code}; ${entry.without}`, grant);
  }
  if (outcome.status === 404 && entry.needs === 'helpdeskGroup') {
    // The group itself is missing: the helpdesk-group check says so; the permission is tested on the group list instead.
    const listed = await graph.probe('groupMembers');
    if (listed.ok) return ok(id, 'granted (groups can be listed)');
    if (listed.status === 403) return fail(id, `missing ${entry.permission}: Graph answered 403 ${listed.code}; ${entry.without}`, grant);
  }
  return fail(id, `could not be checked: ${outcome.message}`, 'See the graph-token check; make sure GRAPH_BASE_URL points at Microsoft Graph.');
}

function licenceCheck(outcome: ProbeOutcome): DoctorCheck {
  const id = 'sign-in-log-licence';
  if (outcome.ok) return ok(id, 'sign-in logs can be read: diagnosis can use sign-in evidence');
  if (outcome.status === 403 && NON_PREMIUM_CODES.has(outcome.code)) {
    return warn(id, 'the tenant has no Microsoft Entra ID P1/P2 licence for sign-in logs: diagnosis runs without sign-in evidence', 'Assign Microsoft Entra ID P1 or P2 licences to read sign-in logs (optional).');
  }
  if (outcome.status === 403) {
    return warn(id, `sign-in logs are not readable (403 ${outcome.code}): diagnosis runs without sign-in evidence`, 'Grant AuditLog.Read.All with admin consent (optional).');
  }
  return warn(id, `sign-in logs could not be read: ${outcome.message}`, 'Diagnosis runs without sign-in evidence; run doctor again later.');
}

function registrationAppCheck(outcome: ProbeOutcome): DoctorCheck {
  const id = 'registration-service-principal';
  if (!outcome.ok) return fail(id, `could not be checked: ${outcome.message}`, 'Grant Application.Read.All with admin consent.');
  if (outcome.items > 0) return ok(id, `the ${REGISTRATION_APP} service principal exists`);
  // Needed only to exclude it from Conditional Access policies for all resources (Learn: Enable passkeys in Authenticator).
  return warn(
    id,
    `the ${REGISTRATION_APP} service principal does not exist: it cannot be excluded from Conditional Access policies that target all resources, which then block passkey registration in Authenticator`,
    'Create it once as a Cloud Application Administrator: POST https://graph.microsoft.com/v1.0/servicePrincipals with {"appId":"6aa00308-ea33-4caa-90d6-ae905d8cb51b"}.',
  );
}

async function groupCheck(id: string, variable: string, groupId: string | undefined, graph: GraphPort & GraphPreflight, required: boolean): Promise<DoctorCheck> {
  if (!groupId) {
    return required
      ? fail(id, `${variable} is not set: nobody can approve Temporary Access Passes`, `Set ${variable} to the object id of the helpdesk security group.`)
      : ok(id, `${variable} is not set (optional): reports are for the helpdesk group only`);
  }
  try {
    const group = await graph.findGroup(groupId);
    if (!group) return fail(id, `${variable} ${groupId} does not exist in the tenant`, `Set ${variable} to the object id of an existing security group (Entra admin center › Groups).`);
    const members = await graph.listGroupUsers(groupId);
    if (members.length === 0) return (required ? fail : warn)(id, `group "${group.displayName ?? groupId}" has no user members`, `Add the people who should ${required ? 'approve TAPs' : 'see reports'} to the group.`);
    return ok(id, `group "${group.displayName ?? groupId}" exists with ${members.length} user member${members.length === 1 ? '' : 's'}`);
  } catch (error) {
    return fail(id, `${variable} could not be read: ${safeMessage(error)}`, 'Grant GroupMember.Read.All with admin consent.');
  }
}

async function channelCheck(config: Config, isInstalled: (channelId: string) => Promise<boolean>): Promise<DoctorCheck> {
  const id = 'helpdesk-channel';
  if (!config.helpdeskChannelId) {
    return fail(id, 'HELPDESK_CHANNEL_ID is not set: TAP requests have nowhere to go', 'Set HELPDESK_CHANNEL_ID to the helpdesk channel id (Teams › channel › Get link to channel: the 19:…@thread.tacv2 part).');
  }
  if (config.mode === 'demo') return ok(id, `demo mode: the Agents Playground's helpdesk channel (${config.helpdeskChannelId}); the Playground installs the bot when it opens`);
  if (await isInstalled(config.helpdeskChannelId)) return ok(id, `the bot is installed in the team of ${config.helpdeskChannelId}`);
  return warn(
    id,
    `the bot has not been installed in the team of ${config.helpdeskChannelId} (no installation seen in storage)`,
    'Add the app to the team that holds the helpdesk channel (Teams › team › Manage team › Apps), then run doctor again.',
  );
}

function clockCheck(serverTime: Date | undefined, now: Date): DoctorCheck {
  const id = 'clock-skew';
  if (!serverTime) return warn(id, 'Microsoft Graph did not tell its time: skew unknown', 'Make sure the host synchronises its clock (NTP).');
  const skewMs = now.getTime() - serverTime.getTime();
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  // Graph's Date header has 1 s resolution: a second or two is no skew.
  const detail = seconds <= 2 ? "this host's clock agrees with Microsoft Graph's (within 2 s)" : `this host's clock is ${seconds} s ${skewMs >= 0 ? 'ahead of' : 'behind'} Microsoft Graph's`;
  if (Math.abs(skewMs) >= SKEW_FAIL_MS) return fail(id, `${detail}: Bot Framework tokens will be refused`, 'Synchronise the host clock (NTP).');
  if (Math.abs(skewMs) >= SKEW_WARN_MS) return warn(id, detail, 'Synchronise the host clock (NTP): at 5 minutes tokens are refused.');
  return ok(id, detail);
}

function storageFix(config: Config): string {
  return config.storage.backend === 'postgres'
    ? 'Check DATABASE_URL (host, port, user, database), that the server accepts connections from this host, and that the user may create tables in DATABASE_SCHEMA.'
    : `Check that DATA_DIR (${config.dataDir}) is writable by this user.`;
}

/** Error text without anything that looks like a connection string's password. */
function safeMessage(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .replace(/\/\/[^/@\s]*@/g, '//[redacted]@')
    .split('\n')[0]
    .slice(0, 300);
}
