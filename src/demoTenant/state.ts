/**
 * The demo tenant's in-memory directory: the fixture's objects indexed by id
 * and UPN, with the few mutations Graph allows here (methods added/removed,
 * TAPs used). Per-user data stays as the fixture's compact objects.
 */
import { createHash } from 'node:crypto';
import { ALL_USERS_TARGET } from '../directory/facts';
import type {
  Faults,
  Fixture,
  FixtureConditionalAccessPolicy,
  FixtureGroup,
  FixtureLogEntry,
  FixtureManagedDevice,
  FixtureMethod,
  FixtureMethodConfiguration,
  FixtureServicePrincipal,
  FixtureStrength,
  FixtureUser,
} from './fixture';

export const TAP_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';

/** Display names of directory role templates the fixtures use (others show as "Directory role"). */
const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '0526716b-113d-4c15-b2c8-68e3c22b9f80': 'Authentication Policy Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
};

/** A stable GUID derived from text (directory role object ids, service principal ids). */
export function derivedGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface DirectoryRole {
  '@odata.type': '#microsoft.graph.directoryRole';
  id: string;
  deletedDateTime: null;
  description: string;
  displayName: string;
  roleTemplateId: string;
}

export class TenantState {
  readonly tenant: Fixture['tenant'];
  readonly users: FixtureUser[];
  readonly groups: FixtureGroup[];
  readonly conditionalAccessPolicies: FixtureConditionalAccessPolicy[];
  readonly customStrengths: FixtureStrength[];
  readonly servicePrincipals: Array<FixtureServicePrincipal & { id: string }>;
  readonly methodsPolicy: Fixture['authenticationMethodsPolicy'];
  faults: Faults;
  /** Without Entra ID P1 the sign-in and audit logs are refused (fixture `licences`, or POST /_demo/licences). */
  licences: { entraIdP1: boolean };
  /** Sign-in log (Graph signIn objects), fixture entries first, then what the demo control appended. */
  readonly signIns: FixtureLogEntry[];
  /** Directory audit log (Graph directoryAudit objects). */
  readonly directoryAudits: FixtureLogEntry[];

  private readonly userIndexById = new Map<string, number>();
  private readonly userIndexByUpn = new Map<string, number>();
  private readonly userIndexByMail = new Map<string, number>();
  private readonly groupsById = new Map<string, FixtureGroup>();
  /** member id (user or group) → ids of the groups that list it directly. */
  private readonly parentGroupIds = new Map<string, string[]>();
  private readonly roleTemplateIdsByPrincipal = new Map<string, string[]>();
  private readonly methodsByUser = new Map<string, FixtureMethod[]>();
  private readonly devicesByUser = new Map<string, FixtureManagedDevice[]>();
  private readonly usedTapIds = new Set<string>();
  /** Users whose method list is this state's own copy (copy on first change: the caller's fixture stays as it was). */
  private readonly ownMethodLists = new Set<string>();

