/**
 * The diagnosis engine: facts in, findings and open questions out. Pure.
 *
 * Every rule runs; findings come out ordered by what must happen first
 * (blockers in catalog order: account → passkey policy → MFA/TAP → Conditional
 * Access → phone/OS → app set-up; then `ready`, warnings, information).
 */
import type { AnswerKey, Answers, DiagnosisInput, DiagnosisResult, Finding } from '../../../directory/facts';
import { ANSWER_KEYS, openQuestions } from './questions';
import { FINDING_IDS, TERMINAL_FINDINGS, stopsQuestions, type FindingId, type Rule } from './rule';
import { RULES } from './rules';
import { buildContext, type RuleContext } from './scope/context';
import { evidenceSentence, failuresFor, pastedFor, signInEvidence } from './evidence';

const catalogIndex = (id: string) => {
  const index = FINDING_IDS.indexOf(id as FindingId);
  return index === -1 ? FINDING_IDS.length : index;
};

function rank(finding: Finding): number {
  if (finding.severity === 'blocker') return 0;
  if (finding.id === 'ready') return 1;
  return finding.severity === 'warning' ? 2 : 3;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(a) - rank(b) || catalogIndex(a.id) - catalogIndex(b.id));
}

/** Runs the rules and returns the ordered findings (no questions). */
export function evaluateFindings(input: DiagnosisInput, rules: readonly Rule[] = RULES): Finding[] {
  const context = buildContext(input);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const finding = rule.evaluate({ ...context, earlier: findings });
    if (finding) findings.push(withEvidence(finding, context));
  }
  // A disabled or guest account can't register at all: anything else is noise.
  const terminal = findings.filter((f) => TERMINAL_FINDINGS.includes(f.id as FindingId));
  return sortFindings(terminal.length > 0 ? terminal : findings);
}

/**
 * A finding the logs (or the pasted error) confirm carries that evidence, and
 * its detail says so ("Your sign-in at 14:02 … was stopped by the policy …").
 */
function withEvidence(finding: Finding, context: RuleContext): Finding {
  let evidence = finding.evidence;
  if (!evidence || evidence.length === 0) {
    const id = finding.id as FindingId;
    evidence = [...failuresFor(context.evidence, id).map((f) => signInEvidence(f)), ...pastedFor(context.evidence, id, context.input.answers.errorText)];
    const started = context.evidence.orphanedStart;
    if (id === 'orphaned-local-passkey' && started) {
      evidence.push({ source: 'directoryAudit', at: started.activityDateTime, text: started.activityDisplayName });
    }
  }
  if (evidence.length === 0) return finding;
  const sentence = evidenceSentence(evidence, context.input.now);
  return { ...finding, detail: sentence ? `${finding.detail} ${sentence}` : finding.detail, evidence };
}

/** For each answer key, the keys that some rule reads together with it. */
function coKeysOf(rules: readonly Rule[]): (key: AnswerKey) => AnswerKey[] {
  const co = new Map<AnswerKey, Set<AnswerKey>>(ANSWER_KEYS.map((k) => [k, new Set<AnswerKey>()]));
  for (const rule of rules) {
    for (const key of rule.needs ?? []) for (const other of rule.needs ?? []) if (other !== key) co.get(key)!.add(other);
  }
  return (key) => [...(co.get(key) ?? [])];
}

/**
 * Which unknown answers could still change the findings. None while a
 * blocker only an admin can lift applies (or the account is disabled or a
 * guest): the phone doesn't matter until the admin acts, and "Check again"
 * asks then. Platform and OS version that Intune tells us are not asked.
 */
export function questionsFor(input: DiagnosisInput, findings: readonly Finding[], rules: readonly Rule[] = RULES): AnswerKey[] {
  if (findings.some(stopsQuestions)) return [];
  const context = buildContext(input);
  const known = new Set<AnswerKey>();
  if (input.answers.platform === undefined && context.platform !== undefined) known.add('platform');
  if (input.answers.osVersion === undefined && context.osVersion !== undefined) known.add('osVersion');
  return openQuestions({
    answers: input.answers,
    managedDevices: input.user.managedDevices ?? [],
    known,
    coKeys: coKeysOf(rules),
    verdict: (answers: Answers) =>
      evaluateFindings({ ...input, answers }, rules)
        .map((f) => f.id)
        .join(','),
  });
}

export function diagnose(input: DiagnosisInput): DiagnosisResult {
  const findings = evaluateFindings(input);
  return { findings, questions: questionsFor(input, findings) };
}
