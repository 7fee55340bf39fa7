import assert from 'node:assert/strict';
import type { StoredCampaign } from '../../../../src/features/status/app/nudgeCampaigns';
import { personalConversationId, personalInstall, type Person } from '../../../support/activities';
import { startHarness, type Harness } from '../../../support/harness';
import { ask, GROUPS, press, texts, waitUntil } from './support';

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

  it('nudges every member with the app and no phishing-resistant method, and keeps the starter\'s progress card up to date', async () => {
    const { card, replyId } = await ask(h, person('pradeep'), 'nudge Sales');
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
    const card = await press(h, person('adele'), 'nudge.start', { groupId: GROUPS.sales });
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

    await ask(h, person('debra'), `nudge ${GROUPS.sales}`);
    const campaignId = await latestCampaignId();
    await completed(campaignId);
    assert.deepEqual(nudgesOf(campaignId).sort(), ['diego', 'fatima', 'gerhart']);
    assert.equal((await campaign(campaignId))?.skipReasons['opted-out'], 1);
  });

  it('lets the starter cancel a campaign from its card', async () => {
    const pradeep = person('pradeep');
    await ask(h, pradeep, 'nudge Sales');
    const campaignId = await latestCampaignId();
    const card = await press(h, pradeep, 'nudge.cancel', { campaignId });
    // Either the cancel came first or the (small) campaign had already finished: never both states.
    const state = (await campaign(campaignId))?.campaign.state;
    assert.ok(state === 'cancelled' || state === 'completed');
    assert.match(texts(card)[2], state === 'cancelled' ? /^Cancelled/ : /^Done/);
  });

  it('survives a restart without sending anyone a second nudge', async () => {
    await ask(h, person('pradeep'), 'nudge Sales');
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

  it('answers "Listing the group\'s members…" at once; the job lists them and nudges', async () => {
    const { card, replyId } = await ask(h, person('pradeep'), 'nudge Sales');
    assert.equal(texts(card)[2], "Listing the group's members…");
    assert.equal(listings, 0, 'no member listing in the chat turn');
    const campaignId = (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').list()).at(-1)!.key;

    while ((await h.helpdesk.deps.jobs.runDue()) > 0);
    assert.equal(listings, 1);
    const stored = (await h.helpdesk.deps.stores.collection<StoredCampaign>('nudgeCampaigns').get(campaignId))?.value;
    assert.deepEqual([stored?.campaign.state, stored?.campaign.sent, stored?.campaign.total], ['completed', 4, 6]);
    const update = await h.connector.waitFor((c) => c.method === 'PUT' && c.activityId === replyId && JSON.stringify(c.body).includes('Done: every member'));
    assert.ok(texts(update.body.attachments[0].content).includes('Members: 6'));
  });
});
