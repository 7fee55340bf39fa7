import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CardTemplates } from '../../../../../src/shared/cardTemplates';
import { ConversationReferences } from '../../../../../src/bot/conversationReferences';
import { connectorFailure, NudgeCampaigns, type NudgeMarker, type NudgeSettings } from '../../../../../src/features/status/app/nudgeCampaigns';
import type { AuthenticationMethod, TenantFacts, UserFacts } from '../../../../../src/directory/facts';
import { AUTHENTICATOR_AAGUID_IOS } from '../../../../../src/directory/facts';
import { GraphError, type GraphPort } from '../../../../../src/graph/port';
import { JobRunner } from '../../../../../src/jobs';
import { createLogger } from '../../../../../src/logging';
import { projectRoot } from '../../../../../src/shared/projectRoot';
import { openSqliteStores } from '../../../../../src/storage';
import type { Stores } from '../../../../../src/storage/ports';

const T = '#microsoft.graph.';
const PASSWORD: AuthenticationMethod = { '@odata.type': `${T}passwordAuthenticationMethod`, id: 'pw' };
const PUSH: AuthenticationMethod = { '@odata.type': `${T}microsoftAuthenticatorAuthenticationMethod`, id: 'push', displayName: 'iPhone' };
const PASSKEY: AuthenticationMethod = { '@odata.type': `${T}fido2AuthenticationMethod`, id: 'pk', aaGuid: AUTHENTICATOR_AAGUID_IOS };
const TENANT: TenantFacts = {
  tenantId: 't',
  authenticationMethodsPolicy: { authenticationMethodConfigurations: [] },
  conditionalAccessPolicies: [],
  authenticationStrengthPolicies: [],
  authenticatorCredentialRegistrationServicePrincipalExists: true,
};
const GROUP = { id: 'group-1', displayName: 'Pilot' };

interface Person {
  id: string;
  methods: AuthenticationMethod[];
  app: boolean;
  enabled?: boolean;
}

