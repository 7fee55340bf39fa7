/**
 * Generates a large demo-tenant fixture (issue 5: 100,000 users) as a stream
 * of JSON text chunks, never one giant string. Every user's attributes are a
 * pure function of (seed, index), so groups can list their members in a
 * second pass without keeping users in memory.
 *
 * Mix (one draw per user): ~3% disabled, ~4% guests, ~35% phishable methods
 * only, ~25% passkey in Authenticator, ~10% FIDO2 security key, ~10% Windows
 * Hello for Business, ~12% no MFA, ~1% passkey + Windows Hello. The policy
 * (methods policy, Conditional Access, strengths, service principals) is the
 * bundled Contoso tenant's, with its policy groups filled from departments.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { AUTHENTICATOR_AAGUID_ANDROID, AUTHENTICATOR_AAGUID_IOS } from '../directory/facts';
import { defaultFixturePath } from './fixture';

export interface GenerateOptions {
  users: number;
  seed?: number;
}

const DOMAIN = 'contoso.example';
const TENANT_ID = 'a0000000-0000-4000-8000-000000000000';
const YUBIKEY_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const MOBILE_PHONE_METHOD_ID = '3179e48a-750b-4051-897c-87b9720928f7';
const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
const T = '#microsoft.graph.';
const USERS_PER_CHUNK = 500;

const FIRST_NAMES = ['Aisha', 'Ben', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Amara', 'Bruno', 'Chloe', 'Diego'];
const LAST_NAMES = ['Adams', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Mensah', 'Nakamura', 'Okafor', 'Petrov', 'Quist', 'Rossi', 'Singh', 'Tanaka', 'Ueda', 'Varga', 'Wagner', 'Xu', 'Yilmaz', 'Zhang'];

/** Departments and their share of members; `groupId` reuses the Contoso policy groups where one exists. */
const DEPARTMENTS: Array<{ name: string; share: number; groupId: string }> = [
  { name: 'Sales', share: 0.18, groupId: 'c0000002-0000-4000-8000-000000000002' },
  { name: 'Marketing', share: 0.1, groupId: 'a0000002-0000-4000-8000-000000000101' },
  { name: 'Finance', share: 0.08, groupId: 'c0000002-0000-4000-8000-000000000004' },
  { name: 'Engineering', share: 0.16, groupId: 'a0000002-0000-4000-8000-000000000103' },
  { name: 'Research', share: 0.06, groupId: 'c0000002-0000-4000-8000-000000000006' },
  { name: 'Operations', share: 0.12, groupId: 'a0000002-0000-4000-8000-000000000105' },
  { name: 'Retail', share: 0.15, groupId: 'a0000002-0000-4000-8000-000000000106' },
  { name: 'Legal', share: 0.04, groupId: 'a0000002-0000-4000-8000-000000000107' },
  { name: 'IT', share: 0.07, groupId: 'a0000002-0000-4000-8000-000000000108' },
  { name: 'Human Resources', share: 0.04, groupId: 'a0000002-0000-4000-8000-000000000109' },
];

type Category = 'disabled' | 'guest' | 'phishableOnly' | 'authenticatorPasskey' | 'fido2Key' | 'windowsHello' | 'noMfa' | 'passkeyAndHello';

const CATEGORIES: Array<[Category, number]> = [
  ['disabled', 0.03],
  ['guest', 0.04],
  ['phishableOnly', 0.35],
  ['authenticatorPasskey', 0.25],
  ['fido2Key', 0.1],
  ['windowsHello', 0.1],
  ['noMfa', 0.12],
  ['passkeyAndHello', 0.01],
];

