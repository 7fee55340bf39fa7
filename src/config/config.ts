/**
 * Every setting comes from the environment (and an optional `.env`), validated
 * once at start-up. A bad value fails with one line naming the variable.
 * The catalogue lives in docs/configuration.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TAP_SETTINGS, MAX_ISSUE_ATTEMPTS_LIMIT, MIN_POLL_SECONDS, type TapSettings } from '../features/tap/domain/settings';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const guid = z.string().regex(GUID, 'a GUID such as 00000000-0000-0000-0000-000000000000');
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const port = z.coerce.number().int('a whole number').min(0, 'a port number 0-65535').max(65535, 'a port number 0-65535');
const positiveInt = z.coerce.number().int('a whole number').positive('a positive whole number');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The raw environment as the product reads it. Names are a public contract. */
const EnvSchema = z.object({
  PASSKEY_HELPDESK_MODE: z.enum(['demo', 'tenant'], { message: 'demo or tenant' }).optional(),
  PORT: port.default(3978),
  HOST: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { message: 'auto, json or pretty' }).default('auto'),
  MAX_REQUEST_BYTES: positiveInt.default(262_144),
  TURN_DEADLINE_MS: z.coerce.number().int('a whole number').min(1000, 'at least 1000').max(12000, 'at most 12000 (Teams gives up at ~15 s)').default(8000),

  // Bot Framework (tenant mode): the standard names.
  MicrosoftAppId: optionalText.pipe(guid.optional()),
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI'], { message: 'SingleTenant or UserAssignedMSI' }).optional(),
  MicrosoftAppTenantId: optionalText.pipe(guid.optional()),
  CertificateThumbprint: optionalText,
  CertificatePrivateKey: optionalText,
  // Bot Framework's cloud settings (sovereign and private clouds; the offline tenant-mode tests): botbuilder's names.
  ToBotFromChannelOpenIdMetadataUrl: optionalText.pipe(z.string().url('an absolute https URL of the channel\'s OpenID metadata').optional()),
  ToBotFromChannelTokenIssuer: optionalText,
  ToChannelFromBotLoginUrl: optionalText.pipe(z.string().url('an absolute URL such as https://login.microsoftonline.com/<tenant id>').optional()),
  ToChannelFromBotOAuthScope: optionalText,
  ValidateAuthority: bool.optional(),
  // @azure/identity's sign-in authority (its standard variable name); setting it turns instance discovery off.
  AZURE_AUTHORITY_HOST: optionalText.pipe(z.string().url('an absolute URL such as https://login.microsoftonline.us').optional()),

  // Graph (tenant mode): the bot's app registration unless these name another.
  GRAPH_BASE_URL: z.string().url('an absolute URL such as https://graph.microsoft.com/v1.0').default('https://graph.microsoft.com/v1.0'),
  GRAPH_TOKEN_SCOPE: optionalText,
  GRAPH_CLIENT_ID: optionalText.pipe(guid.optional()),
  GRAPH_CLIENT_SECRET: optionalText,
  GRAPH_CERTIFICATE_PATH: optionalText,
  GRAPH_USE_MANAGED_IDENTITY: bool.optional(),
  TENANT_POLICY_CACHE_SECONDS: z.coerce.number().int('a whole number').min(0, 'zero or more seconds').default(60),

  // Demo tenant.
  DEMO_TENANT_FILE: optionalText,
  DEMO_TENANT_PORT: port.default(3979),

  // Storage.
  DATA_DIR: z.string().trim().min(1, 'a directory path').default('./data'),
  STORAGE_BACKEND: z.enum(['sqlite', 'postgres'], { message: 'sqlite or postgres' }).default('sqlite'),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL such as postgres://helpdesk@db.example:5432/helpdesk').optional()),
  DATABASE_SCHEMA: optionalText,

  // Helpdesk routing and authorisation.
  HELPDESK_CHANNEL_ID: optionalText,
  HELPDESK_GROUP_ID: optionalText.pipe(guid.optional()),
  REPORT_GROUP_ID: optionalText.pipe(guid.optional()),

  // Temporary Access Pass workflow.
  // The one TAP settings schema (docs/tap.md "Timings and limits"); the cross-field rule is in ConfigSchema below.
  TAP_ALLOW_PRIVILEGED: bool.default('false'),
  TAP_DAILY_LIMIT: positiveInt.default(DEFAULT_TAP_SETTINGS.dailyLimit),
  TAP_REMINDER_MINUTES: positiveInt.default(DEFAULT_TAP_SETTINGS.reminderMinutes),
  TAP_PENDING_EXPIRY_MINUTES: positiveInt.default(DEFAULT_TAP_SETTINGS.pendingExpiryMinutes),
  TAP_REVEAL_EXPIRY_HOURS: positiveInt.default(DEFAULT_TAP_SETTINGS.revealExpiryHours),
  TAP_POLL_SECONDS: z.coerce
    .number()
    .int('a whole number')
    .min(MIN_POLL_SECONDS, `at least ${MIN_POLL_SECONDS} seconds (Graph throttles faster polling)`)
    .default(DEFAULT_TAP_SETTINGS.pollSeconds),
  TAP_MAX_ISSUE_ATTEMPTS: positiveInt
    .max(MAX_ISSUE_ATTEMPTS_LIMIT, `at most ${MAX_ISSUE_ATTEMPTS_LIMIT} (each attempt may leave a pass behind; after that the person asks the helpdesk again)`)
    .default(DEFAULT_TAP_SETTINGS.maxIssueAttempts),
  AUDIT_RETENTION_DAYS: positiveInt.default(400),

  // Language understanding (docs/conversation.md): optional hosted model; the local model always answers otherwise.
  AZURE_OPENAI_ENDPOINT: optionalText.pipe(z.string().url('an absolute URL such as https://my-resource.openai.azure.com').optional()),
  AZURE_OPENAI_DEPLOYMENT: optionalText,
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_API_VERSION: z.string().trim().min(1, 'an API version such as 2024-10-21').default('2024-10-21'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.string().url('an absolute URL such as https://api.openai.com/v1').optional()),
  OPENAI_MODEL: z.string().trim().min(1, 'a model name such as gpt-4o-mini').default('gpt-4o-mini'),
  NLU_MODEL_TIMEOUT_MS: z.coerce.number().int('a whole number').min(100, 'at least 100').max(2000, 'at most 2000 (a turn must not wait longer)').default(2000),
});

