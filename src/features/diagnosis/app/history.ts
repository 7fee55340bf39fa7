/**
 * The last diagnosis per person: the one owner of the `diagnoses` collection.
 * The diagnosis flow records it; the helpdesk's look-up (status) and the TAP
 * approval card read it through `last`, which checks the stored shape, so an
 * old or damaged record reads as "none" instead of breaking their cards.
 */
import { z } from 'zod';
import type { Collection, Stores } from '../../../storage/ports';
import type { DiagnosisRun } from './run';

export interface LastDiagnosis {
  userId: string;
  upn: string | null;
  at: string; // ISO time
  findings: Array<{ id: string; severity: string; title: string }>;
}

const LastDiagnosisSchema = z.object({
  userId: z.string(),
  upn: z.string().nullable().catch(null),
  at: z.string().refine((value) => Number.isFinite(Date.parse(value))),
  findings: z.array(z.object({ id: z.string(), severity: z.string().catch('info'), title: z.string().catch('') })).catch([]),
});

export class DiagnosisHistory {
  private readonly diagnoses: Collection<LastDiagnosis>;

  constructor(stores: Stores) {
    this.diagnoses = stores.collection<LastDiagnosis>('diagnoses');
  }

  async record(run: DiagnosisRun): Promise<void> {
    const last: LastDiagnosis = {
      userId: run.user.user.id,
      upn: run.user.user.userPrincipalName ?? null,
      at: run.at.toISOString(),
      findings: run.result.findings.map((f) => ({ id: f.id, severity: f.severity, title: f.title })),
    };
    await this.diagnoses.upsert(last.userId, last);
  }

  async last(userId: string): Promise<LastDiagnosis | undefined> {
    const stored = await this.diagnoses.get(userId);
    const parsed = LastDiagnosisSchema.safeParse(stored?.value);
    return parsed.success ? parsed.data : undefined;
  }
}
