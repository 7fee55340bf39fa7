/**
 * `npm start` in demo mode also opens a chat client: the Microsoft 365 Agents
 * Playground, signed in as a persona of the demo tenant.
 */
import { describePlayground, startPlayground } from '../playground';
import type { RunningHelpdesk } from '../composition';
import type { CliIo } from './commands';

/** Alex Wilber is a new hire with no MFA: the richest first conversation (diagnosis → TAP request). */
export const DEFAULT_PERSONA = 'alex@contoso.example';

export async function startPlaygroundFor(running: RunningHelpdesk, options: { asUpn?: string; io: CliIo }): Promise<void> {
  if (!running.fixture) return;
  const botEndpoint = `${running.botUrl}/api/messages`;
  const playground = await startPlayground({
    asUpn: options.asUpn ?? DEFAULT_PERSONA,
    fixture: running.fixture,
    botEndpoint,
    dataDir: running.deps.config.dataDir,
    helpdeskGroupId: running.deps.config.helpdeskGroupId,
  });
  options.io.stdout.write(`\n${describePlayground(playground, botEndpoint)}`);
  options.io.stdout.write('Open that URL in a browser and type "help". For the helpdesk side: npm run playground -- --as pradeep@contoso.example\n');
  const stop = () => playground.stop();
  process.once('exit', () => void stop());
}
