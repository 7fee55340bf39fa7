/**
 * What the helpdesk channel is told when Microsoft Graph refuses the bot something:
 *
 * - A read refused for lack of an application permission (403): the person gets a card saying so and
 *   the channel one short message per feature per hour naming the fix (`passkey-helpdesk doctor`,
 *   docs/deploy.md#permissions).
 * - The sign-in and audit logs unreadable (403 without AuditLog.Read.All, or no Entra ID P1/P2 licence):
 *   the diagnosis goes on without evidence, the person is not bothered, and the channel gets one notice
 *   card per cause until the logs are readable again — once across restarts and instances, because the
 *   claim to post it is a compare-and-set record in the store (collection `helpdeskNotices`).
 *
 * Neither message carries user data.
 */
import type { Logger } from 'pino';
import type { UserEvidence } from '../directory/facts';
import { GraphError } from '../graph/port';
import { cardAttachment, type CardTemplates } from '../shared/cardTemplates';
import { noticeCard } from '../shared/noticeCard';
import { ConflictError, type Stores, type TokenBucketPolicy } from '../storage/ports';
import type { Messenger } from './messaging';

/** One channel message per feature per hour, counted in the store so it holds across instances and restarts. */
const ALERT_LIMIT: TokenBucketPolicy = { capacity: 1, refillPerMinute: 1 / 60 };

interface AlertDeps {
  config: { helpdeskChannelId?: string };
  stores: Pick<Stores, 'rateLimits'>;
  proactive: Pick<Messenger, 'postToChannel'>;
  logger: Logger;
  clock: () => Date;
}

/** Logs the refusal for the admin and tells the helpdesk channel (at most hourly per feature). Never throws. */
export async function reportPermissionDenied(deps: AlertDeps, feature: string, error: GraphError): Promise<void> {
  deps.logger.error(
    { feature, status: error.status, code: error.code, requestId: error.requestId },
    'Microsoft Graph refused a call: an application permission is missing (run passkey-helpdesk doctor)',
  );
  const channelId = deps.config.helpdeskChannelId;
  if (!channelId) return;
  const slot = await deps.stores.rateLimits.take(`permission-alert:${feature}`, ALERT_LIMIT, deps.clock()).catch(() => ({ allowed: false }));
  if (!slot.allowed) return;
  const text =
    `**Passkey Helpdesk is missing a Microsoft Graph permission.** ${feature} failed because Microsoft Graph answered 403 (${error.code}). ` +
    'An administrator should run `passkey-helpdesk doctor` with the bot\'s settings: it names the permission to grant (docs/deploy.md, Permissions).';
  await deps.proactive.postToChannel(channelId, { type: 'message', text }).catch((postError: Error) => deps.logger.warn({ err: postError.message }, 'could not tell the helpdesk channel about the missing permission'));
}

// ---------------------------------------------------------------- sign-in and audit logs unreadable

/** Why the logs can't be read, when an administrator can do something about it (a 5xx is not told). */
export type EvidenceOutageCause = 'forbidden' | 'noPremiumLicence';

/** The store record: the cause the helpdesk was told about, until the logs are readable again. */
export interface EvidenceOutageNotice {
  cause: EvidenceOutageCause;
  /** When the notice was claimed (ISO). */
  since: string;
}

export const HELPDESK_NOTICES = 'helpdeskNotices';
const EVIDENCE_NOTICE_KEY = 'evidence-unavailable';

interface EvidenceNoticeDeps extends AlertDeps {
  stores: Pick<Stores, 'collection' | 'rateLimits'>;
  cards: CardTemplates;
}

const NOTICE_TEXT: Record<EvidenceOutageCause, { title: string; text: string }> = {
  noPremiumLicence: {
    title: 'Passkey checks run without sign-in evidence',
    text:
      'Microsoft Graph refuses to read the sign-in and audit logs because the tenant has no Microsoft Entra ID P1 or P2 licence ' +
      '("Neither tenant is B2C or tenant doesn\'t have premium license"). Passkey checks still work from the policies, ' +
      'but they can\'t confirm a verdict from the logs or see a block that only the logs show (risk, location). ' +
      'To restore it, assign Microsoft Entra ID P1 or P2 licences. This channel is told once; /healthz shows the state.',
  },
  forbidden: {
    title: 'Passkey checks run without sign-in evidence',
    text:
      'Microsoft Graph answered 403 to reading the sign-in and audit logs: the application permission AuditLog.Read.All is missing. ' +
      'Passkey checks still work from the policies, but they can\'t confirm a verdict from the logs or see a block that only the logs show (risk, location). ' +
      'An administrator should grant AuditLog.Read.All with admin consent (`passkey-helpdesk doctor` checks it). This channel is told once; /healthz shows the state.',
  },
};

/**
 * After a diagnosis: logs unreadable for a cause an admin can fix → the helpdesk channel gets a notice
 * card, once per cause (whoever wins the store's create/replace posts it); logs readable → the record
 * goes, so a later outage is told again. Never throws and never tells the employee.
 */
export async function reportEvidenceAvailability(deps: EvidenceNoticeDeps, evidence: UserEvidence | undefined): Promise<void> {
  if (!evidence) return;
  const notices = deps.stores.collection<EvidenceOutageNotice>(HELPDESK_NOTICES);
  try {
    const current = await notices.get(EVIDENCE_NOTICE_KEY);
    if (evidence.status === 'read') {
      if (current && (await notices.delete(EVIDENCE_NOTICE_KEY, current.etag))) {
        deps.logger.info({ cause: current.value.cause }, 'sign-in and audit logs are readable again');
      }
      return;
    }
    if (evidence.reason === 'error' || current?.value.cause === evidence.reason) return;
    const channelId = deps.config.helpdeskChannelId;
    if (!channelId) {
      deps.logger.warn({ cause: evidence.reason }, 'no helpdesk channel configured: the missing sign-in evidence is only logged');
      return;
    }
    const notice: EvidenceOutageNotice = { cause: evidence.reason, since: deps.clock().toISOString() };
    const claimed = current ? await notices.replace(EVIDENCE_NOTICE_KEY, notice, current.etag) : await notices.create(EVIDENCE_NOTICE_KEY, notice);
    const card = noticeCard(deps.cards, { ...NOTICE_TEXT[evidence.reason], color: 'Warning' });
    try {
      await deps.proactive.postToChannel(channelId, { type: 'message', attachments: [cardAttachment(card)] });
      deps.logger.info({ cause: evidence.reason, channelId }, 'told the helpdesk channel that diagnosis runs without sign-in evidence');
    } catch (postError) {
      // Not told: give the claim back so a later diagnosis tries again.
      await notices.delete(EVIDENCE_NOTICE_KEY, claimed.etag).catch(() => undefined);
      deps.logger.warn({ err: (postError as Error).message, cause: evidence.reason }, 'could not tell the helpdesk channel that diagnosis runs without sign-in evidence');
    }
  } catch (error) {
    // Another instance claimed (or cleared) it first: it tells the channel.
    if (error instanceof ConflictError) return;
    deps.logger.warn({ err: (error as Error).message }, 'could not record the sign-in evidence notice');
  }
}
