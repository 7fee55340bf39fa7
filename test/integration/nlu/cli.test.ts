/** The `understand` command's public contract, run as a real child process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  // No model variables from the developer's shell: the local model answers.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_OPENAI_|OPENAI_)/.test(k)));
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'understand', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('CLI: passkey-helpdesk understand', () => {
  it('--json prints exactly intent, slots, language and confidence', () => {
    const { code, stdout } = cli(['--text', 'I scan the QR code on my laptop and my Samsung says AADSTS53003', '--json']);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(result), ['intent', 'slots', 'language', 'confidence']);
    assert.equal(result.intent, 'diagnose');
    assert.deepEqual(result.slots, { platform: 'android', registration: 'cross-device', errorCode: '53003' });
    assert.equal(result.language, 'en');
    assert.equal(typeof result.confidence, 'number');
  });

  it('--locale de-DE answers a German message in German, slots omitted when absent', () => {
    const { code, stdout } = cli(['--text', 'Ich kann keinen Passkey hinzufügen', '--locale', 'de-DE', '--json']);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), { intent: 'diagnose', slots: {}, language: 'de', confidence: 1 });
  });

  it('an unsure answer carries no extra keys in --json (the alternatives are in the text output)', () => {
    const json = cli(['--text', 'zxqv blorp', '--json']);
    assert.equal(json.code, 0);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ['intent', 'slots', 'language', 'confidence']);
    assert.equal(JSON.parse(json.stdout).intent, 'unknown');
    const text = cli(['--text', 'zxqv blorp']);
    assert.match(text.stdout, /^intent: +unknown$/m);
  });

  it('a missing --text or a bad --locale is a usage error (exit 2) with a clear message', () => {
    const missing = cli(['--json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /understand needs --text/);
    assert.equal(missing.stdout, '');
    const badLocale = cli(['--text', 'hi', '--locale', 'not a locale!']);
    assert.equal(badLocale.code, 2);
    assert.match(badLocale.stderr, /--locale must be a language tag/);
    const unknownFlag = cli(['--text', 'hi', '--verbose']);
    assert.equal(unknownFlag.code, 2);
  });
});
