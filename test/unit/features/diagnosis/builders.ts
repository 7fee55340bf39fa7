/**
 * Small builders for diagnosis facts: a healthy default (passkeys and TAP on
 * for all users, no Conditional Access, a user with password + Authenticator)
 * that each test changes only where it matters.
 */
import {
  AUTHENTICATOR_AAGUID_ANDROID,
  AUTHENTICATOR_AAGUID_IOS,
  type Answers,
  type AuthenticationMethod,
  type AuthenticationMethodConfiguration,
  type AuthenticationStrengthPolicy,
  type ConditionalAccessPolicy,
  type DiagnosisInput,
  type DirectoryUser,
  type ManagedDevice,
  type PasskeyProfile,
  type UserEvidence,
} from '../../../../src/directory/facts';
import { diagnose } from '../../../../src/features/diagnosis/domain/engine';

export const NOW = new Date('2025-06-02T10:00:00Z');
export const USER_ID = '11111111-1111-1111-1111-111111111111';
export const YUBIKEY_AAGUID = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

export const GROUP = {
  pilot: 'group-pilot',
  contractors: 'group-contractors',
  finance: 'group-finance',
  mobileWorkers: 'group-mobile-workers',
} as const;

// ---------------------------------------------------------------- methods

let sequence = 0;
const nextId = () => `method-${++sequence}`;

