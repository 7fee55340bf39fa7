import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import {
  findFreePort,
  findPersona,
  otherPlaygroundUsers,
  playgroundCliPath,
  playgroundConfigFor,
  PLAYGROUND_HELPDESK_CHANNEL_ID,
  PLAYGROUND_TEAM_ID,
  runPlaygroundCommand,
  workDirName,
  type PlaygroundConfig,
  type PlaygroundFixture,
} from '../../../src/playground';
import { smallFixture } from './fixture';

function configFor(asUpn: string, fixture: PlaygroundFixture = smallFixture): PlaygroundConfig {
  return parseYaml(playgroundConfigFor(fixture, { asUpn })) as PlaygroundConfig;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('Agents Playground config generated from the demo tenant', () => {
  it('makes the chosen persona the current user, with their Entra object id as aadObjectId', () => {
    const config = configFor('alex@contoso.example');
    assert.deepEqual(config.currentUser, {
      id: '29:22222222-2222-4222-8222-222222222222',
      name: 'Alex Wilber',
      userPrincipleName: 'alex@contoso.example',
      aadObjectId: '22222222-2222-4222-8222-222222222222',
      givenName: 'Alex',
      surname: 'Wilber',
      email: 'alex@contoso.example',
    });
  });

  it('spells the UPN key "userPrincipleName", as the Playground expects', () => {
    const yamlText = playgroundConfigFor(smallFixture, { asUpn: 'alex@contoso.example' });
    assert.match(yamlText, /^ {2}userPrincipleName: "alex@contoso.example"$/m);
    assert.doesNotMatch(yamlText, /userPrincipalName:/);
  });

  it('takes the tenant id from the fixture', () => {
    assert.equal(configFor('alex@contoso.example').tenantId, smallFixture.tenant.id);
  });

  it('lists exactly 5 other users, none of them the current user, with unique ids', () => {
    const config = configFor('alex@contoso.example');
    assert.equal(config.users.length, 5);
    const ids = [config.currentUser.id, ...config.users.map((user) => user.id)];
    assert.equal(new Set(ids).size, 6);
    assert.ok(!config.users.some((user) => user.aadObjectId === config.currentUser.aadObjectId));
  });

  it('lists the helpdesk members first (nested groups included), then the manager, and skips disabled accounts', () => {
    const upns = configFor('alex@contoso.example').users.map((user) => user.userPrincipleName);
    assert.deepEqual(upns, ['pradeep@contoso.example', 'debra@contoso.example', 'nestor@contoso.example', 'adele@contoso.example', 'megan@contoso.example']);
    assert.ok(!upns.includes('miriam@contoso.example'));
  });

  it('leaves a helpdesk member out of the other users when they are the current user', () => {
    const persona = findPersona(smallFixture, 'pradeep@contoso.example');
    const others = otherPlaygroundUsers(smallFixture, persona).map((user) => user.userPrincipalName);
    assert.equal(others[0], 'debra@contoso.example');
    assert.ok(!others.includes('pradeep@contoso.example'));
  });

  it('has one team with General (id = team id) and a "Passkey Helpdesk" channel, all chat and channel ids unique', () => {
    const config = configFor('alex@contoso.example');
    assert.equal(config.team.id, PLAYGROUND_TEAM_ID);
    assert.deepEqual(config.team.channels, [{ id: PLAYGROUND_HELPDESK_CHANNEL_ID, name: 'Passkey Helpdesk' }]);
    const ids = [config.personalChat.id, config.groupChat.id, config.team.id, ...config.team.channels.map((channel) => channel.id)];
    assert.equal(new Set(ids).size, ids.length);
  });

  it('gives each persona their own personal chat id', () => {
    assert.notEqual(configFor('alex@contoso.example').personalChat.id, configFor('pradeep@contoso.example').personalChat.id);
  });

  it('keeps names with quotes, colons and # intact through YAML', () => {
    const fixture: PlaygroundFixture = {
      ...smallFixture,
      users: smallFixture.users.map((user) => (user.userPrincipalName === 'alex@contoso.example' ? { ...user, displayName: 'Alex "Al": Wilber # 2' } : user)),
    };
    assert.equal(configFor('alex@contoso.example', fixture).currentUser.name, 'Alex "Al": Wilber # 2');
  });

  it('finds a persona by UPN in any case, or by the part before the @', () => {
    assert.equal(findPersona(smallFixture, 'ALEX@contoso.example').id, '22222222-2222-4222-8222-222222222222');
    assert.equal(findPersona(smallFixture, 'debra').userPrincipalName, 'debra@contoso.example');
  });

  it('names some real UPNs when the persona is unknown', () => {
    assert.throws(() => playgroundConfigFor(smallFixture, { asUpn: 'nobody@contoso.example' }), /No persona "nobody@contoso.example".*adele@contoso.example/);
  });

  it('refuses a tenant with fewer than 6 enabled users, since the Playground needs exactly 5 others', () => {
    const fixture: PlaygroundFixture = { ...smallFixture, users: smallFixture.users.slice(0, 5) };
    assert.throws(() => playgroundConfigFor(fixture, { asUpn: 'alex@contoso.example' }), /needs 6 enabled users/);
  });
});

describe('Agents Playground launcher helpers', () => {
  it('runs the Playground through the cli.js its package.json names as bin', () => {
    const cli = playgroundCliPath();
    assert.equal(path.basename(cli), 'cli.js');
    assert.ok(fs.existsSync(cli));
  });

  it('keeps a UPN readable as a directory name and strips anything path-like', () => {
    assert.equal(workDirName('Pradeep@Contoso.example'), 'pradeep@contoso.example');
    assert.equal(workDirName('../x/y@z'), '.._x_y@z');
  });

  it('skips a port somebody already listens on', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      assert.notEqual(await findFreePort(port), port);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('runPlaygroundCommand', () => {
  let dir: string;
  let fixtureFile: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-command-'));
    fixtureFile = path.join(dir, 'tenant.json');
    fs.writeFileSync(fixtureFile, JSON.stringify(smallFixture));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits with 2 and lists the personas when --as is missing', async () => {
    const stderr = capture();
    const code = await runPlaygroundCommand(['--fixture', fixtureFile], { env: {}, cwd: dir, stdout: capture().stream, stderr: stderr.stream });
    assert.equal(code, 2);
    assert.match(stderr.text(), /--as <upn> is required/);
    assert.match(stderr.text(), /pradeep@contoso\.example {2}Pradeep Gupta/);
  });

  it('exits with 2 for an unknown persona, before starting anything', async () => {
    const stderr = capture();
    const code = await runPlaygroundCommand(['--fixture', fixtureFile, '--as', 'nobody', '--bot', 'http://127.0.0.1:9/api/messages'], {
      env: {},
      cwd: dir,
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    assert.equal(code, 2);
    assert.match(stderr.text(), /No persona "nobody"/);
    assert.equal(fs.existsSync(path.join(dir, 'data', 'playground')), false);
  });

  it('exits with 2 for a port that is not a number', async () => {
    const code = await runPlaygroundCommand(['--fixture', fixtureFile, '--as', 'alex', '--port', 'abc'], {
      env: {},
      cwd: dir,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    assert.equal(code, 2);
  });
});
