import assert from 'node:assert/strict';
import { message } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';
import { TEST_DATABASE_URL, TestSchemas } from './support';

describe('The product with STORAGE_BACKEND=postgres', () => {
  const schemas = new TestSchemas();
  let h: Harness;
  let schema: string;

  before(async () => {
    schema = schemas.newSchema();
    h = await startHarness({ env: { STORAGE_BACKEND: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } });
  });
  after(async () => {
    await h.stop();
    await schemas.dropAll();
  });

  it('reports PostgreSQL as its storage on /healthz', async () => {
    const response = await fetch(`${h.helpdesk.botUrl}/healthz`);
    assert.deepEqual(await response.json(), { ok: true, mode: 'demo', storage: 'ok', graph: 'ok', evidence: 'not-read-yet' });
  });

  it('keeps turn state and conversation references in PostgreSQL, surviving a restart', async () => {
    const adele = h.person('adele@contoso.example');
    await h.post(message(h.ctx, adele, 'hello'));
    await h.connector.waitFor((c) => c.method === 'POST');
    await h.restart();
    const [reference] = await h.helpdesk.deps.references.personal(adele.aadObjectId);
    assert.equal(reference?.reference.serviceUrl, h.connector.serviceUrl);
    const rows = await schemas.sql<{ n: string }>(`select count(*) as n from "${schema}".documents`);
    assert.ok(Number(rows[0].n) >= 1, 'documents are stored in the PostgreSQL schema');
  });
});