  constructor(fixture: Fixture, faults: Faults, loadedAt: Date = new Date()) {
    // Log entries keep their age: a fixture written for `logsRecordedAt` shows the same "30 minutes ago" whenever it is loaded.
    const shiftMs = fixture.logsRecordedAt ? loadedAt.getTime() - Date.parse(fixture.logsRecordedAt) : 0;
    const shifted = (entries: FixtureLogEntry[] | undefined, field: string) =>
      (entries ?? []).map((entry) => ({ ...entry, [field]: new Date(Date.parse(String(entry[field])) + shiftMs).toISOString() }));
    this.signIns = shifted(fixture.signIns, 'createdDateTime');
    this.directoryAudits = shifted(fixture.directoryAudits, 'activityDateTime');
    this.tenant = fixture.tenant;
    this.users = fixture.users;
    this.groups = fixture.groups;
    this.conditionalAccessPolicies = fixture.conditionalAccessPolicies;
    this.customStrengths = fixture.authenticationStrengthPolicies;
    this.methodsPolicy = fixture.authenticationMethodsPolicy;
    this.servicePrincipals = fixture.servicePrincipals.map((principal) => ({ ...principal, id: principal.id ?? derivedGuid(`servicePrincipal:${principal.appId}`) }));
    this.faults = faults;
    this.licences = { entraIdP1: fixture.licences?.entraIdP1 ?? true };

    this.users.forEach((user, index) => {
      // Graph always has these; fixtures may leave them out.
      if (user.accountEnabled === undefined) user.accountEnabled = true;
      if (user.userType === undefined) user.userType = 'Member';
      this.userIndexById.set(user.id, index);
      this.userIndexByUpn.set(user.userPrincipalName.toLowerCase(), index);
      if (typeof user.mail === 'string') this.userIndexByMail.set(user.mail.toLowerCase(), index);
    });
    for (const group of this.groups) {
      this.groupsById.set(group.id, group);
      for (const memberId of group.memberIds ?? []) {
        const parents = this.parentGroupIds.get(memberId);
        if (parents) parents.push(group.id);
        else this.parentGroupIds.set(memberId, [group.id]);
      }
    }
    for (const { principalId, roleTemplateId } of fixture.directoryRoleAssignments) {
      const roles = this.roleTemplateIdsByPrincipal.get(principalId) ?? [];
      if (!roles.includes(roleTemplateId)) roles.push(roleTemplateId);
      this.roleTemplateIdsByPrincipal.set(principalId, roles);
    }
    for (const [userId, methods] of Object.entries(fixture.authenticationMethods)) {
      this.methodsByUser.set(userId, methods);
      for (const method of methods) {
        if (method['@odata.type'] === TAP_TYPE && method.methodUsabilityReason === 'OneTimeUsed') this.usedTapIds.add(method.id);
      }
    }
    for (const [userId, devices] of Object.entries(fixture.managedDevices)) this.devicesByUser.set(userId, devices);
  }

  // Users

  userById(id: string): FixtureUser | undefined {
    const index = this.userIndexById.get(id);
    return index === undefined ? undefined : this.users[index];
  }

  /** By object id or UPN (case-insensitive), as /users/{id | userPrincipalName} does. */
  findUser(idOrUpn: string): FixtureUser | undefined {
    const index = this.userIndexById.get(idOrUpn) ?? this.userIndexByUpn.get(idOrUpn.toLowerCase());
    return index === undefined ? undefined : this.users[index];
  }

  userByMail(mail: string): FixtureUser | undefined {
    const index = this.userIndexByMail.get(mail.toLowerCase());
    return index === undefined ? undefined : this.users[index];
  }

  // Groups and roles

  groupById(id: string): FixtureGroup | undefined {
    return this.groupsById.get(id);
  }

  /** Every group the member belongs to, directly or through nested groups. */
  transitiveGroupIds(memberId: string): string[] {
    const found = new Set<string>();
    const pending = [...(this.parentGroupIds.get(memberId) ?? [])];
    while (pending.length > 0) {
      const groupId = pending.pop() as string;
      if (found.has(groupId)) continue;
      found.add(groupId);
      pending.push(...(this.parentGroupIds.get(groupId) ?? []));
    }
    return [...found];
  }

  /** Users and groups below a group, nested groups expanded, each once, in a stable order. */
  transitiveMembers(groupId: string): Array<{ kind: 'user'; user: FixtureUser } | { kind: 'group'; group: FixtureGroup }> {
    const members: Array<{ kind: 'user'; user: FixtureUser } | { kind: 'group'; group: FixtureGroup }> = [];
    const seen = new Set<string>([groupId]);
    const pending = [groupId];
    while (pending.length > 0) {
      const group = this.groupsById.get(pending.shift() as string);
      for (const memberId of group?.memberIds ?? []) {
        if (seen.has(memberId)) continue;
        seen.add(memberId);
        const nested = this.groupsById.get(memberId);
        if (nested) {
          members.push({ kind: 'group', group: nested });
          pending.push(memberId);
        } else {
          const user = this.userById(memberId);
          if (user) members.push({ kind: 'user', user });
        }
      }
    }
    return members;
  }

