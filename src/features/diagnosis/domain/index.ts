/** The diagnosis engine's public surface. */
export * from '../../../directory/facts';
export { diagnose, evaluateFindings, questionsFor, sortFindings } from './engine';
export { FINDING_IDS, TAP_OFFER_FINDINGS, TERMINAL_FINDINGS, stopsQuestions, type FindingId, type Rule } from './rule';
export { RULES } from './rules';
export { registrationSteps } from './rules/ready';
export {
  ANSWER_KEYS,
  QUESTIONS,
  answersToOpenQuestions,
  deviceChoices,
  devicePlatform,
  parseAnswers,
  prefillFromDevices,
  questionStep,
  type ParseAnswersResult,
  type Platform,
  type Prefill,
  type Question,
  type QuestionChoice,
} from './questions';
export { buildContext, type RuleContext } from './scope/context';
export { ERROR_CODES, ERROR_TEXTS, catalogueEntry, matchErrorText, type CatalogueEntry } from './errorCodes';
export { EVIDENCE_WINDOW_MS, summarizeEvidence, type EvidenceSummary } from './evidence';
