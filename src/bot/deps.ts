/**
 * What the bot's routes may use. Built by the composition root; tests build
 * their own (the application factory takes them, so no server is needed).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { GraphPort } from '../graph/port';
import type { Stores } from '../storage/ports';
import type { CardTemplates } from './cards/render';
import type { ConversationReferences } from './conversationReferences';

export interface BotDeps {
  config: Config;
  /** The one tenant whose activities are accepted (tenant mode: MicrosoftAppTenantId; demo: the fixture's). */
  tenantId: string;
  graph: GraphPort;
  stores: Stores;
  references: ConversationReferences;
  cards: CardTemplates;
  logger: Logger;
  clock: () => Date;
}
