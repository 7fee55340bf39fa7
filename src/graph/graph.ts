/**
 * The Graph port over `@microsoft/microsoft-graph-client`: intent-level reads and writes, `$batch` for the
 * per-user facts of a turn, paging, retries inside the per-turn deadline (transport.ts), tenant policy cached.
 */
import type * as G from '@microsoft/microsoft-graph-types';
import {
  AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID,
  type AuthenticationMethod,
  type AuthenticationMethodsPolicy,
  type AuthenticationStrengthPolicy,
  type ConditionalAccessPolicy,
  type DirectoryAuditEntry,
  type DirectoryUser,
  type ManagedDevice,
  type SignInLogEntry,
  type UserEvidence,
  type PersonSummary,
  type TenantFacts,
  type UserFacts,
} from '../directory/facts';
import { MAX_BATCH_ITEMS, batchGet, type BatchContext, type BatchGet, type BatchItemResult } from './batch';
import type { TokenCredential } from './credentials';
import { graphErrorFromResponse } from './errors';
import { collectAllPages, iteratePages, type GraphPage } from './paging';
import {
  Deadline,
  GraphError,
  type AccessProbe,
  type EvidenceAvailability,
  type CallOptions,
  type GraphPreflight,
  type ProbeOutcome,
  type GraphPort,
  type GroupSummary,
  type IssuedTemporaryAccessPass,
  type TemporaryAccessPassMethod,
  type TemporaryAccessPassRequest,
  type UserDepartment,
  type UserRegistrationDetail,
} from './port';
import { GraphTransport, silentLogger, type Logger } from './transport';

export interface GraphPortOptions {
  /** `https://graph.microsoft.com/v1.0`, or the demo tenant's `${url}/v1.0`. */
  baseUrl: string;
  credential: TokenCredential;
  /** Token scope; default `<baseUrl origin>/.default` (GRAPH_TOKEN_SCOPE). */
  tokenScope?: string;
  tenantId: string;
  /** How long tenant-wide policy is reused (default 60 s). */
  tenantCacheTtlMs?: number;
  /** Deadline for a call made without one (default 8 s: replies stay under Teams' limit). */
  defaultDeadlineMs?: number;
  /** Deadline per page of background reads (the registration report) made without one (default 60 s). */
  backgroundDeadlineMs?: number;
  logger?: Logger;
  /** Epoch milliseconds; injected by tests. */
  clock?: () => number;
  /** Waits between retries; injected by tests. */
  sleep?: (ms: number) => Promise<void>;
}

const USER_SELECT =
  'id,displayName,userPrincipalName,mail,jobTitle,department,accountEnabled,userType,createdDateTime,authorizationInfo,externalUserState,creationType,identities';
/** The evidence window (docs/diagnosis.md): the last 24 hours of sign-ins and audits. */
const EVIDENCE_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A busy person's failure can sit beyond the first 50 log entries: while a full page's oldest entry is
 * still inside the window, at most this many further pages are read (a normal person needs none).
 */
const MAX_EXTRA_EVIDENCE_PAGES = 4;
/** Report-only Conditional Access results are evolvable enum members: Graph shows them only on request. */
const INCLUDE_UNKNOWN_ENUMS = { Prefer: 'include-unknown-enum-members' };
const PERSON_SELECT = 'id,displayName,userPrincipalName';
const DEVICE_SELECT =
  'id,deviceName,operatingSystem,osVersion,complianceState,managedDeviceOwnerType,model,manufacturer,lastSyncDateTime';
const GROUP_TYPE = '#microsoft.graph.group';
const ROLE_TYPE = '#microsoft.graph.directoryRole';
const USER_TYPE = '#microsoft.graph.user';

/** `@odata.type` of a registered method → its typed collection under `/users/{id}/authentication/`. */
const METHOD_COLLECTIONS: Record<string, string> = {
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredentialMethods',
};

