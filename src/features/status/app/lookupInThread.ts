/**
 * "Look up this person" pressed on a diagnosis ticket in the helpdesk channel:
 * the invoke response replaces the pressed card, so answering with the look-up
 * would take the ticket (its blockers and the admin fix) away from the person
 * who pressed it. The look-up goes into the ticket's thread as a reply instead,
 * and the response is the ticket again, rendered from the model the button
 * carries (`ticket`: the ticket's own template data, already masked; it only
 * goes back to the person who pressed it, so a forged one shows them nothing new).
 */
import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import type { BotDeps } from '../../deps';
import type { ClickedCard } from '../../cardActions';
import { cardAttachment, type AdaptiveCardJson } from '../../../shared/cardTemplates';

const text = z.string().max(4000);
const labelled = z.array(z.object({ title: text, value: text })).max(50);
/** The ticket template's data (diagnosis TicketCardModel), bounded. */
const ticketModel = z.object({
  title: text,
  subtitle: text,
  person: labelled,
  answers: labelled,
  devices: z.array(text).max(50),
  methods: z.array(text).max(50),
  findings: z.array(z.object({ id: text, color: z.enum(['Default', 'Good', 'Warning', 'Attention']), label: text, title: text, detail: text, fixHeading: text, fixLines: z.array(text).max(50) })).max(50),
  actions: z.array(z.object({ title: text, verb: text, data: z.record(z.string(), z.unknown()) })).max(10),
});

/** Posts `lookup` as a reply under the pressed ticket; returns the ticket unchanged, or the look-up itself when the button carried no ticket. */
export async function lookupInThread(deps: BotDeps, pressed: ClickedCard, lookup: AdaptiveCardJson, ticket: unknown): Promise<AdaptiveCardJson> {
  const model = ticketModel.safeParse(ticket);
  if (!model.success || !pressed.activityId) return lookup;
  await deps.proactive.replyInThread({ reference: pressed.reference, activityId: pressed.activityId }, MessageFactory.attachment(cardAttachment(lookup)));
  return deps.cards.render('diagnosisTicket', model.data);
}
