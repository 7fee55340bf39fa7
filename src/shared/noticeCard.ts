/** The plain notice card (a title, a sentence, a colour): refusals, errors, confirmations of every feature. */
import type { AdaptiveCardJson, CardTemplates } from './cardTemplates';
import { FAILURE_TEXT, type FailureKind } from './failures';

export interface NoticeCardModel {
  title: string;
  text: string;
  color: 'Default' | 'Good' | 'Warning' | 'Attention';
}

export function noticeCard(templates: CardTemplates, model: NoticeCardModel): AdaptiveCardJson {
  return templates.render('notice', model);
}

/** The card every unknown verb and every invalid action data gets. */
export function refusalCard(cards: CardTemplates): AdaptiveCardJson {
  return noticeCard(cards, { title: 'That button no longer works', text: 'This card action is not valid any more. Type "help" to see what I can do.', color: 'Warning' });
}

export function whoAreYouCard(cards: CardTemplates): AdaptiveCardJson {
  return noticeCard(cards, { title: 'Who are you?', text: 'I can only do this for a signed-in person in your organisation. Please try again from Microsoft Teams.', color: 'Attention' });
}

export function defaultFailureCard(cards: CardTemplates, kind: FailureKind): AdaptiveCardJson {
  return noticeCard(cards, { ...FAILURE_TEXT[kind], color: kind === 'bug' ? 'Attention' : 'Warning' });
}

// The templates this module renders, and the model each binds (checked by CardTemplates.render).
declare module './cardTemplates' {
  interface CardModels {
    notice: NoticeCardModel;
  }
}
