/**
 * What a capability is: a folder under src/ (alerts/, quality/, online/, gateway/ …) that owns its routes,
 * OpenAPI fragment, request schemas, repository and logic, and exports one {@link Capability} from its
 * `module.ts`. The server builds the shared services once ({@link ServerContext}), then walks the module
 * list in `modules.ts`: `register` every capability (routes, services), `start` them once the listener is
 * up, `stop` them in reverse order at shutdown. A new capability is one folder plus one line in
 * `modules.ts` (docs/architecture.md, "Adding a capability").
 */
import type { IncomingMessage } from 'node:http';
import type { Alerting } from './alerts/index.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { projectOfRequest } from './auth/context.ts';
import type { auditRequest } from './auth/routes.ts';
import type { SecretBox } from './auth/secret-box.ts';
import type { AuthService } from './auth/service.ts';
import type { Config } from './config.ts';
import type { ByteBudget } from './http/body-budget.ts';
import type { Router } from './http/router.ts';
import type { IngestCounters, writeSpans } from './ingest/ingest-signal.ts';
import type { Logger } from './logger.ts';
import type { ServerMetrics } from './metrics/index.ts';
import type { normalizeTraces } from './normalize/index.ts';
import type { PricingService } from './pricing/service.ts';
import type { Quality } from './quality/service.ts';
import type { createSpanPipeline } from './redact/pipeline.ts';
import type { ProjectPolicies } from './redact/project-policies.ts';
import type { Store } from './store/index.ts';

type SpanPipeline = ReturnType<typeof createSpanPipeline>;

/** The ingest write path every door shares (OTLP/HTTP, gRPC, LangSmith, traced evaluator calls). */
export interface IngestPath {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly enrichSpan: SpanPipeline['enrichSpan'];
  readonly redactLog: SpanPipeline['redactLog'];
  readonly observeSpans: ServerMetrics['observeSpans'];
  /** One body budget for every ingest door, so concurrent decompression bombs cannot add up. */
  readonly bodyBudget: ByteBudget;
  readonly projectOf: typeof projectOfRequest;
  readonly counters: IngestCounters;
}

/** What the server builds once and hands to every capability's `register`. */
export interface ServerContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly metrics: ServerMetrics;
  /** Where capabilities register their routes, each with its access level. */
  readonly router: Router;
  readonly startedAt: Date;
  readonly version: string;
  /** The project of an authenticated request (the dispatcher authenticated it before the handler). */
  readonly projectOf: typeof projectOfRequest;
  readonly auth: AuthService;
  readonly audit: AuditLog;
  /** Audits a change made by a request (actor, address and project from the request). */
  readonly recordChange: (
    request: IncomingMessage,
    entry: Parameters<typeof auditRequest>[2],
  ) => Promise<unknown>;
  /** Seals secrets kept in the metadata store (channel keys, connection keys) with a key kept outside it. */
  readonly secretBox: SecretBox;
  readonly pricing: PricingService;
  readonly redaction: ProjectPolicies;
  readonly ingest: IngestPath;
  /**
   * Writes spans produced by Argus itself (judge, experiment and gateway calls) through the ingest path:
   * enrichment, redaction, the store, the span metrics. Normalized spans as they are, or an OTLP request.
   */
  readonly writeSpans: (spans: Parameters<typeof writeSpans>[0]) => ReturnType<typeof writeSpans>;
  readonly writeTraces: (projectId: string, request: Parameters<typeof normalizeTraces>[0]) => Promise<void>;
  /** LLM connections, datasets and evaluators (src/quality), used by every capability that calls a model. */
  readonly quality: Quality;
  /** Alert rules, evaluator and notifications (src/alerts). */
  readonly alerting: Alerting;
  /** The listener's base URL; empty until the server listens (read it in handlers or `start`, not in `register`). */
  baseUrl(): string;
}

/** A registered capability: what runs in the background, and how it stops. */
export interface Running<Api = unknown> {
  /** What the capability offers to the server's caller (ArgusServer) or to tests. */
  readonly api?: Api;
  /** Called once the listener is up, in module order. */
  start?(): void | Promise<void>;
  /** Called at shutdown (and after a failed start), in reverse module order, before the stores close. */
  stop?(): Promise<void>;
}

/** One capability of the server: its name and how it registers itself. */
export interface Capability<Api = unknown> {
  readonly name: string;
  /** Registers routes and builds the capability's services; answers what runs in the background. */
  register(ctx: ServerContext): Running<Api> | undefined | Promise<Running<Api> | undefined>;
}
