import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../../../support/harness';
import { allText, ask, element, press, texts, verbs } from './support';
import { openTapStore } from '../../../../src/features/tap/app/store';
import type { TapRequest } from '../../../../src/features/tap/domain/request';

const HELPDESK_CHANNEL = '19:helpdesk@thread.tacv2';
const inChannel = (channelId: string) => (activity: any) => {
  activity.conversation = { id: `${channelId};messageid=1700000000000`, conversationType: 'channel', isGroup: true, tenantId: activity.conversation.tenantId };
  activity.channelData = { ...activity.channelData, team: { id: '19:team@thread.tacv2' }, channel: { id: channelId } };
};

describe('Personal status over HTTP ("status", "My sign-in methods")', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { HELPDESK_CHANNEL_ID: HELPDESK_CHANNEL } });
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('lists each method in plain words with its verdict, the overall verdict and the next step, with a button that starts the diagnosis', async () => {
    const { card } = await ask(h, h.person('adele@contoso.example'), 'status');
    const shown = texts(card);
    assert.equal(shown[0], 'Your sign-in methods');
    assert.ok(shown.includes('⚠️ Your sign-in is not phishing-resistant yet.'));
    const rows = element(card, 'Container').items.map((row: any) => row.columns.map((column: any) => column.items[0].text));
    assert.deepEqual(rows, [
      ['⚠️', 'Password', 'Not phishing-resistant'],
      ['⚠️', 'Microsoft Authenticator notifications / phone sign-in on iPhone 15', 'Not phishing-resistant'],
    ]);
    assert.ok(shown.includes('Add a passkey in Microsoft Authenticator.'));
    const primary = card.actions!.find((action: any) => action.verb === 'menu.diagnose');
    assert.equal(primary?.title, 'Add a passkey in Authenticator');
  });

  it('answers the menu button with the same card as the invoke response, and says "done" to someone with a passkey in Authenticator', async () => {
    const card = await press(h, h.person('patti@contoso.example'), 'menu.status');
    const text = allText(card);
    assert.match(text, /✅ Your sign-in is phishing-resistant\./);
    assert.match(text, /Passkey in Microsoft Authenticator \\\(iPhone\\\)/);
    assert.match(text, /You're done/);
    assert.deepEqual(verbs(card), ['status.refresh'], 'no next-step button when there is nothing left to do');
  });

  it('offers a Temporary Access Pass to someone with no method that can verify them', async () => {
    const { card } = await ask(h, h.person('lee@contoso.example'), 'status');
    assert.match(allText(card), /Temporary Access Pass \\\(not usable now\\\)/);
    const primary = card.actions!.find((action: any) => action.verb === 'menu.tap');
    assert.equal(primary?.title, 'Request a Temporary Access Pass');
  });

  it("shows until when an active Temporary Access Pass is valid, in the reader's time zone, and never its value", async () => {
    const alex = h.person('alex@contoso.example');
    const issued = await h.helpdesk.deps.graph.createTemporaryAccessPass(alex.aadObjectId, { lifetimeInMinutes: 60, isUsableOnce: false });
    try {
      const { card } = await ask(h, alex, 'status');
      const text = allText(card);
      assert.match(text, /A Temporary Access Pass is active until .+ (CET|CEST|GMT\+1|GMT\+2)/);
      assert.ok(!JSON.stringify(card).includes(issued.temporaryAccessPass), 'the pass itself is never on the card');
      assert.equal(card.actions!.find((action: any) => action.verb === 'menu.diagnose')?.title, 'Add a passkey in Authenticator');
    } finally {
      await h.helpdesk.deps.graph.deleteTemporaryAccessPass(alex.aadObjectId, issued.id);
    }
  });

  it('shows sign-in details in a 1:1 chat or the helpdesk channel, not in any other channel', async () => {
    const { card } = await ask(h, h.person('adele@contoso.example'), 'status', inChannel('19:general@thread.tacv2'));
    assert.equal(texts(card)[0], 'Let us talk in private');
    const inHelpdesk = await ask(h, h.person('pradeep@contoso.example'), 'status lee@contoso.example', inChannel(HELPDESK_CHANNEL));
    assert.equal(texts(inHelpdesk.card)[0], 'Sign-in methods of Lee Gu (lee@contoso.example)');
  });
});

