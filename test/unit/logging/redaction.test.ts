import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/config';
import { createLogger, isSecretKey, redactString } from '../../../src/logging';

/** A logger writing into an array of lines. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('trace', sink), text: () => lines.join('\n') };
}

const GUID = (n: number) => `${String(n).repeat(8)}-1111-2222-3333-444444444444`;

/** Every secret the configuration can hold, each a distinct value that must never appear in a log. */
const SECRETS = {
  MicrosoftAppPassword: 'bot-app-password-S3cr3t',
  CertificatePrivateKey: '-----BEGIN PRIVATE KEY-----bot-private-key-material',
  GRAPH_CLIENT_SECRET: 'graph-client-secret-S3cr3t',
  databasePassword: 'database-password-S3cr3t',
};

function everyConfig() {
  const base = { MicrosoftAppId: GUID(1), MicrosoftAppTenantId: GUID(2), HELPDESK_GROUP_ID: GUID(3), STORAGE_BACKEND: 'postgres', DATABASE_URL: `postgres://helpdesk:${SECRETS.databasePassword}@db.example:5432/helpdesk` };
  return [
    // A client secret for the bot, another for Graph.
    loadConfig({ ...base, MicrosoftAppPassword: SECRETS.MicrosoftAppPassword, GRAPH_CLIENT_ID: GUID(4), GRAPH_CLIENT_SECRET: SECRETS.GRAPH_CLIENT_SECRET }),
    // The bot's password reused for Graph (config.graph.credential.clientSecret).
    loadConfig({ ...base, MicrosoftAppPassword: SECRETS.MicrosoftAppPassword }),
    // A certificate with its private key.
    loadConfig({ ...base, CertificateThumbprint: 'AB12', CertificatePrivateKey: SECRETS.CertificatePrivateKey, GRAPH_CERTIFICATE_PATH: '/etc/cert.pem' }),
  ];
}

describe('Log redaction', () => {
  it('keeps every secret the configuration can hold out of the log, at any depth', () => {
    const { logger, text } = capture();
    const [withGraphSecret, withSharedSecret, withCertificate] = everyConfig();
    logger.info({ config: withGraphSecret }, 'configuration loaded');
    logger.info({ nested: { deeper: { config: withSharedSecret } } }, 'configuration loaded');
    logger.info(withCertificate, 'configuration loaded');
    logger.info({ env: { ...SECRETS, GRAPH_CLIENT_SECRET: SECRETS.GRAPH_CLIENT_SECRET } }, 'environment');
    const out = text();
    for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!out.includes(secret), `${name} leaked: ${out}`);
    // What is not secret stays readable.
    assert.match(out, /db\.example:5432/);
    assert.match(out, new RegExp(GUID(1)));
  });

  it('redacts secret-named keys whatever their case or separator, and nested passes', () => {
    const { logger, text } = capture();
    logger.warn(
      {
        request: { headers: { Authorization: 'Bearer eyJ-header-token', cookie: 'session=abc-cookie' } },
        clientSecret: 'client-secret-value',
        deep: { list: [{ password: 'pw-in-a-list' }], 'connection-string': 'Server=x;Password=conn-secret' },
        tap: { result: { temporaryAccessPass: 'TAP-VALUE-123' } },
        accessToken: 'access-token-value',
      },
      'outgoing call',
    );
    const out = text();
    for (const secret of ['eyJ-header-token', 'abc-cookie', 'client-secret-value', 'pw-in-a-list', 'conn-secret', 'TAP-VALUE-123', 'access-token-value']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.match(out, /\[redacted\]/);
  });

  it('masks credentials in URLs inside messages, errors and values', () => {
    const { logger, text } = capture();
    const error = new Error('connect ECONNREFUSED postgres://helpdesk:pw-in-error@db:5432/x');
    logger.error(error);
    logger.error({ err: error }, 'storage down');
    logger.warn('retrying %s', 'https://user:pw-in-arg@proxy.example/');
    logger.warn({ url: 'redis://:pw-redis@cache:6379' }, 'cache');
    const out = text();
    for (const secret of ['pw-in-error', 'pw-in-arg', 'pw-redis']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    assert.match(out, /ECONNREFUSED/, 'the error itself is still logged');
  });

  it('names secret keys by a general rule', () => {
    for (const key of ['secret', 'clientSecret', 'GRAPH_CLIENT_SECRET', 'Password', 'MicrosoftAppPassword', 'token', 'refresh_token', 'Authorization', 'connectionString', 'connection-string', 'temporaryAccessPass']) {
      assert.ok(isSecretKey(key), key);
    }
    for (const key of ['user', 'tenantId', 'message', 'requestId', 'url']) assert.ok(!isSecretKey(key), key);
    assert.equal(redactString('plain text with an @ sign'), 'plain text with an @ sign');
  });
});
