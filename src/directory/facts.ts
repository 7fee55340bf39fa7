/**
 * The facts the diagnosis engine reads. They are Graph v1.0 resource shapes
 * (type-only imports: data descriptions, never the Graph client), gathered by
 * the Graph port (`src/graph/`) and by the question card (`Answers`).
 *
 * An `undefined` fact means "unknown": rules must never fire on a guess.
 */
import type * as G from '@microsoft/microsoft-graph-types';

/** Microsoft Authenticator's AAGUIDs (Learn: "Enable passkeys in Microsoft Authenticator"). */
export const AUTHENTICATOR_AAGUID_IOS = '90a3ccdf-635c-4729-a248-9b709135078f';
export const AUTHENTICATOR_AAGUID_ANDROID = 'de1e552d-db1d-4423-a619-566b625cdc84';
export const AUTHENTICATOR_AAGUIDS = [AUTHENTICATOR_AAGUID_IOS, AUTHENTICATOR_AAGUID_ANDROID] as const;

/** "Microsoft Authenticator Credential Registration" service principal (approved-app workaround). */
export const AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID = '6aa00308-ea33-4caa-90d6-ae905d8cb51b';

/** Group id Graph uses in method-policy targets for "All users". */
export const ALL_USERS_TARGET = 'all_users';

/** Any authentication method as Graph returns it; `@odata.type` tells which. */
export type AuthenticationMethod = G.AuthenticationMethod & {
  '@odata.type': string;
  [property: string]: unknown;
};

export type DirectoryUser = Pick<
  G.User,
  'displayName' | 'userPrincipalName' | 'mail' | 'jobTitle' | 'department' | 'createdDateTime' | 'authorizationInfo'
> & {
  id: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest' | string;
  /** Set for invited (B2B) users, whatever their userType: "PendingAcceptance" | "Accepted". */
  externalUserState?: string | null;
  /** "Invitation" for B2B users. */
  creationType?: string | null;
  identities?: Array<{ signInType?: string | null; issuer?: string | null; issuerAssignedId?: string | null }> | null;
};

