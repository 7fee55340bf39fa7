/**
 * When Microsoft Graph refuses a read for lack of an application permission (403), the person gets a
 * card saying so and the helpdesk channel gets one short message per feature per hour naming the fix
 * (`passkey-helpdesk doctor`, docs/deploy.md#permissions). The message carries no user data.
 */
import type { Logger } from 'pino';
import { GraphError } from '../graph/port';
import type { Messenger } from './messaging';

const QUIET_MS = 60 * 60_000;

interface AlertDeps {
  config: { helpdeskChannelId?: string };
  proactive: Pick<Messenger, 'postToChannel'>;
  logger: Logger;
  clock: () => Date;
}

const lastAlert = new WeakMap<AlertDeps, Map<string, number>>();

export { isPermissionDenied } from '../shared/failures';

/** Logs the refusal for the admin and tells the helpdesk channel (at most hourly per feature). Never throws. */
export async function reportPermissionDenied(deps: AlertDeps, feature: string, error: GraphError): Promise<void> {
  deps.logger.error(
    { feature, status: error.status, code: error.code, requestId: error.requestId },
    'Microsoft Graph refused a call: an application permission is missing (run passkey-helpdesk doctor)',
  );
  const channelId = deps.config.helpdeskChannelId;
  if (!channelId) return;
  const sent = lastAlert.get(deps) ?? new Map<string, number>();
  lastAlert.set(deps, sent);
  const now = deps.clock().getTime();
  if (now - (sent.get(feature) ?? -Infinity) < QUIET_MS) return;
  sent.set(feature, now);
  const text =
    `**Passkey Helpdesk is missing a Microsoft Graph permission.** ${feature} failed because Microsoft Graph answered 403 (${error.code}). ` +
    'An administrator should run `passkey-helpdesk doctor` with the bot\'s settings: it names the permission to grant (docs/deploy.md, Permissions).';
  await deps.proactive.postToChannel(channelId, { type: 'message', text }).catch((postError: Error) => deps.logger.warn({ err: postError.message }, 'could not tell the helpdesk channel about the missing permission'));
}
