import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { auditCommand } from '../../../../src/cli/audit';
import type { Harness } from '../../../support/harness';
import {
  TestClock,
  click,
  demo,
  personalCardWith,
  requestIdOf,
  revealedValue,
  startTapHarness,
  submit,
  tapsOf,
} from './support';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

async function audit(h: Harness, argv: string[]): Promise<{ code: number; out: string }> {
  const out = capture();
  const err = capture();
  const code = await auditCommand(argv, { env: { DATA_DIR: h.dataDir }, cwd: h.dataDir, stdout: out.stream, stderr: err.stream });
  return { code, out: out.text() };
}

describe('TAP secrecy: after a full flow the value is found only in the one invoke response', () => {
  let h: Harness;
  let requestId: string;
  let value: string;
  let revealResponse: string;
  const clock = new TestClock();
  before(async () => {
    h = await startTapHarness({ clock: clock.now, runJobs: false, people: ['alex@contoso.example', 'pradeep@contoso.example'] });
    requestId = requestIdOf(await submit(h, 'alex@contoso.example'));
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    const revealed = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    revealResponse = JSON.stringify(revealed);
    value = revealedValue(revealed);
    // Everything that happens afterwards: hide, a refused second reveal, the closed loop to the end.
    await click(h, 'alex@contoso.example', 'tap.hide', { requestId });
    await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
    await demo(h, 'POST', '/_demo/users/alex@contoso.example/registerPasskey', { platform: 'ios' });
    clock.advanceSeconds(61);
    await h.helpdesk.deps.jobs.runDue();
    assert.ok(personalCardWith(h, 'alex@contoso.example', 'tap.done'));
    await click(h, 'alex@contoso.example', 'tap.done', { requestId });
    assert.deepEqual(await tapsOf(h, 'alex@contoso.example'), []);
  });
  after(async () => h.stop());

  it('shows the value exactly once, in the Reveal invoke response', () => {
    assert.equal(revealResponse.split(value).length - 1, 1);
  });

  it('never writes it to a log line', () => {
    assert.ok(h.logs.some((line) => line.includes('"event":"issued"')), 'the product logged the flow');
    assert.equal(h.logs.filter((line) => line.includes(value)).length, 0);
  });

  it('never sends it in any outgoing activity (messages, channel thread, card updates)', () => {
    assert.ok(h.connector.calls.length > 5);
    for (const call of h.connector.calls) assert.ok(!JSON.stringify(call.body ?? {}).includes(value), `${call.method} ${call.path}`);
  });

  it('never stores it: not in the SQLite files (database, WAL), not in the audit log', async () => {
    const files = fs.readdirSync(h.dataDir);
    assert.ok(files.some((f) => f.endsWith('.sqlite')));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(h.dataDir, file));
      assert.equal(bytes.indexOf(Buffer.from(value, 'utf8')), -1, file);
    }
    const events = await h.helpdesk.deps.stores.audit.list({ requestId });
    assert.ok(!JSON.stringify(events).includes(value));
  });

  it('lists the request\'s events with `passkey-helpdesk audit --request <id> --json`', async () => {
    const { code, out } = await audit(h, ['--request', requestId, '--json']);
    assert.equal(code, 0);
    const rows = JSON.parse(out) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(rows[0]).sort(), ['actor', 'at', 'event', 'requestId']);
    assert.ok(rows.every((r) => r.requestId === requestId));
    assert.deepEqual(
      rows.map((r) => r.event).filter((e) => e !== 'refused'),
      ['requested', 'routed', 'approved', 'revealed', 'issued', 'passkey-detected', 'completed'],
    );
    assert.equal(rows.find((r) => r.event === 'approved')?.actor, h.person('pradeep@contoso.example').aadObjectId);
    assert.ok(!out.includes(value));
  });

  it('prints every event, one per line, without --json', async () => {
    const { code, out } = await audit(h, []);
    assert.equal(code, 0);
    assert.match(out, new RegExp(`requested\\s+${requestId}`));
  });
});
