/**
 * Messages the bot sends outside a turn: to a person's 1:1 chat, as a new
 * thread in a team channel, and card updates of stored activities.
 */
import { CloudAdapter, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { NotInstalledError, type Messenger, type PostedActivity } from '../features/messaging';
import type { ConversationReferences } from './conversationReferences';

export class Proactive implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly references: ConversationReferences,
    /** The bot's app id; any non-empty string when running without one (demo). */
    private readonly botAppId: string,
  ) {}

  /** Sends to every personal chat the user has with the bot (newest first); fails if none. */
  async sendToUser(userAadId: string, activity: Partial<Activity>): Promise<PostedActivity> {
    const [stored] = await this.references.personal(userAadId);
    if (!stored) throw new NotInstalledError('This person has not installed Passkey Helpdesk in Teams yet, so I cannot message them.');
    return this.sendTo(stored.reference, activity);
  }

  async sendTo(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<PostedActivity> {
    let response: ResourceResponse | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      response = await context.sendActivity(activity);
    });
    return { reference, activityId: response?.id ?? '' };
  }

  /** Starts a new thread in a team channel where the bot is installed. */
  async postToChannel(channelId: string, activity: Partial<Activity>): Promise<PostedActivity> {
    const [team] = await this.references.teamsWithChannel(channelId);
    if (!team?.reference.serviceUrl) {
      throw new NotInstalledError(`Passkey Helpdesk is not installed in the team of the helpdesk channel (${channelId}).`);
    }
    let posted: PostedActivity | undefined;
    await this.adapter.createConversationAsync(
      this.botAppId,
      'msteams',
      team.reference.serviceUrl,
      '',
      { isGroup: true, channelData: { channel: { id: channelId } }, activity: activity as Activity, bot: team.reference.bot, tenantId: team.reference.conversation?.tenantId } as never,
      async (context) => {
        const reference = context.activity.conversation
          ? { ...team.reference, conversation: { ...context.activity.conversation, isGroup: true, conversationType: 'channel' } }
          : team.reference;
        // A Teams channel thread's id ends in ";messageid=<id of its root post>".
        const rootId = /;messageid=([^;]+)$/.exec(context.activity.conversation?.id ?? '')?.[1] ?? '';
        posted = { reference, activityId: rootId };
      },
    );
    if (!posted) throw new Error('The channel post did not return a conversation.');
    return posted;
  }

  /** Replies in an existing thread (e.g. a reminder under a TAP request). */
  async replyInThread(posted: PostedActivity, activity: Partial<Activity>): Promise<void> {
    await this.sendTo(posted.reference, activity);
  }

  /** Replaces a posted card for everyone (updateActivity on the stored activity id). */
  async update(posted: PostedActivity, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, posted.reference, async (context) => {
      await context.updateActivity({ ...activity, id: posted.activityId });
    });
  }
}
