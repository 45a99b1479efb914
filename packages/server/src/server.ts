/**
 * Assembles the Argus server: store, enrichment, routes, and one HTTP listener that serves
 * OTLP, the API and the web console on one port. `close()` stops accepting connections,
 * lets in-flight requests finish, flushes pending writes, then closes the stores.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Alerting, createAlerting } from './alerts/index.ts';
import { AuditLog } from './audit/audit-log.ts';
import { projectOfRequest, type RequestAuth, setRequestAuth } from './auth/context.ts';
import { createAuthRepositories } from './auth/repositories.ts';
import { auditRequest } from './auth/routes.ts';
import { loadSecretBox, type SecretBox } from './auth/secret-box.ts';
import { AuthService } from './auth/service.ts';
import type { Capability, IngestPath, Running, ServerContext } from './capability.ts';
import type { Config } from './config.ts';
import { preloadTokenizers } from './enrich/index.ts';
import { ArgusError } from './errors.ts';
import { type GrpcServer, startGrpcServer } from './grpc/server.ts';
import { ByteBudget } from './http/body-budget.ts';
import { canonicalUrl } from './http/request-target.ts';
import { errorReply, sendReply } from './http/respond.ts';
import { type RouteInfo, Router } from './http/router.ts';
import {
  type IngestCounters,
  newIngestCounters,
  normalizeContextOf,
  writeSpans,
} from './ingest/ingest-signal.ts';
import { langsmithModule } from './langsmith/module.ts';
import type { LangsmithReceiver } from './langsmith/routes.ts';
import type { Logger } from './logger.ts';
import { createServerMetrics, type ServerMetrics } from './metrics/index.ts';
import { MODULES } from './modules.ts';
import { normalizeTraces } from './normalize/index.ts';
import { createPricingService, type PricingService } from './pricing/service.ts';
import { createQuality, type Quality } from './quality/service.ts';
import { createSpanPipeline, resolveHashKey } from './redact/pipeline.ts';
import { createProjectPolicies, type ProjectPolicies } from './redact/project-policies.ts';
import { type OpenStoreOptions, openStore, type Store } from './store/index.ts';
import { ARGUS_VERSION } from './version.ts';

/** A running server. */
export interface ArgusServer {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  /** OTLP/gRPC base URL, e.g. `http://127.0.0.1:4317`; undefined when gRPC is off (`grpcPort` 0). */
  readonly grpcUrl: string | undefined;
  /** Base URL of the gateway-only listener (`gatewayPort`); undefined when there is none. */
  readonly gatewayUrl: string | undefined;
  readonly store: Store;
  readonly counters: IngestCounters;
  readonly pricing: PricingService;
  /** The LangSmith run API (its counters and held runs). */
  readonly langsmith: LangsmithReceiver;
  /** The Prometheus metrics served at /metrics. */
  readonly metrics: ServerMetrics;
  /** Alert rules, evaluator and notifications. */
  readonly alerting: Alerting;
  /** Per-project redaction policies (their redactors, as the ingest path uses them). */
  readonly redaction: ProjectPolicies;
  /** Authentication, API keys, users and the audit log. */
  readonly auth: AuthService;
  /** LLM connections, datasets and evaluators (src/quality). */
  readonly quality: Quality;
  /** Every HTTP route with the access level it declares (what the dispatcher enforces). */
  readonly routes: readonly RouteInfo[];
  /** The administrator created at this start (first start with auth on); `password` when generated. */
  readonly bootstrapAdmin: { username: string; password?: string } | undefined;
  /** Graceful shutdown: finish requests, flush writes, close stores. */
  close(): Promise<void>;
}

