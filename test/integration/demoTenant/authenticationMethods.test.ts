import assert from 'node:assert/strict';
import type { Fixture } from '../../../src/demoTenant';
import { contoso, startDemo, userId, type RunningDemo } from './helpers';

const TAP = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';
const AT = Date.parse('2026-11-25T12:00:00Z');

/** The Contoso fixture with its TemporaryAccessPass configuration changed. */
function withTapPolicy(change: Record<string, unknown>): Fixture {
  const fixture = contoso();
  const tap = fixture.authenticationMethodsPolicy.authenticationMethodConfigurations.find((configuration) => configuration.id === 'TemporaryAccessPass');
  Object.assign(tap!, change);
  return fixture;
}

describe('Demo tenant: authentication methods and Temporary Access Passes', () => {
  let running: RunningDemo | undefined;
  let clock = AT;
  const start = async (fixture?: Fixture) => {
    clock = AT;
    running = await startDemo({ now: () => new Date(clock) }, fixture);
    return running;
  };
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  describe('reading methods', () => {
    it('lists all methods with their real @odata.type names, the password included', async () => {
      const { get } = await start();
      const answer = await get('/users/patti@contoso.example/authentication/methods');
      assert.match(answer.body['@odata.context'], /\/\$metadata#users\('c0000001-0000-4000-8000-000000000018'\)\/authentication\/methods$/);
      assert.deepEqual(answer.body.value.map((method: { '@odata.type': string }) => method['@odata.type']).sort(), [
        '#microsoft.graph.fido2AuthenticationMethod',
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        '#microsoft.graph.passwordAuthenticationMethod',
      ]);
      const passkey = answer.body.value.find((method: { '@odata.type': string }) => method['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod');
      assert.equal(passkey.aaGuid, '90a3ccdf-635c-4729-a248-9b709135078f', 'Authenticator on iOS');
    });

    it('serves each typed collection with only its own type', async () => {
      const { get } = await start();
      const collections: Record<string, string> = {
        fido2Methods: 'fido2AuthenticationMethod',
        microsoftAuthenticatorMethods: 'microsoftAuthenticatorAuthenticationMethod',
        phoneMethods: 'phoneAuthenticationMethod',
        emailMethods: 'emailAuthenticationMethod',
        softwareOathMethods: 'softwareOathAuthenticationMethod',
        windowsHelloForBusinessMethods: 'windowsHelloForBusinessAuthenticationMethod',
        passwordMethods: 'passwordAuthenticationMethod',
        temporaryAccessPassMethods: 'temporaryAccessPassAuthenticationMethod',
        platformCredentialMethods: 'platformCredentialAuthenticationMethod',
      };
      for (const [collection, type] of Object.entries(collections)) {
        for (const persona of ['joni', 'debra', 'jordan', 'lee', 'patti']) {
          const answer = await get(`/users/${persona}@contoso.example/authentication/${collection}`);
          assert.equal(answer.status, 200, `${persona} ${collection}`);
          assert.ok(answer.body['@odata.context'].endsWith(`/authentication/${collection}`));
          assert.ok(answer.body.value.every((method: { '@odata.type': string }) => method['@odata.type'] === `#microsoft.graph.${type}`));
        }
      }
      assert.equal((await get('/users/joni@contoso.example/authentication/phoneMethods')).body.value[0].phoneType, 'mobile');
      assert.equal((await get('/users/jordan@contoso.example/authentication/emailMethods')).body.value.length, 1);
    });

    it('reads one method by id, and 404s for an unknown id', async () => {
      const { get } = await start();
      const list = await get('/users/joni@contoso.example/authentication/microsoftAuthenticatorMethods');
      const id = list.body.value[0].id;
      assert.equal((await get(`/users/joni@contoso.example/authentication/microsoftAuthenticatorMethods/${id}`)).body.id, id);
      assert.equal((await get(`/users/joni@contoso.example/authentication/methods/${id}`)).body.id, id);
      const missing = await get('/users/joni@contoso.example/authentication/fido2Methods/nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
    });

    it('shows a spent one-time TAP as unusable with methodUsabilityReason OneTimeUsed and no code', async () => {
      const { get } = await start();
      const [tap] = (await get('/users/lee@contoso.example/authentication/temporaryAccessPassMethods')).body.value;
      assert.equal(tap.isUsableOnce, true);
      assert.equal(tap.isUsable, false);
      assert.equal(tap.methodUsabilityReason, 'OneTimeUsed');
      assert.equal(tap.temporaryAccessPass, null);
    });
  });

  describe('deleting methods', () => {
    it('deletes an Authenticator registration through its typed collection (204), after which it is gone', async () => {
      const { get, del } = await start();
      const [authenticator] = (await get('/users/joni@contoso.example/authentication/microsoftAuthenticatorMethods')).body.value;
      const answer = await del(`/users/joni@contoso.example/authentication/microsoftAuthenticatorMethods/${authenticator.id}`);
      assert.equal(answer.status, 204);
      assert.equal(answer.body, undefined);
      const after = await get('/users/joni@contoso.example/authentication/methods');
      assert.equal(after.body.value.some((method: { id: string }) => method.id === authenticator.id), false);
      assert.equal((await del(`/users/joni@contoso.example/authentication/microsoftAuthenticatorMethods/${authenticator.id}`)).status, 404);
    });

    it('deletes passkeys and phone methods, but not the password (405)', async () => {
      const { get, del } = await start();
      const [passkey] = (await get('/users/patti@contoso.example/authentication/fido2Methods')).body.value;
      assert.equal((await del(`/users/patti@contoso.example/authentication/fido2Methods/${passkey.id}`)).status, 204);
      const [phone] = (await get('/users/joni@contoso.example/authentication/phoneMethods')).body.value;
      assert.equal((await del(`/users/joni@contoso.example/authentication/phoneMethods/${phone.id}`)).status, 204);
      const [password] = (await get('/users/joni@contoso.example/authentication/passwordMethods')).body.value;
      assert.equal((await del(`/users/joni@contoso.example/authentication/passwordMethods/${password.id}`)).status, 405);
      assert.equal((await del(`/users/joni@contoso.example/authentication/methods/${password.id}`)).status, 405);
    });
  });

  describe('creating a Temporary Access Pass', () => {
    const create = (running: RunningDemo, upn: string, body: unknown) => running.post(`/users/${upn}/authentication/temporaryAccessPassMethods`, body);

    it('answers 201 with the code once, and later reads show null', async () => {
      const demo = await start();
      const created = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 120, isUsableOnce: false });
      assert.equal(created.status, 201);
      assert.equal(created.body['@odata.type'], TAP);
      assert.match(created.body['@odata.context'], /temporaryAccessPassMethods\/\$entity$/);
      assert.equal(typeof created.body.temporaryAccessPass, 'string');
      assert.equal(created.body.temporaryAccessPass.length, 8, "the policy's defaultLength");
      assert.equal(created.body.lifetimeInMinutes, 120);
      assert.equal(created.body.isUsable, true);
      assert.equal(created.body.methodUsabilityReason, 'EnabledByPolicy');
      assert.equal(created.body.startDateTime, new Date(AT).toISOString());

      const listed = await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods');
      assert.equal(listed.body.value.length, 1);
      assert.equal(listed.body.value[0].temporaryAccessPass, null);
      const one = await demo.get(`/users/alex@contoso.example/authentication/temporaryAccessPassMethods/${created.body.id}`);
      assert.equal(one.body.temporaryAccessPass, null);
      const everything = await demo.get('/users/alex@contoso.example/authentication/methods');
      assert.equal(JSON.stringify(everything.body).includes(created.body.temporaryAccessPass), false);
    });

    it('uses the policy default lifetime when none is asked for, and draws a new code each time', async () => {
      const demo = await start();
      const first = await create(demo, 'alex@contoso.example', {});
      assert.equal(first.body.lifetimeInMinutes, 60);
      assert.equal(first.body.isUsableOnce, false);
      const second = await create(demo, 'alex@contoso.example', {});
      assert.notEqual(first.body.temporaryAccessPass, second.body.temporaryAccessPass);
    });

    it('keeps one TAP per user: a new one replaces the old', async () => {
      const demo = await start();
      const first = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 60 });
      const second = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 90 });
      const listed = await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods');
      assert.deepEqual(listed.body.value.map((tap: { id: string }) => tap.id), [second.body.id]);
      assert.equal((await demo.get(`/users/alex@contoso.example/authentication/temporaryAccessPassMethods/${first.body.id}`)).status, 404);
      // Lee's spent one-time TAP is replaced too.
      await create(demo, 'lee@contoso.example', { lifetimeInMinutes: 60 });
      const lee = await demo.get('/users/lee@contoso.example/authentication/temporaryAccessPassMethods');
      assert.equal(lee.body.value.length, 1);
      assert.equal(lee.body.value[0].isUsable, true);
    });

    it('refuses a lifetime outside the policy’s minimum..maximum with 400', async () => {
      const demo = await start();
      for (const lifetimeInMinutes of [59, 481, 10_000]) {
        const answer = await create(demo, 'alex@contoso.example', { lifetimeInMinutes });
        assert.equal(answer.status, 400, `${lifetimeInMinutes} minutes`);
        assert.match(answer.body.error.message, /between 60 and 480/);
      }
      assert.equal((await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 480 })).status, 201);
      assert.equal((await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 'soon' })).status, 400);
    });

    it('refuses with 400 when the TAP method is disabled in the policy', async () => {
      const demo = await start(withTapPolicy({ state: 'disabled' }));
      const answer = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 60 });
      assert.equal(answer.status, 400);
      assert.match(answer.body.error.message, /disabled/);
      assert.deepEqual((await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods')).body.value, []);
    });

    it('refuses with 403 a user the policy excludes (Contractors) or does not include', async () => {
      const demo = await start();
      const excluded = await create(demo, 'enrico@contoso.example', { lifetimeInMinutes: 60 });
      assert.equal(excluded.status, 403);
      assert.equal(excluded.body.error.code, 'accessDenied');
      await demo.close();
      const fixture = withTapPolicy({ includeTargets: [{ targetType: 'group', id: contoso().groups.find((g) => g.displayName === 'Passkey Helpdesk')!.id }] });
      const narrow = await start(fixture);
      assert.equal((await create(narrow, 'alex@contoso.example', { lifetimeInMinutes: 60 })).status, 403);
      assert.equal((await create(narrow, 'pradeep@contoso.example', { lifetimeInMinutes: 60 })).status, 201);
    });

    it('forces isUsableOnce when the policy makes every pass one-time, and uses the policy’s length', async () => {
      const demo = await start(withTapPolicy({ isUsableOnce: true, defaultLength: 12 }));
      const answer = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 60, isUsableOnce: false });
      assert.equal(answer.status, 201);
      assert.equal(answer.body.isUsableOnce, true);
      assert.equal(answer.body.temporaryAccessPass.length, 12);
    });

    it('computes NotYetValid before startDateTime and Expired after the lifetime', async () => {
      const demo = await start();
      const later = new Date(AT + 60 * 60_000).toISOString();
      const created = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 60, startDateTime: later });
      assert.equal(created.body.methodUsabilityReason, 'NotYetValid');
      assert.equal(created.body.isUsable, false);
      clock = AT + 90 * 60_000;
      const during = await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods');
      assert.equal(during.body.value[0].methodUsabilityReason, 'EnabledByPolicy');
      clock = AT + 121 * 60_000;
      const after = await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods');
      assert.equal(after.body.value[0].isUsable, false);
      assert.equal(after.body.value[0].methodUsabilityReason, 'Expired');
    });

    it('deletes a TAP (204), after which the user has none', async () => {
      const demo = await start();
      const created = await create(demo, 'alex@contoso.example', { lifetimeInMinutes: 60 });
      assert.equal((await demo.del(`/users/alex@contoso.example/authentication/temporaryAccessPassMethods/${created.body.id}`)).status, 204);
      assert.deepEqual((await demo.get('/users/alex@contoso.example/authentication/temporaryAccessPassMethods')).body.value, []);
    });

    it('answers 404 for an unknown user and 405 for POST on collections that are not TAPs', async () => {
      const demo = await start();
      assert.equal((await create(demo, 'nobody@contoso.example', {})).status, 404);
      assert.equal((await demo.post(`/users/${userId(contoso(), 'alex')}/authentication/fido2Methods`, {})).status, 405);
      assert.equal((await demo.post('/users/alex@contoso.example/authentication/methods', {})).status, 405);
    });
  });
});
