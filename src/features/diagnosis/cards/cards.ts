/**
 * Typed models for the diagnosis cards (adaptiveCards/diagnosis*.json). Every
 * string that came from the directory or the person is already escaped by the
 * view that builds the model (src/bot/diagnosis/views.ts); templates only bind.
 */
import { type AdaptiveCardJson, type CardTemplates } from '../../../shared/cardTemplates';

export interface LabelledValue {
  title: string;
  value: string;
}

/** One question on the card: a choice (radio buttons) or a text box. */
export interface QuestionInputModel {
  /** The answer key: the input's id, so the submit data is an answers object. */
  key: string;
  kind: 'choice' | 'text';
  label: string;
  choices: LabelledValue[];
  /** Pre-selected value ('' = none). */
  value: string;
  placeholder: string;
  multiline: boolean;
  maxLength: number;
}

export interface QuestionCardModel {
  title: string;
  intro: string;
  /** Why the last submit was refused ('' = none). */
  error: string;
  knownTitle: string;
  /** What I already know (from Intune, earlier answers). */
  known: LabelledValue[];
  soFarTitle: string;
  /** Blockers already found that no answer changes. */
  soFar: string[];
  /** The question of a one-tap card (its choices are the actions; '' = none). */
  prompt: string;
  questions: QuestionInputModel[];
  /** Comma-separated keys on this card (action data: what was asked). */
  asked: string;
  answerVerb: string;
  /** "Check my answers", or one button per choice of a one-tap question. */
  actions: CardActionModel[];
}

export function diagnosisQuestionCard(templates: CardTemplates, model: QuestionCardModel): AdaptiveCardJson {
  return templates.render('diagnosisQuestions', model);
}

export interface FindingModel {
  /** The finding id: the Container's `id`, so tests and tools can read which findings a card shows. */
  id: string;
  style: 'attention' | 'warning' | 'good' | 'default';
  color: 'Attention' | 'Warning' | 'Good' | 'Default';
  label: string;
  /** In plain words for the person (the finding's `userTitle`). */
  title: string;
  /** Why, in plain words ('' = none). */
  text: string;
  /** Heading over `userFixLines` ('' when there is no fix for the person). */
  userFixHeading: string;
  userFixLines: string[];
  /** Shown when only the helpdesk or an admin can act ('' otherwise). */
  handOff: string;
  /** Collapsed under "Details for IT": the admin's explanation, fix and source. */
  forIt: ForItModel;
}

/** What IT reads about one finding, behind its "Details for IT" toggle. */
export interface ForItModel {
  /** The collapsed Container's id (the toggle's target), unique on the card. */
  id: string;
  /** The admin's title ('' when it is the plain title already shown). */
  title: string;
  detail: string;
  /** Heading over `fixLines` ('' when only the person can act). */
  fixHeading: string;
  fixLines: string[];
  source: string;
}

export interface CardActionModel {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

export interface FindingsCardModel {
  title: string;
  subtitle: string;
  /** A note over the findings (sent to the helpdesk, couldn't send, ...); text '' = none. */
  banner: { text: string; color: 'Good' | 'Warning' | 'Attention' | 'Default' };
  summary: string;
  summaryColor: 'Good' | 'Warning' | 'Attention' | 'Default';
  findings: FindingModel[];
  /** Unanswered questions that could still change this ('' = none). */
  unknowns: string;
  actions: CardActionModel[];
}

export function diagnosisFindingsCard(templates: CardTemplates, model: FindingsCardModel): AdaptiveCardJson {
  return templates.render('diagnosisFindings', model);
}

export interface TicketFindingModel {
  id: string;
  color: FindingModel['color'];
  label: string;
  title: string;
  detail: string;
  fixHeading: string;
  fixLines: string[];
}

export interface TicketCardModel {
  title: string;
  subtitle: string;
  person: LabelledValue[];
  answers: LabelledValue[];
  devices: string[];
  methods: string[];
  findings: TicketFindingModel[];
  actions: CardActionModel[];
}

export function diagnosisTicketCard(templates: CardTemplates, model: TicketCardModel): AdaptiveCardJson {
  return templates.render('diagnosisTicket', model);
}

export interface ProblemCardModel {
  title: string;
  text: string;
  /** "Try again" ('' title = no button). */
  retry: CardActionModel;
}

export function diagnosisProblemCard(templates: CardTemplates, model: ProblemCardModel): AdaptiveCardJson {
  return templates.render('diagnosisProblem', model);
}

// The templates this module renders, and the model each binds (checked by CardTemplates.render).
declare module '../../../shared/cardTemplates' {
  interface CardModels {
    diagnosisQuestions: QuestionCardModel;
    diagnosisFindings: FindingsCardModel;
    diagnosisTicket: TicketCardModel;
    diagnosisProblem: ProblemCardModel;
  }
}
