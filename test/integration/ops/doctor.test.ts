import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { doctorCommand } from '../../../src/cli/doctor';
import { loadConfig } from '../../../src/config/config';
import { openDoctor } from '../../../src/composition';
import { defaultFixturePath, loadFixture } from '../../../src/demoTenant';
import { createLogger } from '../../../src/logging';
import { exitCodeOf, PERMISSION_PROBES, runDoctor, type DoctorReport } from '../../../src/ops/doctor';
import type { AccessProbe, GraphPreflight, ProbeOutcome } from '../../../src/graph/port';

const EXPECTED_IDS = [
  'config',
  'graph-token',
  ...PERMISSION_PROBES.map((p) => `permission:${p.permission}`),
  'sign-in-log-licence',
  'registration-service-principal',
  'helpdesk-group',
  'report-group',
  'storage',
  'helpdesk-channel',
  'clock-skew',
];

async function doctorCli(env: Record<string, string>, args: string[] = ['--json']): Promise<{ code: number | undefined; stdout: string }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-cli-'));
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk) => (text += String(chunk)));
  try {
    const code = await doctorCommand(args, { env: { DATA_DIR: path.join(cwd, 'data'), ...env }, cwd, stdout, stderr: new PassThrough() });
    return { code, stdout: text };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/** The demo tenant's doctor, with one Graph answer replaced. */
async function doctorWith(env: Record<string, string>, override?: (probe: AccessProbe, real: () => Promise<ProbeOutcome>) => Promise<ProbeOutcome>, fixture = loadFixture(defaultFixturePath())): Promise<DoctorReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...env });
  const doctor = await openDoctor(config, { logger: createLogger('silent'), fixture, env: {} });
  try {
    const graph = doctor.deps.graph;
    const probe: GraphPreflight['probe'] = (name, target) => (override ? override(name, () => graph.probe(name, target)) : graph.probe(name, target));
    return await runDoctor({ ...doctor.deps, graph: Object.assign(Object.create(graph), { probe }) });
  } finally {
    await doctor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('passkey-helpdesk doctor', () => {
  it('in demo mode prints every check as {"checks":[{id,status,detail,fix}]}, all ok but the service principal Contoso lacks on purpose, and exits 0', async () => {
    const { code, stdout } = await doctorCli({});
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as DoctorReport;
    assert.deepEqual(Object.keys(report), ['checks']);
    assert.deepEqual(report.checks.map((c) => c.id), EXPECTED_IDS);
    for (const c of report.checks) {
      assert.deepEqual(Object.keys(c), ['id', 'status', 'detail', 'fix']);
      // Contoso has Conditional Access for all resources and no registration service principal (test/unit/demoTenant/contoso.test.ts).
      assert.equal(c.status, c.id === 'registration-service-principal' ? 'warn' : 'ok', `${c.id}: ${c.detail}`);
    }
  });

  it('without --json prints one line per check for a person', async () => {
    const { code, stdout } = await doctorCli({}, []);
    assert.equal(code, 0);
    assert.match(stdout, /^\[ok {2}\] config: demo mode/m);
    assert.match(stdout, /^\[WARN\] registration-service-principal: .*\n {7}fix: Create it once/m);
    assert.match(stdout, /Ready \(1 warning\)\./);
  });

  it('reports an invalid configuration as a failed config check and exits non-zero', async () => {
    const { code, stdout } = await doctorCli({ MicrosoftAppId: 'not-a-guid' });
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as DoctorReport;
    assert.equal(report.checks[0].id, 'config');
    assert.equal(report.checks[0].status, 'fail');
    assert.match(report.checks[0].detail, /MicrosoftAppId/);
    assert.match(report.checks[0].fix, /docs\/configuration\.md/);
  });

  it("names a permission Graph refuses with 403, says what stops working, and fails", async () => {
    const report = await doctorWith({}, async (probe, real) =>
      probe === 'authenticationMethodsPolicy' ? { ok: false, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } : real(),
    );
    const policy = check(report, 'permission:Policy.Read.All');
    assert.equal(policy.status, 'fail');
    assert.match(policy.detail, /missing Policy\.Read\.All/);
    assert.match(policy.fix, /admin consent/);
    assert.equal(exitCodeOf(report), 1);
    assert.deepEqual(report.checks.filter((c) => c.status === 'fail').map((c) => c.id), ['permission:Policy.Read.All']);
  });

  it('warns (and still exits 0) when the tenant has no premium licence for sign-in logs', async () => {
    const report = await doctorWith({}, async (probe, real) =>
      probe === 'signInLogs'
        ? { ok: false, status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" }
        : real(),
    );
    const licence = check(report, 'sign-in-log-licence');
    assert.equal(licence.status, 'warn');
    assert.match(licence.detail, /without sign-in evidence/);
    assert.equal(exitCodeOf(report), 0);
  });

  it('fails when HELPDESK_GROUP_ID names no group, and warns when the registration service principal is missing (Contoso)', async () => {
    const report = await doctorWith({ HELPDESK_GROUP_ID: '0badc0de-0000-4000-8000-000000000000' });
    assert.equal(check(report, 'helpdesk-group').status, 'fail');
    assert.match(check(report, 'helpdesk-group').detail, /does not exist/);
    assert.equal(check(report, 'permission:GroupMember.Read.All').status, 'ok', 'the permission is tested on the group list instead');
    assert.equal(check(report, 'registration-service-principal').status, 'warn');
    assert.match(check(report, 'registration-service-principal').fix, /6aa00308-ea33-4caa-90d6-ae905d8cb51b/);
  });

  it('fails the storage check when PostgreSQL is unreachable, without printing the password', async () => {
    const report = await doctorWith({ STORAGE_BACKEND: 'postgres', DATABASE_URL: 'postgres://helpdesk:s3cret-pw@127.0.0.1:1/helpdesk' });
    const storage = check(report, 'storage');
    assert.equal(storage.status, 'fail');
    assert.match(storage.fix, /DATABASE_URL/);
    assert.doesNotMatch(JSON.stringify(report), /s3cret-pw/);
  });
});
