/** Typed models for the menu, help and notice cards. */
import { cardText } from '../../shared/text';
import { type AdaptiveCardJson, type CardTemplates } from './render';

export interface MenuCardModel {
  title: string;
  intro: string;
}

export function menuCard(templates: CardTemplates, displayName: string | undefined): AdaptiveCardJson {
  // The name comes from the activity (the client's say-so): cleaned like any free text.
  const firstName = cardText(displayName, 60).split(' ')[0];
  const model: MenuCardModel = {
    title: firstName ? `Hi ${firstName}, what can I help with?` : 'What can I help with?',
    intro: 'I can find out why a passkey in Microsoft Authenticator will not register, get you a Temporary Access Pass approved by the helpdesk, or show how phishing-resistant your sign-in is.',
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

export interface NoticeCardModel {
  title: string;
  text: string;
  color: 'Default' | 'Good' | 'Warning' | 'Attention';
}

export function noticeCard(templates: CardTemplates, model: NoticeCardModel): AdaptiveCardJson {
  return templates.render('notice', model);
}
