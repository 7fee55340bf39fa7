/**
 * Property-based fuzzing of the running bot over HTTP (fast-check): activities of
 * every type, with fields missing or of the wrong type, huge and deeply nested
 * bodies, invalid UTF-8, unknown verbs and invoke names, foreign tenants. Whatever
 * comes in: the process stays up, no response is a 5xx, no response body carries
 * an exception text, and /healthz stays ok. Run by `npm run test:fuzz` (FUZZ_RUNS
 * activities, 10,000 by default; stopped after FUZZ_MAX_SECONDS, 170 by default,
 * with the number sent printed either way; FUZZ_SEED replays a run).
 *
 * The bot runs as its own process (as an operator starts it), so generating and
 * sending use the other core, and a crash is a process that exited. Activities go
 * out through a sliding window of FUZZ_CONCURRENCY requests: one that waits (a reply
 * to a connector that does not answer is retried for ~10 s by the Bot Framework
 * client) holds one slot, not a whole batch.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { DIAGNOSIS_VERBS, MENU_VERBS } from '../../src/shared/verbs';
import { STATUS_VERBS } from '../../src/features/status/cards/cards';
import { TAP_VERBS } from '../../src/features/tap/domain/request';
import { defaultFixturePath, loadFixture, type Fixture } from '../../src/demoTenant';
import { startChildBot, type ChildBot } from '../support/childBot';
import { ConnectorStandIn } from '../support/connector';

const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);
/** The CI bound: generation stops here even if TOTAL was not reached (the count is printed). */
const MAX_SECONDS = Number(process.env.FUZZ_MAX_SECONDS ?? 170);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 24);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Activities generated at a time (fast-check samples), refilled as the window drains. */
const CHUNK = 200;
const HELPDESK_CHANNEL = '19:tap-helpdesk@thread.tacv2';
/** The stand-in's address that no connector listens on. */
const UNREACHABLE = 'http://127.0.0.1:1/';
const HUGE = `{"type":"message","text":"${'x'.repeat(300_000)}"}`;

/** What only an exception or a stack trace would put in a body. */
const EXCEPTION_TEXT = /is not a function|Cannot read propert|is not iterable|TypeError|ReferenceError|RangeError|SyntaxError|Unexpected token|\bat [\w.<>$]+ \(|\.[tj]s:\d+:\d+|node_modules|Storage: error/;

const KNOWN_VERBS = [...Object.values(MENU_VERBS), ...Object.values(DIAGNOSIS_VERBS), ...Object.values(TAP_VERBS), ...Object.values(STATUS_VERBS)];
const COMMANDS = ['help', 'diagnose', 'tap', 'status', 'status adele@contoso.example', 'report', 'report Passkey Rollout', 'nudge Passkey Rollout', 'I lost my phone', 'hi'];

type Json = Record<string, unknown>;

/** Mostly absent (one in four present). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, arbitrary);

interface Fuzzed {
  /** The JSON body, or raw bytes (invalid UTF-8, broken JSON). */
  body: Json | unknown[] | Buffer | string;
  contentType: string;
}