type DirectoryObject = { '@odata.type'?: string; id: string; roleTemplateId?: string | null; displayName?: string | null; userPrincipalName?: string | null };

export function createGraphPort(options: GraphPortOptions): GraphClientPort {
  return new GraphClientPort(options);
}

export class GraphClientPort implements GraphPort, GraphPreflight {
  private readonly transport: GraphTransport;
  private readonly batch: BatchContext;
  private readonly tenantId: string;
  private readonly tenantCacheTtlMs: number;
  private readonly defaultDeadlineMs: number;
  private readonly backgroundDeadlineMs: number;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private tenantCache?: { facts: TenantFacts; startedAt: number; sequence: number };
  private tenantReads = 0;
  private tenantInFlight?: Promise<TenantFacts>;

  constructor(options: GraphPortOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.transport = new GraphTransport({
      baseUrl: options.baseUrl,
      credential: options.credential,
      scope: options.tokenScope,
      logger: this.logger,
      clock: this.clock,
      sleep,
    });
    this.batch = { transport: this.transport, logger: this.logger, clock: this.clock, sleep };
    this.tenantId = options.tenantId;
    this.tenantCacheTtlMs = options.tenantCacheTtlMs ?? 60_000;
    this.defaultDeadlineMs = options.defaultDeadlineMs ?? 8_000;
    this.backgroundDeadlineMs = options.backgroundDeadlineMs ?? 60_000;
  }

  async loadUserFacts(userIdOrUpn: string, options?: CallOptions & { resolvedFrom?: string }): Promise<UserFacts> {
    const deadline = this.deadlineOf(options);
    const user = userPath(userIdOrUpn);
    const since = this.clock() - EVIDENCE_WINDOW_MS;
    const results = await batchGet(
      this.batch,
      [
        { id: 'user', url: `${user}?$select=${USER_SELECT}` },
        { id: 'manager', url: `${user}/manager?$select=${PERSON_SELECT}` },
        { id: 'memberOf', url: `${user}/transitiveMemberOf?$select=id,roleTemplateId&$top=999` },
        { id: 'methods', url: `${user}/authentication/methods` },
        { id: 'devices', url: `${user}/managedDevices?$select=${DEVICE_SELECT}` },
        ...this.evidenceReads(userIdOrUpn, since),
      ],
      deadline,
    );

    const userItem = results.get('user')!;
    if (userItem.status === 404) {
      // A guest is usually known by their home e-mail, not their #EXT# UPN: resolve it, then read again by id.
      const byMail =
        userIdOrUpn.includes('@') && !options?.resolvedFrom ? await this.findUser(userIdOrUpn, { deadline }).catch(() => null) : null;
      if (byMail && byMail.id !== userIdOrUpn) return this.loadUserFacts(byMail.id, { deadline, resolvedFrom: userIdOrUpn });
      throw noSuchUser(options?.resolvedFrom ?? userIdOrUpn, userItem);
    }
    const directoryUser = toDirectoryUser(this.itemBody<G.User>(userItem, 'the user read'));
    const managerItem = results.get('manager')!;
    const manager = managerItem.status === 404 ? null : toPerson(this.itemBody<DirectoryObject>(managerItem, 'the manager read'));
    const devicesItem = results.get('devices')!;
    // Intune is optional (no licence or no DeviceManagementManagedDevices.Read.All): devices are then
    // unknown and the question card asks about the phone instead of the diagnosis failing.
    const devicesUnavailable = devicesItem.status === 403 || devicesItem.status === 401;
    if (devicesUnavailable) this.logger.warn({ status: devicesItem.status }, 'managed devices unavailable; diagnosing without Intune facts');
    const [memberOf, methods, devices, evidence] = await Promise.all([
      this.itemPages<DirectoryObject>(results.get('memberOf')!, 'the group memberships read', deadline),
      this.itemPages<AuthenticationMethod>(results.get('methods')!, 'the authentication methods read', deadline),
      devicesUnavailable ? Promise.resolve([]) : this.itemPages<ManagedDevice>(devicesItem, 'the managed devices read', deadline),
      this.readEvidence(results, since, deadline),
    ]);
    return {
      evidence,
      user: directoryUser,
      manager,
      groupIds: memberOf.filter((o) => o['@odata.type'] === GROUP_TYPE).map((o) => o.id),
      // Without RoleManagement.Read.Directory Graph lists a role with its id only: it still counts as a role
      // (the user stays "privileged" for the TAP rules), under its object id since the template is unknown.
      directoryRoleTemplateIds: memberOf.filter((o) => o['@odata.type'] === ROLE_TYPE).map((o) => o.roleTemplateId ?? o.id),
      methods,
      managedDevices: devices.map(toManagedDevice),
    };
  }

