/**
 * One Adaptive Card check for every test: what the Adaptive Cards SDK objects
 * to when it parses a rendered card, plus any template expression left unbound.
 * Charts (Chart.*) are Teams elements the SDK doesn't know; they are allowed.
 */
import type { AdaptiveCardJson } from '../../src/shared/cardTemplates';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js');

export function cardProblems(card: AdaptiveCardJson | object): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  parsed.parse(card, context);
  const messages: string[] = [];
  for (let i = 0; i < context.eventCount; i++) messages.push(context.getEventAt(i).message as string);
  messages.push(...parsed.validateProperties().validationEvents.map((event: { message: string }) => event.message));
  if (JSON.stringify(card).includes('${')) messages.push('unbound template expression');
  return messages.filter((message) => !/^Unknown element type "Chart\.[A-Za-z.]+"/.test(message));
}
