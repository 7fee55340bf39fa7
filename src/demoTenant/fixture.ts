/**
 * The demo tenant's fixture: one JSON file whose objects are Graph v1.0
 * resource representations, with relationships as id lists
 * (docs/demo-tenant.md describes every key).
 *
 * Validation keeps the parsed objects as they are (no zod copies), so a
 * 100,000-user fixture costs its JSON once, not twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const nonEmpty = z.string().min(1);
const odataType = z.string().regex(/^#microsoft\.graph\.\w+$/, 'must look like "#microsoft.graph.<type>"');
const share = z.number().min(0).max(1);

export const FaultsSchema = z
  .object({
    /** Added to every request (milliseconds). */
    latencyMs: z.number().int().min(0).optional(),
    /** Share (0..1) of requests answered 429 with Retry-After. */
    throttleRate: share.optional(),
    /** Seconds put in Retry-After (default 1). */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Share (0..1) of requests answered 503. */
    unavailableRate: share.optional(),
    /** When true, a 503 on a write is answered after the write was applied (the reply got lost). */
    unavailableAfterWrite: z.boolean().optional(),
  })
  .strict();
export type Faults = z.infer<typeof FaultsSchema>;

/**
 * The tenant's licences, as far as Graph's answers depend on them. `entraIdP1` stands for Graph's
 * subscribed service plan AAD_PREMIUM (Microsoft Entra ID P1; P2 includes it); default true.
 */
export const LicencesSchema = z.object({ entraIdP1: z.boolean().optional() }).strict();
export type Licences = z.infer<typeof LicencesSchema>;

const TenantSchema = z.object({ id: nonEmpty, displayName: nonEmpty, defaultDomain: nonEmpty }).passthrough();

const UserSchema = z
  .object({
    id: nonEmpty,
    userPrincipalName: nonEmpty,
    displayName: z.string().optional(),
    accountEnabled: z.boolean().optional(),
    userType: z.string().optional(),
    mail: z.string().nullable().optional(),
    /** Not a Graph property: the user's manager (served by /users/{id}/manager). */
    managerId: nonEmpty.optional(),
  })
  .passthrough();

const GroupSchema = z
  .object({
    id: nonEmpty,
    displayName: nonEmpty,
    /** Not a Graph property: direct members (user or group ids). */
    memberIds: z.array(nonEmpty).optional(),
  })
  .passthrough();

const RoleAssignmentSchema = z.object({ principalId: nonEmpty, roleTemplateId: nonEmpty }).strict();

const MethodSchema = z.object({ '@odata.type': odataType, id: nonEmpty }).passthrough();

const TargetSchema = z.object({ id: nonEmpty, targetType: z.string().optional() }).passthrough();

const MethodConfigurationSchema = z
  .object({
    '@odata.type': odataType,
    id: nonEmpty,
    state: z.enum(['enabled', 'disabled']).optional(),
    includeTargets: z.array(TargetSchema).optional(),
    excludeTargets: z.array(TargetSchema).optional(),
  })
  .passthrough();

const MethodsPolicySchema = z
  .object({
    policyMigrationState: z.string().nullable().optional(),
    authenticationMethodConfigurations: z.array(MethodConfigurationSchema),
  })
  .passthrough();

const ConditionalAccessPolicySchema = z
  .object({
    id: nonEmpty,
    displayName: nonEmpty,
    state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
    conditions: z.object({}).passthrough(),
    grantControls: z.object({}).passthrough().nullable().optional(),
  })
  .passthrough();

const StrengthSchema = z
  .object({
    id: nonEmpty,
    displayName: nonEmpty,
    allowedCombinations: z.array(nonEmpty),
    combinationConfigurations: z.array(z.object({ id: nonEmpty, '@odata.type': odataType }).passthrough()).optional(),
  })
  .passthrough();

const ManagedDeviceSchema = z.object({ id: nonEmpty, operatingSystem: z.string().optional(), osVersion: z.string().optional() }).passthrough();

const ServicePrincipalSchema = z.object({ appId: nonEmpty, displayName: nonEmpty, id: nonEmpty.optional() }).passthrough();

/** Graph objects keep any further properties (`[property: string]: unknown`). */
const SignInSchema = z
  .object({ id: nonEmpty, createdDateTime: z.string().datetime({ offset: true }), userId: nonEmpty, status: z.object({ errorCode: z.number().int() }).passthrough() })
  .passthrough();
const DirectoryAuditSchema = z
  .object({ id: nonEmpty, activityDateTime: z.string().datetime({ offset: true }), activityDisplayName: nonEmpty, result: z.string().optional() })
  .passthrough();
