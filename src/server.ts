/**
 * The HTTP edge: the only module that listens on a socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { INVALID_ACTIVITY, parseActivity } from './activitySchema';

/** What the edge needs of the Bot Framework adapter (src/bot/adapter.ts): authenticate, then run the turn. */
export interface ActivityProcessor {
  processValidated(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined>;
}

export interface Listening {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a plain Node request listener (the demo tenant, test stand-ins) on host:port (0 = any free port). */
export function listenHttp(listener: http.RequestListener, host: string, port: number): Promise<Listening> {
  const server = http.createServer(listener);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}


export interface BotServerOptions {
  host: string;
  port: number;
  maxRequestBytes: number;
  adapter: ActivityProcessor;
  /** Runs one turn (the teams-ai Application). */
  runTurn: (context: TurnContext) => Promise<unknown>;
  /** Decides before any bot code runs whether an activity may enter (tenant check). */
  admit: (activity: unknown) => { ok: true } | { ok: false; reason: string };
  health: () => Promise<{ ok: boolean; [check: string]: unknown }>;
  /** GET /readyz: may this instance take traffic (storage migrated; tenant mode: a Graph token acquired)? */
  ready?: () => Promise<{ ready: boolean; [check: string]: unknown }>;
  logger: Logger;
}

/** The bot's edge: a listening server that can also drain (graceful shutdown). */
export interface BotListening extends Listening {
  /**
   * Stops taking activities (new ones get 503, /readyz says not ready), stops accepting connections,
   * and waits up to `timeoutMs` for the turns in flight; then closes every connection.
   */
  drain(timeoutMs: number): Promise<{ finished: boolean; abandoned: number }>;
}

/**
 * The bot's HTTP edge: POST /api/messages (Bot Framework) and GET /healthz.
 * Bad input gets a clear 4xx and never reaches the bot.
 */
export async function startBotServer(options: BotServerOptions): Promise<BotListening> {
  const { adapter, logger } = options;
  // Graceful shutdown: turns in flight are counted so a drain can wait for them.
  let draining = false;
  let inFlight = 0;
  let idle: Array<() => void> = [];
  const turnEnded = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const wake of idle) wake();
      idle = [];
    }
  };
  const server = restify.createServer({ name: 'passkey-helpdesk', handleUncaughtExceptions: false });

  const requireJson: restify.RequestHandler = (req, res, next) => {
    const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      res.send(415, { error: 'unsupported-media-type', message: 'POST /api/messages expects Content-Type: application/json' });
      return next(false);
    }
    return next();
  };
  const parseJson = restify.plugins.jsonBodyParser({ mapParams: false });
  const readBody = restify.plugins.bodyReader({ maxBodySize: options.maxRequestBytes });

  const refuseWhileDraining: restify.RequestHandler = (_req, res, next) => {
    if (!draining) return next();
    // Nothing of the activity was read or done: the channel may deliver it again to another instance.
    res.header('Retry-After', '5');
    res.header('Connection', 'close');
    res.send(503, { error: 'shutting-down', message: 'This instance is shutting down; retry shortly.' });
    return next(false);
  };

  server.post('/api/messages', refuseWhileDraining, requireJson, readBody, parseJson, async (req: restify.Request, res: restify.Response) => {
    inFlight += 1;
    try {
      await handleActivity(req, res);
    } finally {
      turnEnded();
    }
  });

  const handleActivity = async (req: restify.Request, res: restify.Response) => {
    // The shape first (zod, src/activitySchema.ts): a malformed activity never reaches the adapter.
    const activity = parseActivity(req.body);
    if (!activity) {
      const body = req.body as { type?: unknown } | undefined;
      logger.warn({ activityType: typeof body?.type === 'string' ? body.type.slice(0, 64) : typeof body }, 'invalid activity refused');
      res.send(400, INVALID_ACTIVITY);
      return;
    }
    const admission = options.admit(activity);
    if (!admission.ok) {
      logger.warn({ reason: admission.reason, activityType: activity.type }, 'activity refused');
      res.send(403, { error: 'forbidden', message: 'This bot does not accept activities from this tenant.' });
      return;
    }
    // processActivity, not process(): process() prints errors with console.error and puts their text in the 500 body.
    const authorization = req.header('authorization') ?? '';
    try {
      const invokeResponse = await adapter.processValidated(authorization, activity, (context) => options.runTurn(context).then(() => undefined));
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.status ?? 200, invokeResponse.body);
      else res.send(invokeResponse?.status ?? 200);
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 401) {
        logger.warn({ err: error }, 'activity not authenticated');
        if (!res.headersSent) res.send(401, { error: 'unauthorized' });
        return;
      }
      logger.error({ err: error, activityType: activity.type }, 'turn failed');
      if (!res.headersSent) res.send(500, { error: 'internal', message: 'The bot could not process this activity.' });
    }
  };

  // The Agents Playground probes the endpoint with HEAD on start-up.
  server.head('/api/messages', async (_req: restify.Request, res: restify.Response) => {
    res.send(200);
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const report = await options.health().catch((error: Error) => ({ ok: false, error: error.message }));
    res.send(report.ok ? 200 : 503, report);
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    if (draining) {
      res.send(503, { ready: false, reason: 'shutting down' });
      return;
    }
    const report = options.ready ? await options.ready().catch(() => ({ ready: false })) : { ready: true };
    res.send(report.ready ? 200 : 503, report);
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, error: Error & { statusCode?: number }, callback: () => void) => {
    logger.warn({ status: error.statusCode, path: req.path(), message: error.message }, 'request rejected');
    // The parser's message ("Invalid JSON: … at position 19") is for the log, not the client.
    const body = error.statusCode === 400 ? INVALID_ACTIVITY : error.statusCode === 413 ? { error: 'request too large' } : { error: 'request refused' };
    (error as Error & { toJSON?: () => unknown }).toJSON = () => body;
    return callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const closed = new Promise<void>((done) => server.server.once('close', () => done()));
  let drained: Promise<{ finished: boolean; abandoned: number }> | undefined;
  const drain = (timeoutMs: number) => (drained ??= drainOnce(timeoutMs));
  const drainOnce = async (timeoutMs: number) => {
    draining = true;
    // No new connections; requests on open keep-alive connections get the 503 above.
    server.server.close();
    server.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const finished =
      inFlight === 0 ||
      (await new Promise<boolean>((resolve) => {
        idle.push(() => resolve(true));
        timer = setTimeout(() => resolve(false), timeoutMs);
      }));
    if (timer) clearTimeout(timer);
    const abandoned = inFlight;
    server.server.closeAllConnections();
    await closed;
    return { finished, abandoned };
  };
  return {
    url: `http://${options.host}:${address.port}`,
    port: address.port,
    drain,
    close: async () => {
      await drain(0);
    },
  };
}
