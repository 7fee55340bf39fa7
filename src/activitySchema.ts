/**
 * The shape of a Bot Framework activity as far as this bot (and the botbuilder /
 * teams-ai code under it) relies on it, checked at the HTTP edge before the
 * adapter sees the activity. A field of the wrong type is the client's mistake:
 * it gets a 400 with a fixed body, never a 500 with an exception text from deep
 * inside the adapter ("endpoint.toLowerCase is not a function").
 *
 * Fields the bot never reads are passed through untouched (Teams adds new ones).
 */
import { z } from 'zod';
import type { Activity } from 'botbuilder';

const text = z.string();
const nonEmpty = z.string().min(1);

/** Replies go to `serviceUrl`: only http(s) URLs. */
const httpUrl = z
  .string()
  .url()
  .refine((url) => /^https?:\/\//i.test(url), 'an http(s) URL');

const account = z
  .object({
    id: nonEmpty,
    name: text.optional(),
    aadObjectId: text.optional(),
    role: text.optional(),
  })
  .passthrough();

const idOnly = z.object({ id: text.optional(), name: text.optional() }).passthrough();

const channelData = z
  .object({
    tenant: idOnly.optional(),
    team: idOnly.optional(),
    channel: idOnly.optional(),
    eventType: text.optional(),
    settings: z.object({ selectedChannel: idOnly.optional() }).passthrough().optional(),
  })
  .passthrough();

const jsonObject = z.record(z.unknown());

export const ActivitySchema = z
  .object({
    type: nonEmpty,
    id: text.optional(),
    channelId: nonEmpty,
    serviceUrl: httpUrl,
    timestamp: text.optional(),
    localTimestamp: text.optional(),
    localTimezone: text.optional(),
    locale: text.optional(),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id: nonEmpty,
        conversationType: text.optional(),
        tenantId: text.optional(),
        isGroup: z.boolean().optional(),
        name: text.optional(),
      })
      .passthrough(),
    replyToId: text.optional(),
    text: text.optional(),
    textFormat: text.optional(),
    name: text.optional(),
    value: jsonObject.optional(),
    channelData: channelData.optional(),
    entities: z.array(jsonObject).optional(),
    attachments: z.array(jsonObject).optional(),
    membersAdded: z.array(account).optional(),
    membersRemoved: z.array(account).optional(),
  })
  .passthrough();

/**
 * The activity, or undefined when it is not one this bot can handle safely.
 * Only the shape is checked here; who may send it (the tenant) is decided next.
 */
export function parseActivity(body: unknown): Activity | undefined {
  const parsed = ActivitySchema.safeParse(body);
  return parsed.success ? (parsed.data as unknown as Activity) : undefined;
}

/** The fixed body of every 400 for an activity that failed the schema (no details to probe with). */
export const INVALID_ACTIVITY = { error: 'invalid activity' } as const;