/** The environment's schema with the rules that span several variables. */
const ConfigSchema = EnvSchema.superRefine((env, ctx) => {
  if (env.TAP_REMINDER_MINUTES >= env.TAP_PENDING_EXPIRY_MINUTES) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['TAP_REMINDER_MINUTES'],
      message: `less than TAP_PENDING_EXPIRY_MINUTES (${env.TAP_PENDING_EXPIRY_MINUTES}): the reminder must come before the request expires`,
    });
  }
});

const NluEnvSchema = EnvSchema.pick({
  AZURE_OPENAI_ENDPOINT: true,
  AZURE_OPENAI_DEPLOYMENT: true,
  AZURE_OPENAI_API_KEY: true,
  AZURE_OPENAI_API_VERSION: true,
  OPENAI_API_KEY: true,
  OPENAI_BASE_URL: true,
  OPENAI_MODEL: true,
  NLU_MODEL_TIMEOUT_MS: true,
});

/** The hosted model that serves language understanding, if any. The API keys are secrets: never log them. */
export type NluModelConfig =
  | { kind: 'azure-openai'; endpoint: string; deployment: string; apiKey: string; apiVersion: string; timeoutMs: number }
  | { kind: 'openai'; apiKey: string; baseUrl?: string; model: string; timeoutMs: number };

export interface NluConfig {
  /** Unset: the local model only. */
  model?: NluModelConfig;
}

export type BotCredential =
  | { kind: 'secret'; appId: string; password: string }
  | { kind: 'certificate'; appId: string; thumbprint: string; privateKey: string }
  | { kind: 'managedIdentity'; appId: string };

