import assert from 'node:assert/strict';
import type { ReportSnapshot } from '../../../../src/features/status/app/reportSnapshots';
import { startHarness, type Harness } from '../../../support/harness';
import { allText, ask, demoStats, element, GROUPS, press, REPORT_ROUTE, texts, verbs, waitUntil } from './support';

describe('Organisation readiness report ("report")', () => {
  let h: Harness;
  const snapshots = () => h.helpdesk.deps.stores.collection<ReportSnapshot>('reportSnapshots').list();

  before(async () => {
    h = await startHarness();
    // The durable job makes the first snapshot right after start-up.
    await waitUntil(async () => (await snapshots()).length > 0, 'the first snapshot');
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('shows a report reader the latest snapshot: a donut chart, the numbers as text and a chart by department', async () => {
    const { card } = await ask(h, h.person('adele@contoso.example'), 'report');
    assert.equal(card.version, '1.5');
    assert.equal(texts(card)[0], 'Passkey readiness: whole organisation');
    // The bundled Contoso tenant, counted by hand (docs/personas.md): 35 people, 2 disabled and so
    // not in the registration report; 2 guests (Lynne, Ravi). Phishing-resistant: Patti, Pradeep
    // and Sanjay (passkey in Authenticator), Debra, Cameron and Tomas (Windows Hello), Emily
    // (security key). No MFA: Alex, Lee (used one-time TAP), Enrico, Allan, Kenji (e-mail), Ravi.
    assert.deepEqual(element(card, 'Chart.Donut').data, [
      { legend: 'Phishing-resistant: 7', value: 7, color: 'categoricalBlue' },
      { legend: 'Phishable only: 20', value: 20, color: 'categoricalMarigold' },
      { legend: 'No MFA: 6', value: 6, color: 'categoricalRed' },
    ]);
    const text = texts(card);
    for (const line of ['People: 33 (2 guests)', 'Phishing-resistant: 7 (21%)', 'Passkey in Authenticator: 3 (9%)', 'Phishable methods only: 20 (61%)', 'No MFA at all: 6 (18%)']) {
      assert.ok(text.includes(line), `${line} in ${JSON.stringify(text)}`);
    }
    assert.ok(text.includes('Sales: 2 of 7 phishing-resistant (29%) · 5 phishable only · 0 no MFA'));
    assert.ok(text.includes('\\(no department\\): 0 of 2 phishing-resistant (0%) · 1 phishable only · 1 no MFA'));
    const bars = element(card, 'Chart.HorizontalBar.Stacked').data;
    assert.equal(bars.length, 12, 'every department (and "(no department)")');
    assert.deepEqual(bars.find((bar: { title: string }) => bar.title === 'IT').data.map((segment: { value: number }) => segment.value), [2, 1, 1]);
    assert.match(text.find((line) => line.startsWith('As of '))!, /^As of \{\{DATE\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, SHORT\)\}\} \{\{TIME\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\}\}$/);
    assert.deepEqual(verbs(card), ['report.refresh', 'report.exportCsv']);
  });

  it('never reads the report API during a chat turn: the card comes from the stored snapshot', async () => {
    const before = (await demoStats(h))[REPORT_ROUTE] ?? 0;
    await ask(h, h.person('pradeep@contoso.example'), 'report');
    assert.equal((await demoStats(h))[REPORT_ROUTE] ?? 0, before);
  });

  it('is also for the helpdesk', async () => {
    const card = await press(h, h.person('debra@contoso.example'), 'report.refresh', { groupId: '' });
    assert.equal(texts(card)[0], 'Passkey readiness: whole organisation');
  });

  it('refuses everyone else, by message or button, and audits each refusal', async () => {
    const alex = h.person('alex@contoso.example');
    const { card } = await ask(h, alex, 'report');
    assert.equal(texts(card)[0], 'The readiness report is for the rollout team');
    const pressed = await press(h, alex, 'report.exportCsv', { groupId: '' });
    assert.equal(texts(pressed)[0], 'The readiness report is for the rollout team');
    const refused = (await h.helpdesk.deps.stores.audit.list({ actor: alex.aadObjectId })).filter((event) => event.event === 'report-refused');
    assert.equal(refused.length, 2);
  });

  it('lists who still needs action and says how to get a shorter list in Teams, with no command-line hint', async () => {
    const card = await press(h, h.person('adele@contoso.example'), 'report.exportCsv', { groupId: '' });
    const text = texts(card);
    assert.equal(text[0], 'Who still needs action');
    assert.match(text[1], /^26 people have no phishing-resistant method/);
    assert.ok(text.includes('Adele Vance: adele@contoso.example · phishable methods only'));
    assert.ok(text.includes('Alex Wilber: alex@contoso.example · no MFA at all'));
    assert.ok(!text.some((line) => line.startsWith('Patti Fernandez')), 'people who are done are not listed');
    assert.match(text.at(-1)!, /type "report" and the group's name/);
    assert.doesNotMatch(text.join('\n'), /passkey-helpdesk|--csv/);
  });

  it('prepares a chosen group on demand, fills the waiting card in when its numbers are ready, then answers at once', async () => {
    const adele = h.person('adele@contoso.example');
    const { card, replyId, conversationId } = await ask(h, adele, `report ${GROUPS.passkeyPilot}`);
    assert.equal(texts(card)[0], 'Passkey readiness: Passkey Pilot');
    assert.match(allText(card), /being prepared/);

    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId, 10_000);
    assert.equal(update.conversationId, conversationId);
    const filled = update.body.attachments[0].content;
    // Passkey Pilot and its nested Sales group: 26 members, 2 of them disabled (not in the report).
    assert.deepEqual(element(filled, 'Chart.Donut').data.map((slice: { value: number }) => slice.value), [6, 14, 4]);
    assert.match(allText(filled), /25% of 24 people sign in phishing-resistant; 3 with a passkey in Microsoft Authenticator/);
    assert.ok(verbs(filled).includes('nudge.start'), 'a group report offers to nudge that group');

    const again = await ask(h, adele, 'report Passkey Pilot'.replace('Passkey Pilot', GROUPS.passkeyPilot));
    assert.equal(texts(again.card)[0], 'Passkey readiness: Passkey Pilot');
    assert.ok(element(again.card, 'Chart.Donut'));
  });

  it('says so when there is no such group', async () => {
    const { card } = await ask(h, h.person('adele@contoso.example'), 'report 00000000-0000-4000-8000-0000000000ff');
    assert.equal(texts(card)[0], 'No such group');
  });

  it('shows the trend since the previous snapshot', async () => {
    // Adele registers a passkey in Authenticator; the next scheduled refresh sees it.
    const registered = await fetch(`${h.helpdesk.demoTenantUrl}/_demo/users/adele@contoso.example/registerPasskey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'ios' }),
    });
    assert.equal(registered.status, 201);
    const count = (await snapshots()).length;
    await h.helpdesk.deps.stores.dueTimes.schedule({ id: 'report.refresh', kind: 'report.refresh', dueAt: new Date() });
    await waitUntil(async () => (await snapshots()).length > count || (await snapshots()).at(-1)!.value.report.totals.phishingResistant === 8, 'a new snapshot');

    const { card } = await ask(h, h.person('adele@contoso.example'), 'report');
    assert.match(allText(card), /Since .+: phishing-resistant \+1, passkey in Authenticator \+1, phishable only −1, no MFA ±0, people ±0\./);
  });

  it('says the report is being prepared when there is no snapshot yet, and fills the card in once there is', async () => {
    const collection = h.helpdesk.deps.stores.collection<ReportSnapshot>('reportSnapshots');
    for (const { key } of await collection.list()) await collection.delete(key);

    const { card, replyId } = await ask(h, h.person('adele@contoso.example'), 'report');
    assert.equal(texts(card)[0], 'Passkey readiness');
    assert.match(allText(card), /being prepared/);
    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId, 10_000);
    assert.equal(texts(update.body.attachments[0].content)[0], 'Passkey readiness: whole organisation');
  });
});

describe('Readiness report: "Show latest" fetches a fresh snapshot, at most once a minute', () => {
  let h: Harness;
  let now = Date.parse('2026-03-02T09:00:00Z');
  const snapshots = () => h.helpdesk.deps.stores.collection<ReportSnapshot>('reportSnapshots').list();
  const runJobs = async () => {
    while ((await h.helpdesk.deps.jobs.runDue()) > 0);
  };

  before(async () => {
    h = await startHarness({ runJobs: false, clock: () => new Date(now) });
    await runJobs(); // the first snapshot
    await waitUntil(async () => (await snapshots()).length > 0, 'the first snapshot');
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('shows the current card at once with "fetching", reads the report in the background and puts the fresh snapshot into the card', async () => {
    now += 5 * 60_000;
    const before = (await snapshots()).length;
    const reads = (await demoStats(h))[REPORT_ROUTE] ?? 0;
    const { replyId } = await ask(h, h.person('adele@contoso.example'), 'report');
    const card = await press(h, h.person('adele@contoso.example'), 'report.refresh', { groupId: '' }, replyId);
    assert.match(allText(card), /Fetching the latest numbers/);
    assert.equal((await demoStats(h))[REPORT_ROUTE] ?? 0, reads, 'not in the chat turn');

    await runJobs();
    await waitUntil(async () => (await snapshots()).length > before, 'a fresh snapshot');
    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId);
    const filled = update.body.attachments[0].content;
    const latest = (await snapshots()).at(-1)!.value;
    assert.equal(latest.generatedAt, new Date(now).toISOString(), 'the snapshot is new, not the old one');
    assert.ok(allText(filled).includes(`As of {{DATE(${latest.generatedAt.replace('.000Z', 'Z')}, SHORT)}} {{TIME(${latest.generatedAt.replace('.000Z', 'Z')})}}`));
    assert.doesNotMatch(allText(filled), /Fetching/);
  });

  it('within the minute shows the current card with a kind note and fetches nothing; after it, fetches again', async () => {
    now += 2 * 60_000;
    const adele = h.person('adele@contoso.example');
    const first = await press(h, adele, 'report.refresh', { groupId: '' });
    assert.match(allText(first), /Fetching the latest numbers/);
    await runJobs();
    const count = (await snapshots()).length;

    now += 30_000;
    const limited = await press(h, h.person('debra@contoso.example'), 'report.refresh', { groupId: '' });
    assert.equal(texts(limited)[0], 'Passkey readiness: whole organisation');
    assert.match(allText(limited), /new ones can be fetched once a minute/);
    await runJobs();
    assert.equal((await snapshots()).length, count, 'no refresh within the minute');

    now += 31_000;
    const again = await press(h, adele, 'report.refresh', { groupId: '' });
    assert.match(allText(again), /Fetching the latest numbers/);
  });
});
