/** Typed models for the menu, help and notice cards. */
import { t, type Language } from '../../i18n';
import type { Intent } from '../../nlu/port';
import { cardText } from '../../shared/text';
import { type AdaptiveCardJson, type CardTemplates } from '../../shared/cardTemplates';

export interface MenuCardModel {
  title: string;
  intro: string;
  diagnoseTitle: string;
  tapTitle: string;
  statusTitle: string;
}

export function menuCard(templates: CardTemplates, displayName: string | undefined, language: Language = 'en'): AdaptiveCardJson {
  // The name comes from the activity (the client's say-so): cleaned like any free text.
  const firstName = cardText(displayName, 60).split(' ')[0];
  const model: MenuCardModel = {
    title: firstName ? t(language, 'menu.title', { name: firstName }) : t(language, 'menu.titleNoName'),
    intro: t(language, 'menu.intro'),
    diagnoseTitle: t(language, 'menu.diagnose'),
    tapTitle: t(language, 'menu.tap'),
    statusTitle: t(language, 'menu.status'),
  };
  return templates.render('menu', model);
}

export interface HelpCommand {
  /**
   * What to type, with its argument: `‹required›`, `[optional]`. Not `<…>`: chat clients
   * read that as an HTML tag and drop it.
   */
  name: string;
  description: string;
}

export interface HelpCardModel {
  /** Who the commands are for: everyone first, then the helpdesk and rollout team. */
  groups: Array<{ title: string; commands: HelpCommand[] }>;
  footer: string;
}

/** Every command once, with its argument, as the message grammar reads it (docs/conversation.md). */
export const HELP_GROUPS: HelpCardModel['groups'] = [
  {
    title: 'For everyone',
    commands: [
      { name: 'diagnose', description: "Find out why you can't add a passkey, and what fixes it. You can also just describe the problem." },
      { name: 'tap', description: 'Ask for a Temporary Access Pass, a short-lived code to sign in while you set up a new phone (the helpdesk approves it)' },
      { name: 'status', description: 'Your sign-in methods, and whether you are done' },
      { name: 'help', description: 'This list' },
    ],
  },
  {
    title: 'For the helpdesk, managers and the rollout team',
    commands: [
      { name: 'check ‹name or email›', description: "Helpdesk: another person's sign-in methods and last passkey check (also: status ‹email›)" },
      { name: 'tap for ‹email›', description: 'Managers and helpdesk: ask for a Temporary Access Pass for someone else' },
      { name: 'report [group]', description: 'Rollout team: passkey readiness of the organisation, or of one group' },
      { name: 'nudge ‹group›', description: "Rollout team: remind a group's members who still lack a passkey" },
    ],
  },
];

export function helpCard(templates: CardTemplates, footer = ''): AdaptiveCardJson {
  const model: HelpCardModel = { groups: HELP_GROUPS, footer };
  return templates.render('help', model);
}

export { noticeCard } from '../../shared/noticeCard';

export interface UnderstandCardModel {
  title: string;
  text: string;
  footer: string;
  /** Buttons: each sends its intent back as a message (messageBack), shown in the chat as its title. */
  choices: Array<{ title: string; intent: string }>;
}

/** "I didn't understand" in the person's language, with the likeliest actions as buttons. */
export function didNotUnderstandCard(templates: CardTemplates, language: Language, alternatives: readonly Exclude<Intent, 'unknown'>[]): AdaptiveCardJson {
  const offered = alternatives.length > 0 ? alternatives : FALLBACK_CHOICES;
  const model: UnderstandCardModel = {
    title: t(language, 'conversation.didNotUnderstand'),
    text: alternatives.length > 0 ? t(language, 'conversation.didYouMean') : t(language, 'conversation.tryOneOfThese'),
    footer: t(language, 'conversation.typeHelp'),
    choices: offered.map((intent) => ({ title: t(language, `actions.${intent}`), intent })),
  };
  return templates.render('didNotUnderstand', model);
}

/** Offered when nothing is even likely: what most people come for. */
const FALLBACK_CHOICES: ReadonlyArray<Exclude<Intent, 'unknown'>> = ['diagnose', 'tap-request', 'status'];

// The templates this module renders, and the model each binds (checked by CardTemplates.render).
declare module '../../shared/cardTemplates' {
  interface CardModels {
    menu: MenuCardModel;
    help: HelpCardModel;
    didNotUnderstand: UnderstandCardModel;
  }
}