  roleTemplateIds(principalId: string): string[] {
    const direct = this.roleTemplateIdsByPrincipal.get(principalId) ?? [];
    // Role-assignable groups pass their roles on to members.
    const viaGroups = this.transitiveGroupIds(principalId).flatMap((groupId) => this.roleTemplateIdsByPrincipal.get(groupId) ?? []);
    return [...new Set([...direct, ...viaGroups])];
  }

  /** The roles activated in the tenant: those with at least one assignment (GET /directoryRoles). */
  activatedDirectoryRoles(): DirectoryRole[] {
    const templateIds = new Set([...this.roleTemplateIdsByPrincipal.values()].flat());
    return [...templateIds].sort().map((roleTemplateId) => this.directoryRole(roleTemplateId));
  }

  directoryRole(roleTemplateId: string): DirectoryRole {
    const displayName = ROLE_NAMES[roleTemplateId] ?? 'Directory role';
    return {
      '@odata.type': '#microsoft.graph.directoryRole',
      id: derivedGuid(`directoryRole:${roleTemplateId}`),
      deletedDateTime: null,
      description: `${displayName} (demo tenant)`,
      displayName,
      roleTemplateId,
    };
  }

  // Devices

  managedDevices(userId: string): FixtureManagedDevice[] {
    return this.devicesByUser.get(userId) ?? [];
  }

  // Authentication methods

  methodsOf(userId: string): FixtureMethod[] {
    return this.methodsByUser.get(userId) ?? [];
  }

  private writableMethods(userId: string): FixtureMethod[] {
    if (!this.ownMethodLists.has(userId)) {
      this.methodsByUser.set(userId, [...this.methodsOf(userId)]);
      this.ownMethodLists.add(userId);
    }
    return this.methodsByUser.get(userId) as FixtureMethod[];
  }

  addMethod(userId: string, method: FixtureMethod): void {
    this.writableMethods(userId).push(method);
  }

  removeMethod(userId: string, methodId: string): boolean {
    if (!this.methodsOf(userId).some((method) => method.id === methodId)) return false;
    const methods = this.writableMethods(userId);
    methods.splice(methods.findIndex((method) => method.id === methodId), 1);
    this.usedTapIds.delete(methodId);
    return true;
  }

  temporaryAccessPassOf(userId: string): FixtureMethod | undefined {
    return this.methodsOf(userId).find((method) => method['@odata.type'] === TAP_TYPE);
  }

  markTemporaryAccessPassUsed(methodId: string): void {
    this.usedTapIds.add(methodId);
  }

  isTemporaryAccessPassUsed(methodId: string): boolean {
    return this.usedTapIds.has(methodId);
  }

  // Authentication methods policy

  /** A method configuration by id, case-insensitive ("fido2" finds "Fido2"). */
  methodConfiguration(id: string): FixtureMethodConfiguration | undefined {
    return this.methodsPolicy.authenticationMethodConfigurations.find((configuration) => configuration.id.toLowerCase() === id.toLowerCase());
  }

  /** Enabled, and the user is in an include target and in no exclude target. */
  isMethodEnabledFor(configuration: FixtureMethodConfiguration | undefined, userId: string, userGroupIds?: string[]): boolean {
    if (!configuration || configuration.state !== 'enabled') return false;
    const groupIds = new Set(userGroupIds ?? this.transitiveGroupIds(userId));
    const hits = (target: { id: string }) => target.id === ALL_USERS_TARGET || target.id === userId || groupIds.has(target.id);
    return (configuration.includeTargets ?? []).some(hits) && !(configuration.excludeTargets ?? []).some(hits);
  }
}
