import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRuncastError } from '@runcast/core';
import type { Durability, Store } from '@runcast/db';
import type { IngestEvent } from '@runcast/ingest';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { resolveStore } from './caller';
import { fromStoreError, httpStatusFor, RETRY_AFTER_SECONDS } from './errors';
import { authenticateRequest, QUERY_TOKEN_PATH } from './http/authenticate';
import { exportSeries } from './http/export-series';
import { handlePush } from './http/handle-push';
import { isLoopbackHost, parseHostHeader } from './http/host-header';
import { DEFAULT_BODY_LIMIT } from './http/read-body';
import { sendError, sendJson } from './http/send-json';
import { decodePath, serveStatic } from './http/serve-static';
import type { FitPool } from './pool/fit-pool';
import { appRouter } from './root';
import { createServices, type Services } from './services/create-services';
import type { RateLimit } from './services/rate-limiter';

export interface CreateServerOptions {
  /** A store path (opened and migrated, closed on close()) or an open handle (left open). */
  db: string | Store;
  migrationsFolder?: string;
  /** synchronous=NORMAL (default) or FULL for a store opened from a path (see openDb). */
  durability?: Durability;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 4600; 0 picks a free port. */
  port?: number;
  /** Reads without a token even when bound to a non-loopback address. */
  publicRead?: boolean;
  /** The dashboard build to serve at / (apps/dashboard/dist); null serves a placeholder page. */
  dashboardDir?: string | null;
  /** Request body limit in bytes (push and tRPC), default 8 MiB. */
  bodyLimit?: number;
  pushRate?: RateLimit;
  /** Heavy reads (forecasts, backtests, decisions, scaling) per token or client (rate-limiter.ts). */
  readRate?: RateLimit;
  /**
   * Where fits run (pool/fit-pool.ts): `runcast serve` hands in its worker pool; default in-thread.
   * The caller owns it (close it after the server).
   */
  fitPool?: FitPool;
  /** What the change log keeps for live-stream resumption (default EVENTS_RETENTION). */
  eventsRetention?: { maxAgeMs: number; keep: number };
  /** Folders or files of logs to ingest and tail while serving. */
  watch?: readonly string[];
  /**
   * A run the watcher marked running whose files have not grown for this many ms goes back to
   * 'unknown' (default 10 min).
   */
  staleAfterMs?: number;
  /** Watcher problems and progress (default: errors to stderr). */
  onIngestEvent?: (event: IngestEvent) => void;
  /**
   * Calibrate the bands on the store's finished runs in the background (calibration-service.ts):
   * `delayMs` after start, `afterWritesMs` after this process's writes (throttled: new points while
   * one is pending do not postpone it), and every 5 minutes for writes by other processes; a refresh
   * whose finished runs did not change does nothing. Default { delayMs: 2000, afterWritesMs: 30000 };
   * false disables.
   */
  calibration?: false | { delayMs?: number; afterWritesMs?: number };
  /**
   * A request (headers and body) must arrive within this many ms, else 408 and the connection
   * is closed: a client trickling a body (slow loris) cannot hold a connection. Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Open connections at most (more are refused until some close). Default 512. */
  maxConnections?: number;
  /** Services to reuse (e.g. shared with a watcher or demo already running in this process). */
  services?: Services;
}

export interface RuncastServer {
  url: string;
  host: string;
  port: number;
  services: Services;
  /** Stops accepting requests, ends live streams, and closes the store if it opened it. */
  close(): Promise<void>;
  /** Called (awaited) by close() before the store is closed: stop watchers, flush ingest. */
  onClose(hook: () => void | Promise<void>): void;
}

/** Whether the request's Host header is exactly a loopback name or address (optional port). */
function isLoopbackRequest(req: IncomingMessage): boolean {
  const host = parseHostHeader(req.headers.host);
  return host.kind === 'host' && host.loopback;
}

/** How long after a write the runs page's summary index catches up in the background. */
const INDEX_CATCH_UP_MS = 1000;

const EXPORT_PATH = /^\/api\/v1\/runs\/(\d+)\/series\/(.+)\.(csv|jsonl)$/;

/**
 * The Runcast HTTP server: tRPC at /trpc (queries, mutations, SSE subscriptions), GET /healthz,
 * POST /api/v1/push, series export, and the dashboard's static files with SPA fallback.
 */