export type GraphCredentialConfig =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'managedIdentity'; clientId?: string }
  | { kind: 'demo' };

interface CommonConfig {
  port: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** auto: human-readable on a terminal (dev), JSON otherwise. */
  logFormat: z.infer<typeof EnvSchema>['LOG_FORMAT'];
  maxRequestBytes: number;
  turnDeadlineMs: number;
  tenantPolicyCacheMs: number;
  dataDir: string;
  /** SQLite in DATA_DIR (one instance), or PostgreSQL (several instances). The URL may hold a password: never log it. */
  storage: { backend: 'sqlite' } | { backend: 'postgres'; databaseUrl: string; schema?: string };
  helpdeskChannelId?: string;
  helpdeskGroupId?: string;
  reportGroupId?: string;
  tap: TapSettings;
  auditRetentionDays: number;
  nlu: NluConfig;
}

export interface DemoConfig extends CommonConfig {
  mode: 'demo';
  /** Demo mode never leaves loopback: Bot Framework runs unauthenticated. */
  host: '127.0.0.1';
  demoTenantFile?: string;
  demoTenantPort: number;
}

export interface TenantConfig extends CommonConfig {
  mode: 'tenant';
  host: string;
  /** The one tenant whose activities are accepted. */
  tenantId: string;
  bot: BotCredential;
  /** Bot Framework's cloud settings as set (botbuilder's names); unset ones keep botbuilder's public-cloud defaults. */
  botFramework: {
    toBotFromChannelOpenIdMetadataUrl?: string;
    toBotFromChannelTokenIssuer?: string;
    toChannelFromBotLoginUrl?: string;
    toChannelFromBotOAuthScope?: string;
    validateAuthority?: boolean;
  };
  /** Where @azure/identity signs in (AZURE_AUTHORITY_HOST); undefined: Microsoft Entra's public cloud. */
  authorityHost?: string;
  graph: { baseUrl: string; credential: GraphCredentialConfig; tokenScope?: string };
}

export type Config = DemoConfig | TenantConfig;

