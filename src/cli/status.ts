/**
 * `passkey-helpdesk status --user <upn> [--fixture <fixture.json>] [--json]`:
 * one person's sign-in methods, verdicts and next step (docs/status.md).
 */
import { parseArgs } from 'node:util';
import { GraphError } from '../graph/port';
import { personalStatus, type PersonalStatus } from '../features/status/domain/personal';
import { UsageError, type CliIo } from './commands';
import { connectCliTenant } from './tenantConnection';

export async function statusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { user: { type: 'string' }, fixture: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const upn = values.user?.trim();
  if (!upn) throw new UsageError('status needs --user <upn>');

  const tenant = await connectCliTenant(values.fixture, io);
  try {
    let status: PersonalStatus;
    try {
      const [user, tenantFacts] = await Promise.all([tenant.graph.loadUserFacts(upn), tenant.graph.loadTenantFacts()]);
      status = personalStatus({ user, tenant: tenantFacts, now: new Date() });
    } catch (error) {
      if (error instanceof GraphError && error.isNotFound) {
        io.stderr.write(`passkey-helpdesk: there is no user ${upn} in the directory\n`);
        return 1;
      }
      throw error;
    }
    io.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
    return 0;
  } finally {
    await tenant.close();
  }
}

/** The same facts for a person reading a terminal. */
export function statusText(status: PersonalStatus): string {
  const { user } = status;
  const name = user.displayName && user.userPrincipalName ? `${user.displayName} (${user.userPrincipalName})` : (user.displayName ?? user.userPrincipalName ?? user.id);
  const lines = [name, '', 'Sign-in methods:'];
  if (status.methods.length === 0) lines.push('  (none registered)');
  for (const method of status.methods) {
    lines.push(`  ${method.phishingResistant ? '[phishing-resistant]    ' : '[not phishing-resistant]'} ${method.displayName}`);
  }
  lines.push('');
  lines.push(
    status.phishingResistant
      ? `Verdict: phishing-resistant${status.passkeyInAuthenticator ? ' (passkey in Microsoft Authenticator)' : ''}`
      : 'Verdict: not phishing-resistant yet',
  );
  if (status.tapActiveUntil) lines.push(`Temporary Access Pass: active until ${status.tapActiveUntil}`);
  lines.push(`Next step (${status.nextStep.id}): ${status.nextStep.text}`);
  return `${lines.join('\n')}\n`;
}
