import assert from 'node:assert/strict';
import {
  backoffMs,
  cancelCampaign,
  describeProgress,
  isRetryableStatus,
  isSending,
  listingFailed,
  maxInWindow,
  membersListed,
  NUDGE_GLOBAL_BUCKET,
  nudgeDecision,
  PER_CONVERSATION_BUCKET,
  planNudges,
  recordOutcome,
  remaining,
  reserve,
  startCampaign,
  TEAMS_GLOBAL_WINDOWS,
  TEAMS_PER_CONVERSATION_WINDOWS,
  throttled,
  type BucketState,
  type NudgeCandidate,
} from '../../../../src/features/status/domain/nudges';

const candidate = (overrides: Partial<NudgeCandidate> = {}): NudgeCandidate => ({
  userId: 'u1',
  hasConversationReference: true,
  phishingResistant: false,
  optedOut: false,
  alreadyNudged: false,
  ...overrides,
});

describe('status: who gets a rollout nudge', () => {
  it('nudges a member who has the app, lacks a phishing-resistant method, has not opted out and was not nudged yet', () => {
    assert.deepEqual(nudgeDecision(candidate()), { send: true });
  });

  it('skips a member without a stored personal conversation (app not installed)', () => {
    assert.deepEqual(nudgeDecision(candidate({ hasConversationReference: false })), { send: false, reason: 'app-not-installed' });
  });

  it('skips a member who already has a phishing-resistant method', () => {
    assert.deepEqual(nudgeDecision(candidate({ phishingResistant: true })), { send: false, reason: 'already-phishing-resistant' });
  });

  it('skips a member whose status is unknown rather than guess', () => {
    assert.deepEqual(nudgeDecision(candidate({ phishingResistant: undefined })), { send: false, reason: 'status-unknown' });
  });

  it('skips a member who opted out', () => {
    assert.deepEqual(nudgeDecision(candidate({ optedOut: true })), { send: false, reason: 'opted-out' });
  });

  it('never nudges anyone twice in a campaign', () => {
    assert.deepEqual(nudgeDecision(candidate({ alreadyNudged: true })), { send: false, reason: 'already-nudged' });
  });

  it('plans a whole group, each member once even if listed twice', () => {
    const plan = planNudges([
      candidate({ userId: 'a' }),
      candidate({ userId: 'b', optedOut: true }),
      candidate({ userId: 'a' }),
      candidate({ userId: 'c', hasConversationReference: false }),
      candidate({ userId: 'd', phishingResistant: true }),
      candidate({ userId: 'e' }),
    ]);
    assert.deepEqual(plan.send, ['a', 'e']);
    assert.deepEqual(plan.skip, [
      { userId: 'b', reason: 'opted-out' },
      { userId: 'c', reason: 'app-not-installed' },
      { userId: 'd', reason: 'already-phishing-resistant' },
    ]);
  });
});

describe('status: nudge campaign progress', () => {
  const t0 = new Date('2025-03-01T09:00:00Z');
  const t1 = new Date('2025-03-01T09:05:00Z');
  const start = (total = 3) => startCampaign({ id: 'c1', groupId: 'g1', startedBy: 'pradeep', total, now: t0 });

  it('starts running with nothing counted', () => {
    const campaign = start();
    assert.equal(campaign.state, 'running');
    assert.deepEqual([campaign.sent, campaign.skipped, campaign.failed, campaign.total], [0, 0, 0, 3]);
    assert.equal(campaign.startedAt, '2025-03-01T09:00:00.000Z');
    assert.equal(campaign.finishedAt, null);
    assert.equal(isSending(campaign), true);
  });

  it('counts sent, skipped and failed, and completes when every member has an outcome', () => {
    let campaign = start();
    campaign = recordOutcome(campaign, 'sent', t0);
    campaign = recordOutcome(campaign, 'skipped', t0);
    assert.equal(campaign.state, 'running');
    assert.equal(remaining(campaign), 1);
    campaign = recordOutcome(campaign, 'failed', t1);
    assert.equal(campaign.state, 'completed');
    assert.equal(campaign.finishedAt, '2025-03-01T09:05:00.000Z');
    assert.deepEqual([campaign.sent, campaign.skipped, campaign.failed], [1, 1, 1]);
    assert.equal(isSending(campaign), false);
  });

  it('does not change the campaign it was given (a new value each time)', () => {
    const campaign = start();
    recordOutcome(campaign, 'sent', t0);
    assert.equal(campaign.sent, 0);
  });

  it('completes at once for a group with nobody in it', () => {
    assert.equal(start(0).state, 'completed');
  });

  it('can be cancelled; cancelling again changes nothing', () => {
    const cancelled = cancelCampaign(recordOutcome(start(), 'sent', t0), t1);
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.finishedAt, '2025-03-01T09:05:00.000Z');
    assert.equal(isSending(cancelled), false);
    assert.equal(cancelCampaign(cancelled, new Date('2025-03-01T10:00:00Z')), cancelled);
  });

  it('still counts a send already under way when it was cancelled, staying cancelled', () => {
    const cancelled = cancelCampaign(start(), t1);
    const after = recordOutcome(cancelled, 'sent', t1);
    assert.equal(after.state, 'cancelled');
    assert.equal(after.sent, 1);
  });

  it('stays completed when asked to cancel after completion', () => {
    const completed = recordOutcome(start(1), 'sent', t0);
    assert.equal(cancelCampaign(completed, t1).state, 'completed');
  });

  it('refuses to count more outcomes than members', () => {
    const completed = recordOutcome(start(1), 'sent', t0);
    assert.throws(() => recordOutcome(completed, 'sent', t1), /already completed/);
    const cancelledFull = recordOutcome(cancelCampaign(start(1), t0), 'sent', t0);
    assert.throws(() => recordOutcome(cancelledFull, 'failed', t1), /no member left/);
  });

  it('refuses a negative or fractional total', () => {
    assert.throws(() => start(-1), RangeError);
    assert.throws(() => start(1.5), RangeError);
  });

  it('starts "listing" when the members are not known yet, and nothing completes it until they are', () => {
    const listing = startCampaign({ id: 'c1', groupId: 'g1', startedBy: 'pradeep', now: t0 });
    assert.equal(listing.state, 'listing');
    assert.equal(listing.finishedAt, null);
    assert.equal(isSending(listing), false, 'nothing to send before the members are known');
    assert.throws(() => recordOutcome(listing, 'sent', t0), /no member left/);
    assert.equal(describeProgress(listing), "Listing the group's members (nothing sent yet)");

    const running = membersListed(listing, 3, t1);
    assert.deepEqual([running.state, running.total, isSending(running)], ['running', 3, true]);
    assert.equal(membersListed(listing, 0, t1).state, 'completed', 'an empty group completes at once');
    assert.throws(() => membersListed(listing, -1, t1), RangeError);
  });

  it('can be cancelled while listing (the late list changes nothing), or fail when listing is given up', () => {
    const listing = startCampaign({ id: 'c1', groupId: 'g1', startedBy: 'pradeep', now: t0 });
    const cancelled = cancelCampaign(listing, t1);
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(membersListed(cancelled, 3, t1), cancelled);

    const failed = listingFailed(listing, t1);
    assert.deepEqual([failed.state, failed.finishedAt, isSending(failed)], ['failed', '2025-03-01T09:05:00.000Z', false]);
    assert.equal(cancelCampaign(failed, t1), failed);
    assert.equal(listingFailed(start(), t1).state, 'running', 'only a listing campaign can fail to list');
  });

  it('describes progress for whoever started it', () => {
    const campaign = recordOutcome(start(), 'sent', t0);
    assert.equal(describeProgress(campaign), '1 sent · 0 skipped · 0 failed · 2 to go, of 3 (running)');
    assert.equal(describeProgress(cancelCampaign(campaign, t1)), '1 sent · 0 skipped · 0 failed, of 3 (cancelled)');
  });
});

