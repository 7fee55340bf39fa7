import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { defaultFixturePath, loadFixture } from '../../../src/demoTenant';
import { documentedPersonas } from '../features/diagnosis/personas';
import { message } from '../../support/activities';
import { signingKey } from '../../support/identityStandIn';
import { HELPDESK_CHANNEL, HELPDESK_GROUP_ID, cardText, click, install, installTeam, requestIdOf, revealedValue, submit } from '../features/tap/support';
import { diagnose, findingIds, readmePermissions, startTenantWorld, type TenantWorld } from './support';

/** A refusal a person can read: it says a permission is missing, never an exception text. */
function assertClearRefusal(card: Record<string, any>): void {
  const text = cardText(card);
  assert.match(text, /not allowed/);
  assert.match(text, /missing a permission in Microsoft Entra ID/);
  assert.match(text, /told the helpdesk/);
  assert.doesNotMatch(text, /Error:|TypeError|stack|at \w+ \(|Authorization_RequestDenied|undefined/);
}

/** The helpdesk channel was told how to find the missing permission (at most hourly per feature). */
function assertHelpdeskTold(world: TenantWorld): void {
  const posts = world.connector.calls.filter((c) => c.path === '/v3/conversations' && JSON.stringify(c.body).includes('passkey-helpdesk doctor'));
  assert.ok(posts.length > 0, 'a message in the helpdesk channel names passkey-helpdesk doctor');
  assert.ok(JSON.stringify(posts[0].body).includes(HELPDESK_CHANNEL), 'in the helpdesk channel');
}

describe('Tenant mode end to end, offline (identity stand-in, strict Graph, signed channel tokens)', function () {
  this.timeout(180_000);
  let world: TenantWorld;
  before(async () => {
    world = await startTenantWorld();
    await installTeam(world.harness);
  });
  after(async () => world?.stop());
  afterEach(function () {
    // The bot's own account of a failure is the quickest diagnosis.
    if (this.currentTest?.state === 'failed') console.log(world.bot.output.filter((l) => /"level":(40|50)/.test(l)).slice(-15).join('\n'));
  });
  beforeEach(() => {
    world.idp.grantedRoles = readmePermissions();
  });

  it('runs the whole TAP round trip with the README permission set, replying with the bot\'s own tokens', async () => {
    const h = world.harness;
    await install(h, 'alex@contoso.example');
    await install(h, 'pradeep@contoso.example');
    const requestId = requestIdOf(await submit(h, 'alex@contoso.example', { reason: 'New phone, tenant mode' }));
    const approved = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
    assert.match(cardText(approved), /Approved/);
    const revealed = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    assert.equal(revealedValue(revealed).length, 8);

    // Everything the bot sent to the connector carried a Bot Connector token from the stand-in's tenant.
    const sent = world.connector.calls;
    assert.ok(sent.length > 0);
    for (const call of sent) {
      const token = /^Bearer (.+)$/.exec(call.authorization ?? '')?.[1];
      assert.ok(token, `${call.method} ${call.path} carried a bearer token`);
      const claims = jwt.verify(token, createPublicKey({ key: world.idp.entraKey.publicJwk as JsonWebKey, format: 'jwk' }), { algorithms: ['RS256'] }) as jwt.JwtPayload;
      assert.equal(claims.aud, 'https://api.botframework.com');
      assert.equal(claims.appid, world.idp.appId);
    }
    const scopes = new Set(world.idp.tokenRequests.map((r) => r.scope));
    assert.ok(scopes.has('https://graph.microsoft.com/.default'), 'Graph tokens came from the client-credentials endpoint');
    assert.ok(scopes.has('https://api.botframework.com/.default'), 'Bot Connector tokens came from the client-credentials endpoint');
  });

  it('diagnoses a persona in tenant mode with the README permission set, with the documented findings', async () => {
    const persona = documentedPersonas(loadFixture(defaultFixturePath())).find((p) => p.upn === 'megan@contoso.example')!;
    const card = await diagnose(world, persona.upn, persona.answers);
    assert.deepEqual(findingIds(card), persona.expected);
  });

  describe('activities Teams did not sign for this bot are refused before any bot code runs, with no reply', () => {
    const unsignedToken = (claims: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const cases: Array<[string, (w: TenantWorld) => string | null, number]> = [
      ['no Authorization header', () => null, 401],
      ['an unsigned token (alg none)', (w) => `Bearer ${unsignedToken({ iss: 'https://api.botframework.com', aud: w.idp.appId, serviceurl: w.connector.serviceUrl, exp: Math.floor(Date.now() / 1000) + 600 })}`, 401],
      ['an expired token', (w) => `Bearer ${w.idp.channelToken({ audience: w.idp.appId, serviceUrl: w.connector.serviceUrl, expiresIn: -900 })}`, 401],
      ['a token for another bot (audience)', (w) => `Bearer ${w.idp.channelToken({ audience: '11111111-2222-4333-8444-555555555555', serviceUrl: w.connector.serviceUrl })}`, 401],
      ['a token from another issuer', (w) => `Bearer ${w.idp.channelToken({ audience: w.idp.appId, serviceUrl: w.connector.serviceUrl, issuer: 'https://sts.example.org/' })}`, 401],
      ['a token signed with a key the channel does not publish', (w) => `Bearer ${w.idp.channelToken({ audience: w.idp.appId, serviceUrl: w.connector.serviceUrl, key: signingKey() })}`, 401],
      ['a token for another serviceUrl', (w) => `Bearer ${w.idp.channelToken({ audience: w.idp.appId, serviceUrl: 'https://smba.example.org/amer/' })}`, 401],
    ];
    for (const [what, authorization, status] of cases) {
      it(`${what} → ${status}`, async () => {
        world.connector.clear();
        const answer = await world.post(message(world.ctx, world.person('alex@contoso.example'), 'help'), authorization(world));
        assert.equal(answer.status, status);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(world.connector.calls.length, 0, 'no reply');
      });
    }

    it('a correctly signed activity from another tenant → 403', async () => {
      world.connector.clear();
      const activity = message({ ...world.ctx, tenantId: '99999999-9999-4999-8999-999999999999' }, world.person('alex@contoso.example'), 'help');
      const answer = await world.post(activity);
      assert.equal(answer.status, 403);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(world.connector.calls.length, 0, 'no reply');
    });
  });

  describe('each README permission withheld in turn: the feature that needs it degrades, nothing else breaks', () => {
    /** What still works without each permission (docs/deploy.md#permissions). */
    const WITHOUT: Record<string, { tap: boolean; diagnosis: boolean }> = {
      // Learn lists UserAuthenticationMethod.ReadWrite.All as a higher privilege for TAPs: it covers them.
      'UserAuthMethod-TAP.ReadWrite.All': { tap: true, diagnosis: true },
      'UserAuthenticationMethod.ReadWrite.All': { tap: false, diagnosis: false },
      'Policy.Read.All': { tap: false, diagnosis: false },
      'User.Read.All': { tap: false, diagnosis: false },
      'GroupMember.Read.All': { tap: true, diagnosis: true },
      'RoleManagement.Read.Directory': { tap: true, diagnosis: true },
      'DeviceManagementManagedDevices.Read.All': { tap: true, diagnosis: true },
      'Application.Read.All': { tap: true, diagnosis: true },
      'AuditLog.Read.All': { tap: true, diagnosis: true },
    };
    // Requesters the TAP policy allows (enabled members, no admin role), one per case.
    const ELIGIBLE = ['bianca', 'patti', 'emily', 'diego', 'irvin', 'johanna', 'lee', 'nestor', 'adele'].map((n) => `${n}@contoso.example`);
    const megan = () => documentedPersonas(loadFixture(defaultFixturePath())).find((p) => p.upn === 'megan@contoso.example')!;

    it('the table covers exactly the README permissions', () => {
      assert.deepEqual(Object.keys(WITHOUT).sort(), readmePermissions().sort());
      assert.ok(ELIGIBLE.length >= readmePermissions().length);
    });

    it('without RoleManagement.Read.Directory an admin account still counts as privileged (no TAP for it)', async () => {
      await install(world.harness, 'debra@contoso.example');
      world.idp.grantedRoles = readmePermissions().filter((p) => p !== 'RoleManagement.Read.Directory');
      const card = await submit(world.harness, 'debra@contoso.example', { reason: 'admin without role permission' });
      assert.match(cardText(card), /directory \(admin\) role/);
    });

    readmePermissions().forEach((permission, index) => {
      it(`without ${permission}: TAP ${WITHOUT[permission]?.tap ? 'works' : 'is refused with a clear card'}, diagnosis ${WITHOUT[permission]?.diagnosis ? 'works' : 'is refused with a clear card'}${WITHOUT[permission]?.tap && WITHOUT[permission]?.diagnosis ? '' : ', the helpdesk is told'}`, async () => {
        const h = world.harness;
        const requester = ELIGIBLE[index];
        await install(h, 'pradeep@contoso.example');
        await install(h, requester);
        world.idp.grantedRoles = readmePermissions().filter((p) => p !== permission);
        const expected = WITHOUT[permission];

        const submitted = await submit(h, requester, { reason: `without ${permission}` });
        if (expected.tap) {
          const requestId = requestIdOf(submitted);
          await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'video-call-with-id' }, true);
          assert.equal(revealedValue(await click(h, requester, 'tap.reveal', { requestId })).length, 8);
        } else {
          assertClearRefusal(submitted);
        }

        const card = await diagnose(world, megan().upn, megan().answers);
        if (expected.diagnosis) assert.deepEqual(findingIds(card), megan().expected);
        else assertClearRefusal(card);
        if (!expected.tap || !expected.diagnosis) await waitUntil(() => assertHelpdeskTold(world));

        // Granted again, the same person gets through: nothing was left half-done.
        world.idp.grantedRoles = readmePermissions();
        if (!expected.tap) {
          const again = await submit(h, requester, { reason: 'permission granted again' });
          assert.match(cardText(again), /Sent to the helpdesk|waiting for the helpdesk/);
        }
      });
    });
  });

  describe('passkey-helpdesk doctor against the stand-in', () => {
    const doctor = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../../src/cli/main.ts'), 'doctor', '--json'], {
          cwd: path.resolve(__dirname, '../../..'),
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk) => (stdout += String(chunk)));
        child.once('exit', (code) => resolve({ code, stdout }));
      });
    const env = () => ({
      ...world.idp.botEnv(),
      GRAPH_BASE_URL: `${world.graphUrl}/v1.0`,
      DATA_DIR: world.dataDir,
      HELPDESK_GROUP_ID,
      HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL,
    });

    it('passes with the README permission set (the registration service principal is a warning in Contoso)', async () => {
      const { code, stdout } = await doctor(env());
      const report = JSON.parse(stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
      assert.deepEqual(report.checks.filter((c) => c.status !== 'ok').map((c) => c.id), ['registration-service-principal'], stdout);
      assert.equal(code, 0);
    });

    it('names a withheld permission and exits non-zero', async () => {
      world.idp.grantedRoles = readmePermissions().filter((p) => p !== 'Policy.Read.All');
      const { code, stdout } = await doctor(env());
      const report = JSON.parse(stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
      const failed = report.checks.filter((c) => c.status === 'fail');
      assert.deepEqual(failed.map((c) => c.id), ['permission:Policy.Read.All']);
      assert.match(failed[0].detail, /missing Policy\.Read\.All/);
      assert.equal(code, 1);
    });
  });
});

async function waitUntil(check: () => void, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
