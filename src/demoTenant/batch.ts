/**
 * JSON batching (POST /$batch): at most 20 requests with relative URLs,
 * `dependsOn` honoured (a failed dependency answers 424 for its dependents),
 * each item answered with its own {id, status, headers, body}. Items run one
 * after another in dependency order, so an injected random draws in a stable order.
 */
import { badRequest } from './errors';
import type { GraphRequest, GraphResponse } from './router';

export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function validItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null | undefined)?.requests;
  if (!Array.isArray(requests)) throw badRequest("The batch request body must be a JSON object with a 'requests' array.", 'BadRequest');
  if (requests.length === 0) throw badRequest('A batch request must contain at least one request.', 'BadRequest');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(`The batch request contains ${requests.length} requests; the maximum is ${MAX_BATCH_REQUESTS}.`, 'BadRequest');
  }
  const ids = new Set<string>();
  requests.forEach((item: Partial<BatchItem>, index) => {
    if (typeof item?.id !== 'string' || item.id === '') throw badRequest(`Batch request ${index} has no 'id'.`, 'BadRequest');
    if (ids.has(item.id)) throw badRequest(`Batch request id '${item.id}' is used more than once.`, 'BadRequest');
    ids.add(item.id);
    if (typeof item.method !== 'string' || typeof item.url !== 'string') throw badRequest(`Batch request '${item.id}' needs a 'method' and a 'url'.`, 'BadRequest');
    if (item.headers !== undefined && (typeof item.headers !== 'object' || item.headers === null)) throw badRequest(`Batch request '${item.id}' has invalid 'headers'.`, 'BadRequest');
    if (item.dependsOn !== undefined && (!Array.isArray(item.dependsOn) || item.dependsOn.some((dependency) => typeof dependency !== 'string'))) {
      throw badRequest(`Batch request '${item.id}' has an invalid 'dependsOn'.`, 'BadRequest');
    }
  });
  for (const item of requests as BatchItem[]) {
    for (const dependency of item.dependsOn ?? []) {
      if (!ids.has(dependency)) throw badRequest(`Batch request '${item.id}' depends on '${dependency}', which is not in the batch.`, 'BadRequest');
    }
  }
  return requests as BatchItem[];
}

/** Items ordered so that each comes after what it depends on (array order otherwise); a cycle is a 400. */
function executionOrder(items: BatchItem[]): BatchItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const ordered: BatchItem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem) => {
    if (state.get(item.id) === 'done') return;
    if (state.get(item.id) === 'visiting') throw badRequest(`Batch request '${item.id}' is part of a dependsOn cycle.`, 'BadRequest');
    state.set(item.id, 'visiting');
    for (const dependency of item.dependsOn ?? []) visit(byId.get(dependency) as BatchItem);
    state.set(item.id, 'done');
    ordered.push(item);
  };
  items.forEach(visit);
  return ordered;
}

const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

function itemError(id: string, status: number, code: string, message: string): BatchItemResponse {
  return { id, status, headers: { 'Content-Type': JSON_CONTENT_TYPE }, body: { error: { code, message } } };
}

/** The item as a Graph call, or an error message when its URL or body can't be one. */
function toRequest(item: BatchItem, outer: GraphRequest): GraphRequest | string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(item.url)) return 'Batch request URLs must be relative, e.g. "/users/{id}".';
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  if (/^\/(v1\.0|beta)\//i.test(relative)) return 'Batch request URLs are relative to the version: leave out "/v1.0".';
  const url = new URL(relative, 'http://batch.invalid');
  if (url.pathname.toLowerCase() === '/$batch') return 'A batch request cannot contain another $batch.';
  const headers: Record<string, string> = { ...outer.headers };
  delete headers['content-type'];
  for (const [name, value] of Object.entries(item.headers ?? {})) headers[name.toLowerCase()] = String(value);
  let body = item.body;
  if (body !== undefined && body !== null) {
    if (headers['content-type'] === undefined) return 'A batch request with a body must have a Content-Type header.';
    if (typeof body === 'string' && headers['content-type'].includes('json')) {
      try {
        body = JSON.parse(body);
      } catch {
        return 'The batch request body is not valid JSON.';
      }
    }
  }
  return { method: item.method.toUpperCase(), path: url.pathname, query: url.searchParams, headers, body, baseUrl: outer.baseUrl };
}

/** Runs a $batch; `runItem` answers one Graph call (routing, faults and errors included). */
export async function runBatch(outer: GraphRequest, runItem: (request: GraphRequest) => Promise<GraphResponse>): Promise<{ items: number; response: GraphResponse }> {
  const items = validItems(outer.body);
  const responses = new Map<string, BatchItemResponse>();
  for (const item of executionOrder(items)) {
    const failed = (item.dependsOn ?? []).find((dependency) => (responses.get(dependency)?.status ?? 0) >= 400);
    if (failed !== undefined) {
      responses.set(item.id, itemError(item.id, 424, 'FailedDependency', `The request depends on '${failed}', which failed.`));
      continue;
    }
    const request = toRequest(item, outer);
    if (typeof request === 'string') {
      responses.set(item.id, itemError(item.id, 400, 'BadRequest', request));
      continue;
    }
    const answer = await runItem(request);
    const headers: Record<string, string> = { ...(answer.body === undefined ? {} : { 'Content-Type': JSON_CONTENT_TYPE }), ...answer.headers };
    responses.set(item.id, { id: item.id, status: answer.status, headers, ...(answer.body === undefined ? {} : { body: answer.body }) });
  }
  return {
    items: items.length,
    response: { status: 200, body: { responses: items.map((item) => responses.get(item.id) as BatchItemResponse) } },
  };
}

