import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { DEMO_TOKEN, StaticTokenCredential, createGraphCredential } from '../../../src/graph/credentials';

describe('Graph credentials', () => {
  const tenantId = '00000000-0000-0000-0000-000000000001';
  const clientId = '00000000-0000-0000-0000-000000000002';

  it('builds a client-secret, certificate or managed-identity credential for a real tenant', () => {
    assert.ok(createGraphCredential({ kind: 'secret', tenantId, clientId, clientSecret: 's' }) instanceof ClientSecretCredential);
    assert.ok(createGraphCredential({ kind: 'certificate', tenantId, clientId, certificatePath: '/nonexistent.pem' }) instanceof ClientCertificateCredential);
    assert.ok(createGraphCredential({ kind: 'managedIdentity' }) instanceof ManagedIdentityCredential);
    assert.ok(createGraphCredential({ kind: 'managedIdentity', clientId }) instanceof ManagedIdentityCredential);
  });

  it('gives the demo tenant a fixed, non-secret token that does not expire in practice', async () => {
    const credential = createGraphCredential({ kind: 'demo' });
    assert.ok(credential instanceof StaticTokenCredential);
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    assert.equal(token?.token, DEMO_TOKEN);
    assert.ok(token!.expiresOnTimestamp > Date.now() + 365 * 24 * 3600 * 1000);
  });
});