/** A small world: stores on disk (so a restart is real), a fake Graph and a fake Teams connector. */
class World {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nudge-spec-'));
  readonly cards = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));
  readonly logger = createLogger('silent');
  nowMs = Date.parse('2025-03-01T09:00:00Z');
  stores!: Stores;
  campaigns!: NudgeCampaigns;
  runner!: JobRunner;
  /** Every nudge that reached Teams: [userId (from the conversation id), card]. */
  readonly delivered: Array<{ userId: string; card: any; at: number }> = [];
  readonly updates: any[] = [];
  /** Calls to Graph's group member listing; the next `listingFailures` of them fail. */
  listings = 0;
  listingFailures = 0;
  /** Answers the next sends with these errors (first in, first out). */
  readonly failures: Array<{ userId: string; error: unknown }> = [];

  constructor(
    readonly people: Person[],
    private readonly settings: Partial<NudgeSettings> = {},
  ) {
    this.open();
  }

  clock = () => new Date(this.nowMs);

  open(): void {
    this.stores = openSqliteStores({ dataDir: this.dataDir }, this.clock);
    const references = new ConversationReferences(this.stores);
    const graph = {
      listGroupUsers: async () => {
        this.listings += 1;
        if (this.listingFailures > 0) {
          this.listingFailures -= 1;
          throw new GraphError('Microsoft Graph did not answer in time', 0, 'deadlineExceeded');
        }
        return this.people.map((person) => ({ id: person.id }));
      },
      loadUserFacts: async (id: string): Promise<UserFacts> => {
        const person = this.people.find((p) => p.id === id)!;
        return {
          user: { id, displayName: id, userPrincipalName: `${id}@contoso.example`, accountEnabled: person.enabled !== false, userType: 'Member' },
          manager: null,
          groupIds: [],
          directoryRoleTemplateIds: [],
          methods: person.methods,
          managedDevices: [],
        };
      },
      loadTenantFacts: async () => TENANT,
    } as unknown as GraphPort;
    const proactive = {
      sendTo: async (reference: any, activity: any) => {
        const userId = String(reference.conversation.id).replace('a:', '');
        const failure = this.failures.findIndex((f) => f.userId === userId);
        if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
        this.delivered.push({ userId, card: activity.attachments[0].content, at: this.nowMs });
        return { reference, activityId: `activity-${this.delivered.length}` };
      },
      update: async (_posted: unknown, activity: any) => void this.updates.push(activity.attachments[0].content),
    };
    this.campaigns = new NudgeCampaigns({ stores: this.stores, graph, references, proactive, cards: this.cards, logger: this.logger, clock: this.clock, settings: this.settings });
    this.runner = new JobRunner(this.stores.dueTimes, this.logger, this.clock);
    this.runner.on('nudge.send', (job) => this.campaigns.runBatch(String(job.payload.campaignId)));
  }

  async installApps(): Promise<void> {
    const references = new ConversationReferences(this.stores);
    for (const person of this.people.filter((p) => p.app)) {
      await references.rememberPersonal(person.id, { serviceUrl: 'http://connector.example/', conversation: { id: `a:${person.id}` } as never }, this.clock());
    }
  }

  /** A crash or deploy: everything in memory is gone, the stores stay. */
  async restart(): Promise<void> {
    await this.stores.close();
    this.open();
  }

  async start(): Promise<string> {
    const stored = await this.campaigns.start({ group: GROUP, startedBy: { id: 'starter', name: 'Pradeep Gupta' } });
    await this.campaigns.attachProgressCard(stored.campaign.id, { reference: { conversation: { id: 'a:starter' } as never }, activityId: 'progress' });
    return stored.campaign.id;
  }

  async runFor(ms: number): Promise<void> {
    this.nowMs += ms;
    await this.runner.runDue();
  }

  deliveredTo(): string[] {
    return this.delivered.map((d) => d.userId);
  }

  async close(): Promise<void> {
    await this.stores.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const phishable = (id: string): Person => ({ id, methods: [PASSWORD, PUSH], app: true });

describe('Nudge campaigns: sending', () => {
  let world: World;
  afterEach(async () => world.close());

  it('sends one personal card per eligible member, with their status, "Set up my passkey" and "Don\'t remind me"', async () => {
    world = new World([phishable('u1')]);
    await world.installApps();
    const campaignId = await world.start();
    await world.runFor(0);
    assert.deepEqual(world.deliveredTo(), ['u1']);
    const card = world.delivered[0].card;
    assert.equal(card.body[0].text, 'Time to set up a passkey');
    assert.ok(card.body.some((block: any) => block.text === '⚠️ Microsoft Authenticator notifications / phone sign-in on iPhone'));
    assert.deepEqual(
      card.actions.map((action: any) => [action.title, action.verb, action.data]),
      [
        ['Set up my passkey', 'menu.diagnose', {}],
        ["Don't remind me", 'nudge.optOut', { campaignId }],
      ],
    );
    const stored = await world.campaigns.get(campaignId);
    assert.equal(stored?.campaign.state, 'completed');
    assert.equal(stored?.campaign.sent, 1);
  });

  it('respects the global token bucket: 2 at once, then 1 per second, rescheduling itself in between', async () => {
    world = new World(['u1', 'u2', 'u3', 'u4', 'u5'].map(phishable), { globalBucket: { capacity: 2, ratePerSecond: 1 } });
    await world.installApps();
    const campaignId = await world.start();

    await world.runFor(0);
    assert.equal(world.delivered.length, 2, 'the bucket holds 2');
    const job = await world.stores.dueTimes.get(NudgeCampaigns.jobId(campaignId));
    assert.equal(job?.dueAt, new Date(world.nowMs + 1000).toISOString(), 'the job comes back when the next token is there');

    await world.runFor(500);
    assert.equal(world.delivered.length, 2, 'nothing before the token is there');
    await world.runFor(500);
    assert.equal(world.delivered.length, 3);
    await world.runFor(1000);
    await world.runFor(1000);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2', 'u3', 'u4', 'u5']);
    assert.equal((await world.campaigns.get(campaignId))?.campaign.state, 'completed');
  });

  it('pauses until Retry-After when Teams answers 429, then sends that person once', async () => {
    world = new World(['u1', 'u2'].map(phishable));
    await world.installApps();
    world.failures.push({ userId: 'u1', error: { statusCode: 429, response: { status: 429, headers: { get: (name: string) => (name === 'retry-after' ? '3' : undefined) } } } });
    const campaignId = await world.start();

    const throttledAt = world.nowMs;
    await world.runFor(0);
    assert.deepEqual(world.deliveredTo(), []);
    assert.equal(await world.stores.collection<NudgeMarker>('nudgeRecipients').get(`${campaignId}:u1`), undefined, 'not marked: Teams did not take it');
    await world.runFor(2_000);
    assert.deepEqual(world.deliveredTo(), [], 'still waiting for Retry-After');
    // After Retry-After the bucket starts empty and refills at its rate (15 per second).
    for (let i = 0; i < 5; i++) await world.runFor(250);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2']);
    assert.ok(world.delivered.every((delivery) => delivery.at >= throttledAt + 3_000), 'nothing before Retry-After passed');
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.failed], [2, 0]);
  });

  it('counts a 502 as failed and never retries it (the message may have arrived)', async () => {
    world = new World(['u1', 'u2'].map(phishable));
    await world.installApps();
    world.failures.push({ userId: 'u1', error: { statusCode: 502 } });
    const campaignId = await world.start();
    await world.runFor(0);
    await world.runFor(60_000);
    assert.deepEqual(world.deliveredTo(), ['u2']);
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.failed, stored?.campaign.state], [1, 1, 'completed']);
  });

  it('skips members who opted out, are already phishing-resistant, lack the app or whose status is unknown, and says why', async () => {
    world = new World([
      phishable('eligible'),
      phishable('opted-out'),
      { id: 'done', methods: [PASSWORD, PASSKEY], app: true },
      { id: 'no-app', methods: [PASSWORD], app: false },
      { id: 'disabled', methods: [PASSWORD, PUSH], app: true, enabled: false },
    ]);
    await world.installApps();
    await world.campaigns.optOut('opted-out', null);
    const campaignId = await world.start();
    await world.runFor(0);

    assert.deepEqual(world.deliveredTo(), ['eligible']);
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.skipped, stored?.campaign.failed, stored?.campaign.total], [1, 4, 0, 5]);
    assert.deepEqual(stored?.skipReasons, { 'opted-out': 1, 'already-phishing-resistant': 1, 'app-not-installed': 1, 'status-unknown': 1 });
    const progress = world.updates.at(-1);
    assert.equal(progress.body[2].text, 'Done: every member has been considered.');
    assert.ok(JSON.stringify(progress).includes('4 (1 opted out, 1 already phishing-resistant, 1 app not installed, 1 status unknown'));
  });

  it('stops sending when cancelled; the progress card says so and loses its Cancel button', async () => {
    world = new World(['u1', 'u2', 'u3'].map(phishable), { globalBucket: { capacity: 1, ratePerSecond: 1 } });
    await world.installApps();
    const campaignId = await world.start();
    await world.runFor(0);
    assert.equal(world.delivered.length, 1);

    const cancelled = await world.campaigns.cancel(campaignId, 'starter');
    assert.equal(cancelled?.campaign.state, 'cancelled');
    await world.runFor(1_000);
    await world.runFor(1_000);
    assert.equal(world.delivered.length, 1, 'no nudge after the cancel');
    const progress = world.updates.at(-1);
    assert.equal(progress.body[2].text, 'Cancelled: no further nudges are sent.');
    assert.deepEqual(progress.actions.map((action: any) => action.verb), ['nudge.refresh']);
    const audit = await world.stores.audit.list({ actor: 'starter' });
    assert.deepEqual(audit.map((event) => event.event), ['nudge-campaign-started', 'nudge-campaign-cancelled']);
  });
});

