/** The diagnosis engine's public surface. */
export * from '../../../directory/facts';
export { diagnose } from './engine';
export { FINDING_IDS, TAP_OFFER_FINDINGS, type FindingId } from './rule';
export { RULES } from './rules';
export {
  ANSWER_KEYS,
  QUESTIONS,
  answersToOpenQuestions,
  deviceChoices,
  devicePlatform,
  parseAnswers,
  prefillFromDevices,
  questionStep,
  type Prefill,
  type QuestionChoice,
} from './questions';
export { ERROR_CODES, ERROR_TEXTS, catalogueEntry, matchErrorText } from './errorCodes';