export type FixtureLogEntry = Record<string, unknown>;
export type FixtureUser = z.infer<typeof UserSchema>;
export type FixtureGroup = z.infer<typeof GroupSchema>;
export type FixtureMethod = z.infer<typeof MethodSchema>;
export type FixtureMethodConfiguration = z.infer<typeof MethodConfigurationSchema>;
export type FixtureConditionalAccessPolicy = z.infer<typeof ConditionalAccessPolicySchema>;
export type FixtureStrength = z.infer<typeof StrengthSchema>;
export type FixtureManagedDevice = z.infer<typeof ManagedDeviceSchema>;
export type FixtureServicePrincipal = z.infer<typeof ServicePrincipalSchema>;

export interface Fixture {
  tenant: z.infer<typeof TenantSchema>;
  users: FixtureUser[];
  groups: FixtureGroup[];
  directoryRoleAssignments: Array<{ principalId: string; roleTemplateId: string }>;
  authenticationMethods: Record<string, FixtureMethod[]>;
  authenticationMethodsPolicy: z.infer<typeof MethodsPolicySchema>;
  conditionalAccessPolicies: FixtureConditionalAccessPolicy[];
  /** Custom strengths only: the built-in ones are always served. */
  authenticationStrengthPolicies: FixtureStrength[];
  managedDevices: Record<string, FixtureManagedDevice[]>;
  servicePrincipals: FixtureServicePrincipal[];
  /** Graph v1.0 signIn objects (each with `userId`); times are shifted so `logsRecordedAt` is "now" at load. */
  signIns?: FixtureLogEntry[];
  /** Graph v1.0 directoryAudit objects. */
  directoryAudits?: FixtureLogEntry[];
  /** The moment the fixture's log times were written for: entries keep their age relative to it. */
  logsRecordedAt?: string;
  /** Without Entra ID P1 (`{"entraIdP1": false}`) the sign-in and audit logs answer 403 as Graph does. */
  licences?: Licences;
  faults?: Faults;
}

const TOP_LEVEL_KEYS = [
  'tenant',
  'users',
  'groups',
  'directoryRoleAssignments',
  'authenticationMethods',
  'authenticationMethodsPolicy',
  'conditionalAccessPolicies',
  'authenticationStrengthPolicies',
  'managedDevices',
  'servicePrincipals',
  'signIns',
  'directoryAudits',
  'logsRecordedAt',
  'licences',
  'faults',
  '$schema',
  'description',
];

class FixtureError extends Error {}

function fail(where: string, message: string): never {
  throw new FixtureError(`${where}: ${message}`);
}