export interface PersonSummary {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

/** Passkey profiles (Fido2 policy, Graph v1.0 `passkeyProfile`). */
export interface PasskeyProfile {
  id: string;
  name?: string;
  /** Comma-separated: "deviceBound", "synced", "deviceBound,synced". */
  passkeyTypes?: string;
  attestationEnforcement?: 'disabled' | 'registrationOnly' | string;
  keyRestrictions?: G.Fido2KeyRestrictions | null;
}

export type MethodTarget = {
  targetType?: 'group' | 'user' | string;
  id: string;
  isRegistrationRequired?: boolean;
  /** Passkey-profile ids this target may use (Fido2 with passkey profiles). */
  allowedPasskeyProfiles?: string[];
};

/** One entry of `authenticationMethodsPolicy.authenticationMethodConfigurations`. */
export type AuthenticationMethodConfiguration = {
  '@odata.type': string;
  id: string; // "Fido2", "TemporaryAccessPass", "MicrosoftAuthenticator", "X509Certificate", ...
  state?: 'enabled' | 'disabled' | string;
  includeTargets?: MethodTarget[];
  excludeTargets?: MethodTarget[];
  // Fido2
  isSelfServiceRegistrationAllowed?: boolean;
  isAttestationEnforced?: boolean;
  keyRestrictions?: G.Fido2KeyRestrictions | null;
  passkeyProfiles?: PasskeyProfile[];
  defaultPasskeyProfile?: string;
  // TemporaryAccessPass
  defaultLifetimeInMinutes?: number;
  defaultLength?: number;
  minimumLifetimeInMinutes?: number;
  maximumLifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  [property: string]: unknown;
};

export interface AuthenticationMethodsPolicy {
  id?: string;
  policyMigrationState?: 'preMigration' | 'migrationInProgress' | 'migrationComplete' | string | null;
  authenticationMethodConfigurations: AuthenticationMethodConfiguration[];
}

export type ConditionalAccessPolicy = G.ConditionalAccessPolicy & {
  id: string;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced' | string;
};

export type AuthenticationStrengthPolicy = G.AuthenticationStrengthPolicy & {
  id: string;
  combinationConfigurations?: Array<G.AuthenticationCombinationConfiguration & { '@odata.type'?: string; allowedAAGUIDs?: string[] }>;
};

export type ManagedDevice = Pick<
  G.ManagedDevice,
  'deviceName' | 'operatingSystem' | 'osVersion' | 'complianceState' | 'managedDeviceOwnerType' | 'model' | 'manufacturer' | 'lastSyncDateTime'
> & { id: string };

/** Per-user facts: one `$batch` from the Graph port. */
export interface UserFacts {
  user: DirectoryUser;
  manager: PersonSummary | null;
  /** Transitive group memberships (ids). */
  groupIds: string[];
  /** Directory roles the user holds (role template ids). */
  directoryRoleTemplateIds: string[];
  methods: AuthenticationMethod[];
  managedDevices: ManagedDevice[];
  /** The sign-in and audit logs of the last 24 hours; absent when not read (tests, older callers). */
  evidence?: UserEvidence;
}

// ---------------------------------------------------------------- evidence (sign-in and audit logs)

/** One `appliedConditionalAccessPolicy` of a Graph v1.0 signIn. */
export interface AppliedConditionalAccessPolicy {
  id?: string | null;
  displayName?: string | null;
  enforcedGrantControls?: string[] | null;
  enforcedSessionControls?: string[] | null;
  /** success | failure | notApplied | notEnabled | unknown | reportOnlySuccess | reportOnlyFailure | ... */
  result?: string | null;
}

/** The Graph v1.0 signIn fields the diagnosis reads. */
export interface SignInLogEntry {
  id: string;
  createdDateTime: string;
  userId?: string | null;
  userPrincipalName?: string | null;
  appId?: string | null;
  appDisplayName?: string | null;
  isInteractive?: boolean | null;
  clientAppUsed?: string | null;
  conditionalAccessStatus?: string | null;
  status?: { errorCode?: number | null; failureReason?: string | null; additionalDetails?: string | null } | null;
  appliedConditionalAccessPolicies?: AppliedConditionalAccessPolicy[] | null;
  deviceDetail?: {
    deviceId?: string | null;
    displayName?: string | null;
    operatingSystem?: string | null;
    browser?: string | null;
    isCompliant?: boolean | null;
    isManaged?: boolean | null;
    trustType?: string | null;
  } | null;
  location?: { city?: string | null; countryOrRegion?: string | null } | null;
  ipAddress?: string | null;
}

/** The Graph v1.0 directoryAudit fields the diagnosis reads. */
export interface DirectoryAuditEntry {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string | null;
  loggedByService?: string | null;
  /** success | failure | timeout */
  result?: string | null;
  resultReason?: string | null;
  targetResources?: Array<{ id?: string | null; userPrincipalName?: string | null; type?: string | null }> | null;
}

/**
 * What the logs hold for a person, or why they couldn't be read: without
 * AuditLog.Read.All (403) or an Entra ID P1/P2 licence the diagnosis runs on
 * the directory alone.
 */
export type UserEvidence =
  | { status: 'read'; signIns: SignInLogEntry[]; directoryAudits: DirectoryAuditEntry[] }
  | { status: 'unavailable'; reason: 'forbidden' | 'noPremiumLicence' | 'error' };

/** Public contract (docs/diagnosis.md): one log entry or pasted text behind a finding. */
export interface EvidenceItem {
  source: 'signIn' | 'directoryAudit' | 'errorText';
  at?: string;
  code?: string;
  app?: string;
  policy?: string;
  text?: string;
}

/** Tenant-wide facts: cached by the Graph port for a short TTL. */
export interface TenantFacts {
  tenantId: string;
  authenticationMethodsPolicy: AuthenticationMethodsPolicy;
  conditionalAccessPolicies: ConditionalAccessPolicy[];
  /** Built-in and custom strengths, with combination configurations. */
  authenticationStrengthPolicies: AuthenticationStrengthPolicy[];
  authenticatorCredentialRegistrationServicePrincipalExists: boolean;
}

/** What only the person can tell us (the question card / `--answers`). All optional = unknown. */
export interface Answers {
  platform?: 'android' | 'ios';
  osVersion?: string;
  registration?: 'same-device' | 'cross-device';
  bluetooth?: boolean;
  androidProfile?: 'personal' | 'work' | 'both';
  /** A managedDevice id, or "other". */
  device?: string;
  authenticatorSetUp?: boolean;
  passkeyProviderEnabled?: boolean;
  lostDevice?: boolean;
  /** Cross-device: is the computer that opens Security info company-managed (Intune compliant)? */
  computerManaged?: boolean;
  errorText?: string;
}
export type AnswerKey = keyof Answers;

export interface DiagnosisInput {
  user: UserFacts;
  tenant: TenantFacts;
  answers: Answers;
  /** "Now", passed in so rules stay pure (TAP expiry). */
  now: Date;
}

/** Public contract (docs/diagnosis.md). */
export interface Finding {
  id: string;
  severity: 'blocker' | 'warning' | 'info';
  audience: 'user' | 'admin' | 'helpdesk';
  title: string;
  /**
   * The title in plain words for the person diagnosed (the employee's card shows
   * it instead of `title`): no ids, no policy or admin-centre terms. Every rule
   * sets it; optional so stored findings and other producers stay valid.
   */
  userTitle?: string;
  /** Why, in one or two plain sentences for the person (same rules as `userTitle`). */
  userText?: string;
  detail: string;
  userFix: string | null;
  adminFix: string | null;
  source: string;
  /** The log entries or pasted error that confirm this finding (optional; absent when predicted only). */
  evidence?: EvidenceItem[];
}

export interface DiagnosisResult {
  findings: Finding[];
  /** Answer keys still unknown that would change the verdict. */
  questions: AnswerKey[];
}


/** One row of Graph's userRegistrationDetails report (the directory's view of a person's registered methods). */
export interface UserRegistrationDetail {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType?: 'member' | 'guest' | string;
  isAdmin?: boolean;
  isMfaCapable?: boolean;
  isMfaRegistered?: boolean;
  isPasswordlessCapable?: boolean;
  isSsprCapable?: boolean;
  methodsRegistered: string[];
  lastUpdatedDateTime?: string;
}
