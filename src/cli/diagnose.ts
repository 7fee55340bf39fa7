/**
 * `passkey-helpdesk diagnose --user <upn> [--fixture <fixture.json>] [--answers '<json>'] [--json]`:
 * why this person can't add a passkey in Microsoft Authenticator, and the fix
 * (docs/diagnosis.md). Exit codes: 0 diagnosed, 2 bad arguments or no such user.
 */
import { parseArgs } from 'node:util';
import { QUESTIONS, parseAnswers, type AnswerKey, type Answers, type Finding } from '../features/diagnosis/domain';
import { GraphError } from '../graph/port';
import { diagnosedUser, runDiagnosis, type DiagnosedUser } from '../features/diagnosis/app/run';
import { UsageError, type CliIo } from './commands';
import { connectCliTenant } from './tenantConnection';

/** What `--json` prints: a public contract. */
export interface DiagnoseJson {
  user: DiagnosedUser;
  findings: Finding[];
  questions: AnswerKey[];
}

export async function diagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  let values: { user?: string; fixture?: string; answers?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { user: { type: 'string' }, fixture: { type: 'string' }, answers: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`diagnose: ${(error as Error).message}`);
  }
  const upn = values.user?.trim();
  if (!upn) throw new UsageError("diagnose needs --user <upn>, e.g. diagnose --user megan@contoso.example --answers '{\"platform\":\"android\"}'");
  const answers = parseCliAnswers(values.answers);

  const tenant = await connectCliTenant(values.fixture, io);
  try {
    let output: DiagnoseJson;
    try {
      const run = await runDiagnosis(tenant.graph, upn, { answers });
      output = { user: diagnosedUser(run.user), findings: run.result.findings, questions: run.result.questions };
    } catch (error) {
      if (error instanceof GraphError && error.isNotFound) throw new UsageError(`diagnose: there is no user ${upn} in the directory`);
      throw error;
    }
    io.stdout.write(values.json ? `${JSON.stringify(output, null, 2)}\n` : diagnosisText(output));
    return 0;
  } finally {
    await tenant.close();
  }
}

function parseCliAnswers(raw: string | undefined): Answers {
  if (raw === undefined) return {};
  const parsed = parseAnswers(raw);
  if (!parsed.ok) throw new UsageError(`diagnose --answers: ${parsed.error}`);
  return parsed.answers;
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = { blocker: 'BLOCKER', warning: 'WARNING', info: 'INFO' };

/** The same diagnosis for a person reading a terminal. */
export function diagnosisText(output: DiagnoseJson): string {
  const { user } = output;
  const name = user.displayName && user.userPrincipalName ? `${user.displayName} (${user.userPrincipalName})` : (user.displayName ?? user.userPrincipalName ?? user.id);
  const blockers = output.findings.filter((f) => f.severity === 'blocker').length;
  const lines = [
    `Passkey diagnosis for ${name}`,
    blockers === 0 ? 'Nothing blocks a passkey in Microsoft Authenticator.' : `${blockers} blocker${blockers === 1 ? '' : 's'} stand${blockers === 1 ? 's' : ''} in the way.`,
  ];
  for (const finding of output.findings) {
    lines.push('', `[${SEVERITY_LABEL[finding.severity]}] ${finding.title} (${finding.id}, for ${finding.audience})`, indent(finding.detail));
    if (finding.userFix) lines.push('  What the person does:', indent(finding.userFix, 4));
    if (finding.adminFix) lines.push('  What the admin/helpdesk does:', indent(finding.adminFix, 4));
    lines.push(`  Source: ${finding.source}`);
  }
  if (output.questions.length > 0) {
    lines.push('', 'Answers that could change this (pass them with --answers \'{"key": value}\'):');
    for (const key of output.questions) lines.push(`  ${key}: ${QUESTIONS[key].label}`);
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => `${pad}${line}`)
    .join('\n');
}
