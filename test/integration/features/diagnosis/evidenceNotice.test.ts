import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { HELPDESK_NOTICES, reportEvidenceAvailability, type EvidenceOutageNotice } from '../../../../src/features/permissionAlerts';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, PLAYGROUND_TEAM_ID } from '../../../../src/playground/config';
import { CardTemplates } from '../../../../src/shared/cardTemplates';
import { projectRoot } from '../../../../src/shared/projectRoot';
import { DIAGNOSIS_VERBS } from '../../../../src/shared/verbs';
import { openSqliteStores, type Stores } from '../../../../src/storage';
import type { Activity } from 'botbuilder';
import { actionExecute, teamInstall, type Person } from '../../../support/activities';
import { startHarness, type Harness } from '../../../support/harness';

const NOTICE_TITLE = 'Passkey checks run without sign-in evidence';

/** A tenant whose logs Graph refuses: no Microsoft Entra ID P1/P2 licence. */
function unlicensedContoso() {
  return { ...loadFixture(defaultFixturePath()), licences: { entraIdP1: false } };
}

describe('Diagnosis when the sign-in and audit logs cannot be read (tenant without Entra ID P1)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ fixture: unlicensedContoso() });
    await h.post(teamInstall(h.ctx, h.person('pradeep@contoso.example'), { id: PLAYGROUND_TEAM_ID, name: 'Contoso IT' }, PLAYGROUND_HELPDESK_CHANNEL_ID));
    h.connector.clear();
  });
  afterEach(() => h.stop());

  /** "Check again": one diagnosis; the card the person sees. */
  async function diagnose(person: Person): Promise<string> {
    const { status, body } = await h.post(actionExecute(h.ctx, person, DIAGNOSIS_VERBS.recheck));
    assert.equal(status, 200);
    return JSON.stringify(body.value);
  }
  const noticesPosted = () =>
    h.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations' && JSON.stringify(c.body).includes(NOTICE_TITLE));
  const healthz = async () => (await (await fetch(`${h.helpdesk.botUrl}/healthz`)).json()) as { evidence: string };
  const demoControl = (control: string, body: unknown) =>
    fetch(`${h.helpdesk.demoTenantUrl}/_demo${control}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('diagnoses from the policies, tells the helpdesk channel once on a card (never the person), logs it, and /healthz says why', async () => {
    const isaiah = await diagnose(h.person('isaiah@contoso.example'));
    assert.match(isaiah, /compliant-device-required/, 'the predicted finding still shows');
    assert.doesNotMatch(isaiah, /licen[cs]e|sign-in evidence/i, 'the person is not told about the licence');

    await diagnose(h.person('bianca@contoso.example'));
    await diagnose(h.person('isaiah@contoso.example'));

    const notices = noticesPosted();
    assert.equal(notices.length, 1, 'one notice for three diagnoses');
    assert.ok(notices[0].conversationId.startsWith(PLAYGROUND_HELPDESK_CHANNEL_ID), 'in the helpdesk channel');
    const card = notices[0].body.attachments[0];
    assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(card.content), /Microsoft Entra ID P1 or P2 licence/);
    assert.match(JSON.stringify(card.content), /Neither tenant is B2C or tenant doesn't have premium license/);
    assert.ok(h.logs.some((line) => line.includes('diagnosing without evidence') && line.includes('noPremiumLicence')), 'the log line');
    assert.equal((await healthz()).evidence, 'unavailable (no Entra ID P1/P2 licence)');
  });

  it('stays told across a restart; once the logs are readable again it clears, and a new outage is told again', async () => {
    await diagnose(h.person('isaiah@contoso.example'));
    assert.equal(noticesPosted().length, 1);

    await h.restart();
    h.connector.clear();
    await diagnose(h.person('bianca@contoso.example'));
    assert.equal(noticesPosted().length, 0, 'the store remembers the notice across the restart');

    await demoControl('/licences', { entraIdP1: true });
    await diagnose(h.person('bianca@contoso.example'));
    assert.equal((await healthz()).evidence, 'ok');
    assert.equal(await h.helpdesk.deps.stores.collection(HELPDESK_NOTICES).get('evidence-unavailable'), undefined, 'recovered: the record is gone');

    await demoControl('/licences', { entraIdP1: false });
    await diagnose(h.person('isaiah@contoso.example'));
    assert.equal(noticesPosted().length, 1, 'a new outage is a new notice');
  });
});

describe('The sign-in evidence notice across instances (one store)', () => {
  let dataDir: string;
  let stores: Stores[];
  const cards = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-notice-'));
    stores = [openSqliteStores({ dataDir }), openSqliteStores({ dataDir })];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** One instance of the bot: its own store handle on the shared database, posts counted in `posted`. */
  function instance(store: Stores, posted: Array<Partial<Activity>>) {
    return {
      config: { helpdeskChannelId: PLAYGROUND_HELPDESK_CHANNEL_ID },
      proactive: { postToChannel: async (_channel: string, activity: Partial<Activity>) => (posted.push(activity), { activityId: 'a', reference: {} }) },
      logger: pino({ level: 'silent' }),
      clock: () => new Date('2026-11-30T12:00:00Z'),
      stores: store,
      cards,
    };
  }

  it('two instances diagnosing at once post the notice once between them', async () => {
    const posted: Array<Partial<Activity>> = [];
    const [a, b] = stores.map((store) => instance(store, posted));
    const refused = { status: 'unavailable', reason: 'forbidden' } as const;
    await Promise.all([reportEvidenceAvailability(a, refused), reportEvidenceAvailability(b, refused), reportEvidenceAvailability(a, refused), reportEvidenceAvailability(b, refused)]);
    assert.equal(posted.length, 1);
    assert.match(JSON.stringify(posted[0]), /AuditLog\.Read\.All/, 'names the missing permission');
  });

  it('a new cause is told again; a transient error is not told and does not clear the notice', async () => {
    const posted: Array<Partial<Activity>> = [];
    const [a, b] = stores.map((store) => instance(store, posted));
    await reportEvidenceAvailability(a, { status: 'unavailable', reason: 'forbidden' });
    await reportEvidenceAvailability(b, { status: 'unavailable', reason: 'error' });
    await reportEvidenceAvailability(b, { status: 'unavailable', reason: 'noPremiumLicence' });
    assert.equal(posted.length, 2);
    const notice = await stores[0].collection<EvidenceOutageNotice>(HELPDESK_NOTICES).get('evidence-unavailable');
    assert.equal(notice?.value.cause, 'noPremiumLicence');
  });

  it('a notice that could not be posted is tried again by the next diagnosis', async () => {
    const posted: Array<Partial<Activity>> = [];
    const failing = { ...instance(stores[0], posted), proactive: { postToChannel: () => Promise.reject(new Error('not installed')) } };
    await reportEvidenceAvailability(failing, { status: 'unavailable', reason: 'forbidden' });
    await reportEvidenceAvailability(instance(stores[1], posted), { status: 'unavailable', reason: 'forbidden' });
    assert.equal(posted.length, 1);
  });
});