/** Starts a server with a configuration. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: OpenStoreOptions = {},
): Promise<ArgusServer> {
  const metrics = createServerMetrics({ version: ARGUS_VERSION, logger });
  const store = await openStore(config, {
    onInsert: metrics.observeInsert,
    // The engine's own words go to the log only; clients read Argus's message (engine-errors.ts).
    onInsertError: (table, error, rows) =>
      logger.error('insert failed', { table, rows, error: String((error as Error)?.message ?? error) }),
    onDamage: (message, detail) => logger.warn(message, detail),
    onWal: (message, detail) => logger.warn(message, detail),
    ...options,
  });
  try {
    return await assemble(config, logger, store, metrics);
  } catch (error) {
    // A start that fails half-way (a port in use, a wrong secret key) leaves nothing open.
    await store.close().catch(() => {});
    throw error;
  }
}

/** Everything after the store is open: the shared services, the capabilities, the listeners. */
async function assemble(
  config: Config,
  logger: Logger,
  store: Store,
  metrics: ServerMetrics,
): Promise<ArgusServer> {
  let baseUrl = '';
  const { ctx, bootstrapAdmin } = await createContext(config, logger, store, metrics, () => baseUrl);
  const running: Array<{ module: Capability; running: Running }> = [];
  const stopAll = () => stopModules(running, logger);
  try {
    for (const module of MODULES) running.push({ module, running: (await module.register(ctx)) ?? {} });
  } catch (error) {
    await stopAll();
    ctx.redaction.close();
    throw error;
  }
  const listener = createListener(ctx, { port: config.port });
  const gateway =
    config.gatewayPort === undefined
      ? undefined
      : createListener(ctx, { port: config.gatewayPort, onlyPrefix: GATEWAY_PREFIX });
  let grpc: GrpcServer | undefined;
  try {
    await listener.listen();
    await listenGateway(gateway, config);
    grpc = await startGrpc(ctx);
  } catch (error) {
    await Promise.all([listener.close(), gateway?.close()]);
    await stopAll();
    ctx.redaction.close();
    throw error;
  }
  baseUrl = listener.url;
  for (const entry of running) await entry.running.start?.();
  const apiOf = <Api>(module: Capability<Api>) =>
    running.find((entry) => entry.module === module)?.running.api as Api;
  let closed: Promise<void> | undefined;
  return {
    url: listener.url,
    port: listener.port,
    grpcUrl: grpc?.url,
    gatewayUrl: gateway?.url,
    store,
    counters: ctx.ingest.counters,
    pricing: ctx.pricing,
    metrics,
    langsmith: apiOf(langsmithModule),
    alerting: ctx.alerting,
    redaction: ctx.redaction,
    auth: ctx.auth,
    quality: ctx.quality,
    routes: ctx.router.routes(),
    bootstrapAdmin,
    close() {
      closed ??= (async () => {
        await Promise.all([listener.close(), gateway?.close(), grpc?.close(10_000)]);
        // In reverse order: held LangSmith runs are written as incomplete, experiment calls in flight
        // store their results, the alert evaluator and the retention sweeper stop — all before the stores close.
        await stopAll();
        ctx.redaction.close();
        await store.close();
      })();
      return closed;
    },
  };
}

/** Builds the services every capability shares (pricing, redaction, auth, secrets, quality, alerting). */
async function createContext(
  config: Config,
  logger: Logger,
  store: Store,
  metrics: ServerMetrics,
  baseUrl: () => string,
): Promise<{ ctx: ServerContext; bootstrapAdmin: ArgusServer['bootstrapAdmin'] }> {
  const counters = newIngestCounters();
  metrics.attach({ counters, writerStats: store.writer.stats, driver: store.driver });
  const pricing = await createPricingService(store.metadata);
  const redaction = await createRedaction(config, store, logger);
  const { enrichSpan, redactLog } = createSpanPipeline({
    enrich: pricing.enrichSpan,
    redactorFor: config.redaction === 'off' ? undefined : redaction.redactorFor,
  });
  // Load the tokenizer ranks now (~0.8 s) rather than stalling the first request that needs an estimate.
  preloadTokenizers();
  const audit = new AuditLog(store.metadata.sql);
  const auth = new AuthService({ repos: createAuthRepositories(store.metadata.sql), audit, config, logger });
  const bootstrapAdmin = await auth.bootstrap();
  // Every request is authenticated by the dispatcher (createListener), which records its project and
  // role (auth/context.ts); routes read the project through `projectOf`.
  const projectOf = projectOfRequest;
  const ingest: IngestPath = {
    config,
    store,
    logger,
    enrichSpan,
    redactLog,
    observeSpans: metrics.observeSpans,
    bodyBudget: new ByteBudget(config.maxInflightBodyBytes),
    projectOf,
    counters,
  };
  // Channel webhook keys, Slack URLs, SMTP passwords and LLM connection keys are sealed with a key
  // kept outside the metadata database (auth/secret-box.ts).
  const secretBox = await loadSecretBox({
    configured: config.secretKey,
    dataDir: config.dataDirAbsolute,
    metadata: store.metadata,
  });
  const writeSpansOf: ServerContext['writeSpans'] = (spans) => writeSpans(spans, ingest);
  const writeTraces: ServerContext['writeTraces'] = async (projectId, request) => {
    const { spans } = normalizeTraces(request, normalizeContextOf(config, projectId));
    await writeSpans(spans, ingest);
  };
  const alerting = await createAlertingService(config, store, logger, secretBox);
  const ctx: ServerContext = {
    config,
    logger,
    store,
    metrics,
    router: new Router(),
    startedAt: new Date(),
    version: ARGUS_VERSION,
    projectOf,
    auth,
    audit,
    recordChange: (request, entry) => auditRequest(auth, request, entry),
    secretBox,
    pricing,
    redaction,
    ingest,
    writeSpans: writeSpansOf,
    writeTraces,
    // Judge and embedding calls are traced into the project through the ingest write path.
    quality: createQuality({ sql: store.metadata.sql, secretBox, config, writeTraces }),
    alerting,
    baseUrl,
  };
  return { ctx, bootstrapAdmin };
}

