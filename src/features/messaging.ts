/**
 * The features' ports to Teams messaging, implemented in src/bot (Proactive,
 * ConversationReferences). Features depend on these shapes only, so the
 * Teams plumbing can change without touching a feature.
 */
import type { Activity, ConversationReference } from 'botbuilder';

/** Where a posted activity lives, kept on the record so its card can be re-rendered later. */
export interface PostedActivity {
  reference: Partial<ConversationReference>;
  activityId: string;
}

/** The bot is not installed where a message should go (no personal chat, or not in the helpdesk team). */
export class NotInstalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotInstalledError';
  }
}

/** Messages outside a turn: 1:1 chats, channel threads, card updates. */
export interface Messenger {
  /** Sends to the person's newest personal chat with the bot; NotInstalledError if there is none. */
  sendToUser(userAadId: string, activity: Partial<Activity>): Promise<PostedActivity>;
  sendTo(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<PostedActivity>;
  /** Starts a new thread in a team channel where the bot is installed. */
  postToChannel(channelId: string, activity: Partial<Activity>): Promise<PostedActivity>;
  /** Replies in an existing thread (e.g. a reminder under a TAP request). */
  replyInThread(posted: PostedActivity, activity: Partial<Activity>): Promise<void>;
  /** Replaces a posted card for everyone. */
  update(posted: PostedActivity, activity: Partial<Activity>): Promise<void>;
}

export interface StoredReference {
  kind: 'personal' | 'team';
  reference: Partial<ConversationReference>;
  /** personal: the user's Entra object id; team: the team id. */
  ownerId: string;
  /** team: channel ids known for this team (General = team id). */
  channelIds?: string[];
  updatedAt: string;
}

/** Where people and teams talk to the bot: remembered by the bot on every turn, read by the features. */
export interface ConversationDirectory {
  rememberPersonal(userAadId: string, reference: Partial<ConversationReference>, now: Date): Promise<void>;
  rememberTeam(teamId: string, channelIds: string[], reference: Partial<ConversationReference>, now: Date): Promise<void>;
  /** Newest personal references of a user (one per client / serviceUrl). */
  personal(userAadId: string): Promise<StoredReference[]>;
  /** Teams (one per serviceUrl) in which the bot is installed and that contain the channel. */
  teamsWithChannel(channelId: string): Promise<StoredReference[]>;
}

/**
 * One conversation's identity across clients: serviceUrl + conversation id
 * (two Teams clients or Playground instances can reuse conversation ids).
 */
export function conversationKey(reference: Partial<ConversationReference>): string {
  return `${reference.serviceUrl ?? ''}|${reference.conversation?.id ?? ''}`;
}
