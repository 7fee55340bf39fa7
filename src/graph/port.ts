/**
 * What the rest of the product may ask of Microsoft Graph: intents, not URLs.
 * Implemented by `GraphClientPort` (graph.ts) over `@microsoft/microsoft-graph-client`,
 * against graph.microsoft.com (tenant mode) or the demo tenant (demo mode).
 */
import type {
  AuthenticationMethod,
  DirectoryUser,
  PersonSummary,
  TenantFacts,
  UserFacts,
} from '../directory/facts';

/** A per-turn deadline: every Graph call of a turn (retries included) finishes before it. */
export interface CallOptions {
  deadline?: Deadline;
}

export class Deadline {
  readonly expiresAt: number;
  constructor(ms: number, now: number = Date.now()) {
    this.expiresAt = now + ms;
  }
  remainingMs(now: number = Date.now()): number {
    return Math.max(0, this.expiresAt - now);
  }
  expired(now: number = Date.now()): boolean {
    return this.remainingMs(now) === 0;
  }
}

/** Graph answered with an error (or the deadline passed). Never carries secrets. */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly status: number, // 0 when no HTTP answer (timeout, network)
    readonly code: string, // Graph error code, or "deadlineExceeded" / "networkError"
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export interface TemporaryAccessPassRequest {
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  startDateTime?: Date;
}

export interface IssuedTemporaryAccessPass {
  id: string;
  /** The secret: only ever in memory, returned once to the person it is for. */
  temporaryAccessPass: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

export type TemporaryAccessPassMethod = Omit<IssuedTemporaryAccessPass, 'temporaryAccessPass'> & {
  isUsable?: boolean;
  methodUsabilityReason?: string;
};

/** One row of /reports/authenticationMethods/userRegistrationDetails. */
import type { UserRegistrationDetail } from '../directory/facts';
export type { UserRegistrationDetail };

export interface GroupSummary {
  id: string;
  displayName: string | null;
}

export interface UserDepartment {
  id: string;
  department: string | null;
}

export interface GraphPort {
  /** User, manager, transitive groups and roles, methods, managed devices: one `$batch`. */
  loadUserFacts(userIdOrUpn: string, options?: CallOptions): Promise<UserFacts>;
  /** Method policy, CA policies, strengths, service principal. Cached for a short TTL unless `fresh`. */
  loadTenantFacts(options?: CallOptions & { fresh?: boolean }): Promise<TenantFacts>;
  /** null when no such user. */
  findUser(userIdOrUpn: string, options?: CallOptions): Promise<DirectoryUser | null>;
  isTransitiveMemberOf(userId: string, groupId: string, options?: CallOptions): Promise<boolean>;
  /** Transitive user members of a group (all pages). */
  listGroupUsers(groupId: string, options?: CallOptions): Promise<PersonSummary[]>;
  listAuthenticationMethods(userId: string, options?: CallOptions): Promise<AuthenticationMethod[]>;
  listTemporaryAccessPasses(userId: string, options?: CallOptions): Promise<TemporaryAccessPassMethod[]>;
  /** A write: retried only on 429. */
  createTemporaryAccessPass(userId: string, request: TemporaryAccessPassRequest, options?: CallOptions): Promise<IssuedTemporaryAccessPass>;
  deleteTemporaryAccessPass(userId: string, methodId: string, options?: CallOptions): Promise<void>;
  /** Deletes a registered method by its `@odata.type` and id (Authenticator, fido2, phone, ...). */
  deleteAuthenticationMethod(userId: string, method: { '@odata.type': string; id: string }, options?: CallOptions): Promise<void>;
  /** A group by object id, or by exact display name (first match); null when none. */
  findGroup(idOrDisplayName: string, options?: CallOptions): Promise<GroupSummary | null>;
  /** Every group's id and display name (all pages): the names the `group` slot and "did you mean" match against. */
  listGroups(options?: CallOptions): Promise<GroupSummary[]>;
  /** Every user's id and department, page by page (`/users?$select=id,department`): the readiness report's breakdown. */
  listUsersDepartments(options?: CallOptions & { pageSize?: number }): AsyncIterable<UserDepartment[]>;
  /** Pages of the registration-details report (follows @odata.nextLink; never per chat turn). */
  userRegistrationDetails(options?: CallOptions & { pageSize?: number }): AsyncIterable<UserRegistrationDetail[]>;
  /** For /healthz: can we reach Graph with our credential? */
  ping(options?: CallOptions): Promise<boolean>;
  /** For /healthz: could the last diagnosis read the sign-in and audit logs? Undefined before the first. */
  evidenceAvailability?(): EvidenceAvailability | undefined;
}

export type EvidenceAvailability = { available: true } | { available: false; reason: 'forbidden' | 'noPremiumLicence' | 'error'; status: number };

/**
 * What an admin's preflight (`passkey-helpdesk doctor`) asks of Graph: one cheap read per
 * application permission, so a 403 names the permission that is missing.
 */
export type AccessProbe =
  | 'users'
  | 'groupMembers'
  | 'directoryRoles'
  | 'authenticationMethods'
  | 'temporaryAccessPasses'
  | 'authenticationMethodsPolicy'
  | 'managedDevices'
  | 'servicePrincipals'
  | 'registrationReport'
  | 'signInLogs';

export type ProbeOutcome =
  | { ok: true; items: number; firstId?: string }
  /** `status` 0 when Graph could not be reached; `code` is Graph's error code. */
  | { ok: false; status: number; code: string; message: string };

export interface GraphPreflight {
  /** Asks the configured credential for a Graph token (never returns the token). */
  acquireToken(): Promise<{ ok: true; expiresOn: Date } | { ok: false; reason: string }>;
  /** One read that needs the permission the probe stands for. `userId` for per-user reads, `groupId` for group members. */
  probe(probe: AccessProbe, target?: { userId?: string; groupId?: string }): Promise<ProbeOutcome>;
  /** Graph's clock (its `Date` header), to measure skew; undefined when Graph was not reachable. */
  serverTime(): Promise<Date | undefined>;
}
