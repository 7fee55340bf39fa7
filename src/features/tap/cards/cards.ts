/**
 * Typed models for the Temporary Access Pass cards (adaptiveCards/tap*.json).
 * The view models come from the domain (src/tap/views.ts: already escaped and
 * masked); this module only adds presentation flags, a banner for the person
 * acting, and the Universal Actions `refresh` (set in code, never templated).
 *
 * The revealed card is the only card that carries the TAP value. It never has
 * a `refresh` (teams-ai would turn a response with `refresh` into an
 * updateActivity for everyone) and it is only ever an invoke response.
 */
import {
  type ActionView,
  type ApprovalCardView,
  type DeliveryCardView,
  type PasskeyQuestionView,
  type RefreshView,
  type RevealedOnceView,
  type StatusColor,
  type TapKind,
  REASON_MAX_LENGTH,
  TAP_VERBS,
} from '../domain';
import { cardText } from '../../../shared/text';
import type { AdaptiveCardJson, CardTemplates } from '../../../shared/cardTemplates';
import { METHOD_NAMES, methodKind } from '../../../directory/methods';

/** A line at the top of a card telling the person who acted what happened (or why not). */
export interface Banner {
  show: boolean;
  text: string;
  color: StatusColor;
}

export const NO_BANNER: Banner = { show: false, text: '', color: 'default' };

/** A banner from plain text (escaped here). */
export function banner(text: string | undefined, color: StatusColor = 'attention'): Banner {
  return text ? { show: true, text: cardText(text, 1000), color } : NO_BANNER;
}

interface ActionModel {
  verb: string;
  title: string;
  style: 'default' | 'positive' | 'destructive';
  data: { requestId: string };
}

function actionModel(action: ActionView): ActionModel {
  return { verb: action.verb, title: action.title, style: action.style ?? 'default', data: { requestId: action.data.requestId } };
}

function withRefresh(card: AdaptiveCardJson, refresh: RefreshView | null): AdaptiveCardJson {
  if (!refresh) return card;
  return {
    ...card,
    refresh: { action: { type: 'Action.Execute', verb: refresh.verb, data: { requestId: refresh.data.requestId } }, userIds: [...refresh.userIds] },
  };
}

// ---------------------------------------------------------------- request card

export interface Choice {
  title: string;
  value: string;
}

/** A registration the lost phone may hold, as the person picks it (plain text: ChoiceSet titles aren't Markdown). */
export interface RegistrationChoice {
  id: string;
  '@odata.type': string;
  displayName?: string | null;
}

export interface RequestCardInput {
  /** On behalf: the person the pass is for (prefilled). */
  forPerson?: { displayName: string; upn: string };
  /** The Authenticator / passkey / OATH registrations the lost phone may hold. */
  registrations: RegistrationChoice[];
  /** The TAP policy makes every pass one-time. */
  oneTimeOnly: boolean;
  /** What the person typed last time (a refused submit shows the card again). */
  prefill?: {
    targetUpn?: string;
    reason?: string;
    neededByDate?: string;
    neededByTime?: string;
    lostDevice?: boolean;
    registrationIds?: string[];
    tapKind?: TapKind;
    expectedPasskeys?: number;
  };
  banner?: Banner;
}

export interface RequestCardModel {
  title: string;
  intro: string;
  banner: Banner;
  targetUpn: string;
  reason: string;
  reasonMaxLength: number;
  neededByDate: string;
  neededByTime: string;
  lostDevice: 'true' | 'false';
  hasRegistrations: boolean;
  registrations: Choice[];
  registrationIds: string;
  tapKinds: Choice[];
  tapKind: TapKind;
  tapKindNote: string;
  /** "2" when the person said Android with a work profile; otherwise unsaid (asked after the first passkey). */
  passkeys: '2' | '';
  submitVerb: string;
}