function arbitraries(fixture: Fixture, connectorUrl: string) {
  const people = fixture.users.slice(0, 12).map((u) => ({ id: `29:${u.id}`, name: u.displayName ?? '', aadObjectId: u.id }));
  const tenant = fc.oneof({ weight: 30, arbitrary: fc.constant(fixture.tenant.id) }, fc.uuid(), fc.constant(''), fc.anything());
  const person = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...people) }, fc.record({ id: fc.string(), name: fc.string({ unit: 'binary' }), aadObjectId: fc.oneof(fc.uuid(), fc.string(), fc.constant(people[0].aadObjectId.toUpperCase())) }), fc.anything());
  const text = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...COMMANDS) },
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ minLength: 1000, maxLength: 5000 }),
    fc.constantFrom('\u202Ehelp', 'help\u200B', '<at>Passkey Helpdesk</at> help', '${jndi:ldap://x}', '**tap** [x](http://evil)', '\n\n\n', ''),
    fc.anything(),
  );
  const verb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...KNOWN_VERBS) }, fc.string(), fc.anything());
  const data = fc.oneof(
    fc.record({ requestId: fc.oneof(fc.uuid(), fc.string(), fc.anything()), verification: fc.string(), reason: fc.string({ unit: 'binary', maxLength: 600 }), denyReason: fc.string(), targetUpn: fc.oneof(fc.emailAddress(), fc.string()), tapKind: fc.constantFrom('oneTime', 'multiUse', 'x'), lostDevice: fc.constantFrom('true', 'false', 1), asked: fc.string() }, { requiredKeys: [] }),
    fc.dictionary(fc.string(), fc.anything()),
    fc.anything(),
  );
  const value = fc.oneof(
    { weight: 10, arbitrary: fc.record({ action: fc.oneof({ weight: 4, arbitrary: fc.record({ type: fc.constantFrom('Action.Execute', 'Action.Submit', 'x'), verb, data }, { requiredKeys: ['verb'] }) }, fc.anything()), trigger: fc.constantFrom('manual', 'automatic') }, { requiredKeys: ['action'] }) },
    fc.dictionary(fc.string(), fc.anything()),
    fc.anything(),
  );
  const deep = fc.integer({ min: 50, max: 2000 }).map((depth) => {
    let node: unknown = 'bottom';
    for (let i = 0; i < depth; i++) node = i % 2 ? [node] : { n: node };
    return node;
  });
  const conversationType = fc.constantFrom('personal', 'channel', 'groupChat', undefined);
  const type = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('message', 'invoke') }, fc.constantFrom('conversationUpdate', 'installationUpdate', 'event', 'messageReaction', 'typing', 'endOfConversation', 'messageUpdate', 'messageDelete'), fc.string(), fc.anything());
  const invokeName = fc.oneof({ weight: 4, arbitrary: fc.constant('adaptiveCard/action') }, fc.constantFrom('composeExtension/query', 'task/fetch', 'signin/verifyState', 'config/fetch', 'actionableMessage/executeAction'), fc.string(), fc.anything());
  const serviceUrl = fc.oneof({ weight: 40, arbitrary: fc.constant(connectorUrl) }, fc.constant('http://127.0.0.1:1/'), fc.constantFrom('ftp://x', 'javascript:alert(1)', 'not a url', ''), fc.anything());

  const activity = fc
    .record({
      type,
      from: person,
      tenant,
      text,
      value,
      invokeName,
      serviceUrl,
      conversationType,
      channelTeam: rarely(fc.record({ id: fc.oneof({ weight: 5, arbitrary: fc.constant('19:tap-helpdesk@thread.tacv2') }, fc.string(), fc.anything()) })),
      membersAdded: rarely(fc.array(fc.oneof({ weight: 5, arbitrary: fc.record({ id: fc.string({ minLength: 1 }) }) }, fc.anything()), { maxLength: 3 })),
      entities: rarely(fc.oneof({ weight: 5, arbitrary: fc.array(fc.dictionary(fc.string(), fc.anything()), { maxLength: 3 }) }, fc.anything())),
      // Fields dropped or replaced by something of another type.
      drop: fc.oneof({ weight: 6, arbitrary: fc.constant([] as string[]) }, fc.subarray(['id', 'channelId', 'from', 'recipient', 'conversation', 'serviceUrl', 'text', 'value', 'name', 'channelData', 'type'], { maxLength: 2 })),
      retype: fc.oneof({ weight: 6, arbitrary: fc.constant({} as Record<string, unknown>) }, fc.dictionary(fc.constantFrom('channelId', 'recipient', 'conversation', 'localTimezone', 'locale', 'replyToId', 'timestamp', 'attachments', 'channelData', 'name', 'text', 'value'), fc.anything(), { maxKeys: 2 })),
      extra: rarely(fc.dictionary(fc.string(), fc.oneof(fc.anything(), deep), { maxKeys: 3 })),
    })
    .map((f) => {
      const from = f.from as { aadObjectId?: unknown };
      const a: Json = {
        id: randomUUID(),
        type: f.type,
        channelId: 'msteams',
        serviceUrl: f.serviceUrl,
        timestamp: new Date().toISOString(),
        localTimezone: 'Europe/Berlin',
        from: f.from,
        recipient: { id: '28:passkey-helpdesk', name: 'Passkey Helpdesk' },
        conversation: { id: conversationId(f.conversationType, from, f.serviceUrl), conversationType: f.conversationType, tenantId: f.tenant },
        channelData: { tenant: { id: f.tenant }, ...(f.channelTeam ? { team: f.channelTeam, channel: { id: HELPDESK_CHANNEL } } : {}) },
        text: f.text,
      };
      if (f.type === 'invoke') {
        a.name = f.invokeName;
        a.value = f.value;
        a.replyToId = randomUUID();
      } else if (f.type === 'message' && typeof f.value === 'object') {
        a.value = f.value;
      }
      if (f.membersAdded) a.membersAdded = f.membersAdded;
      if (f.entities) a.entities = f.entities;
      for (const key of f.drop) delete a[key];
      Object.assign(a, f.retype);
      if (f.extra) a.extra = f.extra;
      return a;
    });

  // A reply to a connector that does not answer takes the Bot Framework client's retries (~10 s), and turns
  // of one conversation run one after another: such activities get a conversation of their own, or a quarter
  // of all activities (the helpdesk channel's) would queue behind each. Serialisation has its own tests.
  const conversationId = (conversationType: unknown, from: { aadObjectId?: unknown }, serviceUrl: unknown) => {
    const id = conversationType === 'channel' ? `${HELPDESK_CHANNEL};messageid=1` : `a:personal-${typeof from?.aadObjectId === 'string' ? from.aadObjectId : 'x'}`;
    return serviceUrl === UNREACHABLE ? `${id}-${randomUUID()}` : id;
  };

  const fuzzed: fc.Arbitrary<Fuzzed> = fc.oneof(
    { weight: 60, arbitrary: activity.map((body) => ({ body, contentType: 'application/json' })) },
    // Invalid UTF-8 inside an otherwise fine activity.
    activity.map((body) => {
      const json = Buffer.from(JSON.stringify({ ...body, text: 'MARK' }), 'utf8');
      const at = json.indexOf('MARK');
      return { body: at < 0 ? json : Buffer.concat([json.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), json.subarray(at + 4)]), contentType: 'application/json' };
    }),
    // Not a JSON object at all, or not JSON.
    fc.oneof(fc.anything(), fc.string(), fc.constantFrom('{', '{"type":', 'null', '[]', '"message"', '1e999', '{"__proto__":{"polluted":1},"type":"message"}')).map((body) => ({ body: typeof body === 'string' ? body : JSON.stringify(body) ?? 'undefined', contentType: 'application/json' })),
    // A huge body (over MAX_REQUEST_BYTES) and a wrong content type.
    { weight: 1, arbitrary: fc.constant({ body: HUGE, contentType: 'application/json' }) },
    activity.map((body) => ({ body: JSON.stringify(body), contentType: 'text/plain' })),
  );
  return fuzzed;
}