describe('Helpdesk look-up ("status <upn>")', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it("shows a helpdesk member anyone's status with their last diagnosis, open TAP requests and recent audit events, and audits the look-up", async () => {
    const adele = h.person('adele@contoso.example');
    const pradeep = h.person('pradeep@contoso.example');
    const { stores } = h.helpdesk.deps;
    // What the diagnosis and TAP features store (shapes per their contracts).
    await stores.collection('diagnoses').upsert(adele.aadObjectId, {
      userId: adele.aadObjectId,
      at: '2025-03-01T09:00:00.000Z',
      findings: [{ id: 'ready', severity: 'info', title: 'Ready to add a passkey' }],
    });
    const tapRequests = openTapStore(stores).requests;
    // Only the fields the look-up reads; the rest of a TapRequest doesn't matter here.
    const partial = (id: string, status: string) => ({ id, status, targetUser: { id: adele.aadObjectId } }) as unknown as TapRequest;
    await tapRequests.create('req-open', partial('req-open', 'pending'));
    await tapRequests.create('req-done', partial('req-done', 'completed'));
    await stores.audit.append({ at: new Date().toISOString(), requestId: 'req-open', event: 'requested', actor: adele.aadObjectId });

    const { card } = await ask(h, pradeep, 'status adele@contoso.example');
    const shown = texts(card);
    assert.equal(shown[0], 'Sign-in methods of Adele Vance (adele@contoso.example)');
    assert.ok(shown.includes('Their next step'));
    assert.ok(shown.some((t) => /Ready to add a passkey \(info\)/.test(t)), 'the last diagnosis');
    assert.ok(shown.includes('req-open: pending'), 'the open TAP request');
    assert.ok(!shown.some((t) => t.includes('req-done')), 'finished requests are not listed');
    assert.ok(shown.some((t) => /: requested$/.test(t)), 'the audit event of that request');
    assert.ok(!verbs(card).includes('menu.diagnose'), 'no "add a passkey" button for the helpdesk: it is not their own account');
    assert.deepEqual(verbs(card), ['status.lookup']);

    const audit = await stores.audit.list({ actor: pradeep.aadObjectId });
    assert.ok(audit.some((event) => event.event === 'lookup' && event.details?.targetUserId === adele.aadObjectId));
  });

  it('accepts the address as Teams sends it (a mailto link) and tolerates the absence of any diagnosis or TAP request', async () => {
    const { card } = await ask(h, h.person('debra@contoso.example'), 'status <a href="mailto:lee@contoso.example">lee@contoso.example</a>');
    const shown = texts(card);
    assert.equal(shown[0], 'Sign-in methods of Lee Gu (lee@contoso.example)');
    assert.ok(shown.includes('No diagnosis recorded.'));
    assert.ok(shown.includes('None.'));
  });

  it('refuses anyone else politely, and audits the refusal', async () => {
    const adele = h.person('adele@contoso.example'); // a report reader, not helpdesk
    const { card } = await ask(h, adele, 'status lee@contoso.example');
    assert.equal(texts(card)[0], 'Only the helpdesk can look up someone else');
    assert.ok(!JSON.stringify(card).includes('Lee Gu'), 'nothing about the person is shown');
    const refused = (await h.helpdesk.deps.stores.audit.list({ actor: adele.aadObjectId })).filter((event) => event.event === 'lookup-refused');
    assert.deepEqual(refused.at(-1)?.details, { targetUpn: 'lee@contoso.example' });
    assert.equal(refused.at(-1)?.requestId, null);
  });

  it('gives the same refusal for someone who does not exist (no directory probing)', async () => {
    const { card } = await ask(h, h.person('alex@contoso.example'), 'status nobody@contoso.example');
    assert.equal(texts(card)[0], 'Only the helpdesk can look up someone else');
  });

  it('refuses a forged look-up button too', async () => {
    const alex = h.person('alex@contoso.example');
    const patti = h.person('patti@contoso.example').aadObjectId;
    const card = await press(h, alex, 'status.lookup', { userId: patti });
    assert.equal(texts(card)[0], 'Only the helpdesk can look up someone else');
    const refused = (await h.helpdesk.deps.stores.audit.list({ actor: alex.aadObjectId })).filter((event) => event.event === 'lookup-refused');
    assert.deepEqual(refused.at(-1)?.details, { targetUpn: patti });
  });

  it('lets anyone look themselves up by address', async () => {
    const { card } = await ask(h, h.person('alex@contoso.example'), 'status alex@contoso.example');
    assert.equal(texts(card)[0], 'Your sign-in methods');
  });

  it('tells the helpdesk when nobody has that address', async () => {
    const { card } = await ask(h, h.person('pradeep@contoso.example'), 'status nobody@contoso.example');
    assert.equal(texts(card)[0], 'No such person');
  });
});
