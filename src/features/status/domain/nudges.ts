/**
 * Rollout nudges, pure part: who gets a nudge, the campaign's progress model,
 * and the sending-rate arithmetic. The sender (bot side) stores the state and
 * does the sending; nothing here does I/O or reads a clock.
 */

// ---- Who gets a nudge ---------------------------------------------------------

export interface NudgeCandidate {
  userId: string;
  /** A stored personal conversation reference exists (the app is installed for them). */
  hasConversationReference: boolean;
  /** From the registration report or their methods; undefined = unknown. */
  phishingResistant: boolean | undefined;
  optedOut: boolean;
  /** Already sent (or attempted) in this campaign: never nudge twice, even after a restart. */
  alreadyNudged: boolean;
  /** Whoever started the campaign: never nudged by their own campaign. */
  isSender?: boolean;
  /** A guest sets up passkeys with their own organisation, not here. */
  isGuest?: boolean;
}

export type NudgeSkipReason = 'already-nudged' | 'opted-out' | 'already-phishing-resistant' | 'status-unknown' | 'app-not-installed' | 'sender' | 'guest';

export type NudgeDecision = { send: true } | { send: false; reason: NudgeSkipReason };

export function nudgeDecision(candidate: NudgeCandidate): NudgeDecision {
  if (candidate.alreadyNudged) return { send: false, reason: 'already-nudged' };
  if (candidate.isSender) return { send: false, reason: 'sender' };
  if (candidate.optedOut) return { send: false, reason: 'opted-out' };
  if (candidate.phishingResistant === true) return { send: false, reason: 'already-phishing-resistant' };
  // Never nudge on a guess: an account the report leaves out (e.g. disabled) stays unknown.
  if (candidate.phishingResistant === undefined) return { send: false, reason: 'status-unknown' };
  if (candidate.isGuest) return { send: false, reason: 'guest' };
  if (!candidate.hasConversationReference) return { send: false, reason: 'app-not-installed' };
  return { send: true };
}

/** Splits a campaign's members into those to nudge and those skipped (with why). */
export function planNudges(candidates: Iterable<NudgeCandidate>): {
  send: string[];
  skip: Array<{ userId: string; reason: NudgeSkipReason }>;
} {
  const send: string[] = [];
  const skip: Array<{ userId: string; reason: NudgeSkipReason }> = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.userId)) continue; // a member reached through two nested groups
    seen.add(candidate.userId);
    const decision = nudgeDecision(candidate);
    if (decision.send) send.push(candidate.userId);
    else skip.push({ userId: candidate.userId, reason: decision.reason });
  }
  return { send, skip };
}

// ---- Campaign progress ----------------------------------------------------------

/** 'listing': the members are not known yet (the sender lists them in the background). */
export type CampaignState = 'listing' | 'running' | 'cancelled' | 'completed' | 'failed';
export type NudgeOutcome = 'sent' | 'skipped' | 'failed';

export interface NudgeCampaign {
  id: string;
  groupId: string;
  /** aadObjectId of whoever started it (progress goes to them). */
  startedBy: string;
  startedAt: string;
  state: CampaignState;
  /** Members considered (each ends as sent, skipped or failed); 0 while listing. */
  total: number;
  sent: number;
  skipped: number;
  failed: number;
  finishedAt: string | null;
}

/** Without `total` the campaign starts 'listing': nothing completes it until `membersListed`. */
export function startCampaign(input: { id: string; groupId: string; startedBy: string; total?: number; now: Date }): NudgeCampaign {
  if (input.total !== undefined) checkTotal(input.total);
  const campaign: NudgeCampaign = {
    id: input.id,
    groupId: input.groupId,
    startedBy: input.startedBy,
    startedAt: input.now.toISOString(),
    state: input.total === undefined ? 'listing' : 'running',
    total: input.total ?? 0,
    sent: 0,
    skipped: 0,
    failed: 0,
    finishedAt: null,
  };
  return completeIfDone(campaign, input.now);
}