/** The body as sent, shortened, to name a failing activity. */
function shown(body: Fuzzed['body']): string {
  return (Buffer.isBuffer(body) ? `(bytes) ${body.toString('latin1')}` : typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 600);
}

describe('Fuzzing the running bot (fast-check)', function () {
  this.timeout((MAX_SECONDS + 120) * 1000);
  let bot: ChildBot;
  let connector: ConnectorStandIn;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-fuzz-'));
    connector = await new ConnectorStandIn().start();
    bot = await startChildBot({ DATA_DIR: dataDir, HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL, LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`survives up to ${TOTAL} fuzzed activities in ${MAX_SECONDS} s (the count sent is printed): no 5xx, no exception text in a body, /healthz ok throughout, the process up`, async () => {
    const fuzzed = arbitraries(loadFixture(defaultFixturePath()), connector.serviceUrl);
    const statuses = new Map<number, number>();
    const slow: Array<[number, number, string]> = [];
    const failures: string[] = [];
    const started = Date.now();
    const deadline = started + MAX_SECONDS * 1000;
    let generated = 0;
    let sent = 0;
    let pending: Fuzzed[] = [];
    let crashed = false;
    void bot.exited.then(() => (crashed = true));

    /** The next activity, or undefined when TOTAL were generated, the time is up or something failed. */
    const next = (): Fuzzed | undefined => {
      if (generated >= TOTAL || Date.now() >= deadline || failures.length > 0 || crashed) return undefined;
      if (pending.length === 0) pending = fc.sample(fuzzed, { numRuns: Math.min(CHUNK, TOTAL - generated), seed: SEED + generated });
      generated += 1;
      return pending.shift();
    };
    const post = async ({ body, contentType }: Fuzzed) => {
      const t0 = Date.now();
      const response = await fetch(`${bot.botUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: Buffer.isBuffer(body) ? new Uint8Array(body) : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      sent += 1;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (process.env.FUZZ_SLOW) slow.push([Date.now() - t0, response.status, shown(body).slice(0, 400)]);
      if (response.status >= 500) failures.push(`answered ${response.status}: ${text.slice(0, 300)}\n  to ${shown(body)}`);
      else if (EXCEPTION_TEXT.test(text)) failures.push(`an exception text in the body: ${text.slice(0, 300)}\n  to ${shown(body)}`);
      if (sent % 400 === 0) {
        const health = await fetch(`${bot.botUrl}/healthz`);
        if (health.status !== 200) failures.push(`/healthz answered ${health.status} after ${sent} activities`);
      }
    };
    const worker = async () => {
      for (let item = next(); item; item = next()) await post(item);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const seconds = (Date.now() - started) / 1000;
    console.log(`      fuzz: ${sent} activities in ${seconds.toFixed(1)} s (seed ${SEED}, ${CONCURRENCY} at a time); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    if (process.env.FUZZ_SLOW) {
      for (const row of slow.sort((a, b) => b[0] - a[0]).slice(0, 15)) console.log(row);
    }
    assert.equal(crashed, false, `the bot exited:\n${bot.output.slice(-20).join('\n')}`);
    assert.deepEqual(failures, [], `replay with FUZZ_SEED=${SEED}`);
    const health = await fetch(`${bot.botUrl}/healthz`);
    assert.equal(health.status, 200, '/healthz ok at the end');
    // Errors go through pino as JSON lines: no bare stack trace (console.error) on the bot's output.
    assert.deepEqual(bot.output.filter((line) => /^\s+at .+\(.*:\d+:\d+\)$/.test(line)).slice(0, 5), []);
  });
});
