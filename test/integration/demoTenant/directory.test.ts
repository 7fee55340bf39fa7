import assert from 'node:assert/strict';
import { contoso, groupId, startDemo, userId, type RunningDemo } from './helpers';

describe('Demo tenant: directory reads over HTTP', () => {
  const fixture = contoso();
  let running: RunningDemo;

  beforeEach(async () => {
    running = await startDemo();
  });
  afterEach(() => running.close());

  describe('authentication and errors', () => {
    it('answers 401 InvalidAuthenticationToken with Graph’s error body when no bearer token is sent', async () => {
      const answer = await running.fetchUrl(`${running.base}/users/adele@contoso.example`);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'InvalidAuthenticationToken');
      assert.equal(typeof answer.body.error.message, 'string');
      assert.equal(answer.body.error.innerError['request-id'], answer.headers.get('request-id'));
      assert.ok(answer.body.error.innerError.date);
    });

    it('refuses an empty bearer token', async () => {
      const answer = await running.fetchUrl(`${running.base}/users`, { headers: { Authorization: 'Bearer ' } });
      assert.equal(answer.status, 401);
    });

    it('answers 404 Request_ResourceNotFound for an unknown user, echoing client-request-id', async () => {
      const answer = await running.get('/users/nobody@contoso.example', { 'client-request-id': 'my-correlation-id' });
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'Request_ResourceNotFound');
      assert.match(answer.body.error.message, /nobody@contoso\.example/);
      assert.equal(answer.body.error.innerError['client-request-id'], 'my-correlation-id');
      assert.equal(answer.headers.get('client-request-id'), 'my-correlation-id');
      assert.ok(answer.headers.get('request-id'));
    });

    it('answers 400 for an unknown path segment and 405 for a method the path does not support', async () => {
      assert.equal((await running.get('/nothingHere')).status, 400);
      const answer = await running.del('/users/adele@contoso.example');
      assert.equal(answer.status, 405);
      assert.ok(answer.body.error.code);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const answer = await running.fetchUrl(`${running.base}/users/adele@contoso.example/checkMemberGroups`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{not json',
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'BadRequest');
    });
  });

  describe('users', () => {
    it('reads a user by URL-encoded UPN with Graph’s default properties and @odata.context', async () => {
      const answer = await running.get('/users/adele%40contoso.example');
      assert.equal(answer.status, 200);
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#users/$entity`);
      assert.equal(answer.body.id, userId(fixture, 'adele'));
      assert.equal(answer.body.displayName, 'Adele Vance');
      assert.deepEqual(answer.body.businessPhones, []);
      assert.equal('accountEnabled' in answer.body, false, 'not in the default property set');
      assert.equal('managerId' in answer.body, false, 'fixture-only property never served');
    });

    it('reads a user by id with $select, including accountEnabled and userType', async () => {
      const answer = await running.get(`/users/${userId(fixture, 'miriam')}?$select=id,accountEnabled,userType,department`);
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#users(id,accountEnabled,userType,department)/$entity`);
      assert.deepEqual(
        { id: answer.body.id, accountEnabled: answer.body.accountEnabled, userType: answer.body.userType, department: answer.body.department },
        { id: userId(fixture, 'miriam'), accountEnabled: false, userType: 'Member', department: 'Marketing' },
      );
    });

    it('rejects $select of a property the user type does not have', async () => {
      const answer = await running.get('/users/adele@contoso.example?$select=managerId');
      assert.equal(answer.status, 400);
    });

    it('filters users by userPrincipalName, mail and id (eq)', async () => {
      const byUpn = await running.get(`/users?$filter=${encodeURIComponent("userPrincipalName eq 'ADELE@contoso.example'")}&$select=id`);
      assert.deepEqual(byUpn.body.value, [{ id: userId(fixture, 'adele') }]);
      const byMail = await running.get(`/users?$filter=${encodeURIComponent("mail eq 'lynne@fabrikam.example'")}&$select=id,userType,userPrincipalName`);
      assert.equal(byMail.body.value.length, 1);
      assert.equal(byMail.body.value[0].userType, 'Guest');
      assert.match(byMail.body.value[0].userPrincipalName, /#EXT#@contoso\.example$/);
      const byId = await running.get(`/users?$filter=${encodeURIComponent(`id eq '${userId(fixture, 'lee')}'`)}`);
      assert.equal(byId.body.value[0].userPrincipalName, 'lee@contoso.example');
      const none = await running.get(`/users?$filter=${encodeURIComponent("mail eq 'nobody@contoso.example'")}`);
      assert.deepEqual(none.body.value, []);
    });

    it('answers 400 for a filter it does not support', async () => {
      const answer = await running.get(`/users?$filter=${encodeURIComponent("startswith(displayName,'A')")}`);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'Request_UnsupportedQuery');
    });

    it('pages /users with $top and an absolute @odata.nextLink carrying $skiptoken', async () => {
      const seen: string[] = [];
      let url: string | undefined = `${running.base}/users?$top=10&$select=id`;
      let pages = 0;
      while (url) {
        const page = await running.fetchUrl(url, { headers: { Authorization: 'Bearer t' } });
        assert.equal(page.status, 200);
        assert.ok(page.body.value.length <= 10);
        seen.push(...page.body.value.map((user: { id: string }) => user.id));
        url = page.body['@odata.nextLink'];
        if (url) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$top=10&\$select=id&\$skiptoken=/);
        pages++;
      }
      assert.equal(seen.length, fixture.users.length);
      assert.equal(new Set(seen).size, seen.length);
      assert.equal(pages, Math.ceil(fixture.users.length / 10));
    });

    it('reads the manager as a directoryObject typed #microsoft.graph.user, and 404s when there is none', async () => {
      const manager = await running.get('/users/alex@contoso.example/manager');
      assert.equal(manager.body['@odata.type'], '#microsoft.graph.user');
      assert.equal(manager.body.userPrincipalName, 'nestor@contoso.example');
      assert.equal((await running.get('/users/nestor@contoso.example/manager')).status, 404);
    });
  });

  describe('memberships', () => {
    it('lists transitive groups, nested ones included, and directory roles with their template id', async () => {
      const megan = await running.get('/users/megan@contoso.example/transitiveMemberOf');
      const groupIds = megan.body.value.map((item: { id: string }) => item.id);
      assert.ok(groupIds.includes(groupId(fixture, 'Sales')));
      assert.ok(groupIds.includes(groupId(fixture, 'Passkey Pilot')), 'Sales is nested in Passkey Pilot');
      assert.ok(megan.body.value.every((item: { '@odata.type': string }) => item['@odata.type'] === '#microsoft.graph.group'));

      const allan = await running.get('/users/allan@contoso.example/transitiveMemberOf');
      const role = allan.body.value.find((item: { '@odata.type': string }) => item['@odata.type'] === '#microsoft.graph.directoryRole');
      assert.equal(role.roleTemplateId, '62e90394-69f5-4237-9190-012177145e10');
      assert.equal(role.displayName, 'Global Administrator');
      assert.notEqual(role.id, role.roleTemplateId, 'a role object has its own id');
    });

    it('casts transitiveMemberOf to directory roles only', async () => {
      const answer = await running.get('/users/allan@contoso.example/transitiveMemberOf/microsoft.graph.directoryRole');
      assert.deepEqual(answer.body.value.map((role: { roleTemplateId: string }) => role.roleTemplateId), ['62e90394-69f5-4237-9190-012177145e10']);
    });

    it('answers checkMemberGroups with the ids the user belongs to, nested groups included', async () => {
      const ids = [groupId(fixture, 'Passkey Pilot'), groupId(fixture, 'Passkey Helpdesk'), groupId(fixture, 'Contractors')];
      const answer = await running.post('/users/megan@contoso.example/checkMemberGroups', { groupIds: ids });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.value, [groupId(fixture, 'Passkey Pilot')]);
    });

    it('reads one membership by id under transitiveMemberOf, 404 when not a member', async () => {
      const helpdesk = groupId(fixture, 'Passkey Helpdesk');
      assert.equal((await running.get(`/users/pradeep@contoso.example/transitiveMemberOf/${helpdesk}`)).body.id, helpdesk);
      assert.equal((await running.get(`/users/adele@contoso.example/transitiveMemberOf/${helpdesk}`)).status, 404);
    });

    it('lists a group’s transitive members across pages, and only users with the cast', async () => {
      const pilot = groupId(fixture, 'Passkey Pilot');
      const all: Array<{ '@odata.type': string; id: string }> = [];
      let url: string | undefined = `${running.base}/groups/${pilot}/transitiveMembers?$top=5`;
      while (url) {
        const page = await running.fetchUrl(url, { headers: { Authorization: 'Bearer t' } });
        all.push(...page.body.value);
        url = page.body['@odata.nextLink'];
      }
      assert.ok(all.some((member) => member['@odata.type'] === '#microsoft.graph.group' && member.id === groupId(fixture, 'Sales')));
      assert.ok(all.some((member) => member.id === userId(fixture, 'megan')), 'members of the nested group');
      const users = await running.get(`/groups/${pilot}/transitiveMembers/microsoft.graph.user?$top=999`);
      assert.equal(users.body.value.length, all.filter((member) => member['@odata.type'] === '#microsoft.graph.user').length);
      assert.ok(users.body.value.every((member: { '@odata.type': string }) => member['@odata.type'] === '#microsoft.graph.user'));
    });

    it('lists groups filtered by displayName, with $select', async () => {
      const answer = await running.get(`/groups?$filter=${encodeURIComponent("displayName eq 'Passkey Helpdesk'")}&$select=id,displayName`);
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#groups(id,displayName)`);
      assert.deepEqual(answer.body.value, [{ id: groupId(fixture, 'Passkey Helpdesk'), displayName: 'Passkey Helpdesk' }]);
      assert.equal((await running.get('/groups')).body.value.length, fixture.groups.length);
      assert.equal('memberIds' in (await running.get(`/groups/${groupId(fixture, 'Sales')}`)).body, false, 'fixture-only property never served');
    });

    it('answers 404 for an unknown group', async () => {
      assert.equal((await running.get('/groups/00000000-0000-4000-8000-00000000dead/transitiveMembers')).status, 404);
    });
  });

  describe('devices and service principals', () => {
    it('lists a user’s Intune managed devices', async () => {
      const answer = await running.get('/users/isaiah@contoso.example/managedDevices');
      assert.equal(answer.body['@odata.context'], `${running.base}/$metadata#users('${userId(fixture, 'isaiah')}')/managedDevices`);
      assert.deepEqual(
        answer.body.value.map((device: Record<string, string>) => [device.operatingSystem, device.osVersion, device.complianceState, device.managedDeviceOwnerType]),
        [['Android', '14', 'noncompliant', 'personal']],
      );
      assert.deepEqual((await running.get('/users/alex@contoso.example/managedDevices')).body.value, []);
    });

    it('filters service principals by appId; the Authenticator Credential Registration app is absent from Contoso', async () => {
      const graph = await running.get(`/servicePrincipals?$filter=${encodeURIComponent("appId eq '00000003-0000-0000-c000-000000000000'")}`);
      assert.equal(graph.body.value[0].displayName, 'Microsoft Graph');
      const registration = await running.get(`/servicePrincipals?$filter=${encodeURIComponent("appId eq '6aa00308-ea33-4caa-90d6-ae905d8cb51b'")}`);
      assert.deepEqual(registration.body.value, []);
    });
  });
});