function checkTotal(total: number): void {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0, got ${total}`);
}

/** The members are known: a listing campaign starts running (or completes, for an empty group). Any other state stays. */
export function membersListed(campaign: NudgeCampaign, total: number, now: Date): NudgeCampaign {
  checkTotal(total);
  if (campaign.state !== 'listing') return campaign;
  return completeIfDone({ ...campaign, state: 'running', total }, now);
}

/** The members could not be listed (given up after retries): the campaign ends without sending. */
export function listingFailed(campaign: NudgeCampaign, now: Date): NudgeCampaign {
  if (campaign.state !== 'listing') return campaign;
  return { ...campaign, state: 'failed', finishedAt: now.toISOString() };
}

export function remaining(campaign: NudgeCampaign): number {
  return campaign.total - campaign.sent - campaign.skipped - campaign.failed;
}

/**
 * Counts one member's outcome. A running campaign completes when every member
 * has one. A cancelled campaign still counts outcomes of sends already under
 * way when it was cancelled, but stays cancelled.
 */
export function recordOutcome(campaign: NudgeCampaign, outcome: NudgeOutcome, now: Date): NudgeCampaign {
  if (campaign.state === 'completed' || campaign.state === 'failed') throw new Error(`campaign ${campaign.id} is already ${campaign.state}`);
  if (remaining(campaign) <= 0) throw new Error(`campaign ${campaign.id} has no member left to count`);
  return completeIfDone({ ...campaign, [outcome]: campaign[outcome] + 1 }, now);
}

/** Stops a running (or listing) campaign; cancelling again changes nothing; a completed one stays completed. */
export function cancelCampaign(campaign: NudgeCampaign, now: Date): NudgeCampaign {
  if (campaign.state !== 'running' && campaign.state !== 'listing') return campaign;
  return { ...campaign, state: 'cancelled', finishedAt: now.toISOString() };
}

/** May the sender still send nudges for this campaign? */
export function isSending(campaign: NudgeCampaign): boolean {
  return campaign.state === 'running' && remaining(campaign) > 0;
}

function completeIfDone(campaign: NudgeCampaign, now: Date): NudgeCampaign {
  if (campaign.state === 'running' && remaining(campaign) === 0) {
    return { ...campaign, state: 'completed', finishedAt: now.toISOString() };
  }
  return campaign;
}

/** "12 sent · 3 skipped · 1 failed · 4 to go, of 20 (running)". */
export function describeProgress(campaign: NudgeCampaign): string {
  if (campaign.state === 'listing') return 'Listing the group\'s members (nothing sent yet)';
  const left = remaining(campaign);
  const toGo = left > 0 && campaign.state === 'running' ? ` · ${left} to go` : '';
  return `${campaign.sent} sent · ${campaign.skipped} skipped · ${campaign.failed} failed${toGo}, of ${campaign.total} (${campaign.state})`;
}

// ---- Sending rate ------------------------------------------------------------------

/**
 * Teams' bot API limits (Learn, "Optimize your bot with rate limiting in Teams";
 * Microsoft says the values may change, so 429s are still handled).
 * Per bot per thread (one conversation), "send to conversation":
 * at most 7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in 3600 s.
 * Global, per app per tenant: 50 requests per second.
 */
export const TEAMS_PER_CONVERSATION_WINDOWS = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1_800 },
] as const;
export const TEAMS_GLOBAL_WINDOWS = [{ windowMs: 1_000, max: 50 }] as const;

/** A token bucket: up to `capacity` at once, refilled at `ratePerSecond`. */
export interface TokenBucket {
  capacity: number;
  ratePerSecond: number;
}

/**
 * A bucket sends at most capacity + ratePerSecond × window in any window, so
 * these stay within every Teams window above:
 * - one conversation: 6 + 0.45/s (6.45 ≤ 7 in 1 s, 6.9 ≤ 8 in 2 s, 19.5 ≤ 60 in 30 s, 1626 ≤ 1800 in 1 h);
 * - nudges overall: 15 + 15/s (≤ 30 in 1 s), leaving at least 20 of the 50 per
 *   second for the bot's answers to people chatting with it meanwhile.
 */
export const PER_CONVERSATION_BUCKET: TokenBucket = { capacity: 6, ratePerSecond: 0.45 };
export const NUDGE_GLOBAL_BUCKET: TokenBucket = { capacity: 15, ratePerSecond: 15 };

/** Most a bucket lets through in any window of `windowMs`. */
export function maxInWindow(bucket: TokenBucket, windowMs: number): number {
  return bucket.capacity + (bucket.ratePerSecond * windowMs) / 1000;
}

/**
 * Bucket state: `tokens` at time `at` (epoch ms). Tokens go below zero when
 * sends are reserved ahead; `at` lies in the future after a 429 (no refill until then).
 */
export interface BucketState {
  tokens: number;
  at: number;
}

export function fullBucket(bucket: TokenBucket, now: number): BucketState {
  return { tokens: bucket.capacity, at: now };
}

function tokensAt(bucket: TokenBucket, state: BucketState, now: number): number {
  if (now <= state.at) return state.tokens;
  return Math.min(bucket.capacity, state.tokens + ((now - state.at) * bucket.ratePerSecond) / 1000);
}

/**
 * Reserves one send. Returns how long to wait before sending (0 = now) and the
 * new state; the token is taken either way, so the next caller waits behind it.
 */
export function reserve(bucket: TokenBucket, state: BucketState | undefined, now: number): { waitMs: number; state: BucketState } {
  const current = state ?? fullBucket(bucket, now);
  const start = Math.max(current.at, now);
  const tokens = tokensAt(bucket, current, now) - 1;
  const refillMs = tokens < 0 ? Math.ceil((-tokens * 1000) / bucket.ratePerSecond) : 0;
  return { waitMs: start - now + refillMs, state: { tokens, at: start } };
}

/** Teams answered 429: no sends until Retry-After has passed (keeps debts already reserved). */
export function throttled(bucket: TokenBucket, state: BucketState | undefined, now: number, retryAfterMs: number): BucketState {
  const current = state ?? fullBucket(bucket, now);
  return { tokens: Math.min(0, tokensAt(bucket, current, now)), at: Math.max(current.at, now + Math.max(0, retryAfterMs)) };
}

/** Learn: retry 429 and also 412, 502 and 504. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 412 || status === 502 || status === 504;
}

/**
 * Exponential backoff with jitter (Learn's advice for 429s without Retry-After):
 * 1 s, 2 s, 4 s … capped at 60 s, each scaled by 0.5–1 from `random` in [0, 1).
 */
export function backoffMs(attempt: number, random: number): number {
  const ceiling = Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + Math.min(Math.max(random, 0), 1) / 2));
}
