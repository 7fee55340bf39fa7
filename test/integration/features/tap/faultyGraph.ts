/**
 * An HTTP proxy in front of the demo tenant that breaks the TAP calls on
 * demand, for the "never a blind retry" tests. The product's Graph port is
 * pointed at it (a GraphClientPort like the real one, so its retry rules are
 * the ones under test); everything else passes through unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGraphCredential, createGraphPort } from '../../../../src/graph';
import { listenHttp, type Listening } from '../../../../src/server';
import type { Harness } from '../../../support/harness';

export type CreationFault =
  /** The pass is created, but the answer is lost: 503. */
  | 'created-then-503'
  /** The pass is created, but no answer ever comes (the caller's deadline passes). */
  | 'created-then-silence'
  /** Refused before anything happened: 503. */
  | '503-before-creating';

const TAP_COLLECTION = /\/authentication\/temporaryAccessPassMethods$/i;

export class FaultyGraph {
  /** Faults for the next creation POSTs, in order. */
  readonly creationFaults: CreationFault[] = [];
  /** While true, listing a user's passes answers 500 (Graph unreachable for that check). */
  failListing = false;
  creations = 0;
  private listening?: Listening;
  private held: ServerResponse[] = [];

  constructor(private readonly target: string) {}

  get url(): string {
    if (!this.listening) throw new Error('not started');
    return this.listening.url;
  }

  async start(): Promise<this> {
    this.listening = await listenHttp((req, res) => void this.handle(req, res), '127.0.0.1', 0);
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    await this.listening?.close();
  }

  /** Points the running product's Graph port at this proxy (again after a restart). */
  attach(h: Harness, deadlineMs = 2000): void {
    h.helpdesk.deps.graph = createGraphPort({
      baseUrl: `${this.url}/v1.0`,
      credential: createGraphCredential({ kind: 'demo' }),
      tenantId: h.helpdesk.tenantId,
      defaultDeadlineMs: deadlineMs,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (req.method === 'POST' && TAP_COLLECTION.test(path)) {
      this.creations += 1;
      const fault = this.creationFaults.shift();
      if (fault === '503-before-creating') return this.answer(res, 503, { error: { code: 'serviceUnavailable', message: 'Service unavailable' } });
      if (fault) {
        await this.forward(req, Buffer.concat(chunks));
        if (fault === 'created-then-503') return this.answer(res, 503, { error: { code: 'serviceUnavailable', message: 'Service unavailable' } });
        this.held.push(res); // never answered
        return;
      }
    }
    if (req.method === 'GET' && TAP_COLLECTION.test(path) && this.failListing) {
      return this.answer(res, 500, { error: { code: 'generalException', message: 'Internal error' } });
    }
    const forwarded = await this.forward(req, Buffer.concat(chunks));
    res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await forwarded.arrayBuffer()));
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Response> {
    return fetch(`${this.target}${req.url}`, {
      method: req.method,
      headers: { authorization: String(req.headers.authorization ?? ''), 'content-type': String(req.headers['content-type'] ?? 'application/json') },
      ...(body.length > 0 && req.method !== 'GET' ? { body: body.toString('utf8') } : {}),
    });
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
