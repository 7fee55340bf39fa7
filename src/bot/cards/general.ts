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

export interface HelpCardModel {
  commands: Array<{ name: string; description: string }>;
  footer: string;
}

export const COMMANDS: HelpCardModel['commands'] = [
  { name: 'diagnose', description: "Find out why you can't add a passkey, and what fixes it" },
  { name: 'tap', description: 'Request a Temporary Access Pass (approved by the helpdesk)' },
  { name: 'status', description: 'Your sign-in methods and whether they are phishing-resistant' },
  { name: 'status <upn>', description: "Helpdesk: another person's sign-in methods" },
  { name: 'report [group]', description: 'Rollout team: organisation (or group) passkey readiness' },
  { name: 'nudge <group>', description: "Rollout team: remind a group's members who still lack a passkey" },
  { name: 'help', description: 'This list' },
];

export function helpCard(templates: CardTemplates, footer = ''): AdaptiveCardJson {
  const model: HelpCardModel = { commands: COMMANDS, footer };
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
