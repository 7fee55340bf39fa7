import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../../src/cli/commands';
import { UsageError } from '../../../../src/cli/commands';
import { reportCommand } from '../../../../src/cli/report';
import { statusCommand } from '../../../../src/cli/status';
import { defaultFixturePath } from '../../../../src/demoTenant';
import { GROUPS } from './support';

const fixture = defaultFixturePath();

async function run(command: (argv: string[], io: CliIo) => Promise<number>, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await command(argv, { env: {}, cwd: path.resolve(__dirname, '../../../..'), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const counts = (users: number, guests: number, phishingResistant: number, passkeyInAuthenticator: number, phishableOnly: number, noMfa: number) => ({
  users,
  guests,
  phishingResistant,
  passkeyInAuthenticator,
  phishableOnly,
  noMfa,
});

describe('passkey-helpdesk status (CLI contract)', () => {
  it('prints exactly the documented keys for a person with a passkey in Authenticator', async () => {
    const { code, stdout } = await run(statusCommand, ['--user', 'patti@contoso.example', '--fixture', fixture, '--json']);
    assert.equal(code, 0);
    const status = JSON.parse(stdout);
    assert.deepEqual(Object.keys(status), ['user', 'methods', 'phishingResistant', 'passkeyInAuthenticator', 'tapActiveUntil', 'nextStep']);
    assert.deepEqual(status.user, { id: 'c0000001-0000-4000-8000-000000000018', displayName: 'Patti Fernandez', userPrincipalName: 'patti@contoso.example' });
    assert.deepEqual(
      status.methods.map((method: { type: string; phishingResistant: boolean }) => [method.type, method.phishingResistant]),
      [
        ['password', false],
        ['microsoftAuthenticator', false],
        ['fido2', true],
      ],
    );
    assert.equal(status.methods[2].displayName, 'Passkey in Microsoft Authenticator (iPhone)');
    assert.equal(status.phishingResistant, true);
    assert.equal(status.passkeyInAuthenticator, true);
    assert.equal(status.tapActiveUntil, null);
    assert.equal(status.nextStep.id, 'done');
  });

  it('tells a security key that is not Authenticator apart, and gives the next step of someone with phishable methods only', async () => {
    const emily = JSON.parse((await run(statusCommand, ['--user', 'emily@contoso.example', '--fixture', fixture, '--json'])).stdout);
    assert.equal(emily.passkeyInAuthenticator, false);
    assert.equal(emily.phishingResistant, true);
    assert.match(emily.methods.find((method: { type: string }) => method.type === 'fido2').displayName, /^Security key \(FIDO2\)/);
    const adele = JSON.parse((await run(statusCommand, ['--user', 'adele@contoso.example', '--fixture', fixture, '--json'])).stdout);
    assert.deepEqual(adele.nextStep.id, 'add-passkey');
  });

  it('prints readable text without --json', async () => {
    const { code, stdout } = await run(statusCommand, ['--user', 'lee@contoso.example', '--fixture', fixture]);
    assert.equal(code, 0);
    assert.match(stdout, /^Lee Gu \(lee@contoso\.example\)/);
    assert.match(stdout, /\[not phishing-resistant\] Temporary Access Pass \(not usable now\)/);
    assert.match(stdout, /Next step \(get-mfa-first\): /);
  });

  it('exits with 1 for an unknown user and refuses missing or unknown flags (exit 2 via UsageError / parse errors)', async () => {
    const unknown = await run(statusCommand, ['--user', 'nobody@contoso.example', '--fixture', fixture, '--json']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user nobody@contoso\.example/);
    await assert.rejects(run(statusCommand, ['--fixture', fixture, '--json']), UsageError);
    await assert.rejects(run(statusCommand, ['--user', 'x', '--verbose']), (error: NodeJS.ErrnoException) => error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
  });
});

describe('passkey-helpdesk report (CLI contract)', () => {
  it('counts the bundled tenant as counted by hand, with a breakdown by department', async () => {
    const { code, stdout } = await run(reportCommand, ['--fixture', fixture, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['generatedAt', 'totals', 'breakdown']);
    assert.ok(!Number.isNaN(Date.parse(report.generatedAt)));
    // 35 people; Miriam and Olivia are disabled, so the registration report leaves them out.
    // Phishing-resistant (7): Patti, Pradeep, Sanjay (passkey in Authenticator: 3), Debra, Cameron,
    // Tomas (Windows Hello), Emily (YubiKey). No MFA (6): Alex, Enrico, Allan (password only),
    // Lee (one-time TAP already used), Kenji (e-mail codes only), Ravi (guest, password only).
    // Phishable only: the other 20, among them the guest Lynne (SMS).
    assert.deepEqual(report.totals, counts(33, 2, 7, 3, 20, 6));
    assert.deepEqual(report.breakdown, [
      { name: 'Engineering', ...counts(3, 0, 2, 0, 1, 0) }, // Henrietta; Emily, Tomas
      { name: 'Executive Management', ...counts(1, 0, 1, 1, 0, 0) }, // Patti
      { name: 'Finance', ...counts(4, 0, 0, 0, 3, 1) }, // Grady, Jordan, Raul; Lee
      { name: 'IT', ...counts(4, 0, 2, 1, 1, 1) }, // Pradeep, Debra; Lidia; Allan
      { name: 'Legal', ...counts(1, 0, 0, 0, 1, 0) }, // Joni
      { name: 'Marketing', ...counts(2, 0, 0, 0, 1, 1) }, // Bianca; Alex (Miriam, Olivia disabled)
      { name: 'Operations', ...counts(4, 0, 0, 0, 3, 1) }, // Isaiah, Nestor, Wanda; Enrico
      { name: 'Procurement', ...counts(1, 0, 0, 0, 1, 0) }, // Christie
      { name: 'Research', ...counts(2, 0, 0, 0, 1, 1) }, // Irvin; Kenji
      { name: 'Retail', ...counts(2, 0, 0, 0, 2, 0) }, // Adele, Johanna
      { name: 'Sales', ...counts(7, 0, 2, 1, 5, 0) }, // Cameron, Sanjay; Diego, Megan, Gerhart, Fatima, Nadia
      { name: '(no department)', ...counts(2, 2, 0, 0, 1, 1) }, // the guests Lynne and Ravi
    ]);
  });

  it('adds a chosen group (nested members counted once) after the departments', async () => {
    const { stdout } = await run(reportCommand, ['--fixture', fixture, '--group', GROUPS.passkeyPilot, '--json']);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.totals, counts(33, 2, 7, 3, 20, 6), 'the totals stay the whole organisation');
    // Passkey Pilot: 18 direct members (Miriam and Olivia disabled) + the nested Sales group (6).
    assert.deepEqual(report.breakdown.at(-1), { name: 'Passkey Pilot', ...counts(24, 0, 6, 3, 14, 4) });
  });

  it('writes one CSV row per user who still needs action (RFC 4180, CRLF), and only the group members with --group', async () => {
    const { code, stdout } = await run(reportCommand, ['--fixture', fixture, '--csv']);
    assert.equal(code, 0);
    const lines = stdout.split('\r\n');
    assert.equal(lines.at(-1), '', 'every line ends with CRLF');
    assert.equal(lines[0], 'userPrincipalName,displayName,userType,department,status,methodsRegistered');
    const rows = lines.slice(1, -1);
    assert.equal(rows.length, 26, '33 users minus the 7 phishing-resistant');
    assert.ok(rows.includes('adele@contoso.example,Adele Vance,member,Retail,phishableOnly,microsoftAuthenticatorPush'));
    assert.ok(rows.includes('joni@contoso.example,Joni Sherman,member,Legal,phishableOnly,microsoftAuthenticatorPush;mobilePhone'));
    assert.ok(rows.includes('ravi_northwind.example#EXT#@contoso.example,Ravi Kumar,guest,,noMfa,'));
    assert.ok(!rows.some((row) => row.startsWith('patti@')));

    const sales = (await run(reportCommand, ['--fixture', fixture, '--csv', '--group', GROUPS.sales])).stdout.split('\r\n').slice(1, -1);
    assert.deepEqual(sales.map((row) => row.split(',')[0]), ['diego@contoso.example', 'megan@contoso.example', 'gerhart@contoso.example', 'fatima@contoso.example']);
  });

  it('needs exactly one of --json and --csv, and names an unknown group', async () => {
    await assert.rejects(run(reportCommand, ['--fixture', fixture]), UsageError);
    await assert.rejects(run(reportCommand, ['--fixture', fixture, '--json', '--csv']), UsageError);
    const unknown = await run(reportCommand, ['--fixture', fixture, '--json', '--group', '00000000-0000-4000-8000-0000000000ff']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no group 00000000-0000-4000-8000-0000000000ff/);
  });
});