/**
 * Per-project redaction policies. Redaction runs before pricing for every span of every ingest path,
 * with the policy of the span's project (docs/security.md). With `--redaction off` nothing is redacted
 * and no hash key is stored; the settings API still works (its dry run then hashes with a key of this
 * process only).
 */
async function createRedaction(config: Config, store: Store, logger: Logger): Promise<ProjectPolicies> {
  const redactionOff = config.redaction === 'off';
  return createProjectPolicies({
    metadata: store.metadata,
    hashKey: redactionOff
      ? (config.redactionHashKey ?? randomBytes(32).toString('hex'))
      : await resolveHashKey(config.redactionHashKey, store.metadata),
    globallyOff: redactionOff,
    logger,
  });
}

/** Alert rules, evaluator and notifications; channel secrets once stored in plain text are sealed now. */
async function createAlertingService(
  config: Config,
  store: Store,
  logger: Logger,
  secretBox: SecretBox,
): Promise<Alerting> {
  const alerting = createAlerting({
    metadata: store.metadata,
    driver: store.driver,
    logger,
    intervalMs: config.alertsIntervalMs,
    secretBox,
  });
  const sealed = await alerting.repo.sealPlaintextChannels();
  if (sealed > 0) logger.info('alerts: sealed channel secrets stored in plain text', { channels: sealed });
  return alerting;
}

/** Stops the registered capabilities in reverse order; one failing stop does not keep the others running. */
async function stopModules(running: Array<{ module: Capability; running: Running }>, logger: Logger) {
  for (const { module, running: handle } of running.toReversed()) {
    try {
      await handle.stop?.();
    } catch (error) {
      logger.warn('a capability did not stop cleanly', { capability: module.name, error: String(error) });
    }
  }
}

/** The paths a gateway-only listener serves (`gatewayPort`). */
const GATEWAY_PREFIX = '/gateway/';

/** Listens on the gateway-only port, if any; a port in use names the option. */
async function listenGateway(gateway: ReturnType<typeof createListener> | undefined, config: Config) {
  if (!gateway) return;
  try {
    await gateway.listen();
  } catch (error) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Cannot listen for the gateway on ${config.host}:${config.gatewayPort} (${(error as Error).message}): pick another --gateway-port, or leave it unset (the main port serves the gateway too)`,
      { cause: error },
    );
  }
}

/**
 * An HTTP listener: one dispatcher that canonicalises, routes, authenticates, then calls the
 * handler. `onlyPrefix` limits it to the routes under a path (the gateway-only port).
 */
function createListener(ctx: ServerContext, options: { port: number; onlyPrefix?: string }) {
  const { config, logger, router, auth } = ctx;
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
      const { match, url } = route(request);
      let authenticated: RequestAuth | undefined;
      try {
        authenticated = await auth.authenticate(request, url, match.access);
      } catch (error) {
        request.resume();
        throw error;
      }
      if (authenticated) setRequestAuth(request, authenticated);
      const reply = await match.handler({ request, url, params: match.params });
      sendReply(response, reply, isHead);
    } catch (error) {
      if (!response.headersSent) sendReply(response, errorReply(error, logger), isHead);
      else response.destroy();
    }
  }

  /**
   * One canonical path (http/request-target.ts) for routing and for the access check: the level is
   * the matched route's own, so no spelling of a path borrows another's.
   */
  function route(request: IncomingMessage) {
    let url: URL;
    try {
      url = canonicalUrl(request.url);
    } catch (error) {
      request.resume();
      throw error;
    }
    if (options.onlyPrefix !== undefined && !url.pathname.startsWith(options.onlyPrefix)) {
      request.resume();
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot find '${url.pathname}': this port serves only the gateway (${options.onlyPrefix}…); the API and the console are on the main port`,
      );
    }
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
    return { match, url };
  }

  const listener = {
    url: '',
    port: 0,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      listener.url = `http://${host}:${address.port}`;
      listener.port = address.port;
    },
    /** Stops accepting, lets requests in flight finish (10 s at most), then closes every connection. */
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await stopped;
    },
  };
  return listener;
}

/** The OTLP/gRPC listener, unless `--grpc-port 0`. */
async function startGrpc(ctx: ServerContext): Promise<GrpcServer | undefined> {
  const { config, auth } = ctx;
  if (config.grpcPort <= 0) return undefined;
  try {
    return await startGrpcServer(config.host, config.grpcPort, {
      ...ctx.ingest,
      projectOf: (headers) => auth.authenticateIngestHeaders(headers),
    });
  } catch (error) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Cannot listen for OTLP/gRPC on ${config.host}:${config.grpcPort} (${(error as Error).message}): pick another --grpc-port, or 0 to turn gRPC off`,
      { cause: error },
    );
  }
}
