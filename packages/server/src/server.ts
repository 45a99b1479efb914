/**
 * Assembles the Argus server: store, enrichment, routes, and one HTTP listener that serves
 * OTLP, the API and the web console on one port. `close()` stops accepting connections,
 * lets in-flight requests finish, flushes pending writes, then closes the stores.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Alerting, createAlerting } from './alerts/index.ts';
import { registerAlertRoutes } from './api/alerts.ts';
import { registerExportRoutes } from './api/export.ts';
import { registerMetricPointRoutes } from './api/metric-points.ts';
import { registerRedactionRoutes } from './api/redaction.ts';
import { registerApiRoutes } from './api/routes.ts';
import { registerScoreRoutes } from './api/scores.ts';
import { AuditLog } from './audit/audit-log.ts';
import { projectOfRequest, type RequestAuth, requestAuth, setRequestAuth } from './auth/context.ts';
import { IdentityRepository } from './auth/identity-repository.ts';
import { registerOidcRoutes } from './auth/oidc-routes.ts';
import { AuthRepository } from './auth/repository.ts';
import { auditRequest, registerAuthRoutes } from './auth/routes.ts';
import { loadSecretBox } from './auth/secret-box.ts';
import { AuthService } from './auth/service.ts';
import { registerUserRoutes } from './auth/user-routes.ts';
import type { Config } from './config.ts';
import { preloadTokenizers } from './enrich/index.ts';
import { ArgusError } from './errors.ts';
import { registerGovernanceRoutes } from './governance/routes.ts';
import { type GrpcServer, startGrpcServer } from './grpc/server.ts';
import { canonicalUrl } from './http/request-target.ts';
import { errorReply, sendReply } from './http/respond.ts';
import { type RouteInfo, Router } from './http/router.ts';
import { DEFAULT_CONSOLE_DIR, registerConsole } from './http/static.ts';
import { ByteBudget } from './http/body-budget.ts';
import {
  type IngestCounters,
  newIngestCounters,
  normalizeContextOf,
  writeSpans,
} from './ingest/ingest-signal.ts';
import { registerOtlpRoutes } from './ingest/otlp-routes.ts';
import { type LangsmithReceiver, registerLangsmithRoutes } from './langsmith/index.ts';
import type { Logger } from './logger.ts';
import { createServerMetrics, registerMetricsRoute, type ServerMetrics } from './metrics/index.ts';
import { normalizeTraces } from './normalize/index.ts';
import { createPricingService, type PricingService } from './pricing/service.ts';
import { createExperimentModule } from './quality/experiments/index.ts';
import { type QualityRouteDeps, registerQualityRoutes } from './quality/routes.ts';
import { createQuality, type Quality } from './quality/service.ts';
import { maxWindowMsFor } from './query/index.ts';
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

/** Everything after the store is open: services, routes, the listeners. */
async function assemble(
  config: Config,
  logger: Logger,
  store: Store,
  metrics: ServerMetrics,
): Promise<ArgusServer> {
  const startedAt = new Date();
  const counters = newIngestCounters();
  metrics.attach({ counters, writerStats: store.writer.stats, driver: store.driver });
  const pricing = await createPricingService(store.metadata);
  // Redaction runs before pricing for every span of every ingest path, with the policy of the
  // span's project (docs/security.md). With `--redaction off` nothing is redacted and no hash key is
  // stored; the settings API still works (its dry run then hashes with a key of this process only).
  const redactionOff = config.redaction === 'off';
  const redaction = await createProjectPolicies({
    metadata: store.metadata,
    hashKey: redactionOff
      ? (config.redactionHashKey ?? randomBytes(32).toString('hex'))
      : await resolveHashKey(config.redactionHashKey, store.metadata),
    globallyOff: redactionOff,
    logger,
  });
  const { enrichSpan, redactLog } = createSpanPipeline({
    enrich: pricing.enrichSpan,
    redactorFor: redactionOff ? undefined : redaction.redactorFor,
  });
  // Load the tokenizer ranks now (~0.8 s) rather than stalling the first request that needs an estimate.
  preloadTokenizers();
  // Every request is authenticated by the dispatcher below, which records its project and role
  // (auth/context.ts); routes read the project through `projectOf`.
  const projectOf = projectOfRequest;
  const audit = new AuditLog(store.metadata.sql);
  const auth = new AuthService({ repo: new AuthRepository(store.metadata.sql), audit, config, logger });
  const bootstrapAdmin = await auth.bootstrap();
  const router = new Router();
  const observeSpans = metrics.observeSpans;
  // One body budget for every ingest door, so concurrent decompression bombs cannot add up.
  const bodyBudget = new ByteBudget(config.maxInflightBodyBytes);
  registerOtlpRoutes(router, {
    config,
    store,
    logger,
    enrichSpan,
    redactLog,
    observeSpans,
    bodyBudget,
    projectOf,
    counters,
  });
  const langsmith = registerLangsmithRoutes(router, {
    config,
    store,
    logger,
    enrichSpan,
    redactLog,
    observeSpans,
    bodyBudget,
    projectOf,
    counters,
  });
  registerApiRoutes(router, { store, config, projectOf, startedAt, version: ARGUS_VERSION });
  registerAuthRoutes(router, { auth, config });
  registerUserRoutes(router, { auth, config });
  registerExportRoutes(router, { store, config, auth, logger });
  registerScoreRoutes(router, { store, projectOf });
  const governance = registerGovernanceRoutes(router, { store, config, projectOf, audit, logger });
  registerMetricPointRoutes(router, { store, config, projectOf });
  // A project's callers see only its GenAI series; instance administrators see everything.
  registerMetricsRoute(router, metrics, (request) =>
    requestAuth(request).instanceAdmin ? undefined : requestAuth(request).projectId,
  );
  registerRedactionRoutes(router, { policies: redaction, audit, projectOf });
  /** Audits a change made by a request (actor, address and project from the request). */
  const recordChange = (request: IncomingMessage, entry: Parameters<typeof auditRequest>[2]) =>
    auditRequest(auth, request, entry);
  pricing.registerRoutes(router, projectOf, recordChange);
  let baseUrl = '';
  // Alert channels hold webhook keys, Slack URLs and SMTP passwords: sealed with a key kept
  // outside the metadata database (auth/secret-box.ts).
  const secretBox = await loadSecretBox({
    configured: config.secretKey,
    dataDir: config.dataDirAbsolute,
    metadata: store.metadata,
  });
  const alerting = createAlerting({
    metadata: store.metadata,
    driver: store.driver,
    logger,
    intervalMs: config.alertsIntervalMs,
    secretBox,
  });
  const sealed = await alerting.repo.sealPlaintextChannels();
  if (sealed > 0) logger.info('alerts: sealed channel secrets stored in plain text', { channels: sealed });
  registerAlertRoutes(router, {
    repo: alerting.repo,
    dispatcher: alerting.dispatcher,
    driver: store.driver,
    projectOf,
    baseUrl: () => baseUrl,
    audit: recordChange,
  });
  // Offline evaluation (src/quality): connection keys sealed like channel secrets; judge and
  // embedding calls are traced into the project through the ingest write path.
  const traceWrite = { config, store, enrichSpan, observeSpans };
  const auditQuality: QualityRouteDeps['audit'] = (request, action, target, details) =>
    recordChange(request, { action, target, details });
  const quality = createQuality({
    sql: store.metadata.sql,
    secretBox,
    config,
    async writeTraces(projectId, request) {
      const { spans } = normalizeTraces(request, normalizeContextOf(config, projectId));
      await writeSpans(spans, traceWrite);
    },
  });
  registerQualityRoutes(router, {
    quality,
    driver: store.driver,
    projectOf,
    audit: auditQuality,
    maxWindowMs: maxWindowMsFor(config.retentionDays),
  });
  // Experiments (src/quality/experiments): prompt targets run as a background job that resumes
  // at start; its traces go through the same write path.
  const experiments = createExperimentModule({
    write: traceWrite,
    quality,
    projectOf,
    audit: auditQuality,
    logger,
  });
  experiments.register(router);
  // Single sign-on (OIDC): its 10-minute sign-in state travels sealed in a cookie.
  registerOidcRoutes(router, {
    auth,
    config,
    secretBox,
    identities: new IdentityRepository(store.metadata.sql),
    logger,
  });
  // Last, as the GET fallback: the web console at / and its client-side routes.
  registerConsole(router, { distDir: DEFAULT_CONSOLE_DIR });

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
      // One canonical path (http/request-target.ts) for routing and for the access check: the
      // level is the matched route's own, so no spelling of a path borrows another's.
      let url: URL;
      try {
        url = canonicalUrl(request.url);
      } catch (error) {
        request.resume();
        throw error;
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let grpc: GrpcServer | undefined;
  if (config.grpcPort > 0) {
    const grpcDeps = { config, store, logger, enrichSpan, redactLog, observeSpans, bodyBudget, counters };
    try {
      grpc = await startGrpcServer(config.host, config.grpcPort, {
        ...grpcDeps,
        projectOf: (headers) => auth.authenticateIngestHeaders(headers),
      });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await langsmith.close();
      redaction.close();
      throw new ArgusError(
        'CONFIG_INVALID',
        `Cannot listen for OTLP/gRPC on ${config.host}:${config.grpcPort} (${(error as Error).message}): pick another --grpc-port, or 0 to turn gRPC off`,
        { cause: error },
      );
    }
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  alerting.start(baseUrl);
  governance.start();
  await experiments.start();
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    grpcUrl: grpc?.url,
    store,
    counters,
    pricing,
    metrics,
    langsmith,
    alerting,
    redaction,
    auth,
    quality,
    routes: router.routes(),
    bootstrapAdmin,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const grpcStopped = grpc?.close(10_000);
        server.closeIdleConnections();
        const deadline = Date.now() + 10_000;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await Promise.all([stopped, grpcStopped]);
        // Runs still waiting for their update are written as incomplete rather than lost.
        await langsmith.close();
        // Experiment calls in flight finish and store their results; the rest resumes at the next start.
        await experiments.stop();
        await alerting.stop();
        redaction.close();
        await governance.stop();
        await store.close();
      })();
      return closed;
    },
  };
}