export async function createServer(options: CreateServerOptions): Promise<RuncastServer> {
  const ownsDb = typeof options.db === 'string';
  const db = resolveStore(options);
  const services =
    options.services ??
    createServices({
      db,
      ...(options.pushRate ? { pushRate: options.pushRate } : {}),
      ...(options.readRate ? { readRate: options.readRate } : {}),
      ...(options.fitPool ? { fitPool: options.fitPool } : {}),
    });
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const publicRead = options.publicRead === true;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const authOf = (req: IncomingMessage) =>
    authenticateRequest({
      req,
      tokens: services.tokens,
      // Loopback reads are open to this machine only: a page whose DNS name was re-pointed at
      // 127.0.0.1 (DNS rebinding) still sends its own name as Host, so it needs a token.
      openReads: publicRead || (loopback && isLoopbackRequest(req)),
    });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: bodyLimit,
    createContext: async ({ req }) => ({
      services,
      auth: await authOf(req),
      client: req.socket.remoteAddress ?? 'unknown',
    }),
    // A refusal for load (rate limit, full fit queue, a store busy with another process's
    // writes) says when to come back.
    responseMeta: ({ errors }) =>
      errors.some((e) => e.code === 'TOO_MANY_REQUESTS' || e.code === 'SERVICE_UNAVAILABLE')
        ? { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }
        : {},
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`runcast: ${path ?? '?'}: ${error.message}`);
      }
    },
  });

  const closing = new AbortController();
  const hooks: (() => void | Promise<void>)[] = [];

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = parseHostHeader(req.headers.host);
    if (hostHeader.kind === 'malformed') {
      res.setHeader('connection', 'close');
      sendError(res, 400, { code: 'INVALID_INPUT', message: hostHeader.reason, field: 'host' });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400, { code: 'INVALID_INPUT', message: 'malformed request target' });
      return;
    }
    const path = url.pathname;
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      // A subscription refused inside tRPC still answers 200 (the error travels in the stream):
      // refuse the live stream here with a real 401, which EventSource reports as an error.
      if (path === QUERY_TOKEN_PATH && !(await authOf(req)).read) {
        sendError(res, 401, {
          code: 'UNAUTHORIZED',
          message: 'the live stream needs a read token',
        });
        return;
      }
      trpc(req, res);
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, {
        ok: true,
        service: 'runcast',
        uptimeSeconds: Math.round(process.uptime()),
      });
      return;
    }
    if (path === '/api/v1/push') {
      if (req.method !== 'POST') {
        sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'POST only' });
        return;
      }
      await handlePush({ req, res, auth: await authOf(req), services, bodyLimit });
      return;
    }
    const exportMatch = EXPORT_PATH.exec(path);
    if (exportMatch) {
      if (!(await authOf(req)).read) {
        sendError(res, 401, { code: 'UNAUTHORIZED', message: 'reads need an API token here' });
        return;
      }
      const key = decodePath(exportMatch[2]!);
      if (key === null) {
        sendError(res, 400, {
          code: 'INVALID_INPUT',
          message: 'malformed percent-encoding in path',
        });
        return;
      }
      await exportSeries({
        db,
        res,
        runId: Number(exportMatch[1]),
        key,
        format: exportMatch[3] as 'csv' | 'jsonl',
      });
      return;
    }
    if (path.startsWith('/api/')) {
      sendError(res, 404, { code: 'NOT_FOUND', message: `no endpoint ${path}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'GET only' });
      return;
    }
    serveStatic(options.dashboardDir ?? null, req, res);
  }

  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const server = createHttpServer(
    {
      requestTimeout,
      headersTimeout: Math.min(10_000, requestTimeout),
      // How often timeouts are checked (Node's default, 30 s, would let a slow client stay longer).
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    (req, res) => {
      route(req, res).catch((thrown: unknown) => {
        const e = fromStoreError(thrown);
        if (isRuncastError(e)) {
          sendError(res, httpStatusFor(e), { code: e.code, message: e.message });
        } else {
          console.error('runcast: request failed:', e);
          sendError(res, 500, { code: 'INTERNAL', message: (e as Error).message });
        }
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = options.maxConnections ?? 512;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4600, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (options.watch && options.watch.length > 0) {
    services.ingest.watchPaths({
      paths: options.watch,
      ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
      onEvent:
        options.onIngestEvent ??
        ((event) => {
          if (event.type === 'error')
            console.error(`runcast: watch: ${event.path ?? ''} ${event.message}`);
        }),
    });
  }
  hooks.push(services.runs.warmPlans());
  // The change log is pruned at start and every 5 minutes (live-service.ts EVENTS_RETENTION).
  const pruneEvents = async () => {
    try {
      await services.live.prune(options.eventsRetention);
    } catch (e) {
      console.error(`runcast: pruning the change log failed: ${(e as Error).message}`);
    }
  };
  await pruneEvents();
  const pruneTimer = setInterval(pruneEvents, 5 * 60_000);
  pruneTimer.unref();
  hooks.push(() => clearInterval(pruneTimer));
  // Writes by other servers on the same store wake this one's live streams at once (PostgreSQL
  // LISTEN/NOTIFY); on SQLite the streams poll the events table.
  const unsubscribe = await db.events.subscribe(() => services.bus.notify());
  hooks.push(unsubscribe);
  // The runs page's summary index follows the writes a second after them (incrementally: the
  // runs the new events name), so the first page read after a burst of pushes is not the one
  // that summarizes them all.
  void (async () => {
    while (!closing.signal.aborted) {
      await services.bus.wait(5 * 60_000, closing.signal);
      await sleep(INDEX_CATCH_UP_MS, undefined, { signal: closing.signal }).catch(() => undefined);
      if (closing.signal.aborted) break;
      // A store closing or busy: the next page read catches up instead.
      await services.runs.refreshIndex().catch(() => undefined);
    }
  })();
  if (options.calibration !== false) {
    const delayMs = options.calibration?.afterWritesMs ?? 30_000;
    services.calibration.schedule(options.calibration?.delayMs ?? 2_000);
    void (async () => {
      while (!closing.signal.aborted) {
        await services.bus.wait(5 * 60_000, closing.signal);
        if (!closing.signal.aborted) services.calibration.schedule(delayMs);
      }
    })();
    hooks.push(() => services.calibration.stop());
  }
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host;

  let closed: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    services,
    onClose(hook) {
      hooks.push(hook);
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Live streams (SSE) never go idle: give in-flight requests a moment, then cut them.
          setTimeout(() => server.closeAllConnections(), 1_000).unref();
        });
        for (const hook of hooks) await hook();
        await services.ingest.closeAll();
        services.bus.notify();
        if (ownsDb) await db.close();
      })();
      return closed;
    },
  };
}
