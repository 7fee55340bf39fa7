import type { TenantConfig } from '../config/config';
import { createGraphPort } from './graph';
import { createGraphCredential } from './credentials';
import type { Logger } from './transport';

export * from './port';
export { createGraphPort, type GraphPortOptions } from './graph';
export {
  createGraphCredential,
  createBotTokenCredential,
  type AuthorityOptions,
  StaticTokenCredential,
  type TokenCredential,
} from './credentials';

/**
 * The Graph port of a configured tenant (tenant mode): the same construction
 * for the bot and the one-shot CLI commands.
 */
export function createTenantGraphPort(config: TenantConfig, logger: Logger, options: { defaultDeadlineMs?: number } = {}): ReturnType<typeof createGraphPort> {
  return createGraphPort({
    baseUrl: config.graph.baseUrl,
    credential: createGraphCredential(config.graph.credential, { authorityHost: config.authorityHost }),
    tokenScope: config.graph.tokenScope,
    tenantId: config.tenantId,
    tenantCacheTtlMs: config.tenantPolicyCacheMs,
    ...(options.defaultDeadlineMs !== undefined ? { defaultDeadlineMs: options.defaultDeadlineMs } : {}),
    logger,
  });
}
