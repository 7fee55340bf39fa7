import assert from 'node:assert/strict';
import { readinessPass } from '../../../../src/features/status/app/reportSnapshots';
import { createDemoTenant, defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { createGraphCredential, createGraphPort } from '../../../../src/graph';
import { listenHttp, type Listening } from '../../../../src/server';
import { GROUPS, REPORT_ROUTE } from './support';

describe('Readiness report across many pages (demo tenant with a small page size)', () => {
  const fixture = loadFixture(defaultFixturePath());
  let listening: Listening;
  let demo: ReturnType<typeof createDemoTenant>;

  before(async () => {
    demo = createDemoTenant(fixture, { pageSize: 3 });
    listening = await listenHttp(demo.listener, '127.0.0.1', 0);
  });
  after(async () => listening.close());
  beforeEach(() => demo.resetStats());

  const graph = () => createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: fixture.tenant.id });

  it('follows @odata.nextLink to the last page and counts every row once', async () => {
    const seen: string[] = [];
    const pass = await readinessPass(graph(), { now: () => new Date('2025-03-01T06:00:00Z'), onRow: (row) => void seen.push(row.id) });
    // 33 enabled users, 3 per page (the server's page size when no $top is sent).
    assert.equal(pass.pages, 11);
    assert.equal(demo.stats.byPath.get(REPORT_ROUTE), 11);
    assert.equal(seen.length, 33);
    assert.equal(new Set(seen).size, 33, 'no row twice');
    assert.deepEqual(pass.report.totals, { users: 33, guests: 2, phishingResistant: 7, passkeyInAuthenticator: 3, phishableOnly: 20, noMfa: 6 });
    assert.equal(pass.report.generatedAt, '2025-03-01T06:00:00.000Z');
  });

  it('gives the same counts whatever the page size, departments and groups included', async () => {
    const small = await readinessPass(graph(), { now: () => new Date(0), pageSize: 2, groups: [{ id: GROUPS.passkeyPilot, name: 'Passkey Pilot' }] });
    const large = await readinessPass(graph(), { now: () => new Date(0), pageSize: 999, groups: [{ id: GROUPS.passkeyPilot, name: 'Passkey Pilot' }] });
    assert.equal(small.pages, 17, '$top=2');
    assert.equal(large.pages, 11, 'the server caps $top=999 at its own page size (3)');
    assert.deepEqual(small.report, large.report);
    assert.deepEqual(small.groups.get(GROUPS.passkeyPilot), { users: 24, guests: 0, phishingResistant: 6, passkeyInAuthenticator: 3, phishableOnly: 14, noMfa: 4 });
  });

  it('waits between report pages when asked to (the report API allows about 5 requests per 10 s)', async () => {
    const waits: number[] = [];
    await readinessPass(graph(), {
      now: () => new Date(0),
      byDepartment: false,
      minPageIntervalMs: 2_000,
      sleep: async (ms) => void waits.push(ms),
    });
    // 11 pages: a wait before each further page, and once more before the
    // iterator finds there is none (the port doesn't expose the next link).
    assert.equal(waits.length, 11);
    for (const ms of waits) assert.ok(ms > 1_500 && ms <= 2_000, `waited ${ms} ms`);
  });
});
