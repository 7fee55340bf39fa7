/**
 * One diagnosis: read the person's facts and the tenant's policy from Graph
 * (in parallel: one `$batch` plus, when the policy cache is cold or "Check
 * again" asks for it, one tenant read) and run the pure engine. Shared by the
 * chat routes and `passkey-helpdesk diagnose`.
 */
import { diagnose, prefillFromDevices, type Answers, type DiagnosisResult, type Prefill, type TenantFacts, type UserFacts } from '../domain';
import type { Deadline, GraphPort } from '../../../graph/port';

export interface DiagnosisRun {
  user: UserFacts;
  tenant: TenantFacts;
  answers: Answers;
  result: DiagnosisResult;
  /** What Intune says about the phone (the chosen device, or the only one). */
  prefill: Prefill;
  at: Date;
}

export interface RunOptions {
  answers?: Answers;
  /** "Check again": bypass the tenant-policy cache. */
  fresh?: boolean;
  deadline?: Deadline;
  now?: Date;
}

/** Who was diagnosed, without contact details (the CLI's `user`, the ticket's header). */
export interface DiagnosedUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}

export async function runDiagnosis(graph: GraphPort, userIdOrUpn: string, options: RunOptions = {}): Promise<DiagnosisRun> {
  const answers = options.answers ?? {};
  const [user, tenant] = await Promise.all([
    graph.loadUserFacts(userIdOrUpn, { deadline: options.deadline }),
    graph.loadTenantFacts({ deadline: options.deadline, fresh: options.fresh }),
  ]);
  return diagnoseFacts(user, tenant, answers, options.now ?? new Date());
}

/** The engine over facts already read (e.g. the same facts with other answers). */
export function diagnoseFacts(user: UserFacts, tenant: TenantFacts, answers: Answers, at: Date): DiagnosisRun {
  const result = diagnose({ user, tenant, answers, now: at });
  // "Another phone" is one Intune knows nothing about.
  const prefill = answers.device === 'other' ? {} : prefillFromDevices(user.managedDevices, answers.device);
  return { user, tenant, answers, result, prefill, at };
}

export function diagnosedUser(user: UserFacts): DiagnosedUser {
  return {
    id: user.user.id,
    displayName: user.user.displayName ?? null,
    userPrincipalName: user.user.userPrincipalName ?? null,
  };
}
