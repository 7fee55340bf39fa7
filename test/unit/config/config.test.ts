import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, botFrameworkSettings, loadConfig } from '../../../src/config/config';

const APP_ID = '6f1c7e5e-1d2a-4d8e-9b7a-2f1e3c4d5a6b';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const GROUP = '0d1c2b3a-4958-4a6b-8c7d-9e0f1a2b3c4d';

function expectConfigError(env: Record<string, string>, variable: string, pattern?: RegExp) {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.variable, variable);
      if (pattern) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('Configuration', () => {
  it('runs in demo mode on loopback with defaults when no credentials are set', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'demo');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
    assert.equal(config.turnDeadlineMs, 8000);
    assert.equal(config.tenantPolicyCacheMs, 60_000);
    assert.equal(config.tap.allowPrivileged, false);
    assert.equal(config.auditRetentionDays, 400);
    assert.ok(path.isAbsolute(config.dataDir));
  });

  it('refuses to expose demo mode beyond loopback', () => {
    expectConfigError({ HOST: '0.0.0.0' }, 'HOST', /loopback/);
  });

  it('switches to tenant mode when bot credentials are set, reusing them for Graph', () => {
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret', MicrosoftAppTenantId: TENANT, HELPDESK_GROUP_ID: GROUP });
    assert.equal(config.mode, 'tenant');
    if (config.mode !== 'tenant') return;
    assert.equal(config.tenantId, TENANT);
    assert.deepEqual(config.graph.credential, { kind: 'secret', tenantId: TENANT, clientId: APP_ID, clientSecret: 's3cret' });
    assert.deepEqual(botFrameworkSettings(config), {
      MicrosoftAppId: APP_ID,
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppPassword: 's3cret',
      CertificateThumbprint: undefined,
      CertificatePrivateKey: undefined,
    });
  });

  it('uses a separate Graph app registration when GRAPH_CLIENT_ID names one', () => {
    const other = '1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809';
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: TENANT, HELPDESK_GROUP_ID: GROUP, GRAPH_CLIENT_ID: other, GRAPH_CLIENT_SECRET: 'y' });
    assert.equal(config.mode === 'tenant' && config.graph.credential.kind === 'secret' && config.graph.credential.clientId, other);
  });

  it('refuses tenant mode without a password, certificate or managed identity', () => {
    expectConfigError({ PASSKEY_HELPDESK_MODE: 'tenant', MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, HELPDESK_GROUP_ID: GROUP }, 'MicrosoftAppPassword');
  });

  it('refuses tenant mode without the tenant id or an app id', () => {
    expectConfigError({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId');
    expectConfigError({ PASSKEY_HELPDESK_MODE: 'tenant' }, 'MicrosoftAppId');
  });

  it('stores in SQLite by default and in PostgreSQL only with a DATABASE_URL', () => {
    assert.deepEqual(loadConfig({}).storage, { backend: 'sqlite' });
    assert.deepEqual(loadConfig({ STORAGE_BACKEND: 'postgres', DATABASE_URL: 'postgres://helpdesk@db:5432/helpdesk' }).storage, {
      backend: 'postgres',
      databaseUrl: 'postgres://helpdesk@db:5432/helpdesk',
      schema: undefined,
    });
    expectConfigError({ STORAGE_BACKEND: 'postgres' }, 'DATABASE_URL', /required when STORAGE_BACKEND=postgres/);
    expectConfigError({ STORAGE_BACKEND: 'postgres', DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres:\/\//);
    expectConfigError({ STORAGE_BACKEND: 'redis' }, 'STORAGE_BACKEND', /sqlite or postgres/);
  });

  it('names the variable and what is expected for a bad value', () => {
    expectConfigError({ PORT: 'eighty' }, 'PORT');
    expectConfigError({ MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId', /GUID/);
    expectConfigError({ TAP_ALLOW_PRIVILEGED: 'maybe' }, 'TAP_ALLOW_PRIVILEGED', /true or false/);
    expectConfigError({ TURN_DEADLINE_MS: '60000' }, 'TURN_DEADLINE_MS', /12000/);
    expectConfigError({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
  });

  it('makes the CLI print one line naming the variable and exit with code 2', () => {
    const cli = path.resolve(__dirname, '../../../src/cli/main.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, 'start', '--no-playground'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /PORT/);
  });
});