export const password = (): AuthenticationMethod => ({ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' });
export const email = (): AuthenticationMethod => ({ '@odata.type': '#microsoft.graph.emailAuthenticationMethod', id: nextId(), emailAddress: 'a***@example.com' });
export const phone = (phoneType: 'mobile' | 'alternateMobile' | 'office' = 'mobile'): AuthenticationMethod => ({
  '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
  id: nextId(),
  phoneType,
  phoneNumber: '+1 555 0100',
});
export const authenticatorApp = (displayName = 'iPhone 15'): AuthenticationMethod => ({
  '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  id: nextId(),
  displayName,
});
export const softwareOath = (): AuthenticationMethod => ({ '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod', id: nextId() });
export const windowsHello = (): AuthenticationMethod => ({ '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod', id: nextId(), displayName: 'LAPTOP-01' });
export const securityKey = (aaGuid = YUBIKEY_AAGUID): AuthenticationMethod => ({
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
  id: nextId(),
  aaGuid,
  displayName: 'YubiKey 5',
  model: 'YubiKey 5 NFC',
});
export const authenticatorPasskey = (platform: 'ios' | 'android'): AuthenticationMethod => ({
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
  id: nextId(),
  aaGuid: platform === 'ios' ? AUTHENTICATOR_AAGUID_IOS : AUTHENTICATOR_AAGUID_ANDROID,
  displayName: platform === 'ios' ? 'iPhone passkey' : 'Android passkey',
  createdDateTime: '2025-05-01T08:00:00Z',
});
/** A TAP, by default multi-use, created an hour ago, valid for 8 hours. */
export const tap = (over: Record<string, unknown> = {}): AuthenticationMethod => ({
  '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  id: nextId(),
  createdDateTime: '2025-06-02T09:00:00Z',
  startDateTime: '2025-06-02T09:00:00Z',
  lifetimeInMinutes: 480,
  isUsableOnce: false,
  isUsable: true,
  methodUsabilityReason: 'EnabledByPolicy',
  ...over,
});

// ---------------------------------------------------------------- method policy

export function fido2Config(over: Partial<AuthenticationMethodConfiguration> = {}): AuthenticationMethodConfiguration {
  return {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
    id: 'Fido2',
    state: 'enabled',
    includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
    excludeTargets: [],
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
    ...over,
  };
}

export function tapConfig(over: Partial<AuthenticationMethodConfiguration> = {}): AuthenticationMethodConfiguration {
  return {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
    id: 'TemporaryAccessPass',
    state: 'enabled',
    includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
    excludeTargets: [],
    defaultLifetimeInMinutes: 60,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    defaultLength: 8,
    isUsableOnce: false,
    ...over,
  };
}

export function profile(over: Partial<PasskeyProfile> = {}): PasskeyProfile {
  return {
    id: 'profile-default',
    name: 'Default',
    passkeyTypes: 'deviceBound,synced',
    attestationEnforcement: 'disabled',
    keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
    ...over,
  };
}

/** A Fido2 policy with passkey profiles; `targets` are [group id, profile ids] pairs. */
export function fido2WithProfiles(profiles: PasskeyProfile[], targets: Array<[string, string[]]>, over: Partial<AuthenticationMethodConfiguration> = {}) {
  return fido2Config({
    passkeyProfiles: profiles,
    defaultPasskeyProfile: profiles[0]?.id,
    includeTargets: targets.map(([id, allowedPasskeyProfiles]) => ({ targetType: 'group', id, isRegistrationRequired: false, allowedPasskeyProfiles })),
    ...over,
  });
}

export const allowList = (...aaGuids: string[]) => ({ isEnforced: true, enforcementType: 'allow' as const, aaGuids });
export const blockList = (...aaGuids: string[]) => ({ isEnforced: true, enforcementType: 'block' as const, aaGuids });

// ---------------------------------------------------------------- Conditional Access

export const STRENGTH = {
  mfa: '00000000-0000-0000-0000-000000000002',
  passwordless: '00000000-0000-0000-0000-000000000003',
  phishingResistant: '00000000-0000-0000-0000-000000000004',
} as const;

export function strength(id: string, displayName: string, allowedCombinations: string[], over: Partial<AuthenticationStrengthPolicy> = {}): AuthenticationStrengthPolicy {
  return { id, displayName, policyType: 'custom', allowedCombinations: allowedCombinations as never, ...over };
}

export const BUILT_IN_STRENGTHS: AuthenticationStrengthPolicy[] = [
  strength(STRENGTH.mfa, 'Multifactor authentication', ['password,microsoftAuthenticatorPush', 'password,sms', 'fido2', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse'], { policyType: 'builtIn' }),
  strength(STRENGTH.passwordless, 'Passwordless MFA', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'], { policyType: 'builtIn' }),
  strength(STRENGTH.phishingResistant, 'Phishing-resistant MFA', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'], { policyType: 'builtIn' }),
];

export interface CaOptions {
  id?: string;
  displayName?: string;
  state?: ConditionalAccessPolicy['state'];
  includeUsers?: string[];
  excludeUsers?: string[];
  includeGroups?: string[];
  excludeGroups?: string[];
  includeRoles?: string[];
  includeApplications?: string[];
  excludeApplications?: string[];
  includeUserActions?: string[];
  includePlatforms?: string[];
  excludePlatforms?: string[];
  clientAppTypes?: string[];
  includeLocations?: string[];
  excludeLocations?: string[];
  builtInControls?: string[];
  operator?: 'AND' | 'OR';
  strengthId?: string;
}

export function ca(options: CaOptions = {}): ConditionalAccessPolicy {
  const userActions = options.includeUserActions ?? [];
  return {
    id: options.id ?? `ca-${++sequence}`,
    displayName: options.displayName ?? 'Test policy',
    state: options.state ?? 'enabled',
    conditions: {
      users: {
        includeUsers: options.includeUsers ?? (options.includeGroups || options.includeRoles ? [] : ['All']),
        excludeUsers: options.excludeUsers ?? [],
        includeGroups: options.includeGroups ?? [],
        excludeGroups: options.excludeGroups ?? [],
        includeRoles: options.includeRoles ?? [],
        excludeRoles: [],
      },
      applications: {
        includeApplications: options.includeApplications ?? (userActions.length ? [] : ['All']),
        excludeApplications: options.excludeApplications ?? [],
        includeUserActions: userActions,
      },
      clientAppTypes: (options.clientAppTypes ?? ['all']) as never,
      platforms: options.includePlatforms
        ? { includePlatforms: options.includePlatforms as never, excludePlatforms: (options.excludePlatforms ?? []) as never }
        : null,
      locations: options.includeLocations ? { includeLocations: options.includeLocations, excludeLocations: options.excludeLocations ?? [] } : null,
    },
    grantControls: {
      operator: options.operator ?? 'OR',
      builtInControls: (options.builtInControls ?? (options.strengthId ? [] : ['mfa'])) as never,
      authenticationStrength: options.strengthId ? ({ id: options.strengthId } as never) : null,
    },
  };
}

// ---------------------------------------------------------------- devices

export function device(over: Partial<ManagedDevice> = {}): ManagedDevice {
  return {
    id: 'device-1',
    deviceName: 'Pixel 8',
    operatingSystem: 'Android',
    osVersion: '14',
    complianceState: 'compliant',
    managedDeviceOwnerType: 'company',
    model: 'Pixel 8',
    manufacturer: 'Google',
    ...over,
  };
}

// ---------------------------------------------------------------- input

export interface InputOptions {
  user?: Partial<DirectoryUser>;
  groupIds?: string[];
  roles?: string[];
  methods?: AuthenticationMethod[];
  devices?: ManagedDevice[];
  fido2?: AuthenticationMethodConfiguration;
  tap?: AuthenticationMethodConfiguration;
  migration?: string | null;
  ca?: ConditionalAccessPolicy[];
  strengths?: AuthenticationStrengthPolicy[];
  servicePrincipalExists?: boolean;
  answers?: Answers;
  now?: Date;
  /** Sign-in and audit logs as the Graph port reads them. */
  evidence?: UserEvidence;
}

export function input(options: InputOptions = {}): DiagnosisInput {
  return {
    user: {
      user: {
        id: USER_ID,
        displayName: 'Test User',
        userPrincipalName: 'test@contoso.example',
        accountEnabled: true,
        userType: 'Member',
        ...options.user,
      },
      manager: null,
      groupIds: options.groupIds ?? [],
      directoryRoleTemplateIds: options.roles ?? [],
      methods: options.methods ?? [password(), authenticatorApp()],
      managedDevices: options.devices ?? [],
      ...(options.evidence ? { evidence: options.evidence } : {}),
    },
    tenant: {
      tenantId: 'tenant-1',
      authenticationMethodsPolicy: {
        id: 'authenticationMethodsPolicy',
        policyMigrationState: options.migration === undefined ? 'migrationComplete' : options.migration,
        authenticationMethodConfigurations: [options.fido2 ?? fido2Config(), options.tap ?? tapConfig()],
      },
      conditionalAccessPolicies: options.ca ?? [],
      authenticationStrengthPolicies: options.strengths ?? BUILT_IN_STRENGTHS,
      authenticatorCredentialRegistrationServicePrincipalExists: options.servicePrincipalExists ?? false,
    },
    answers: options.answers ?? {},
    now: options.now ?? NOW,
  };
}

/** The finding ids of a diagnosis, in order. */
export function ids(options: InputOptions = {}): string[] {
  return diagnose(input(options)).findings.map((f) => f.id);
}

export function finding(options: InputOptions, id: string) {
  return diagnose(input(options)).findings.find((f) => f.id === id);
}

/** Answers that settle the phone side for a healthy same-device registration. */
export const HEALTHY_IPHONE: Answers = {
  platform: 'ios',
  osVersion: '17.5',
  registration: 'same-device',
  authenticatorSetUp: true,
  passkeyProviderEnabled: true,
  lostDevice: false,
};
