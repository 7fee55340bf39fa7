/**
 * Optional export to Azure Monitor Application Insights, only when APPLICATIONINSIGHTS_CONNECTION_STRING is set.
 * The Azure Monitor OpenTelemetry distro is ~60 MB of dependencies, so it is not bundled: install
 * `@azure/monitor-opentelemetry` into the image to enable it, or let App Service's codeless agent collect
 * requests and dependencies (ApplicationInsightsAgent_EXTENSION_VERSION=~3, set by infra/azure.bicep).
 * See docs/deploy.md#telemetry.
 */
import type { Logger } from 'pino';

export type TelemetryState = 'off' | 'azure-monitor' | 'not-installed' | 'failed';

/** Call before the HTTP server and clients are loaded, so their instrumentation applies. */
export function startTelemetry(env: NodeJS.ProcessEnv, logger: Logger, load: (name: string) => unknown = require): TelemetryState {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return 'off';
  let distro: { useAzureMonitor?: (options: Record<string, unknown>) => void };
  try {
    distro = load('@azure/monitor-opentelemetry') as typeof distro;
  } catch {
    logger.info('APPLICATIONINSIGHTS_CONNECTION_STRING is set but @azure/monitor-opentelemetry is not installed: no in-process export (App Service\'s agent may still collect telemetry)');
    return 'not-installed';
  }
  try {
    distro.useAzureMonitor?.({ azureMonitorExporterOptions: { connectionString } });
    logger.info('exporting telemetry to Azure Monitor Application Insights');
    return 'azure-monitor';
  } catch (error) {
    logger.warn({ err: error }, 'Azure Monitor export could not start; continuing without it');
    return 'failed';
  }
}
