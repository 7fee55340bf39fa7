import assert from 'node:assert/strict';
import type { StoredCampaign } from '../../../../src/features/status/app/nudgeCampaigns';
import { personalConversationId, personalInstall, type Person } from '../../../support/activities';
import { startHarness, type Harness } from '../../../support/harness';
import { ask, GROUPS, press, texts, verbs, waitUntil, type Card } from './support';

/** The preview's id, from its Send (or Cancel) button. */
function previewIdOf(card: Card): string {
  const action = card.actions?.find((a: any) => a.verb === 'nudge.send' || a.verb === 'nudge.discard');
  assert.ok(action, `a nudge preview (got: ${texts(card).join(' | ')})`);
  return action.data.previewId;
}

/** Sales (docs/personas.md): Diego, Megan, Gerhart and Fatima have phishable methods only; Cameron and Sanjay are phishing-resistant. */
const SALES = ['diego', 'megan', 'gerhart', 'cameron', 'sanjay', 'fatima'];

describe('Rollout nudges ("nudge <group>")', () => {
  let h: Harness;
  const person = (name: string): Person => h.person(`${name}@contoso.example`);
  const campaign = async (id: string) => (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').get(id))?.value;
  /** The nudges of one campaign that reached each person's 1:1 chat. */
  const nudgesOf = (campaignId: string) =>
    h.connector
      .sent()
      .filter((activity) => activity.attachments?.[0]?.content?.actions?.some((action: any) => action.verb === 'nudge.optOut' && action.data?.campaignId === campaignId))
      .map((activity) => SALES.find((name) => activity.conversation?.id === personalConversationId(person(name))) ?? activity.conversation?.id);
  const latestCampaignId = async () => (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').list()).at(-1)!.key;
  const completed = (campaignId: string) => waitUntil(async () => (await campaign(campaignId))?.campaign.state === 'completed', 'the campaign to complete');

  before(async () => {
    h = await startHarness();
    // Everyone in Sales but Sanjay has the app.
    for (const name of SALES.filter((n) => n !== 'sanjay')) await h.post(personalInstall(h.ctx, person(name)));
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('nudges every member with the app and no phishing-resistant method after Send, and keeps the starter\'s progress card up to date', async () => {
    const pradeep = person('pradeep');
    const { card: preview, replyId } = await ask(h, pradeep, 'nudge Sales');
    const card = await press(h, pradeep, 'nudge.send', { previewId: previewIdOf(preview) }, replyId);
    assert.equal(texts(card)[0], 'Passkey nudges: Sales');
    const campaignId = await latestCampaignId();
    await completed(campaignId);

    assert.deepEqual(nudgesOf(campaignId).sort(), ['diego', 'fatima', 'gerhart', 'megan']);
    const stored = await campaign(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.skipped, stored?.campaign.failed, stored?.campaign.total], [4, 2, 0, 6]);
    assert.deepEqual(stored?.skipReasons, { 'already-phishing-resistant': 1, 'app-not-installed': 1 });

    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId && JSON.stringify(c.body).includes('Done: every member'));
    assert.ok(texts(update.body.attachments[0].content).includes('Sent: 4'));
  });

  it('lets a report reader start one from a group report, and refuses anyone else (audited)', async () => {
    const preview = await press(h, person('adele'), 'nudge.start', { groupId: GROUPS.sales });
    assert.equal(texts(preview)[0], 'Nudge Sales?');
    const card = await press(h, person('adele'), 'nudge.send', { previewId: previewIdOf(preview) });
    assert.equal(texts(card)[0], 'Passkey nudges: Sales');
    await completed(await latestCampaignId());

    const alex = person('alex');
    const refused = await ask(h, alex, 'nudge Sales');
    assert.equal(texts(refused.card)[0], 'Only the rollout team can send nudges');
    const audit = await h.helpdesk.deps.stores.audit.list({ actor: alex.aadObjectId });
    assert.deepEqual(audit.map((event) => [event.event, event.details]), [['nudge-refused', { group: 'Sales' }]]);
  });

  it('honours "Don\'t remind me" in later campaigns', async () => {
    const megan = person('megan');
    const notice = await press(h, megan, 'nudge.optOut', { campaignId: 'any' });
    assert.equal(texts(notice)[0], 'No more reminders');

    const { card: preview } = await ask(h, person('debra'), `nudge ${GROUPS.sales}`);
    await press(h, person('debra'), 'nudge.send', { previewId: previewIdOf(preview) });
    const campaignId = await latestCampaignId();
    await completed(campaignId);
    assert.deepEqual(nudgesOf(campaignId).sort(), ['diego', 'fatima', 'gerhart']);
    assert.equal((await campaign(campaignId))?.skipReasons['opted-out'], 1);
  });

  it('lets the starter cancel a campaign from its card', async () => {
    const pradeep = person('pradeep');
    const { card: preview } = await ask(h, pradeep, 'nudge Sales');
    await press(h, pradeep, 'nudge.send', { previewId: previewIdOf(preview) });
    const campaignId = await latestCampaignId();
    const card = await press(h, pradeep, 'nudge.cancel', { campaignId });
    // Either the cancel came first or the (small) campaign had already finished: never both states.
    const state = (await campaign(campaignId))?.campaign.state;
    assert.ok(state === 'cancelled' || state === 'completed');
    assert.match(texts(card)[2], state === 'cancelled' ? /^Cancelled/ : /^Done/);
  });

  it('survives a restart without sending anyone a second nudge', async () => {
    const { card: preview } = await ask(h, person('pradeep'), 'nudge Sales');
    await press(h, person('pradeep'), 'nudge.send', { previewId: previewIdOf(preview) });
    const campaignId = await latestCampaignId();
    await h.restart();
    await completed(campaignId);
    const sent = nudgesOf(campaignId).sort();
    assert.deepEqual(sent, ['diego', 'fatima', 'gerhart'], 'each once (Megan opted out earlier)');
  });
});

describe('Rollout nudges: the members are listed by the job, not in the chat turn', () => {
  let h: Harness;
  let listings = 0;
  const person = (name: string): Person => h.person(`${name}@contoso.example`);

  before(async () => {
    h = await startHarness({ runJobs: false });
    for (const name of SALES.filter((n) => n !== 'sanjay')) await h.post(personalInstall(h.ctx, person(name)));
    const graph = h.helpdesk.deps.graph;
    const listGroupUsers = graph.listGroupUsers.bind(graph);
    graph.listGroupUsers = (...args) => {
      listings += 1;
      return listGroupUsers(...args);
    };
  });
  after(async () => h.stop());

  it('answers "Listing the group\'s members…" at Send; the job lists them and nudges', async () => {
    const pradeep = person('pradeep');
    const { card: preview, replyId } = await ask(h, pradeep, 'nudge Sales');
    assert.equal(listings, 1, 'the preview counts the members once');
    const card = await press(h, pradeep, 'nudge.send', { previewId: previewIdOf(preview) }, replyId);
    assert.equal(texts(card)[2], "Listing the group's members…");
    assert.equal(listings, 1, 'no further member listing in the Send turn');
    const campaignId = (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').list()).at(-1)!.key;

    while ((await h.helpdesk.deps.jobs.runDue()) > 0);
    assert.equal(listings, 2);
    const stored = (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').get(campaignId))?.value;
    assert.deepEqual([stored?.campaign.state, stored?.campaign.sent, stored?.campaign.total], ['completed', 4, 6]);
    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId && JSON.stringify(c.body).includes('Done: every member'));
    assert.ok(texts(update.body.attachments[0].content).includes('Members: 6'));
  });
});

describe('Rollout nudges: the preview before anything is sent', () => {
  let h: Harness;
  const person = (name: string): Person => h.person(`${name}@contoso.example`);
  const campaignCount = async () => (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').list()).length;
  const nudgesSent = () => h.connector.sent().filter((activity) => activity.attachments?.[0]?.content?.actions?.some((action: any) => action.verb === 'nudge.optOut'));

  before(async () => {
    h = await startHarness({ runJobs: false });
    for (const name of SALES.filter((n) => n !== 'sanjay')) await h.post(personalInstall(h.ctx, person(name)));
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  it('shows the group, who still lacks a passkey, who is left out and a sample message, and sends nothing yet', async () => {
    const before = await campaignCount();
    const { card } = await ask(h, person('pradeep'), 'nudge Sales');
    const shown = texts(card);
    assert.equal(shown[0], 'Nudge Sales?');
    assert.ok(shown.includes('4 people in Sales still lack a passkey; 4 people would get a nudge now.'), shown.join(' | '));
    assert.ok(shown.includes('Members: 6'));
    assert.ok(shown.includes('• 2 already phishing-resistant (done)'), shown.join(' | '));
    assert.ok(shown.includes('Time to set up a passkey'), 'a sample of the nudge');
    assert.deepEqual(verbs(card), ['nudge.send', 'nudge.discard']);
    assert.equal(card.actions?.[0]?.title, 'Send 4 nudges');
    assert.equal(await campaignCount(), before, 'no campaign before Send');
    assert.equal(nudgesSent().length, 0);
  });

  it('leaves the sender out when they are a member of the group', async () => {
    // Pradeep is a member of "Passkey Helpdesk".
    const { card } = await ask(h, person('pradeep'), 'nudge Passkey Helpdesk');
    assert.ok(texts(card).includes('• you (the sender)'), texts(card).join(' | '));
  });

  it('Cancel turns the preview into "Cancelled" (from the stored preview) and a Send on the stale card sends nothing', async () => {
    const pradeep = person('pradeep');
    const before = await campaignCount();
    const { card: preview, replyId } = await ask(h, pradeep, 'nudge Sales');
    const previewId = previewIdOf(preview);
    const cancelled = await press(h, pradeep, 'nudge.discard', { previewId }, replyId);
    assert.equal(texts(cancelled)[0], 'Nudge Sales?');
    assert.ok(texts(cancelled).includes('✖ Cancelled: no nudges were sent.'));
    assert.deepEqual(verbs(cancelled), []);

    const stale = await press(h, pradeep, 'nudge.send', { previewId }, replyId);
    assert.ok(texts(stale).includes('✖ Cancelled: no nudges were sent.'));
    const again = await press(h, pradeep, 'nudge.discard', { previewId }, replyId);
    assert.ok(texts(again).includes('✖ Cancelled: no nudges were sent.'));
    assert.equal(await campaignCount(), before);
    const audit = await h.helpdesk.deps.stores.audit.list({ actor: pradeep.aadObjectId });
    assert.equal(audit.filter((event) => event.event === 'nudge-preview-cancelled' && event.details?.previewId === previewId).length, 1);
  });

  it('starts one campaign however often Send is pressed (twice at once, then again on the stale card)', async () => {
    const pradeep = person('pradeep');
    const before = await campaignCount();
    const { card: preview, replyId } = await ask(h, pradeep, 'nudge Sales');
    const previewId = previewIdOf(preview);
    const [first, second] = await Promise.all([
      press(h, pradeep, 'nudge.send', { previewId }, replyId),
      press(h, person('debra'), 'nudge.send', { previewId }, replyId),
    ]);
    const third = await press(h, pradeep, 'nudge.send', { previewId }, replyId);
    for (const card of [first, second, third]) assert.equal(texts(card)[0], 'Passkey nudges: Sales');
    assert.equal(await campaignCount(), before + 1);
    const ids = new Set([first, second, third].map((card) => card.actions?.find((a: any) => a.verb === 'nudge.refresh')?.data.campaignId));
    assert.equal(ids.size, 1, 'every press shows the same campaign');

    while ((await h.helpdesk.deps.jobs.runDue()) > 0);
    const recipients = nudgesSent().map((activity) => activity.conversation?.id);
    assert.equal(recipients.length, 4);
    assert.equal(new Set(recipients).size, 4, 'nobody twice');
  });

  it('offers up to three close group names ("did you mean …?"), each button showing that group\'s preview', async () => {
    const pradeep = person('pradeep');
    const { card } = await ask(h, pradeep, 'nudge Pilot');
    assert.equal(texts(card)[0], 'Did you mean …?');
    const choices = (card.actions ?? []).map((action: any) => [action.verb, action.data.groupId]);
    assert.deepEqual(choices, [['nudge.start', 'Admins Pilot'], ['nudge.start', 'Passkey Pilot']]);

    const preview = await press(h, pradeep, 'nudge.start', { groupId: 'Passkey Pilot' });
    assert.equal(texts(preview)[0], 'Nudge Passkey Pilot?');
  });

  it('says so plainly when no group name is close', async () => {
    const { card } = await ask(h, person('pradeep'), 'nudge Marketing');
    assert.equal(texts(card)[0], 'No such group');
    assert.match(texts(card)[1]!, /no group name is close/);
  });

  it('finds the group in a sentence ("nudge the sales team to set up their passkeys")', async () => {
    const { card } = await ask(h, person('pradeep'), 'nudge the sales team to set up their passkeys');
    assert.equal(texts(card)[0], 'Nudge Sales?');
  });

  it('refuses a Send from someone not on the rollout team, as a nudge is refused (audited), and sends nothing', async () => {
    const before = await campaignCount();
    const { card: preview } = await ask(h, person('pradeep'), 'nudge Sales');
    const previewId = previewIdOf(preview);
    const alex = person('alex');
    const refused = await press(h, alex, 'nudge.send', { previewId });
    assert.equal(texts(refused)[0], 'Only the rollout team can send nudges');
    assert.equal(await campaignCount(), before);
    assert.equal((await h.helpdesk.deps.stores.collection<{ state: string }>('nudgePreviews').get(previewId))?.value.state, 'pending');
    const audit = await h.helpdesk.deps.stores.audit.list({ actor: alex.aadObjectId });
    assert.deepEqual(audit.map((event) => [event.event, event.details]), [['nudge-refused', { previewId, action: 'send' }]]);
  });
});