export function requestCardModel(input: RequestCardInput): RequestCardModel {
  const p = input.prefill ?? {};
  const forWhom = input.forPerson;
  return {
    title: forWhom ? `Temporary Access Pass for ${cardText(forWhom.displayName)}` : 'Request a Temporary Access Pass',
    intro: forWhom
      ? `The helpdesk will verify ${cardText(forWhom.displayName)} out of band before approving. The pass then comes to you, to hand over in person or on a verified call.`
      : 'The helpdesk verifies you out of band (for example a video call with ID) before approving. The pass is created only when you press Reveal, and shown once.',
    banner: input.banner ?? NO_BANNER,
    targetUpn: p.targetUpn ?? forWhom?.upn ?? '',
    reason: p.reason ?? '',
    reasonMaxLength: REASON_MAX_LENGTH,
    neededByDate: p.neededByDate ?? '',
    neededByTime: p.neededByTime ?? '',
    lostDevice: p.lostDevice ? 'true' : 'false',
    hasRegistrations: input.registrations.length > 0,
    registrations: input.registrations.map((r) => ({
      title: `${METHOD_NAMES[methodKind(r)]}${r.displayName ? `: ${cardText(r.displayName)}` : ''}`,
      value: r.id,
    })),
    registrationIds: (p.registrationIds ?? []).join(','),
    tapKinds: input.oneTimeOnly
      ? [{ title: 'One-time (required by your organisation)', value: 'oneTime' }]
      : [
          { title: 'Multi-use (recommended for registering a passkey)', value: 'multiUse' },
          { title: 'One-time', value: 'oneTime' },
        ],
    tapKind: input.oneTimeOnly ? 'oneTime' : (p.tapKind ?? 'multiUse'),
    tapKindNote: input.oneTimeOnly
      ? "Your organisation only allows one-time passes: finish the passkey registration in one go."
      : 'A passkey registration takes several sign-ins: a multi-use pass survives them.',
    passkeys: p.expectedPasskeys === 2 ? '2' : '',
    submitVerb: TAP_VERBS.submit,
  };
}

export function requestCard(templates: CardTemplates, input: RequestCardInput): AdaptiveCardJson {
  return templates.render('tapRequest', requestCardModel(input));
}

// ---------------------------------------------------------------- approval card (helpdesk thread)

export interface ApprovalCardModel extends Omit<ApprovalCardView, 'actions' | 'refresh' | 'lostDevice'> {
  banner: Banner;
  decide: boolean;
  approveVerb: string;
  denyVerb: string;
  targetFacts: Array<{ title: string; value: string }>;
  requesterFacts: Array<{ title: string; value: string }>;
  hasMethods: boolean;
  methodsText: string;
  hasDiagnosis: boolean;
  hasRiskHints: boolean;
  hasApprovals: boolean;
  hasLostRegistrations: boolean;
  lostRegistrations: string[];
  canRemove: boolean;
  showReadOnlyNote: boolean;
  denyReasonMaxLength: number;
}

function personFacts(person: ApprovalCardView['target']): Array<{ title: string; value: string }> {
  const facts = [
    { title: 'Name', value: person.displayName },
    { title: 'Sign-in name', value: person.upn },
    { title: 'Job title', value: person.jobTitle },
    { title: 'Department', value: person.department },
    { title: 'Manager', value: person.manager },
    { title: 'E-mail', value: person.email },
    { title: 'Phone', value: person.phones.join(', ') },
  ];
  return facts.filter((f) => f.value !== '');
}

