/**
 * JSON `$batch` of GET requests: one round trip for several reads. Items Graph throttled (429) or
 * could not serve (503/504) are sent again — only those — honouring their `Retry-After`, inside the deadline.
 */
import { headerValue } from './errors';
import type { Deadline } from './port';
import { MAX_RETRIES, backoffMs, isRetryableStatus, waitWithinDeadline } from './retry';
import { parseRetryAfter } from '../shared/retryAfter';
import type { GraphTransport, Logger } from './transport';

/** Graph accepts at most 20 requests per `$batch`. */
export const MAX_BATCH_ITEMS = 20;

export interface BatchGet {
  id: string;
  /** Relative to the version root: `/users/abc/manager`. */
  url: string;
  /** Request headers of this item (e.g. `Prefer`). */
  headers?: Record<string, string>;
}

export interface BatchItemResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface BatchResponseBody {
  responses?: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
}

export interface BatchContext {
  transport: GraphTransport;
  logger: Logger;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Sends the GETs in one `$batch`; answers every item (status and body), retrying throttled items only. */
export async function batchGet(ctx: BatchContext, requests: BatchGet[], deadline: Deadline): Promise<Map<string, BatchItemResult>> {
  if (requests.length > MAX_BATCH_ITEMS) throw new Error(`A $batch holds at most ${MAX_BATCH_ITEMS} requests`);
  const results = new Map<string, BatchItemResult>();
  let pending = requests;
  for (let retry = 0; pending.length > 0; retry++) {
    const response = await ctx.transport.send({
      method: 'POST',
      path: '/$batch',
      body: { requests: pending.map((r) => ({ id: r.id, method: 'GET', url: r.url, ...(r.headers ? { headers: r.headers } : {}) })) },
      idempotent: true, // every item is a GET
      deadline,
    });
    const answered = new Map(((response.body as BatchResponseBody)?.responses ?? []).map((item) => [item.id, item]));
    const again: BatchGet[] = [];
    let waitMs = 0;
    for (const request of pending) {
      const item = answered.get(request.id);
      const result: BatchItemResult = item
        ? { id: request.id, status: item.status, headers: item.headers ?? {}, body: item.body }
        : { id: request.id, status: 500, headers: {}, body: undefined };
      if (isRetryableStatus(result.status, true) && retry < MAX_RETRIES) {
        again.push(request);
        const itemWait = parseRetryAfter(headerValue(result.headers, 'retry-after'), ctx.clock()) ?? backoffMs(retry + 1);
        waitMs = Math.max(waitMs, itemWait);
      } else {
        results.set(request.id, result);
      }
    }
    if (again.length > 0) {
      ctx.logger.info({ graph: 'POST /$batch', items: again.map((r) => r.id), waitMs, retry: retry + 1 }, 'Graph batch items will be retried');
      await waitWithinDeadline(waitMs, deadline, `the batched reads (${again.map((r) => r.id).join(', ')})`, ctx.clock, ctx.sleep);
    }
    pending = again;
  }
  return results;
}