describe("Nudge campaigns: listing the group's members in the job", () => {
  let world: World;
  afterEach(async () => world.close());

  it('starts without listing the members; the first job run lists them and sends', async () => {
    world = new World(['u1', 'u2'].map(phishable));
    await world.installApps();
    const campaignId = await world.start();
    assert.equal(world.listings, 0, 'no Graph listing while starting');
    const started = await world.campaigns.get(campaignId);
    assert.equal(started?.campaign.state, 'listing');
    assert.equal((world.campaigns.progressCard(started!) as any).body[2].text, "Listing the group's members…");

    await world.runFor(0);
    assert.equal(world.listings, 1);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2']);
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.total, stored?.campaign.sent, stored?.campaign.state], [2, 2, 'completed']);
  });

  it('retries a failed listing after the job\'s lease, then sends as usual', async () => {
    world = new World(['u1', 'u2'].map(phishable));
    await world.installApps();
    world.listingFailures = 1;
    const campaignId = await world.start();

    await world.runFor(0);
    assert.deepEqual([world.listings, world.deliveredTo().length], [1, 0]);
    assert.equal((await world.campaigns.get(campaignId))?.campaign.state, 'listing', 'still listing: the job will try again');
    await world.runFor(1_000);
    assert.equal(world.listings, 1, 'not before the lease ends');

    await world.runFor(60_000);
    assert.equal(world.listings, 2);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2']);
    assert.equal((await world.campaigns.get(campaignId))?.campaign.state, 'completed');
  });

  it('marks the campaign failed after three failed listings, and says so on the progress card', async () => {
    world = new World(['u1'].map(phishable));
    await world.installApps();
    world.listingFailures = 5;
    const campaignId = await world.start();

    await world.runFor(0);
    await world.runFor(60_000);
    await world.runFor(60_000);
    await world.runFor(60_000);
    assert.equal(world.listings, 3, 'no fourth try');
    assert.deepEqual(world.deliveredTo(), []);
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.state, stored?.listingFailures], ['failed', 3]);
    assert.equal(await world.stores.dueTimes.get(NudgeCampaigns.jobId(campaignId)), undefined, 'the job is done');
    const progress = world.updates.at(-1);
    assert.match(progress.body[2].text, /^Failed: I could not list the group's members/);
    assert.deepEqual(progress.actions.map((action: any) => action.verb), ['nudge.refresh']);
    const audit = await world.stores.audit.list({ actor: 'system' });
    assert.deepEqual(audit.map((event) => [event.event, event.details?.reason]), [['nudge-campaign-failed', 'members-not-listed']]);
  });
});

