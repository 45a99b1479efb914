/**
 * Assembles the Argus server: store, enrichment, routes, and one HTTP listener that serves
 * OTLP, the API (and later the console) on one port. `close()` stops accepting connections,
 * lets in-flight requests finish, flushes pending writes, then closes the stores.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerApiRoutes } from './api/routes.ts';
import type { Config } from './config.ts';
import { preloadTokenizers } from './enrich/index.ts';
import { ArgusError } from './errors.ts';
import { errorReply, sendReply } from './http/respond.ts';
import { Router } from './http/router.ts';
import { type IngestCounters, newIngestCounters, registerOtlpRoutes } from './ingest/otlp-routes.ts';
import type { Logger } from './logger.ts';
import { createPricingService, type PricingService } from './pricing/service.ts';
import { type OpenStoreOptions, openStore, type Store } from './store/index.ts';
import { ARGUS_VERSION } from './version.ts';

/** A running server. */
export interface ArgusServer {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly counters: IngestCounters;
  readonly pricing: PricingService;
  /** Graceful shutdown: finish requests, flush writes, close stores. */
  close(): Promise<void>;
}

/** Starts a server with a configuration. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: OpenStoreOptions = {},
): Promise<ArgusServer> {
  const store = await openStore(config, options);
  const startedAt = new Date();
  const counters = newIngestCounters();
  const pricing = await createPricingService(store.metadata);
  // Load the tokenizer ranks now (~0.8 s) rather than stalling the first request that needs an estimate.
  preloadTokenizers();
  // Projects and authentication arrive with governance; until then everything is `default`.
  const projectOf = (_request: IncomingMessage) => 'default';
  const router = new Router();
  registerOtlpRoutes(router, { config, store, logger, enrichSpan: pricing.enrichSpan, projectOf, counters });
  registerApiRoutes(router, { store, config, projectOf, startedAt, version: ARGUS_VERSION });
  pricing.registerRoutes(router, projectOf);

  let inFlight = 0;
  let closing = false;
  const server = http.createServer(
    { keepAliveTimeout: 5_000, requestTimeout: 60_000 },
    (request, response) => {
      inFlight++;
      response.on('close', () => inFlight--);
      void dispatch(request, response);
    },
  );

  async function dispatch(request: IncomingMessage, response: http.ServerResponse): Promise<void> {
    const isHead = request.method === 'HEAD';
    try {
      if (closing) {
        request.resume();
        throw new ArgusError('SHUTTING_DOWN', 'Cannot serve the request: the server is shutting down', {
          retryAfterSeconds: 5,
        });
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = router.match(request.method ?? 'GET', url.pathname);
      if (match === undefined) {
        request.resume();
        throw new ArgusError('NOT_FOUND', `Cannot find '${url.pathname}': no such route`);
      }
      if (match === 'method') {
        request.resume();
        throw new ArgusError(
          'METHOD_NOT_ALLOWED',
          `Cannot ${request.method} '${url.pathname}': method not allowed`,
        );
      }
      const reply = await match.handler({ request, url, params: match.params });
      sendReply(response, reply, isHead);
    } catch (error) {
      if (!response.headersSent) sendReply(response, errorReply(error, logger), isHead);
      else response.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    counters,
    pricing,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = Date.now() + 10_000;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await stopped;
        await store.close();
      })();
      return closed;
    },
  };
}
