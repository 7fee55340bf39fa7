/**
 * Every Action.Execute verb the bot answers, in one place: a public contract
 * (docs/cards.md). Cards name these constants; the card-action pipeline
 * (src/bot/actionPipeline.ts) dispatches on them. Changing a string here breaks
 * cards already posted in chats and channels.
 */
export const MENU_VERBS = {
  diagnose: 'menu.diagnose',
  requestTap: 'menu.tap',
  status: 'menu.status',
} as const;

export const DIAGNOSIS_VERBS = {
  /** The question card's answers. */
  answer: 'diagnose.answer',
  /** "Check again": bypasses the tenant-policy cache. */
  recheck: 'diagnose.recheck',
  /** Posts the diagnosis to the helpdesk channel as a ticket card. */
  sendToHelpdesk: 'diagnose.sendToHelpdesk',
  /** "Change my answers": the question card again, pre-filled with what was said. */
  changeAnswers: 'diagnose.changeAnswers',
} as const;

/** Action.Execute verbs of the TAP cards (docs/tap.md). */
export const TAP_VERBS = {
  /** Request card → create a request. */
  submit: 'tap.submit',
  /** Helpdesk card → approve (with the out-of-band verification method). */
  approve: 'tap.approve',
  /** Helpdesk card → deny (with a reason). */
  deny: 'tap.deny',
  /** Delivery card → create the TAP now and show it once. */
  reveal: 'tap.reveal',
  /** Delivery card after a failed issuance → try again (same rules as reveal). */
  retry: 'tap.retry',
  /** Requester, target or helpdesk → withdraw a request not yet issued. */
  cancel: 'tap.cancel',
  /** Closed loop → "Done? Remove my TAP". */
  done: 'tap.done',
  /** Closed loop → "I still need another passkey". */
  another: 'tap.another',
  /** Helpdesk or recipient → delete an issued TAP now. */
  revoke: 'tap.revoke',
  /** Hides the revealed value again (replaces the card with the "shown once" view). */
  hide: 'tap.hide',
  /** Card refresh (user-specific views): the viewer's version of the card. */
  refresh: 'tap.refresh',
} as const;

/** Action.Execute verbs of the status, report and nudge cards. */
export const STATUS_VERBS = {
  /** "Check again" on your own status card. */
  refresh: 'status.refresh',
  /** Helpdesk: another person's status (data: { userId } or { upn }); also usable from TAP / ticket cards. */
  lookup: 'status.lookup',
  /** The latest stored snapshot again (data: { groupId }); never a Graph read. */
  reportRefresh: 'report.refresh',
  /** People who still need action (data: { groupId }). */
  reportExportCsv: 'report.exportCsv',
  /** The preview of a nudge campaign for a group (data: { groupId }: an object id or display name); nothing is sent yet. */
  nudgeStart: 'nudge.start',
  /** Preview → Send: starts the campaign (data: { previewId }); a repeated Send starts nothing more. */
  nudgeSend: 'nudge.send',
  /** Preview → Cancel: nothing is sent (data: { previewId }). */
  nudgeDiscard: 'nudge.discard',
  /** Cancel a running campaign (data: { campaignId }). */
  nudgeCancel: 'nudge.cancel',
  /** The progress card again (data: { campaignId }). */
  nudgeRefresh: 'nudge.refresh',
  /** "Don't remind me" on a nudge (data: { campaignId }). */
  nudgeOptOut: 'nudge.optOut',
} as const;

type ValuesOf<T> = T[keyof T];
export type CardVerb = ValuesOf<typeof MENU_VERBS> | ValuesOf<typeof DIAGNOSIS_VERBS> | ValuesOf<typeof TAP_VERBS> | ValuesOf<typeof STATUS_VERBS>;

/** Every verb, for the pipeline's check that each has exactly one handler. */
export const ALL_VERBS: readonly CardVerb[] = [...Object.values(MENU_VERBS), ...Object.values(DIAGNOSIS_VERBS), ...Object.values(TAP_VERBS), ...Object.values(STATUS_VERBS)];
