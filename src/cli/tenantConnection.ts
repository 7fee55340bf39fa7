/**
 * The Graph side for one-shot CLI commands: with `--fixture`, an in-process
 * demo tenant on a loopback port; without it, the configured tenant.
 */
import { loadConfig, readEnvironment } from '../config/config';
import { createDemoTenant, loadFixture } from '../demoTenant';
import { createGraphCredential, createGraphPort, createTenantGraphPort } from '../graph';
import type { GraphPort } from '../graph/port';
import { createLogger } from '../logging';
import { listenHttp } from '../server';
import { UsageError, type CliIo } from './commands';

export interface CliTenant {
  graph: GraphPort;
  tenantId: string;
  close(): Promise<void>;
}

export async function connectCliTenant(fixturePath: string | undefined, io: CliIo): Promise<CliTenant> {
  const logger = createLogger('silent');
  if (fixturePath) {
    const fixture = loadFixture(fixturePath);
    const demo = createDemoTenant(fixture);
    const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    const graph = createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: fixture.tenant.id, logger });
    return { graph, tenantId: fixture.tenant.id, close: () => listening.close() };
  }
  const config = loadConfig(readEnvironment(io.cwd, io.env));
  if (config.mode !== 'tenant') {
    throw new UsageError('--fixture <fixture.json> is required unless tenant credentials are configured (see docs/configuration.md)');
  }
  const graph = createTenantGraphPort(config, logger);
  return { graph, tenantId: config.tenantId, close: async () => undefined };
}