export function approvalCardModel(view: ApprovalCardView, bannerLine: Banner = NO_BANNER): ApprovalCardModel {
  const { actions, refresh: _refresh, lostDevice, ...rest } = view;
  return {
    ...rest,
    banner: bannerLine,
    decide: view.mode === 'decide' && actions.length > 0,
    approveVerb: TAP_VERBS.approve,
    denyVerb: TAP_VERBS.deny,
    targetFacts: personFacts(view.target),
    requesterFacts: view.onBehalf ? personFacts(view.requester) : [],
    hasMethods: view.currentMethods.length > 0,
    methodsText: view.currentMethods.join(', '),
    hasDiagnosis: view.lastDiagnosis !== '',
    hasRiskHints: view.riskHints.length > 0,
    hasApprovals: view.approvals.length > 0,
    hasLostRegistrations: (lostDevice?.registrations.length ?? 0) > 0,
    lostRegistrations: lostDevice?.registrations ?? [],
    canRemove: lostDevice?.canRemove ?? false,
    showReadOnlyNote: view.readOnlyNote !== '',
    denyReasonMaxLength: REASON_MAX_LENGTH,
  };
}

export function approvalCard(templates: CardTemplates, view: ApprovalCardView, bannerLine?: Banner): AdaptiveCardJson {
  return withRefresh(templates.render('tapApproval', approvalCardModel(view, bannerLine)), view.refresh);
}

// ---------------------------------------------------------------- delivery card (the recipient's 1:1)

export interface DeliveryCardModel extends Omit<DeliveryCardView, 'actions' | 'refresh'> {
  banner: Banner;
  hasHandover: boolean;
  actions: ActionModel[];
}

export function deliveryCardModel(view: DeliveryCardView, bannerLine: Banner = NO_BANNER): DeliveryCardModel {
  const { actions, refresh: _refresh, ...rest } = view;
  return { ...rest, banner: bannerLine, hasHandover: view.handover !== '', actions: actions.map(actionModel) };
}

export function deliveryCard(templates: CardTemplates, view: DeliveryCardView, bannerLine?: Banner): AdaptiveCardJson {
  return withRefresh(templates.render('tapDelivery', deliveryCardModel(view, bannerLine)), view.refresh);
}

// ---------------------------------------------------------------- revealed once (invoke response only)

export interface RevealedCardModel extends Omit<RevealedOnceView, 'actions' | 'steps'> {
  hasHandover: boolean;
  iosSteps: string[];
  androidSteps: string[];
  actions: ActionModel[];
}

/** The only card with the value. Built in memory for the one invoke response; never stored, sent or logged. */
export function revealedCard(templates: CardTemplates, view: RevealedOnceView): AdaptiveCardJson {
  const model: RevealedCardModel = {
    requestId: view.requestId,
    title: view.title,
    passValue: view.passValue,
    validUntil: view.validUntil,
    usage: view.usage,
    handover: view.handover,
    warning: view.warning,
    hasHandover: view.handover !== '',
    iosSteps: view.steps.ios.map((step, i) => `${i + 1}. ${step}`),
    androidSteps: view.steps.android.map((step, i) => `${i + 1}. ${step}`),
    actions: view.actions.map(actionModel),
  };
  const card = templates.render('tapRevealed', model);
  // A response card with `refresh` would be re-sent by teams-ai as an update for everyone.
  const { refresh: _never, ...withoutRefresh } = card as AdaptiveCardJson & { refresh?: unknown };
  return withoutRefresh as AdaptiveCardJson;
}

// ---------------------------------------------------------------- closed loop question

export interface PasskeyQuestionModel extends Omit<PasskeyQuestionView, 'actions'> {
  actions: ActionModel[];
}

export function passkeyQuestionCard(templates: CardTemplates, view: PasskeyQuestionView): AdaptiveCardJson {
  const model: PasskeyQuestionModel = { ...view, actions: view.actions.map(actionModel) };
  return templates.render('tapPasskeyQuestion', model);
}

// The templates this module renders, and the model each binds (checked by CardTemplates.render).
declare module '../../../shared/cardTemplates' {
  interface CardModels {
    tapRequest: RequestCardModel;
    tapApproval: ApprovalCardModel;
    tapDelivery: DeliveryCardModel;
    tapRevealed: RevealedCardModel;
    tapPasskeyQuestion: PasskeyQuestionModel;
  }
}
