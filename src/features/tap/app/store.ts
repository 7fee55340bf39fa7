/**
 * Where the TAP workflow keeps its records. Requests are versioned documents
 * (etag compare-and-set); a per-person guard document serialises submissions
 * so "at most one open request per user" holds under concurrent submits; the
 * approval card's facts are a snapshot taken at submission (no secrets;
 * contact details stored already masked).
 */
import type { ConversationReference } from 'botbuilder';
import type { Collection, Stores } from '../../../storage/ports';
import type { ApprovalCardFacts, CardRef, TapRequest } from '../domain';
import type { PostedActivity } from '../../messaging';

/** Also read by the status look-up (src/bot/routes/status.ts) with the same index names. */
export const TAP_REQUESTS_COLLECTION = 'tapRequests';

/** Serialises submissions per target user: replaced with an etag before a new request is created. */
export interface TargetGuard {
  targetUserId: string;
  lastRequestId: string;
  updatedAt: string;
}

/** The approval card's facts as gathered at submission, plus the time zone to show the recipient. */
export interface StoredCardFacts {
  requestId: string;
  facts: ApprovalCardFacts;
  /** The recipient's IANA zone (activity `localTimezone`) for their 1:1 cards. */
  recipientTimeZone?: string;
}

export interface TapStore {
  requests: Collection<TapRequest>;
  guards: Collection<TargetGuard>;
  cardFacts: Collection<StoredCardFacts>;
}

export function openTapStore(stores: Stores): TapStore {
  return {
    requests: stores.collection<TapRequest>(TAP_REQUESTS_COLLECTION, {
      // Same index name and meaning as the status look-up's reader: a different set would rebuild the index.
      indexes: { targetUserId: (request) => (request as Partial<TapRequest>).targetUser?.id },
    }),
    guards: stores.collection<TargetGuard>('tapTargets'),
    cardFacts: stores.collection<StoredCardFacts>('tapCardFacts'),
  };
}

/** A posted card as the domain stores it: flat strings (the domain treats it as opaque). */
export function toCardRef(posted: PostedActivity): CardRef {
  return { reference: JSON.stringify(posted.reference), activityId: posted.activityId };
}

export function fromCardRef(ref: CardRef | undefined): PostedActivity | undefined {
  if (!ref?.reference || !ref.activityId) return undefined;
  try {
    return { reference: JSON.parse(ref.reference) as Partial<ConversationReference>, activityId: ref.activityId };
  } catch {
    return undefined;
  }
}
