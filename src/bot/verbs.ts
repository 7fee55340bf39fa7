/**
 * Action.Execute verbs: a public contract (docs/cards.md). One handler per verb.
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