/** Reads `.env` (if present) without overriding variables already set. */
export function readEnvironment(cwd: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const merged: Record<string, string | undefined> = {};
  if (fs.existsSync(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dotenv = require('dotenv') as typeof import('dotenv');
    Object.assign(merged, dotenv.parse(fs.readFileSync(file)));
  }
  for (const [key, value] of Object.entries(env)) merged[key] = value;
  return merged;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const hasBotCredentials = Boolean(e.MicrosoftAppId || e.MicrosoftAppPassword || e.CertificateThumbprint);
  const mode = e.PASSKEY_HELPDESK_MODE ?? (hasBotCredentials ? 'tenant' : 'demo');

  const common: CommonConfig = {
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    turnDeadlineMs: e.TURN_DEADLINE_MS,
    tenantPolicyCacheMs: e.TENANT_POLICY_CACHE_SECONDS * 1000,
    dataDir: path.resolve(e.DATA_DIR),
    storage: storageConfig(e),
    helpdeskChannelId: e.HELPDESK_CHANNEL_ID,
    helpdeskGroupId: e.HELPDESK_GROUP_ID,
    reportGroupId: e.REPORT_GROUP_ID,
    tap: {
      ...DEFAULT_TAP_SETTINGS,
      allowPrivileged: e.TAP_ALLOW_PRIVILEGED,
      dailyLimit: e.TAP_DAILY_LIMIT,
      reminderMinutes: e.TAP_REMINDER_MINUTES,
      pendingExpiryMinutes: e.TAP_PENDING_EXPIRY_MINUTES,
      revealExpiryHours: e.TAP_REVEAL_EXPIRY_HOURS,
      pollSeconds: e.TAP_POLL_SECONDS,
      maxIssueAttempts: e.TAP_MAX_ISSUE_ATTEMPTS,
    },
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    nlu: nluConfig(e),
  };

  if (mode === 'demo') {
    if (e.HOST && !['127.0.0.1', 'localhost', '::1'].includes(e.HOST)) {
      throw new ConfigError('HOST', 'demo mode listens on loopback only (127.0.0.1); set bot credentials to run in tenant mode');
    }
    return { ...common, mode, host: '127.0.0.1', demoTenantFile: e.DEMO_TENANT_FILE, demoTenantPort: e.DEMO_TENANT_PORT };
  }

  // Tenant mode: Bot Framework's anonymous mode must never face the internet.
  if (!e.MicrosoftAppId) throw new ConfigError('MicrosoftAppId', 'required in tenant mode: the bot app registration (client) id, a GUID');
  if (!e.MicrosoftAppTenantId) throw new ConfigError('MicrosoftAppTenantId', 'required in tenant mode: the id (GUID) of the one tenant whose activities are accepted');
  const appType = e.MicrosoftAppType ?? 'SingleTenant';
  let bot: BotCredential;
  if (appType === 'UserAssignedMSI') {
    bot = { kind: 'managedIdentity', appId: e.MicrosoftAppId };
  } else if (e.MicrosoftAppPassword) {
    bot = { kind: 'secret', appId: e.MicrosoftAppId, password: e.MicrosoftAppPassword };
  } else if (e.CertificateThumbprint && e.CertificatePrivateKey) {
    bot = { kind: 'certificate', appId: e.MicrosoftAppId, thumbprint: e.CertificateThumbprint, privateKey: e.CertificatePrivateKey };
  } else {
    throw new ConfigError('MicrosoftAppPassword', 'required in tenant mode (or CertificateThumbprint + CertificatePrivateKey, or MicrosoftAppType=UserAssignedMSI)');
  }
  if (!e.HELPDESK_GROUP_ID) throw new ConfigError('HELPDESK_GROUP_ID', 'required in tenant mode: the object id (GUID) of the security group whose members approve TAPs');

  return {
    ...common,
    mode,
    host: e.HOST ?? '0.0.0.0',
    tenantId: e.MicrosoftAppTenantId,
    bot,
    botFramework: {
      toBotFromChannelOpenIdMetadataUrl: e.ToBotFromChannelOpenIdMetadataUrl,
      toBotFromChannelTokenIssuer: e.ToBotFromChannelTokenIssuer,
      toChannelFromBotLoginUrl: e.ToChannelFromBotLoginUrl,
      toChannelFromBotOAuthScope: e.ToChannelFromBotOAuthScope,
      validateAuthority: e.ValidateAuthority,
    },
    authorityHost: e.AZURE_AUTHORITY_HOST?.replace(/\/+$/, ''),
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''), credential: graphCredential(e, bot, e.MicrosoftAppTenantId), tokenScope: e.GRAPH_TOKEN_SCOPE },
  };
}

/** Only the language-understanding settings (the `understand` CLI needs no bot or tenant settings). */
export function loadNluConfig(env: Record<string, string | undefined>): NluConfig {
  const parsed = NluEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return nluConfig(parsed.data);
}

function nluConfig(e: z.infer<typeof NluEnvSchema>): NluConfig {
  const timeoutMs = e.NLU_MODEL_TIMEOUT_MS;
  if (e.AZURE_OPENAI_ENDPOINT || e.AZURE_OPENAI_DEPLOYMENT) {
    if (!e.AZURE_OPENAI_ENDPOINT) throw new ConfigError('AZURE_OPENAI_ENDPOINT', 'required with AZURE_OPENAI_DEPLOYMENT: the Azure OpenAI resource URL');
    if (!e.AZURE_OPENAI_DEPLOYMENT) throw new ConfigError('AZURE_OPENAI_DEPLOYMENT', 'required with AZURE_OPENAI_ENDPOINT: the model deployment name');
    if (!e.AZURE_OPENAI_API_KEY) throw new ConfigError('AZURE_OPENAI_API_KEY', 'required with AZURE_OPENAI_ENDPOINT (managed identity is not supported for the model yet)');
    return {
      model: { kind: 'azure-openai', endpoint: e.AZURE_OPENAI_ENDPOINT, deployment: e.AZURE_OPENAI_DEPLOYMENT, apiKey: e.AZURE_OPENAI_API_KEY, apiVersion: e.AZURE_OPENAI_API_VERSION, timeoutMs },
    };
  }
  if (e.OPENAI_API_KEY) {
    return { model: { kind: 'openai', apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL, timeoutMs } };
  }
  return {};
}

