import assert from 'node:assert/strict';
import { contoso, startDemo, userId, type RunningDemo } from './helpers';

const REPORT = '/reports/authenticationMethods/userRegistrationDetails';

describe('Demo tenant: userRegistrationDetails report', () => {
  const fixture = contoso();
  const enabledUsers = fixture.users.filter((user) => user.accountEnabled !== false);
  let running: RunningDemo;
  afterEach(() => running.close());

  async function allRows(firstUrl: string): Promise<{ rows: any[]; pages: number }> {
    const rows: any[] = [];
    let pages = 0;
    let url: string | undefined = firstUrl;
    while (url) {
      const page = await running.fetchUrl(url, { headers: { Authorization: 'Bearer t' } });
      assert.equal(page.status, 200);
      rows.push(...page.body.value);
      url = page.body['@odata.nextLink'];
      pages++;
    }
    return { rows, pages };
  }

  it('pages with @odata.nextLink at the configured page size and leaves out disabled accounts', async () => {
    running = await startDemo({ pageSize: 4 });
    const { rows, pages } = await allRows(`${running.base}${REPORT}`);
    assert.equal(rows.length, enabledUsers.length);
    assert.equal(pages, Math.ceil(enabledUsers.length / 4));
    assert.equal(new Set(rows.map((row) => row.id)).size, rows.length);
    assert.equal(rows.some((row) => row.userPrincipalName === 'miriam@contoso.example'), false, 'Miriam is disabled');
  });

  it('honours $top as the page size', async () => {
    running = await startDemo();
    const first = await running.get(`${REPORT}?$top=5`);
    assert.equal(first.body.value.length, 5);
    assert.match(first.body['@odata.nextLink'], /\$top=5&\$skiptoken=/);
    const { rows } = await allRows(`${running.base}${REPORT}?$top=5`);
    assert.equal(rows.length, enabledUsers.length);
  });

  it('derives methodsRegistered and the capability flags from each user’s methods', async () => {
    running = await startDemo();
    const { rows } = await allRows(`${running.base}${REPORT}`);
    const row = (upn: string) => rows.find((candidate) => candidate.userPrincipalName === upn);

    assert.deepEqual(row('patti@contoso.example').methodsRegistered, ['microsoftAuthenticatorPush', 'passKeyDeviceBoundAuthenticator']);
    assert.equal(row('patti@contoso.example').isPasswordlessCapable, true);
    assert.equal(row('patti@contoso.example').isMfaCapable, true);

    assert.deepEqual(row('alex@contoso.example').methodsRegistered, [], 'a password alone is not listed');
    assert.equal(row('alex@contoso.example').isMfaCapable, false);

    assert.deepEqual(row('joni@contoso.example').methodsRegistered, ['microsoftAuthenticatorPush', 'mobilePhone']);
    assert.deepEqual(row('joni@contoso.example').systemPreferredAuthenticationMethods, ['push']);
    assert.deepEqual(row('emily@contoso.example').methodsRegistered, ['microsoftAuthenticatorPush', 'passKeyDeviceBound']);
    assert.deepEqual(row('debra@contoso.example').methodsRegistered, ['microsoftAuthenticatorPush', 'windowsHelloForBusiness']);
    assert.deepEqual(row('kenji@contoso.example').methodsRegistered, ['email']);
    assert.equal(row('kenji@contoso.example').isMfaRegistered, false);
    assert.deepEqual(row('lee@contoso.example').methodsRegistered, [], 'a spent TAP is not a registered method');

    assert.equal(row('allan@contoso.example').isAdmin, true);
    assert.equal(row('adele@contoso.example').isAdmin, false);
    assert.equal(rows.find((candidate) => candidate.userType === 'guest').userDisplayName, 'Lynne Robbins');
    assert.equal(row('adele@contoso.example').userType, 'member');
  });

  it('filters on userType', async () => {
    running = await startDemo();
    const answer = await running.get(`${REPORT}?$filter=${encodeURIComponent("userType eq 'guest'")}`);
    assert.deepEqual(answer.body.value.map((row: { userDisplayName: string }) => row.userDisplayName).sort(), ['Lynne Robbins', 'Ravi Kumar']);
  });

  it('serves one user’s row by id, and 404 for a disabled account', async () => {
    running = await startDemo();
    const answer = await running.get(`${REPORT}/${userId(fixture, 'patti')}`);
    assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#reports/authenticationMethods/userRegistrationDetails/$entity`);
    assert.equal(answer.body.userPrincipalName, 'patti@contoso.example');
    assert.equal((await running.get(`${REPORT}/${userId(fixture, 'miriam')}`)).status, 404);
  });

  it('shows a newly created TAP in the next read', async () => {
    running = await startDemo();
    await running.post('/users/alex@contoso.example/authentication/temporaryAccessPassMethods', { lifetimeInMinutes: 60 });
    assert.deepEqual((await running.get(`${REPORT}/${userId(fixture, 'alex')}`)).body.methodsRegistered, ['temporaryAccessPass']);
  });
});