  /**
   * The sign-in and audit reads that ride in the per-user `$batch` (no extra round trip): the last
   * 24 hours, newest first. By object id when we have one, else by UPN (both filters are Graph's).
   */
  private evidenceReads(userIdOrUpn: string, sinceMs: number): BatchGet[] {
    const since = new Date(sinceMs).toISOString();
    const byId = OBJECT_ID.test(userIdOrUpn);
    const who = odataString(userIdOrUpn);
    const signInFilter = `${byId ? 'userId' : 'userPrincipalName'} eq ${who} and createdDateTime ge ${since}`;
    const auditFilter = `activityDateTime ge ${since} and targetResources/any(t:t/${byId ? 'id' : 'userPrincipalName'} eq ${who})`;
    return [
      { id: 'signIns', url: `/auditLogs/signIns?$filter=${encodeURIComponent(signInFilter)}&$top=50`, headers: INCLUDE_UNKNOWN_ENUMS },
      { id: 'audits', url: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(auditFilter)}&$top=50` },
    ];
  }

  /**
   * Evidence is optional: without AuditLog.Read.All (403) or an Entra ID P1/P2 licence the
   * diagnosis runs on the directory alone; the helpdesk is told once and /healthz reports it.
   */
  private async readEvidence(results: Map<string, BatchItemResult>, since: number, deadline: Deadline): Promise<UserEvidence> {
    const signIns = results.get('signIns')!;
    const audits = results.get('audits')!;
    const unavailable = [signIns, audits].find((item) => item.status < 200 || item.status >= 300);
    if (unavailable) {
      const message = JSON.stringify(unavailable.body ?? '').toLowerCase();
      const reason = unavailable.status === 403 && /premium|b2c/.test(message) ? 'noPremiumLicence' : unavailable.status === 403 || unavailable.status === 401 ? 'forbidden' : 'error';
      this.evidenceStatus = { available: false, reason, status: unavailable.status };
      this.logger.warn({ status: unavailable.status, reason }, 'sign-in and audit logs unavailable; diagnosing without evidence');
      return { status: 'unavailable', reason };
    }
    const [signInEntries, auditEntries] = await Promise.all([
      this.evidencePages<SignInLogEntry>(signIns.body as GraphPage<SignInLogEntry>, since, deadline, INCLUDE_UNKNOWN_ENUMS),
      this.evidencePages<DirectoryAuditEntry>(audits.body as GraphPage<DirectoryAuditEntry>, since, deadline),
    ]);
    this.evidenceStatus = { available: true };
    return { status: 'read', signIns: signInEntries, directoryAudits: auditEntries };
  }

  /**
   * The first page (from the `$batch`), then — only while the page was full (`@odata.nextLink`) and its
   * oldest entry (pages are newest first) is still inside the window — up to MAX_EXTRA_EVIDENCE_PAGES
   * more. A page that can't be read ends the walk: the evidence read so far still counts.
   */
  private async evidencePages<T extends SignInLogEntry | DirectoryAuditEntry>(
    first: GraphPage<T> | undefined,
    since: number,
    deadline: Deadline,
    headers?: Record<string, string>,
  ): Promise<T[]> {
    const entries: T[] = [...(first?.value ?? [])];
    let next = first?.['@odata.nextLink'];
    for (let extra = 0; next && extra < MAX_EXTRA_EVIDENCE_PAGES; extra++) {
      const oldest = entries[entries.length - 1];
      const oldestAt = oldest && ('createdDateTime' in oldest ? oldest.createdDateTime : oldest.activityDateTime);
      if (!oldestAt || !(Date.parse(oldestAt) >= since)) break;
      try {
        const response = await this.transport.send({ method: 'GET', path: this.transport.relativePath(next), idempotent: true, deadline, headers });
        const page = response.body as GraphPage<T> | undefined;
        entries.push(...(page?.value ?? []));
        next = page?.['@odata.nextLink'];
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, read: entries.length }, 'a further page of the logs could not be read; diagnosing with the newest entries');
        break;
      }
    }
    return entries;
  }

  /** Whether the last diagnosis could read the logs (for /healthz); undefined before the first. */
  private evidenceStatus?: EvidenceAvailability;

  evidenceAvailability(): EvidenceAvailability | undefined {
    return this.evidenceStatus;
  }

  loadTenantFacts(options?: CallOptions & { fresh?: boolean }): Promise<TenantFacts> {
    const cached = this.tenantCache;
    if (!options?.fresh && cached && this.clock() - cached.startedAt < this.tenantCacheTtlMs) {
      return Promise.resolve(cached.facts);
    }
    // Concurrent callers share one read; "Check again" (fresh) starts its own so it sees a fix made just now.
    if (!this.tenantInFlight || options?.fresh) {
      const startedAt = this.clock();
      const sequence = ++this.tenantReads;
      const inFlight = this.fetchTenantFacts(this.deadlineOf(options)).then((facts) => {
        // A read that started before the cached one must not replace it.
        if (!this.tenantCache || this.tenantCache.sequence < sequence) this.tenantCache = { facts, startedAt, sequence };
        return facts;
      });
      this.tenantInFlight = inFlight;
      const forget = () => {
        if (this.tenantInFlight === inFlight) this.tenantInFlight = undefined;
      };
      inFlight.then(forget, forget);
    }
    return this.tenantInFlight;
  }

  async findUser(userIdOrUpn: string, options?: CallOptions): Promise<DirectoryUser | null> {
    const deadline = this.deadlineOf(options);
    try {
      return toDirectoryUser(await this.get<G.User>(`${userPath(userIdOrUpn)}?$select=${USER_SELECT}`, deadline));
    } catch (error) {
      if (!(error instanceof GraphError && error.isNotFound)) throw error;
    }
    // A guest is often known by their own e-mail address, not the UPN the directory gave them.
    if (!userIdOrUpn.includes('@')) return null;
    const filter = encodeURIComponent(`mail eq ${odataString(userIdOrUpn)}`);
    const page = await this.get<GraphPage<G.User>>(`/users?$filter=${filter}&$select=${USER_SELECT}`, deadline);
    return page.value?.[0] ? toDirectoryUser(page.value[0]) : null;
  }

  async isTransitiveMemberOf(userId: string, groupId: string, options?: CallOptions): Promise<boolean> {
    const memberOf = await this.getAll<DirectoryObject>(
      `${userPath(userId)}/transitiveMemberOf?$select=id&$top=999`,
      this.deadlineOf(options),
    );
    return memberOf.some((o) => o.id === groupId);
  }

  async listGroupUsers(groupId: string, options?: CallOptions): Promise<PersonSummary[]> {
    const members = await this.getAll<DirectoryObject>(
      `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=${PERSON_SELECT}&$top=999`,
      this.deadlineOf(options),
    );
    return members.filter((m) => m['@odata.type'] === USER_TYPE).map(toPerson);
  }

  listAuthenticationMethods(userId: string, options?: CallOptions): Promise<AuthenticationMethod[]> {
    return this.getAll<AuthenticationMethod>(`${userPath(userId)}/authentication/methods`, this.deadlineOf(options));
  }

  async listTemporaryAccessPasses(userId: string, options?: CallOptions): Promise<TemporaryAccessPassMethod[]> {
    const methods = await this.getAll<G.TemporaryAccessPassAuthenticationMethod>(
      `${userPath(userId)}/authentication/temporaryAccessPassMethods`,
      this.deadlineOf(options),
    );
    return methods.map(toTemporaryAccessPassMethod);
  }

  async createTemporaryAccessPass(
    userId: string,
    request: TemporaryAccessPassRequest,
    options?: CallOptions,
  ): Promise<IssuedTemporaryAccessPass> {
    const response = await this.transport.send({
      method: 'POST',
      path: `${userPath(userId)}/authentication/temporaryAccessPassMethods`,
      body: {
        lifetimeInMinutes: request.lifetimeInMinutes,
        isUsableOnce: request.isUsableOnce,
        ...(request.startDateTime ? { startDateTime: request.startDateTime.toISOString() } : {}),
      },
      idempotent: false, // a repeat could issue a second TAP: retried only on 429
      deadline: this.deadlineOf(options),
    });
    const created = response.body as G.TemporaryAccessPassAuthenticationMethod | undefined;
    if (!created?.id || !created.temporaryAccessPass) {
      throw new GraphError('Microsoft Graph created no Temporary Access Pass value', response.status, 'missingTemporaryAccessPass');
    }
    return { ...toTemporaryAccessPassMethod(created), temporaryAccessPass: created.temporaryAccessPass };
  }

  deleteTemporaryAccessPass(userId: string, methodId: string, options?: CallOptions): Promise<void> {
    return this.delete(
      `${userPath(userId)}/authentication/temporaryAccessPassMethods/${encodeURIComponent(methodId)}`,
      this.deadlineOf(options),
    );
  }

  deleteAuthenticationMethod(
    userId: string,
    method: { '@odata.type': string; id: string },
    options?: CallOptions,
  ): Promise<void> {
    const collection = METHOD_COLLECTIONS[method['@odata.type']];
    if (!collection) {
      return Promise.reject(
        new GraphError(`Methods of type ${method['@odata.type']} cannot be deleted through this bot`, 400, 'methodNotDeletable'),
      );
    }
    return this.delete(
      `${userPath(userId)}/authentication/${collection}/${encodeURIComponent(method.id)}`,
      this.deadlineOf(options),
    );
  }

  async findGroup(idOrDisplayName: string, options?: CallOptions): Promise<GroupSummary | null> {
    const deadline = this.deadlineOf(options);
    if (OBJECT_ID.test(idOrDisplayName)) {
      try {
        return toGroup(await this.get<G.Group>(`/groups/${encodeURIComponent(idOrDisplayName)}?$select=id,displayName`, deadline));
      } catch (error) {
        if (!(error instanceof GraphError && error.isNotFound)) throw error;
        return null;
      }
    }
    const filter = encodeURIComponent(`displayName eq ${odataString(idOrDisplayName)}`);
    const page = await this.get<GraphPage<G.Group>>(`/groups?$filter=${filter}&$select=id,displayName`, deadline);
    return page.value?.[0] ? toGroup(page.value[0]) : null;
  }

  async listGroups(options?: CallOptions): Promise<GroupSummary[]> {
    const groups = await this.getAll<G.Group>('/groups?$select=id,displayName&$top=999', this.deadlineOf(options));
    return groups.map(toGroup);
  }

  async *listUsersDepartments(options?: CallOptions & { pageSize?: number }): AsyncGenerator<UserDepartment[]> {
    // Background work like the report: each page gets its own deadline unless the caller gives one.
    const deadline = () => options?.deadline ?? new Deadline(this.backgroundDeadlineMs, this.clock());
    const first = await this.get<GraphPage<G.User>>(`/users?$select=id,department&$top=${options?.pageSize ?? 999}`, deadline());
    for await (const page of iteratePages(first, (next) => this.get<GraphPage<G.User>>(this.transport.relativePath(next), deadline()))) {
      yield page.map((user) => ({ id: user.id as string, department: user.department ?? null }));
    }
  }

  async *userRegistrationDetails(options?: CallOptions & { pageSize?: number }): AsyncGenerator<UserRegistrationDetail[]> {
    // A report read is background work: each page gets its own (longer) deadline unless the caller gives one.
    const deadline = () => options?.deadline ?? new Deadline(this.backgroundDeadlineMs, this.clock());
    const top = options?.pageSize ? `?$top=${options.pageSize}` : '';
    const first = await this.get<GraphPage<UserRegistrationDetail>>(`/reports/authenticationMethods/userRegistrationDetails${top}`, deadline());
    yield* iteratePages(first, (next) => this.get(this.transport.relativePath(next), deadline()));
  }

  async ping(options?: CallOptions): Promise<boolean> {
    try {
      await this.get('/users?$top=1&$select=id', this.deadlineOf(options));
      return true;
    } catch (error) {
      this.logger.debug({ error: (error as GraphError).code ?? 'unknown' }, 'Graph ping failed');
      return false;
    }
  }

  // --- preflight (passkey-helpdesk doctor) ---

  acquireToken(): ReturnType<GraphPreflight['acquireToken']> {
    return this.transport.acquireToken();
  }

  async probe(probe: AccessProbe, target: { userId?: string; groupId?: string } = {}): Promise<ProbeOutcome> {
    const path = probePath(probe, target);
    try {
      const page = await this.get<GraphPage<{ id?: string }> | undefined>(path, this.deadlineOf());
      const items: Array<{ id?: string } | undefined> = Array.isArray(page?.value) ? page.value : [page as { id?: string } | undefined];
      return { ok: true, items: items.length, firstId: items[0]?.id };
    } catch (error) {
      const graphError = error instanceof GraphError ? error : new GraphError(String(error), 0, 'unknown');
      return { ok: false, status: graphError.status, code: graphError.code, message: graphError.message };
    }
  }

  async serverTime(): Promise<Date | undefined> {
    try {
      const response = await this.transport.send({ method: 'GET', path: '/users?$top=1&$select=id', idempotent: true, deadline: this.deadlineOf() });
      const date = response.headers.get('date');
      return date ? new Date(date) : undefined;
    } catch (error) {
      // A 4xx still tells the time, but send() throws it away: fall back to no answer.
      this.logger.debug({ error: (error as GraphError).code ?? 'unknown' }, 'Graph clock read failed');
      return undefined;
    }
  }

  // --- helpers ---

  private deadlineOf(options?: CallOptions): Deadline {
    return options?.deadline ?? new Deadline(this.defaultDeadlineMs, this.clock());
  }

  private async get<T>(path: string, deadline: Deadline): Promise<T> {
    const response = await this.transport.send({ method: 'GET', path, idempotent: true, deadline });
    return response.body as T;
  }

  /** A collection, all pages. */
  private async getAll<T>(path: string, deadline: Deadline): Promise<T[]> {
    return collectAllPages(await this.get<GraphPage<T>>(path, deadline), (next) =>
      this.get<GraphPage<T>>(this.transport.relativePath(next), deadline),
    );
  }

  /** Already gone counts as deleted. A write: retried only on 429. */
  private async delete(path: string, deadline: Deadline): Promise<void> {
    try {
      await this.transport.send({ method: 'DELETE', path, idempotent: false, deadline });
    } catch (error) {
      if (!(error instanceof GraphError && error.isNotFound)) throw error;
    }
  }

  private itemBody<T>(item: BatchItemResult, what: string): T {
    if (item.status >= 400) throw graphErrorFromResponse(item.status, item.body, item.headers, what);
    return item.body as T;
  }

  /** A batched collection read, following `@odata.nextLink` only when there are more pages. */
  private itemPages<T>(item: BatchItemResult, what: string, deadline: Deadline): Promise<T[]> {
    return collectAllPages(this.itemBody<GraphPage<T>>(item, what), (next) =>
      this.get<GraphPage<T>>(this.transport.relativePath(next), deadline),
    );
  }

  private async fetchTenantFacts(deadline: Deadline): Promise<TenantFacts> {
    const appFilter = encodeURIComponent(`appId eq '${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}'`);
    const results = await batchGet(
      this.batch,
      [
        // authenticationMethodConfigurations are expanded automatically on this GET.
        { id: 'methodsPolicy', url: '/policies/authenticationMethodsPolicy' },
        { id: 'conditionalAccess', url: '/identity/conditionalAccess/policies' },
        // The list includes each policy's combinationConfigurations.
        { id: 'strengths', url: '/policies/authenticationStrengthPolicies' },
        { id: 'registrationApp', url: `/servicePrincipals?$filter=${appFilter}&$select=id,appId` },
      ],
      deadline,
    );
    const policy = this.itemBody<Partial<AuthenticationMethodsPolicy>>(results.get('methodsPolicy')!, 'the authentication methods policy read');
    const registrationItem = results.get('registrationApp')!;
    // Application.Read.All only tells whether one service principal exists: without it, diagnosis goes on
    // (the finding then says to provision it first) instead of failing as a whole.
    const registrationUnknown = registrationItem.status === 403;
    if (registrationUnknown) this.logger.warn({ status: 403 }, 'service principals unreadable (Application.Read.All missing?); assuming the registration app is absent');
    const [conditionalAccessPolicies, strengths, registrationApps] = await Promise.all([
      this.itemPages<ConditionalAccessPolicy>(results.get('conditionalAccess')!, 'the Conditional Access policies read', deadline),
      this.itemPages<AuthenticationStrengthPolicy>(results.get('strengths')!, 'the authentication strengths read', deadline),
      registrationUnknown ? Promise.resolve([]) : this.itemPages<{ id: string }>(registrationItem, 'the service principal read', deadline),
    ]);
    return {
      tenantId: this.tenantId,
      authenticationMethodsPolicy: {
        id: policy.id,
        policyMigrationState: policy.policyMigrationState,
        authenticationMethodConfigurations: policy.authenticationMethodConfigurations ?? [],
      },
      conditionalAccessPolicies,
      authenticationStrengthPolicies: await this.withCombinationConfigurations(strengths, deadline),
      authenticatorCredentialRegistrationServicePrincipalExists: registrationApps.length > 0,
    };
  }

  /** Custom strengths listed without their combinationConfigurations get them in one more `$batch`. */
  private async withCombinationConfigurations(
    strengths: AuthenticationStrengthPolicy[],
    deadline: Deadline,
  ): Promise<AuthenticationStrengthPolicy[]> {
    const missing = strengths.filter((s) => s.combinationConfigurations === undefined && s.policyType !== 'builtIn');
    const configurations = new Map<string, AuthenticationStrengthPolicy['combinationConfigurations']>();
    for (let start = 0; start < missing.length; start += MAX_BATCH_ITEMS) {
      const chunk = missing.slice(start, start + MAX_BATCH_ITEMS);
      const results = await batchGet(
        this.batch,
        chunk.map((s, i) => ({ id: String(i), url: `/policies/authenticationStrengthPolicies/${encodeURIComponent(s.id)}/combinationConfigurations` })),
        deadline,
      );
      for (const [i, s] of chunk.entries()) {
        configurations.set(s.id, await this.itemPages(results.get(String(i))!, 'the strength combination configurations read', deadline));
      }
    }
    return strengths.map((s) => ({ ...s, combinationConfigurations: s.combinationConfigurations ?? configurations.get(s.id) ?? [] }));
  }
}

/** The cheapest read that needs each permission (see docs/deploy.md for the table). */
function probePath(probe: AccessProbe, target: { userId?: string; groupId?: string }): string {
  const user = target.userId ? userPath(target.userId) : undefined;
  const needUser = (path: string) => {
    if (!user) throw new Error(`the ${probe} probe needs a user id`);
    return `${user}${path}`;
  };
  switch (probe) {
    case 'users':
      return '/users?$top=1&$select=id';
    case 'groupMembers':
      return target.groupId ? `/groups/${encodeURIComponent(target.groupId)}/transitiveMembers?$top=1&$select=id` : '/groups?$top=1&$select=id';
    case 'directoryRoles':
      return '/directoryRoles?$select=id,roleTemplateId';
    case 'authenticationMethods':
      return needUser('/authentication/methods');
    case 'temporaryAccessPasses':
      return needUser('/authentication/temporaryAccessPassMethods');
    case 'authenticationMethodsPolicy':
      return '/policies/authenticationMethodsPolicy';
    case 'managedDevices':
      return needUser(`/managedDevices?$top=1&$select=id`);
    case 'servicePrincipals':
      return `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}'`)}&$select=id,appId`;
    case 'registrationReport':
      return '/reports/authenticationMethods/userRegistrationDetails?$top=1';
    case 'signInLogs':
      return '/auditLogs/signIns?$top=1';
  }
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toGroup(group: G.Group): GroupSummary {
  return { id: group.id as string, displayName: group.displayName ?? null };
}

function userPath(userIdOrUpn: string): string {
  return `/users/${encodeURIComponent(userIdOrUpn)}`;
}

/** An OData string literal: single quotes doubled. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function noSuchUser(userIdOrUpn: string, item: BatchItemResult): GraphError {
  const mapped = graphErrorFromResponse(item.status, item.body, item.headers, 'the user read');
  const code = mapped.code.startsWith('http') ? 'Request_ResourceNotFound' : mapped.code;
  return new GraphError(`There is no user ${userIdOrUpn} in the directory`, 404, code, mapped.requestId);
}

function toDirectoryUser(user: G.User): DirectoryUser {
  return {
    id: user.id as string,
    displayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail,
    jobTitle: user.jobTitle,
    department: user.department,
    createdDateTime: user.createdDateTime,
    authorizationInfo: user.authorizationInfo,
    // Absent means unknown: never report a disabled account or a guest on a guess.
    accountEnabled: user.accountEnabled !== false,
    userType: user.userType ?? 'Member',
    externalUserState: user.externalUserState ?? null,
    creationType: user.creationType ?? null,
    identities: user.identities ?? null,
  };
}

function toPerson(o: DirectoryObject): PersonSummary {
  return { id: o.id, displayName: o.displayName ?? null, userPrincipalName: o.userPrincipalName ?? null };
}

function toManagedDevice(d: ManagedDevice): ManagedDevice {
  return {
    id: d.id,
    deviceName: d.deviceName,
    operatingSystem: d.operatingSystem,
    osVersion: d.osVersion,
    complianceState: d.complianceState,
    managedDeviceOwnerType: d.managedDeviceOwnerType,
    model: d.model,
    manufacturer: d.manufacturer,
    lastSyncDateTime: d.lastSyncDateTime,
  };
}

/** Everything about a TAP but its value (Graph returns the value only on creation, null afterwards). */
function toTemporaryAccessPassMethod(m: G.TemporaryAccessPassAuthenticationMethod): TemporaryAccessPassMethod {
  return {
    id: m.id as string,
    createdDateTime: m.createdDateTime ?? '',
    startDateTime: m.startDateTime ?? '',
    lifetimeInMinutes: m.lifetimeInMinutes ?? 0,
    isUsableOnce: m.isUsableOnce ?? false,
    ...(m.isUsable !== undefined && m.isUsable !== null ? { isUsable: m.isUsable } : {}),
    ...(m.methodUsabilityReason ? { methodUsabilityReason: m.methodUsabilityReason } : {}),
  };
}