function storageConfig(e: z.infer<typeof EnvSchema>): CommonConfig['storage'] {
  if (e.STORAGE_BACKEND === 'sqlite') return { backend: 'sqlite' };
  if (!e.DATABASE_URL) throw new ConfigError('DATABASE_URL', 'required when STORAGE_BACKEND=postgres (a postgres:// URL)');
  return { backend: 'postgres', databaseUrl: e.DATABASE_URL, schema: e.DATABASE_SCHEMA };
}

function graphCredential(e: z.infer<typeof EnvSchema>, bot: BotCredential, tenantId: string): GraphCredentialConfig {
  if (e.GRAPH_USE_MANAGED_IDENTITY) return { kind: 'managedIdentity', clientId: e.GRAPH_CLIENT_ID };
  if (e.GRAPH_CLIENT_ID) {
    if (e.GRAPH_CLIENT_SECRET) return { kind: 'secret', tenantId, clientId: e.GRAPH_CLIENT_ID, clientSecret: e.GRAPH_CLIENT_SECRET };
    if (e.GRAPH_CERTIFICATE_PATH) return { kind: 'certificate', tenantId, clientId: e.GRAPH_CLIENT_ID, certificatePath: e.GRAPH_CERTIFICATE_PATH };
    throw new ConfigError('GRAPH_CLIENT_SECRET', 'required with GRAPH_CLIENT_ID (or GRAPH_CERTIFICATE_PATH, or GRAPH_USE_MANAGED_IDENTITY=true)');
  }
  // The bot's own app registration reads Graph too.
  switch (bot.kind) {
    case 'secret':
      return { kind: 'secret', tenantId, clientId: bot.appId, clientSecret: bot.password };
    case 'managedIdentity':
      return { kind: 'managedIdentity', clientId: bot.appId };
    case 'certificate':
      if (!e.GRAPH_CERTIFICATE_PATH) throw new ConfigError('GRAPH_CERTIFICATE_PATH', 'a PEM file (certificate + private key) for Graph when the bot authenticates with a certificate');
      return { kind: 'certificate', tenantId, clientId: bot.appId, certificatePath: e.GRAPH_CERTIFICATE_PATH };
  }
}

/** Settings handed to botbuilder's ConfigurationBotFrameworkAuthentication (standard names). */
export function botFrameworkSettings(config: Config): Record<string, string | undefined> {
  if (config.mode === 'demo') return {};
  const bot = config.bot;
  return {
    MicrosoftAppId: bot.appId,
    MicrosoftAppTenantId: config.tenantId,
    MicrosoftAppType: bot.kind === 'managedIdentity' ? 'UserAssignedMSI' : 'SingleTenant',
    MicrosoftAppPassword: bot.kind === 'secret' ? bot.password : undefined,
    CertificateThumbprint: bot.kind === 'certificate' ? bot.thumbprint : undefined,
    CertificatePrivateKey: bot.kind === 'certificate' ? bot.privateKey : undefined,
    ...cloudSettings(config.botFramework),
  };
}

/** Bot Framework's public-cloud values (botframework-connector's AuthenticationConstants). */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/**
 * botbuilder switches to "parameterized" authentication as soon as one cloud setting is given and then
 * leaves the others empty, so a partial override is completed with the public cloud's values.
 */
function cloudSettings(cloud: TenantConfig['botFramework']): Record<string, string | undefined> {
  const given = {
    ToBotFromChannelOpenIdMetadataUrl: cloud.toBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: cloud.toBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: cloud.toChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: cloud.toChannelFromBotOAuthScope,
  };
  const validate = cloud.validateAuthority === undefined ? {} : { ValidateAuthority: String(cloud.validateAuthority) };
  if (Object.values(given).every((value) => value === undefined)) return validate;
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { ...PUBLIC_CLOUD, ...defined, ...validate };
}
