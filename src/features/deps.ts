/**
 * What the bot's routes may use. Built by the composition root; tests build
 * their own (the application factory takes them, so no server is needed).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { GraphPort } from '../graph/port';
import type { NluPort } from '../nlu/port';
import type { Stores } from '../storage/ports';
import type { CardTemplates } from '../shared/cardTemplates';
import type { JobRunner } from '../jobs';
import type { ConversationDirectory, Messenger } from './messaging';

export interface BotDeps {
  config: Config;
  /** The one tenant whose activities are accepted (tenant mode: MicrosoftAppTenantId; demo: the fixture's). */
  tenantId: string;
  graph: GraphPort;
  stores: Stores;
  references: ConversationDirectory;
  /** Messages outside a turn (1:1, channel threads, card updates). */
  proactive: Messenger;
  /** The durable job runner (the composition root registers the features' jobs; tests call runDue()). */
  jobs: JobRunner;
  cards: CardTemplates;
  /** Language understanding of chat messages (local model, or a hosted one with the local as fallback). */
  nlu: NluPort;
  /** The tenant's group display names the `group` slot is matched against; absent: the name as typed. */
  groupNames?: () => Promise<readonly string[]>;
  logger: Logger;
  clock: () => Date;
}
