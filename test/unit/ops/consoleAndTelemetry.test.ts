import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { consoleDestination, createLogger } from '../../../src/logging';
import { startTelemetry } from '../../../src/ops/telemetry';

/** A stream that says whether it is a terminal, and keeps what was written. */
function terminal(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk) => (text += String(chunk)));
  Object.assign(stream, { isTTY, text: () => text });
  return stream;
}

describe('Console logs: human-readable on a terminal, JSON otherwise', () => {
  it('writes pretty lines (no JSON) to a terminal in development, secrets still redacted', () => {
    const stdout = terminal(true);
    const logger = createLogger('info', consoleDestination('auto', stdout, {}));
    logger.info({ clientSecret: 'hunter2', requestId: 'r-1' }, 'approved');
    const text = stdout.text();
    assert.match(text, /approved/);
    assert.match(text, /requestId/);
    assert.throws(() => JSON.parse(text.trim()), 'not JSON');
    assert.doesNotMatch(text, /hunter2/);
  });

  it('leaves JSON lines when stdout is not a terminal, or in production, or LOG_FORMAT=json', () => {
    assert.equal(consoleDestination('auto', terminal(false), {}), undefined);
    assert.equal(consoleDestination('auto', terminal(true), { NODE_ENV: 'production' }), undefined);
    assert.equal(consoleDestination('json', terminal(true), {}), undefined);
  });

  it('LOG_FORMAT=pretty asks for pretty lines even when piped', () => {
    assert.notEqual(consoleDestination('pretty', terminal(false), { NODE_ENV: 'production' }), undefined);
  });
});

describe('Telemetry export (Application Insights)', () => {
  const logger = createLogger('silent');

  it('is off without APPLICATIONINSIGHTS_CONNECTION_STRING and loads nothing', () => {
    assert.equal(startTelemetry({}, logger, () => assert.fail('nothing is loaded')), 'off');
  });

  it('says so and continues when the Azure Monitor distro is not installed (it is not bundled)', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@azure/monitor-opentelemetry'"), { code: 'MODULE_NOT_FOUND' });
    };
    assert.equal(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000' }, logger, missing), 'not-installed');
  });

  it('hands the connection string to useAzureMonitor when the distro is installed', () => {
    let options: Record<string, any> | undefined;
    const state = startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc' }, logger, () => ({ useAzureMonitor: (o: Record<string, unknown>) => (options = o) }));
    assert.equal(state, 'azure-monitor');
    assert.equal(options?.azureMonitorExporterOptions.connectionString, 'InstrumentationKey=abc');
  });
});
