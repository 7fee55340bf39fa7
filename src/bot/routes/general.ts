/** Welcome on install, help, greeting/thanks/cancel replies, "I didn't understand", the menu, and the catch-all. */
import type { Application } from '@microsoft/teams-ai';
import { MessageFactory, type TurnContext } from 'botbuilder';
import type { AppTurnState } from '../application';
import { cardAttachment } from '../../shared/cardTemplates';
import { didNotUnderstandCard, helpCard, menuCard } from '../cards/general';
import { messageMeans, replyLanguage, understood } from '../../features/understanding';
import { t } from '../../i18n';
import { languageOfLocale } from '../../nlu/port';
import type { BotDeps } from '../../features/deps';

export function registerGeneralRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  const sendMenu = (context: TurnContext) =>
    context.sendActivity(MessageFactory.attachment(cardAttachment(menuCard(deps.cards, context.activity.from?.name, languageOfLocale(context.activity.locale) ?? 'en'))));

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const botWasAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
    if (!botWasAdded) return;
    const inTeam = Boolean((context.activity.channelData as { team?: unknown } | undefined)?.team);
    if (inTeam) {
      await context.sendActivity(
        'Hi team — I am Passkey Helpdesk. I post Temporary Access Pass approval requests in the helpdesk channel and help people register passkeys in Microsoft Authenticator. Mention me with "help" to see what I can do.',
      );
    } else {
      await sendMenu(context);
    }
  });

  app.message(messageMeans(deps, 'help'), async (context) => {
    await context.sendActivity(MessageFactory.attachment(cardAttachment(helpCard(deps.cards))));
  });

  // Short replies in the person's language.
  app.message(messageMeans(deps, 'greeting'), async (context) => {
    const language = await replyLanguage(context, deps);
    await context.sendActivity(MessageFactory.attachment(cardAttachment(menuCard(deps.cards, context.activity.from?.name, language))));
  });
  app.message(messageMeans(deps, 'thanks'), async (context) => {
    await context.sendActivity(t(await replyLanguage(context, deps), 'conversation.thanks'));
  });
  app.message(messageMeans(deps, 'cancel'), async (context) => {
    await context.sendActivity(t(await replyLanguage(context, deps), 'conversation.cancel'));
  });

  // Not understood: say so, in the person's language, and offer the likeliest actions (never the menu silently).
  app.message(messageMeans(deps, 'unknown'), async (context) => {
    const understanding = await understood(context, deps);
    const card = didNotUnderstandCard(deps.cards, understanding.language, understanding.alternatives ?? []);
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  });

}

/** Anything no other route took (a message without text, e.g. an old card's submit): the menu. Registered last (teams-ai routes match in order). */
export function registerMenuFallback(app: Application<AppTurnState>, deps: BotDeps): void {
  app.activity('message', async (context) => {
    await context.sendActivity(MessageFactory.attachment(cardAttachment(menuCard(deps.cards, context.activity.from?.name))));
  });
}
