/**
 * Language understanding (issue 9; docs/conversation.md). `createNlu` trains
 * the local model once and, when a hosted model is configured, puts it in
 * front with the local model as its fallback.
 */
import type { Logger } from 'pino';
import type { NluConfig } from '../config/config';
import { LocalNlu } from './local';
import { ModelNlu } from './model';
import type { NluPort } from './port';

export * from './port';

export interface CreatedNlu {
  port: NluPort;
  /** Which implementation answers first. */
  mode: 'local' | 'model';
  /** Milliseconds spent training the local model. */
  loadTimeMs: number;
}

/** The local model trained from the bundled corpus: once per process (it holds no per-request state). */
let bundled: Promise<LocalNlu> | undefined;

export async function createNlu(config: NluConfig, logger?: Logger): Promise<CreatedNlu> {
  bundled ??= LocalNlu.create().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  const local = await bundled;
  if (!config.model) return { port: local, mode: 'local', loadTimeMs: local.loadTimeMs };
  return { port: new ModelNlu({ config: config.model, local, logger }), mode: 'model', loadTimeMs: local.loadTimeMs };
}
