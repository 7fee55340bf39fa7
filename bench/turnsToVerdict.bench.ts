/**
 * Turns to a verdict (issue 9): each documented persona (docs/personas.md)
 * describes the problem in one everyday sentence, then answers whatever
 * question cards come with the answers the table documents (a one-tap phone
 * step: their phone's button, else "not sure"). A turn is the message or one
 * card press. Goal: 2 (message + one card), or 1 when the tenant decides.
 * Runs the whole product over HTTP (demo tenant, Bot Connector stand-in).
 */
import { defaultFixturePath, loadFixture } from '../src/demoTenant';
import { DIAGNOSIS_VERBS } from '../src/shared/verbs';
import { FINDING_IDS } from '../src/features/diagnosis/domain';
import { actionExecute, message } from '../test/support/activities';
import { startHarness } from '../test/support/harness';
import { documentedPersonas } from '../test/integration/features/diagnosis/personas';
import { cardElements } from '../test/support/cards';

/** One sentence each, as a person might type it (what they know; nothing from the table's answers column they wouldn't say). */
const SENTENCES: Record<string, string> = {
  'adele@contoso.example': 'I want to add a passkey in the Authenticator app on my iPhone',
  'alex@contoso.example': "I'm new here and I can't set up a passkey",
  'bianca@contoso.example': "I can't add a passkey to Authenticator",
  'christie@contoso.example': "Authenticator won't let me create a passkey",
  'diego@contoso.example': 'Passkey registration fails on my Android phone',
  'grady@contoso.example': "I scan the QR code on my laptop with my phone but the passkey won't register",
  'henrietta@contoso.example': "I can't add my work passkey in Microsoft Authenticator",
  'irvin@contoso.example': "adding a passkey in Authenticator doesn't work",
  'isaiah@contoso.example': "I can't add a passkey on my personal Android phone",
  'johanna@contoso.example': 'passkey setup fails for me',
  'joni@contoso.example': "I lost my phone with Authenticator and now I can't add a passkey",
  'lee@contoso.example': "my temporary access pass doesn't work any more and I can't register a passkey",
  'lidia@contoso.example': "I can't register a passkey, I only have SMS",
  'lynne@fabrikam.example': "I can't add a passkey",
  'megan@contoso.example': "I can't add a passkey on my Samsung, it has a work profile",
  'miriam@contoso.example': "I can't add a passkey",
  'nestor@contoso.example': "I can't register a passkey while I'm travelling",
  'patti@contoso.example': "I can't add a passkey on my iPhone",
  'enrico@contoso.example': "I'm a contractor and can't set up a passkey",
  'allan@contoso.example': "I can't add a passkey",
};

type Card = { body?: any[]; actions?: any[] };

/** Findings that only the account, the tenant's policies or Intune decide (no answer of the person's). */
const TENANT_FINDINGS = new Set([
  'account-disabled', 'guest-account', 'passkey-method-disabled', 'user-excluded-from-passkey-policy', 'user-not-in-passkey-policy',
  'self-service-registration-disabled', 'passkey-profile-excludes-authenticator', 'authenticator-aaguid-not-allowed',
  'no-mfa-for-registration', 'tap-method-disabled', 'user-not-in-tap-policy', 'tap-one-time-used', 'tap-expired',
  'register-security-info-restricted', 'strength-excludes-tap', 'approved-app-required', 'os-version-unsupported',
]);

function tenantDecides(expected: readonly string[]): boolean {
  return expected.some((id) => TENANT_FINDINGS.has(id));
}

async function main(): Promise<void> {
  const fixture = loadFixture(defaultFixturePath());
  const h = await startHarness({ fixture, runJobs: false });
  const rows: Array<{ name: string; turns: number; goal: number; ok: boolean }> = [];
  try {
    for (const persona of documentedPersonas(fixture)) {
      const user = fixture.users.find((u: any) => u.userPrincipalName === persona.upn || u.mail === persona.upn);
      const person = { aadObjectId: user!.id as string, name: user!.displayName as string };
      const sentence = SENTENCES[persona.upn] ?? "I can't add a passkey";
      h.connector.clear();
      const activity = message(h.ctx, person, sentence);
      await h.post(activity);
      const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id, 15_000);
      let card = reply.body.attachments[0].content as Card;
      let turns = 1;
      for (let step = 0; step < 5; step += 1) {
        const buttons = (card.actions ?? []).filter((a) => a.verb === DIAGNOSIS_VERBS.answer);
        if (buttons.length === 0) break;
        const inputs = cardElements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.')).map((e) => e.id as string);
        let data: Record<string, unknown>;
        if (inputs.length === 0) {
          const key = String(buttons[0].data.asked);
          const wanted = persona.answers[key];
          data = (buttons.find((a) => wanted !== undefined && a.data[key] === String(wanted)) ?? buttons.find((a) => a.data[key] === undefined)).data;
        } else {
          const known = Object.fromEntries(Object.entries(persona.answers).filter(([k]) => inputs.includes(k)).map(([k, v]) => [k, String(v)]));
          data = { ...buttons[0].data, ...known };
        }
        const pressed = await h.post(actionExecute(h.ctx, person, DIAGNOSIS_VERBS.answer, data));
        card = pressed.body.value as Card;
        turns += 1;
      }
      const ids = cardElements(card).filter((e) => e.type === 'Container' && (FINDING_IDS as readonly string[]).includes(e.id)).map((e) => e.id);
      const ok = JSON.stringify(ids) === JSON.stringify(persona.expected);
      // The tenant decides when a blocker is known before any answer: then the verdict is the first reply.
      const goal = tenantDecides(persona.expected) ? 1 : 2;
      rows.push({ name: persona.name, turns, goal, ok });
      process.stdout.write(`${persona.name}: ${turns} turn(s) (goal ≤ ${goal}) ${ok ? 'expected findings' : `UNEXPECTED ${ids.join(',')}`} — "${sentence}"\n`);
    }
  } finally {
    await h.stop();
  }
  const metrics: Record<string, string | number> = {};
  for (const row of rows) metrics[row.name] = `${row.turns}${row.turns <= row.goal ? '' : ` (goal ${row.goal})`}${row.ok ? '' : ' — unexpected findings'}`;
  metrics.personas = rows.length;
  metrics.within_goal = rows.filter((r) => r.turns <= r.goal).length;
  metrics.mean_turns = Math.round((100 * rows.reduce((sum, r) => sum + r.turns, 0)) / Math.max(1, rows.length)) / 100;
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({
      name: 'turns to a verdict (one-sentence problem, documented answers)',
      metrics,
      notes: 'A turn is the message or one card press. Goal: 2, or 1 when the tenant decides (personas whose table row has no answers). The sentences are in bench/turnsToVerdict.bench.ts.',
    })}\n`,
  );
}

void main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