function pathText(base: string, issuePath: (string | number)[]): string {
  return issuePath.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${part}`), base);
}

/** Validates one value and returns it unchanged (zod's copy is dropped). */
function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    fail(pathText(where, issue.path), issue.message);
  }
  return value as T;
}

function arrayAt(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, 'Expected array');
  return value;
}

function recordAt(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, 'Expected object');
  return value as Record<string, unknown>;
}

function checkArray<T>(schema: z.ZodType<T>, value: unknown, where: string): T[] {
  const items = arrayAt(value, where);
  items.forEach((item, index) => check(schema, item, `${where}[${index}]`));
  return items as T[];
}

function checkPerUser<T>(schema: z.ZodType<T>, value: unknown, where: string, userIds: Set<string>): Record<string, T[]> {
  const record = recordAt(value, where);
  for (const [userId, list] of Object.entries(record)) {
    const at = `${where}["${userId}"]`;
    if (!userIds.has(userId)) fail(at, `no user with id "${userId}"`);
    checkArray(schema, list, at);
  }
  return record as Record<string, T[]>;
}

/** Validates parsed fixture JSON. Throws an Error naming the bad path (e.g. `users[3].userPrincipalName: Required`). */
export function parseFixture(json: unknown): Fixture {
  const root = recordAt(json, 'fixture');
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_KEYS.includes(key)) fail(key, `unknown top-level key (expected one of ${TOP_LEVEL_KEYS.slice(0, 11).join(', ')})`);
  }
  if (root.tenant === undefined) fail('tenant', 'Required');
  const tenant = check(TenantSchema, root.tenant, 'tenant');

  const users = checkArray(UserSchema, root.users, 'users');
  const userIds = new Set<string>();
  const upns = new Set<string>();
  users.forEach((user, index) => {
    if (userIds.has(user.id)) fail(`users[${index}].id`, `duplicate id "${user.id}"`);
    const upn = user.userPrincipalName.toLowerCase();
    if (upns.has(upn)) fail(`users[${index}].userPrincipalName`, `duplicate userPrincipalName "${user.userPrincipalName}"`);
    userIds.add(user.id);
    upns.add(upn);
  });
  users.forEach((user, index) => {
    if (user.managerId !== undefined && !userIds.has(user.managerId)) fail(`users[${index}].managerId`, `no user with id "${user.managerId}"`);
  });

  const groups = checkArray(GroupSchema, root.groups, 'groups');
  const groupIds = new Set<string>();
  groups.forEach((group, index) => {
    if (groupIds.has(group.id) || userIds.has(group.id)) fail(`groups[${index}].id`, `duplicate id "${group.id}"`);
    groupIds.add(group.id);
  });
  groups.forEach((group, index) => {
    (group.memberIds ?? []).forEach((memberId, m) => {
      if (!userIds.has(memberId) && !groupIds.has(memberId)) fail(`groups[${index}].memberIds[${m}]`, `no user or group with id "${memberId}"`);
    });
  });

  const directoryRoleAssignments = checkArray(RoleAssignmentSchema, root.directoryRoleAssignments, 'directoryRoleAssignments');
  directoryRoleAssignments.forEach((assignment, index) => {
    if (!userIds.has(assignment.principalId) && !groupIds.has(assignment.principalId)) {
      fail(`directoryRoleAssignments[${index}].principalId`, `no user or group with id "${assignment.principalId}"`);
    }
  });

  const authenticationMethods = checkPerUser(MethodSchema, root.authenticationMethods, 'authenticationMethods', userIds);
  const managedDevices = checkPerUser(ManagedDeviceSchema, root.managedDevices, 'managedDevices', userIds);

  const authenticationMethodsPolicy =
    root.authenticationMethodsPolicy === undefined
      ? { policyMigrationState: 'migrationComplete', authenticationMethodConfigurations: [] }
      : check(MethodsPolicySchema, root.authenticationMethodsPolicy, 'authenticationMethodsPolicy');

  const authenticationStrengthPolicies = checkArray(StrengthSchema, root.authenticationStrengthPolicies, 'authenticationStrengthPolicies');
  authenticationStrengthPolicies.forEach((strength, index) => {
    if (/^00000000-0000-0000-0000-00000000000[2-4]$/.test(strength.id)) {
      fail(`authenticationStrengthPolicies[${index}].id`, 'built-in strengths are always served; list custom strengths only');
    }
  });
  const conditionalAccessPolicies = checkArray(ConditionalAccessPolicySchema, root.conditionalAccessPolicies, 'conditionalAccessPolicies');
  const servicePrincipals = checkArray(ServicePrincipalSchema, root.servicePrincipals, 'servicePrincipals');
  const faults = root.faults === undefined ? undefined : check(FaultsSchema, root.faults, 'faults');
  const licences = root.licences === undefined ? undefined : check(LicencesSchema, root.licences, 'licences');
  const signIns = checkArray(SignInSchema, root.signIns, 'signIns') as FixtureLogEntry[];
  signIns.forEach((entry, index) => {
    if (!userIds.has(String(entry.userId))) fail(`signIns[${index}].userId`, `no user with id "${String(entry.userId)}"`);
  });
  const directoryAudits = checkArray(DirectoryAuditSchema, root.directoryAudits, 'directoryAudits') as FixtureLogEntry[];
  const logsRecordedAt = root.logsRecordedAt === undefined ? undefined : check(z.string().datetime({ offset: true }), root.logsRecordedAt, 'logsRecordedAt');

  return {
    tenant,
    users,
    groups,
    directoryRoleAssignments,
    authenticationMethods,
    authenticationMethodsPolicy,
    conditionalAccessPolicies,
    authenticationStrengthPolicies,
    managedDevices,
    servicePrincipals,
    signIns,
    directoryAudits,
    ...(logsRecordedAt ? { logsRecordedAt } : {}),
    ...(licences ? { licences } : {}),
    faults,
  };
}

/** Reads and validates a fixture file; the error message names the file and the bad path in it. */
export function loadFixture(filePath: string): Fixture {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read demo tenant fixture ${filePath}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Demo tenant fixture ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseFixture(json);
  } catch (error) {
    if (error instanceof FixtureError) throw new Error(`Invalid demo tenant fixture ${filePath}: ${error.message}`);
    throw error;
  }
}

/** The project root: the nearest directory above this file holding package.json (works under tsx and from dist/). */
function projectRoot(): string {
  let directory = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(directory, 'package.json'))) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${__dirname}`);
    directory = parent;
  }
}

/** The bundled Contoso fixture (docs/personas.md). */
export function defaultFixturePath(): string {
  return path.join(projectRoot(), 'src', 'demoTenant', 'fixtures', 'contoso.json');
}