/** A uniform number in [0, 1) from (seed, index, salt): the generator's only source of chance. */
function chance(seed: number, index: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(salt + 7, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function pick<T>(items: Array<[T, number]>, draw: number): T {
  let sum = 0;
  for (const [item, share] of items) {
    sum += share;
    if (draw < sum) return item;
  }
  return items[items.length - 1][0];
}

function guid(prefix: string, index: number, width = 12): string {
  return `${prefix}-0000-4000-8000-${String(index).padStart(width, '0')}`;
}

interface Profile {
  index: number;
  id: string;
  category: Category;
  department: (typeof DEPARTMENTS)[number] | undefined;
  isContractor: boolean;
  first: string;
  last: string;
}

function profileOf(seed: number, index: number): Profile {
  const category = pick(CATEGORIES, chance(seed, index, 1));
  const department = category === 'guest' ? undefined : pick(DEPARTMENTS.map((d) => [d, d.share] as [typeof d, number]), chance(seed, index, 2));
  return {
    index,
    id: guid('a0000001', index + 1),
    category,
    department,
    isContractor: category !== 'guest' && chance(seed, index, 3) < 0.02,
    first: FIRST_NAMES[Math.floor(chance(seed, index, 4) * FIRST_NAMES.length)],
    last: LAST_NAMES[Math.floor(chance(seed, index, 5) * LAST_NAMES.length)],
  };
}

function isoDay(seed: number, index: number, salt: number, fromYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(2026, 9, 1);
  return new Date(start + Math.floor(chance(seed, index, salt) * (end - start) / 86_400_000) * 86_400_000 + 9 * 3_600_000).toISOString().replace('.000Z', 'Z');
}

function userOf(seed: number, profile: Profile, userCount: number): Record<string, unknown> {
  const local = `${profile.first}.${profile.last}.${profile.index + 1}`.toLowerCase();
  const guest = profile.category === 'guest';
  const managerIndex = profile.index % 100;
  const manager = !guest && profile.index >= 100 && managerIndex < userCount ? profileOf(seed, managerIndex) : undefined;
  return {
    id: profile.id,
    displayName: `${profile.first} ${profile.last}`,
    givenName: profile.first,
    surname: profile.last,
    userPrincipalName: guest ? `${local}_fabrikam.example#EXT#@${DOMAIN}` : `${local}@${DOMAIN}`,
    mail: guest ? `${local}@fabrikam.example` : `${local}@${DOMAIN}`,
    jobTitle: guest ? null : profile.isContractor ? `${profile.department?.name} contractor` : `${profile.department?.name} specialist`,
    department: profile.department?.name ?? null,
    accountEnabled: profile.category !== 'disabled',
    userType: guest ? 'Guest' : 'Member',
    createdDateTime: isoDay(seed, profile.index, 6, 2015),
    ...(manager && manager.category !== 'guest' ? { managerId: manager.id } : {}),
  };
}

function methodsOf(seed: number, profile: Profile): Array<Record<string, unknown>> {
  const i = profile.index;
  const created = isoDay(seed, i, 7, 2020);
  const methodId = (n: number) => guid('a0000004', (i + 1) * 100 + n);
  const push = () => ({ '@odata.type': `${T}microsoftAuthenticatorAuthenticationMethod`, id: methodId(1), ...(chance(seed, i, 8) < 0.55 ? { displayName: 'iPhone', phoneAppVersion: '6.8.41' } : { displayName: 'Android phone', phoneAppVersion: '6.2509.5102' }), deviceTag: 'SoftwareTokenActivated', createdDateTime: created });
  const phone = () => ({ '@odata.type': `${T}phoneAuthenticationMethod`, id: MOBILE_PHONE_METHOD_ID, phoneNumber: `+1 555 01${String(i % 100).padStart(2, '0')}`, phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' });
  const email = () => ({ '@odata.type': `${T}emailAuthenticationMethod`, id: EMAIL_METHOD_ID, emailAddress: `user${i + 1}@example.net` });
  const oath = () => ({ '@odata.type': `${T}softwareOathAuthenticationMethod`, id: methodId(3), secretKey: null });
  const authenticatorPasskey = () => {
    const ios = chance(seed, i, 9) < 0.6;
    const label = ios ? 'Microsoft Authenticator - iOS' : 'Microsoft Authenticator - Android';
    return { '@odata.type': `${T}fido2AuthenticationMethod`, id: methodId(4), displayName: label, createdDateTime: created, aaGuid: ios ? AUTHENTICATOR_AAGUID_IOS : AUTHENTICATOR_AAGUID_ANDROID, model: label, attestationCertificates: [], attestationLevel: 'attested' };
  };
  const securityKey = () => ({ '@odata.type': `${T}fido2AuthenticationMethod`, id: methodId(5), displayName: 'YubiKey 5 NFC', createdDateTime: created, aaGuid: YUBIKEY_AAGUID, model: 'YubiKey 5 NFC', attestationCertificates: [], attestationLevel: 'attested' });
  const hello = () => ({ '@odata.type': `${T}windowsHelloForBusinessAuthenticationMethod`, id: methodId(6), displayName: `PC-${i + 1}`, createdDateTime: created, keyStrength: 'normal' });

  const methods: Array<Record<string, unknown>> = [{ '@odata.type': `${T}passwordAuthenticationMethod`, id: PASSWORD_METHOD_ID, password: null, createdDateTime: created }];
  const draw = chance(seed, i, 10);
  switch (profile.category) {
    case 'phishableOnly':
      if (draw < 0.7) methods.push(push());
      if (draw >= 0.7 || chance(seed, i, 11) < 0.3) methods.push(phone());
      if (chance(seed, i, 12) < 0.15) methods.push(oath());
      if (chance(seed, i, 13) < 0.2) methods.push(email());
      break;
    case 'authenticatorPasskey':
      methods.push(push(), authenticatorPasskey());
      break;
    case 'fido2Key':
      methods.push(securityKey());
      if (draw < 0.6) methods.push(push());
      break;
    case 'windowsHello':
      methods.push(hello());
      if (draw < 0.7) methods.push(push());
      break;
    case 'passkeyAndHello':
      methods.push(push(), authenticatorPasskey(), hello());
      break;
    case 'noMfa':
      if (draw < 0.3) methods.push(email());
      break;
    case 'disabled':
      if (draw < 0.8) methods.push(push());
      break;
    case 'guest':
      if (draw < 0.5) methods.push(phone());
      break;
  }
  return methods;
}

function deviceOf(seed: number, profile: Profile): Record<string, unknown> | undefined {
  const i = profile.index;
  if (profile.category === 'guest' || chance(seed, i, 14) >= 0.2) return undefined;
  const ios = chance(seed, i, 15) < 0.55;
  const versions = ios ? ['16.7.8', '17.5', '17.6.1', '18.1'] : ['12', '13', '14', '15'];
  return {
    id: guid('a0000003', i + 1),
    userId: profile.id,
    deviceName: `${profile.first}'s ${ios ? 'iPhone' : 'Android'}`,
    operatingSystem: ios ? 'iOS' : 'Android',
    osVersion: versions[Math.floor(chance(seed, i, 16) * versions.length)],
    complianceState: chance(seed, i, 17) < 0.85 ? 'compliant' : 'noncompliant',
    managedDeviceOwnerType: chance(seed, i, 18) < 0.7 ? 'company' : 'personal',
    model: ios ? 'iPhone' : 'Pixel',
    manufacturer: ios ? 'Apple' : 'Google',
    lastSyncDateTime: isoDay(seed, i, 19, 2026),
  };
}

interface GroupSpec {
  id: string;
  displayName: string;
  description: string;
  /** Nested groups first, then the users for whom `hasMember` holds. */
  nestedGroupIds: string[];
  hasMember: (profile: Profile) => boolean;
}

function groupSpecs(seed: number, userCount: number): GroupSpec[] {
  const inDepartment = (name: string) => (p: Profile) => p.department?.name === name && p.category !== 'guest';
  const every = (name: string, modulo: number, remainder: number) => (p: Profile) => inDepartment(name)(p) && p.index % modulo === remainder;
  // The first two IT members run the helpdesk; the first Marketing member reads the report.
  const firstOf = (name: string, count: number): Set<number> => {
    const found = new Set<number>();
    for (let index = 0; index < userCount && found.size < count; index++) if (inDepartment(name)(profileOf(seed, index))) found.add(index);
    return found;
  };
  const helpdesk = firstOf('IT', 2);
  const rollout = firstOf('Marketing', 1);
  const contoso = (n: number) => guid('c0000002', n);
  const departmentGroups = DEPARTMENTS.filter((d) => !d.groupId.startsWith('c0000002')).map((d) => ({
    id: d.groupId,
    displayName: d.name,
    description: `${d.name} department`,
    nestedGroupIds: [],
    hasMember: inDepartment(d.name),
  }));
  return [
    { id: contoso(1), displayName: 'Passkey Pilot', description: 'Departments piloting passkeys (nested groups)', nestedGroupIds: [contoso(2), ...['Marketing', 'Operations', 'Legal', 'IT'].map((name) => DEPARTMENTS.find((d) => d.name === name)!.groupId)], hasMember: () => false },
    { id: contoso(2), displayName: 'Sales', description: 'Sales department', nestedGroupIds: [], hasMember: inDepartment('Sales') },
    { id: contoso(3), displayName: 'Contractors', description: 'External contractors', nestedGroupIds: [], hasMember: (p) => p.isContractor },
    { id: contoso(4), displayName: 'Finance', description: 'Finance department (attested passkeys only)', nestedGroupIds: [], hasMember: inDepartment('Finance') },
    { id: contoso(5), displayName: 'Engineering Hardware', description: 'Hardware engineering (hardware security keys only)', nestedGroupIds: [], hasMember: every('Engineering', 5, 0) },
    { id: contoso(6), displayName: 'Research', description: 'Research department (synced passkeys)', nestedGroupIds: [], hasMember: inDepartment('Research') },
    { id: contoso(7), displayName: 'Mobile Workers', description: 'Staff who work from mobile devices', nestedGroupIds: [], hasMember: every('Retail', 3, 0) },
    { id: contoso(8), displayName: 'Frontline', description: 'Frontline store staff', nestedGroupIds: [], hasMember: every('Retail', 3, 1) },
    { id: contoso(9), displayName: 'Admins Pilot', description: 'Administrators piloting phishing-resistant sign-in', nestedGroupIds: [], hasMember: every('IT', 4, 0) },
    { id: contoso(10), displayName: 'Travellers', description: 'Staff who travel often', nestedGroupIds: [], hasMember: every('Sales', 7, 0) },
    { id: contoso(11), displayName: 'Passkey Helpdesk', description: 'Helpdesk members who approve Temporary Access Passes', nestedGroupIds: [], hasMember: (p) => helpdesk.has(p.index) },
    { id: contoso(12), displayName: 'Passkey Rollout', description: 'People who run the passkey rollout (report readers)', nestedGroupIds: [], hasMember: (p) => rollout.has(p.index) },
    { id: contoso(13), displayName: 'Passkey Early Adopters', description: 'Early adopters: registration needs a passkey or a TAP', nestedGroupIds: [], hasMember: every('Engineering', 11, 0) },
    ...departmentGroups,
  ];
}

function* joined(items: Iterable<string>, perChunk: number): Generator<string> {
  let batch: string[] = [];
  let first = true;
  for (const item of items) {
    batch.push(item);
    if (batch.length === perChunk) {
      yield (first ? '' : ',\n') + batch.join(',\n');
      first = false;
      batch = [];
    }
  }
  if (batch.length > 0) yield (first ? '' : ',\n') + batch.join(',\n');
}

function* profiles(seed: number, userCount: number): Generator<Profile> {
  for (let index = 0; index < userCount; index++) yield profileOf(seed, index);
}

/** The Contoso fixture's tenant-wide policy, reused as is. */
function contosoPolicy(): Record<string, unknown> {
  const contoso = JSON.parse(fs.readFileSync(defaultFixturePath(), 'utf8')) as Record<string, unknown>;
  return {
    authenticationMethodsPolicy: contoso.authenticationMethodsPolicy,
    conditionalAccessPolicies: contoso.conditionalAccessPolicies,
    authenticationStrengthPolicies: contoso.authenticationStrengthPolicies,
    servicePrincipals: contoso.servicePrincipals,
  };
}

/** A valid fixture's JSON text, in chunks of a few hundred users each. */
export function* generateFixtureChunks(options: GenerateOptions): Generator<string> {
  const userCount = Math.max(0, Math.floor(options.users));
  const seed = options.seed ?? 1;
  const tenant = { id: TENANT_ID, displayName: `Contoso (generated, ${userCount} users)`, defaultDomain: DOMAIN };
  yield `{\n"description": ${JSON.stringify(`Generated demo tenant: ${userCount} users, seed ${seed}`)},\n"tenant": ${JSON.stringify(tenant)},\n"users": [\n`;
  yield* joined((function* () {
    for (const profile of profiles(seed, userCount)) yield JSON.stringify(userOf(seed, profile, userCount));
  })(), USERS_PER_CHUNK);

  yield '\n],\n"groups": [\n';
  const specs = groupSpecs(seed, userCount);
  for (const [n, spec] of specs.entries()) {
    const head = { id: spec.id, displayName: spec.displayName, description: spec.description, mailEnabled: false, securityEnabled: true, groupTypes: [] };
    yield `${n === 0 ? '' : ',\n'}${JSON.stringify(head).slice(0, -1)},"memberIds":[`;
    yield* joined((function* () {
      for (const groupId of spec.nestedGroupIds) yield JSON.stringify(groupId);
      for (const profile of profiles(seed, userCount)) if (spec.hasMember(profile)) yield JSON.stringify(profile.id);
    })(), USERS_PER_CHUNK * 4);
    yield ']}';
  }

  yield '\n],\n"directoryRoleAssignments": [\n';
  const roleAssignments: Array<{ principalId: string; roleTemplateId: string }> = [];
  for (let index = 0; index < Math.min(userCount, 200); index++) {
    const profile = profileOf(seed, index);
    if (profile.category === 'guest' || profile.category === 'disabled') continue;
    if (index % 50 === 3) roleAssignments.push({ principalId: profile.id, roleTemplateId: '62e90394-69f5-4237-9190-012177145e10' });
    else if (profile.department?.name === 'IT' && index % 5 === 0) {
      roleAssignments.push({ principalId: profile.id, roleTemplateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f' });
    }
  }
  yield roleAssignments.map((assignment) => JSON.stringify(assignment)).join(',\n');

  yield '\n],\n"authenticationMethods": {\n';
  yield* joined((function* () {
    for (const profile of profiles(seed, userCount)) yield `${JSON.stringify(profile.id)}: ${JSON.stringify(methodsOf(seed, profile))}`;
  })(), USERS_PER_CHUNK);

  yield '\n},\n"managedDevices": {\n';
  yield* joined((function* () {
    for (const profile of profiles(seed, userCount)) {
      const device = deviceOf(seed, profile);
      if (device) yield `${JSON.stringify(profile.id)}: [${JSON.stringify(device)}]`;
    }
  })(), USERS_PER_CHUNK);

  const policy = contosoPolicy();
  yield '\n},\n';
  yield Object.entries(policy)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(',\n');
  yield '\n}\n';
}

/** Writes a generated fixture to a stream (stdout for the CLI), waiting whenever the stream asks to. */
export async function writeGeneratedFixture(out: NodeJS.WritableStream, options: GenerateOptions): Promise<void> {
  for (const chunk of generateFixtureChunks(options)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}