describe('status: sending-rate arithmetic', () => {
  it('keeps one conversation within every Teams per-thread window', () => {
    for (const { windowMs, max } of TEAMS_PER_CONVERSATION_WINDOWS) {
      assert.ok(maxInWindow(PER_CONVERSATION_BUCKET, windowMs) <= max, `${windowMs} ms`);
    }
  });

  it('keeps nudges well within the global 50 per second, leaving room for chat replies', () => {
    for (const { windowMs, max } of TEAMS_GLOBAL_WINDOWS) {
      assert.ok(maxInWindow(NUDGE_GLOBAL_BUCKET, windowMs) <= max - 20, `${windowMs} ms`);
    }
  });

  it('lets a full bucket send its capacity at once, then spaces sends by the refill rate', () => {
    const bucket = { capacity: 3, ratePerSecond: 2 };
    let state: BucketState | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reservation = reserve(bucket, state, 1_000);
      waits.push(reservation.waitMs);
      state = reservation.state;
    }
    assert.deepEqual(waits, [0, 0, 0, 500, 1000]);
  });

  it('refills with time, never above capacity', () => {
    const bucket = { capacity: 3, ratePerSecond: 2 };
    const empty: BucketState = { tokens: 0, at: 0 };
    assert.equal(reserve(bucket, empty, 250).waitMs, 250); // 0.5 token after 250 ms: 250 ms more for a whole one
    assert.equal(reserve(bucket, empty, 500).waitMs, 0);
    assert.equal(reserve(bucket, empty, 60_000).state.tokens, 2); // refilled to 3, one taken
  });

  it('waits for the seventh message to one conversation', () => {
    let state: BucketState | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const reservation = reserve(PER_CONVERSATION_BUCKET, state, 0);
      waits.push(reservation.waitMs);
      state = reservation.state;
    }
    assert.deepEqual(waits, [0, 0, 0, 0, 0, 0, 2223]); // 1 token / 0.45 per second, rounded up
  });

  it('sends nothing until Retry-After has passed after a 429', () => {
    const bucket = { capacity: 10, ratePerSecond: 10 };
    const state = throttled(bucket, undefined, 1_000, 5_000);
    assert.equal(reserve(bucket, state, 1_000).waitMs, 5_100); // 5 s pause, then 100 ms for one token
    assert.equal(reserve(bucket, state, 7_000).waitMs, 0); // after the pause, refilling again
  });

  it('does not shorten an earlier, longer pause', () => {
    const bucket = { capacity: 10, ratePerSecond: 10 };
    const long = throttled(bucket, undefined, 0, 30_000);
    assert.equal(throttled(bucket, long, 1_000, 1_000).at, 30_000);
  });

  it('retries 429, 412, 502 and 504 only', () => {
    assert.deepEqual([429, 412, 502, 504, 400, 403, 404, 500].map(isRetryableStatus), [true, true, true, true, false, false, false, false]);
  });

  it('backs off exponentially with jitter, capped at a minute', () => {
    assert.equal(backoffMs(0, 0), 500);
    assert.equal(backoffMs(0, 1), 1_000);
    assert.equal(backoffMs(3, 0.5), 6_000);
    assert.equal(backoffMs(20, 1), 60_000);
  });
});
