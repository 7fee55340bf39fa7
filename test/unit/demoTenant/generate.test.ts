import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { generateFixtureChunks, loadFixture, writeGeneratedFixture } from '../../../src/demoTenant';

describe('Demo tenant fixture generator', () => {
  let directory: string;
  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-generate-'));
  });
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  function generate(users: number, seed?: number): string {
    return [...generateFixtureChunks({ users, seed })].join('');
  }

  it('writes a 500-user fixture that loadFixture accepts', () => {
    const file = path.join(directory, 'generated.json');
    fs.writeFileSync(file, generate(500));
    const fixture = loadFixture(file);
    assert.equal(fixture.users.length, 500);
    assert.equal(Object.keys(fixture.authenticationMethods).length, 500);
    assert.ok(fixture.groups.some((group) => group.displayName === 'Passkey Pilot'));
    assert.ok(fixture.authenticationMethodsPolicy.authenticationMethodConfigurations.some((configuration) => configuration.id === 'Fido2'));
    assert.ok(fixture.conditionalAccessPolicies.length > 0, 'the Contoso policy');
    assert.ok(fixture.directoryRoleAssignments.length > 0);
  });

  it('streams in chunks rather than one string', () => {
    const chunks = [...generateFixtureChunks({ users: 2000 })];
    assert.ok(chunks.length > 10);
    const largest = Math.max(...chunks.map((chunk) => chunk.length));
    assert.ok(largest < chunks.join('').length / 4, 'no chunk holds most of the file');
  });

  it('produces realistic mixes of accounts and methods', () => {
    const fixture = JSON.parse(generate(2000, 7));
    const users = fixture.users as Array<{ id: string; accountEnabled: boolean; userType: string }>;
    const share = (count: number) => count / users.length;
    const methods = fixture.authenticationMethods as Record<string, Array<{ '@odata.type': string; aaGuid?: string }>>;
    const has = (userId: string, test: (method: { '@odata.type': string; aaGuid?: string }) => boolean) => methods[userId].some(test);
    const authenticatorPasskey = users.filter((user) => has(user.id, (m) => m['@odata.type'].endsWith('fido2AuthenticationMethod') && m.aaGuid !== 'ee882879-721c-4913-9775-3dfcce97072a')).length;
    const noMfa = users.filter((user) => methods[user.id].every((m) => /password|email/.test(m['@odata.type']))).length;
    const guests = users.filter((user) => user.userType === 'Guest').length;
    const disabled = users.filter((user) => !user.accountEnabled).length;
    assert.ok(share(authenticatorPasskey) > 0.2 && share(authenticatorPasskey) < 0.32, `passkey in Authenticator: ${share(authenticatorPasskey)}`);
    assert.ok(share(noMfa) > 0.1 && share(noMfa) < 0.22, `no MFA: ${share(noMfa)}`);
    assert.ok(share(guests) > 0.02 && share(guests) < 0.07, `guests: ${share(guests)}`);
    assert.ok(share(disabled) > 0.01 && share(disabled) < 0.06, `disabled: ${share(disabled)}`);
  });

  it('is deterministic for a seed and varies with it', () => {
    assert.equal(generate(100, 3), generate(100, 3));
    assert.notEqual(generate(100, 3), generate(100, 4));
  });

  it('writes to a stream, waiting for it to drain', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const received: Buffer[] = [];
    out.on('data', (chunk: Buffer) => received.push(chunk));
    await writeGeneratedFixture(out, { users: 200 });
    out.end();
    assert.equal(JSON.parse(Buffer.concat(received).toString('utf8')).users.length, 200);
  });
});