describe('Nudge campaigns: restarts never send anyone two nudges', () => {
  let world: World;
  afterEach(async () => world.close());

  it('resumes after a restart where it left off', async () => {
    world = new World(['u1', 'u2', 'u3', 'u4'].map(phishable), { globalBucket: { capacity: 2, ratePerSecond: 1 } });
    await world.installApps();
    const campaignId = await world.start();
    await world.runFor(0);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2']);

    await world.restart();
    for (let i = 0; i < 5; i++) await world.runFor(1_000);
    assert.deepEqual(world.deliveredTo(), ['u1', 'u2', 'u3', 'u4']);
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.state], [4, 'completed']);
  });

  it('after a crash mid-batch, counts members already marked by their marker and never resends one that was being sent', async () => {
    world = new World(['u1', 'u2', 'u3'].map(phishable));
    await world.installApps();
    const campaignId = await world.start();
    // What a process that died mid-batch leaves behind: u1 sent, u2 about to be sent; the cursor still at 0.
    const markers = world.stores.collection<NudgeMarker>('nudgeRecipients');
    await markers.create(`${campaignId}:u1`, { campaignId, userId: 'u1', at: world.clock().toISOString(), outcome: 'sent' });
    await markers.create(`${campaignId}:u2`, { campaignId, userId: 'u2', at: world.clock().toISOString(), outcome: 'sending' });

    await world.restart();
    await world.runFor(0);
    assert.deepEqual(world.deliveredTo(), ['u3'], 'u1 and u2 get nothing more');
    const reopened = world.stores.collection<NudgeMarker>('nudgeRecipients');
    const stored = await world.campaigns.get(campaignId);
    assert.deepEqual([stored?.campaign.sent, stored?.campaign.failed, stored?.campaign.state], [2, 1, 'completed']);
    assert.equal((await reopened.get(`${campaignId}:u2`))?.value.reason, 'interrupted');
  });
});

describe("Nudge campaigns: reading the Bot Connector's errors", () => {
  it('takes the status and Retry-After (seconds or an HTTP date) from the error botbuilder throws', () => {
    const now = new Date('2025-03-01T09:00:00Z');
    const headers = (value: string) => ({ get: (name: string) => (name === 'retry-after' ? value : undefined) });
    assert.deepEqual(connectorFailure({ statusCode: 429, response: { headers: headers('2') } }, now), { status: 429, retryAfterMs: 2000, what: 'http-429' });
    assert.equal(connectorFailure({ statusCode: 429, response: { headers: headers('Sat, 01 Mar 2025 09:00:05 GMT') } }, now).retryAfterMs, 5000);
    assert.deepEqual(connectorFailure(new TypeError('fetch failed'), now), { status: undefined, retryAfterMs: undefined, what: 'TypeError' });
  });
});
