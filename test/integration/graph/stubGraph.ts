/**
 * A tiny programmable stand-in for Microsoft Graph over real HTTP on loopback: each test says how to
 * answer each request and reads back what arrived. Unanswered GETs in `$batch` are answered by `route` too.
 */
import type http from 'node:http';
import { listenHttp, type Listening } from '../../../src/server';

export interface StubRequest {
  method: string;
  /** Path and query below /v1.0, e.g. `/users/a%40b?$select=id` (as sent). */
  url: string;
  authorization?: string;
  body?: unknown;
}

export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (the client must give up on its own). */
  hang?: boolean;
}

export type Route = (request: StubRequest) => StubAnswer;

export interface StubGraph {
  baseUrl: string;
  /** Every HTTP request that reached the server (batch items are not listed separately). */
  requests: StubRequest[];
  /** Every `$batch` item that reached the server. */
  batchItems: StubRequest[];
  close(): Promise<void>;
}

export const ok = (body: unknown, headers?: Record<string, string>): StubAnswer => ({ status: 200, body, headers });
export const page = (value: unknown[], nextLink?: string): StubAnswer =>
  ok(nextLink ? { value, '@odata.nextLink': nextLink } : { value });
export const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): StubAnswer => ({
  status,
  headers,
  body: { error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': `req-${code}`, 'client-request-id': 'c' } } },
});

export async function startStubGraph(route: Route): Promise<StubGraph> {
  const requests: StubRequest[] = [];
  const batchItems: StubRequest[] = [];
  let baseUrl = '';

  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: StubRequest = {
        method: req.method ?? 'GET',
        url: (req.url ?? '').replace(/^\/v1\.0/, ''),
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      let answer: StubAnswer;
      if (request.method === 'POST' && request.url === '/$batch') {
        const items = (request.body as { requests: Array<{ id: string; method: string; url: string }> }).requests;
        const responses = items.map((item) => {
          const itemRequest: StubRequest = { method: item.method, url: item.url, authorization: request.authorization };
          batchItems.push(itemRequest);
          const a = route(itemRequest);
          return { id: item.id, status: a.status, headers: { 'Content-Type': 'application/json', ...a.headers }, body: a.body };
        });
        answer = ok({ responses });
      } else {
        answer = route(request);
      }
      if (answer.hang) return; // closed by close()
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  };

  const listening: Listening = await listenHttp(listener, '127.0.0.1', 0);
  baseUrl = `${listening.url}/v1.0`;
  return { baseUrl, requests, batchItems, close: () => listening.close() };
}

/** A clock that only moves when the port sleeps: retries are counted, never timed. */
export function fakeTime(start = Date.UTC(2025, 0, 1)) {
  const time = {
    now: start,
    sleeps: [] as number[],
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.sleeps.push(ms);
      time.now += ms;
    },
  };
  return time;
}
