/** A nudge campaign's preview (issue 9, part 7): what the card shows before Send. Types only. */
import type { PersonalStatus } from './personal';

/** Why a member would not get a nudge (the preview's words for the campaign's skip reasons). */
export type PreviewExclusion = 'sender' | 'guest' | 'disabled' | 'done' | 'optedOut' | 'noApp' | 'unknown';

export interface PreviewCounts {
  members: number;
  /** Members without a phishing-resistant method (before the app / opt-out exclusions). */
  lackPasskey: number;
  /** Who would get a nudge now. */
  toNudge: number;
  excluded: Partial<Record<PreviewExclusion, number>>;
  /** 'exact': every member's methods were read now; 'snapshot': from the readiness snapshot of `asOf`; 'unknown': counted when sending. */
  basis: 'exact' | 'snapshot' | 'unknown';
  asOf?: string;
}

export interface NudgePreview {
  id: string;
  group: { id: string; displayName: string };
  requestedBy: { id: string; name: string };
  createdAt: string;
  timeZone?: string;
  counts: PreviewCounts;
  /** One member who would get a nudge: their status makes the sample message (never shown with their name). */
  sample?: PersonalStatus;
  state: 'pending' | 'sent' | 'cancelled';
  /** Reserved by Send (the campaign's id). */
  campaignId?: string;
  decidedBy?: string;
  decidedAt?: string;
}

