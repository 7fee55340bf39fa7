import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { UsageError, registerCommand, runCommand, type CliIo } from '../../../../src/cli/commands';
import { diagnoseCommand, type DiagnoseJson } from '../../../../src/cli/diagnose';
import { FINDING_IDS } from '../../../../src/features/diagnosis/domain';
import { defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { documentedPersonas } from './personas';

const FIXTURE = 'src/demoTenant/fixtures/contoso.json';

function capturedIo(): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    env: {},
    cwd: process.cwd(),
    stdout: new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) }),
    stderr: new Writable({ write: (chunk, _e, done) => ((err += String(chunk)), done()) }),
    out: () => out,
    err: () => err,
  };
}

async function diagnoseJson(args: string[]): Promise<DiagnoseJson> {
  const io = capturedIo();
  const code = await diagnoseCommand([...args, '--fixture', FIXTURE, '--json'], io);
  assert.equal(code, 0, io.err());
  return JSON.parse(io.out()) as DiagnoseJson;
}

describe('passkey-helpdesk diagnose (CLI)', () => {
  describe('the bundled personas (docs/personas.md) produce their documented findings', () => {
    const personas = documentedPersonas(loadFixture(defaultFixturePath()));
    it('the persona table is read (22 personas)', () => assert.equal(personas.length, 22));
    for (const persona of personas) {
      it(`${persona.name} (${persona.upn}) → ${persona.expected.join(', ')}`, async () => {
        const args = ['--user', persona.upn];
        if (Object.keys(persona.answers).length > 0) args.push('--answers', JSON.stringify(persona.answers));
        const output = await diagnoseJson(args);
        assert.deepEqual(
          output.findings.map((f) => f.id),
          persona.expected,
        );
      });
    }
  });

  it('prints the documented JSON shape: user without contact details, full findings, open questions', async () => {
    const output = await diagnoseJson(['--user', 'megan@contoso.example', '--answers', '{"platform":"android","osVersion":"15","androidProfile":"work","passkeyProviderEnabled":false}']);
    assert.deepEqual(Object.keys(output).sort(), ['findings', 'questions', 'user']);
    assert.deepEqual(Object.keys(output.user).sort(), ['displayName', 'id', 'userPrincipalName']);
    assert.equal(output.user.userPrincipalName, 'megan@contoso.example');
    for (const finding of output.findings) {
      assert.deepEqual(Object.keys(finding).sort(), ['adminFix', 'audience', 'detail', 'id', 'severity', 'source', 'title', 'userFix', 'userText', 'userTitle']);
      assert.ok((FINDING_IDS as readonly string[]).includes(finding.id));
      assert.match(finding.source, /^https:\/\/learn\.microsoft\.com\//);
    }
    assert.ok(output.questions.includes('registration'), 'the way of registering is still open');
    assert.ok(!output.questions.includes('platform'), 'answered questions are not open');
  });

  it('finds a guest by their home e-mail address', async () => {
    const output = await diagnoseJson(['--user', 'lynne@fabrikam.example']);
    assert.deepEqual(output.findings.map((f) => f.id), ['guest-account']);
  });

  it('prints a readable report without --json', async () => {
    const io = capturedIo();
    const code = await diagnoseCommand(['--user', 'alex@contoso.example', '--fixture', FIXTURE], io);
    assert.equal(code, 0);
    const text = io.out();
    assert.match(text, /^Passkey diagnosis for Alex Wilber \(alex@contoso\.example\)/);
    assert.match(text, /\[BLOCKER\] .*\(no-mfa-for-registration, for helpdesk\)/);
    assert.match(text, /Source: https:\/\/learn\.microsoft\.com\//);
    assert.match(text, /Answers that could change this/);
  });

  describe('bad arguments are a usage error (exit code 2) with a clear message', () => {
    const usageError = async (args: string[], message: RegExp) => {
      const io = capturedIo();
      await assert.rejects(diagnoseCommand(args, io), (error: Error) => {
        assert.ok(error instanceof UsageError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    };

    it('without --user', () => usageError(['--fixture', FIXTURE, '--json'], /diagnose needs --user <upn>/));
    it('with --answers that are not JSON', () => usageError(['--user', 'adele@contoso.example', '--fixture', FIXTURE, '--answers', '{platform: ios'], /--answers: answers must be a JSON object/));
    it('with --answers that are a JSON array', () => usageError(['--user', 'adele@contoso.example', '--fixture', FIXTURE, '--answers', '[1]'], /--answers: answers must be a JSON object/));
    it('with an unknown answer key', () => usageError(['--user', 'adele@contoso.example', '--fixture', FIXTURE, '--answers', '{"colour":"blue"}'], /--answers: .*colour/));
    it('with an invalid answer value', () =>
      usageError(['--user', 'adele@contoso.example', '--fixture', FIXTURE, '--answers', '{"platform":"windows"}'], /answers\.platform: .*'android' \| 'ios'.*windows/));
    it('with an unknown flag', () => usageError(['--user', 'adele@contoso.example', '--colour'], /diagnose: .*--colour/));
    it('for a user who is not in the directory', () => usageError(['--user', 'nobody@contoso.example', '--fixture', FIXTURE], /no user nobody@contoso\.example in the directory/));
  });

  it('exits 2 through the command table too', async () => {
    registerCommand('diagnose', diagnoseCommand);
    const io = capturedIo();
    assert.equal(await runCommand(['diagnose', '--answers', '{}'], io), 2);
    assert.match(io.err(), /diagnose needs --user/);
  });
});
