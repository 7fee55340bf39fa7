/**
 * A local stand-in for the Bot Connector service (the activity's serviceUrl):
 * it captures what the bot sends — replies, proactive messages, new channel
 * threads and card updates — as a real connector would receive them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp, type Listening } from '../../src/server';

export interface CapturedCall {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  conversationId: string;
  /** For replies: the activity replied to; for updates: the activity replaced. */
  activityId?: string;
  body: any;
  /** The id the stand-in assigned to a created activity. */
  assignedId?: string;
  /** The Authorization header the bot sent (tenant mode: its Bot Connector token). */
  authorization?: string;
}

export class ConnectorStandIn {
  readonly calls: CapturedCall[] = [];
  private listening?: Listening;
  private waiters: Array<{ predicate: (c: CapturedCall) => boolean; resolve: (c: CapturedCall) => void }> = [];
  private holding?: (body: any) => boolean;
  private readonly heldCalls: Array<{ res: ServerResponse; body: any; answer: () => void }> = [];

  get serviceUrl(): string {
    if (!this.listening) throw new Error('connector stand-in not started');
    return `${this.listening.url}/`;
  }

  async start(): Promise<this> {
    this.listening = await listenHttp((req, res) => void this.handle(req, res), '127.0.0.1', 0);
    return this;
  }

  async stop(): Promise<void> {
    await this.listening?.close();
  }

  /** Activities sent (POST) to a conversation, in order. */
  sent(conversationId?: string): any[] {
    return this.calls.filter((c) => c.method === 'POST' && c.body?.type && (!conversationId || c.conversationId === conversationId)).map((c) => c.body);
  }

  updates(): CapturedCall[] {
    return this.calls.filter((c) => c.method === 'PUT');
  }

  /** Resolves with the first call (past or future) matching the predicate. */
  waitFor(predicate: (c: CapturedCall) => boolean, timeoutMs = 5000): Promise<CapturedCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connector stand-in: expected call did not arrive')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  clear(): void {
    this.calls.length = 0;
  }

  /**
   * A connector that hangs: requests whose body matches stay unanswered and unrecorded until release()
   * (a sender killed meanwhile never delivered them). Lets a test catch a job in the middle of its run.
   */
  hold(predicate: (body: any) => boolean): void {
    this.holding = predicate;
  }

  /** The bodies of requests held now (their senders still waiting). */
  held(): any[] {
    return this.heldCalls.filter((h) => !h.res.destroyed).map((h) => h.body);
  }

  /** Stops holding; held requests whose sender is still connected are answered (and recorded) now. */
  release(): void {
    this.holding = undefined;
    for (const { res, answer } of this.heldCalls.splice(0)) if (!res.destroyed) answer();
  }

  // (restify patches http.ServerResponse globally, so writeHead() can't be chained.)
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    const url = new URL(req.url ?? '/', 'http://connector');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v3/conversations                          → create conversation (new channel thread / 1:1)
    // /v3/conversations/{id}/activities[/{aid}]   → send / reply / update / delete
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      res.writeHead(404);
      res.end();
      return;
    }
    if (parts.length === 2 && req.method === 'POST') {
      // Like Teams: a channel thread's conversation id names its root post.
      const assignedId = String(1_700_000_000_000 + this.calls.length);
      const conversationId = `${body?.channelData?.channel?.id ?? 'conv'};messageid=${assignedId}`;
      const call: CapturedCall = { method: 'POST', path: url.pathname, conversationId, body: body?.activity ? { ...body.activity, conversation: { id: conversationId } } : body, assignedId, authorization: req.headers.authorization };
      this.record(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: conversationId, activityId: assignedId }));
      return;
    }
    const conversationId = parts[2];
    const activityId = parts[4];
    const assignedId = req.method === 'POST' ? randomUUID() : activityId;
    const answer = () => {
      this.record({ method: req.method as CapturedCall['method'], path: url.pathname, conversationId, activityId, body, assignedId, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: assignedId }));
    };
    if (this.holding?.(body)) this.heldCalls.push({ res, body, answer });
    else answer();
  }

  private record(call: CapturedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(call)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  }
}
