/**
 * Online evaluation: rules that run the quality evaluators on sampled production spans, and the
 * built-in output-health checks of every LLM span. The worker runs under a lease, so of several
 * servers sharing one metadata database one evaluates; its metrics are on `/metrics`.
 */
import { annotationServiceOf } from '../annotation/module.ts';
import { recordAuditOf } from '../audit/audit-log.ts';
import type { Capability, ServerContext } from '../capability.ts';
import { normalizeContextOf } from '../ingest/ingest-signal.ts';
import { normalizeTraces } from '../normalize/index.ts';
import { spanToItem } from '../quality/from-spans.ts';
import { maxWindowMsFor } from '../query/index.ts';
import { CursorStore } from './cursors.ts';
import type { EvaluateDeps, QueueSink } from './evaluate.ts';
import { HealthRunner } from './health/health-runner.ts';
import { HealthSettings } from './health/settings.ts';
import { registerOnlineMetrics } from './metrics.ts';
import { RuleRepository } from './repository.ts';
import { registerOnlineRoutes } from './routes.ts';
import { RuleService } from './service.ts';
import { OnlineWorker } from './worker.ts';

/** What the module offers to tests and the server's caller. */
export interface OnlineApi {
  readonly repo: RuleRepository;
  readonly service: RuleService;
  /** Undefined when the worker is off (`onlineIntervalMs` 0). */
  readonly worker: OnlineWorker | undefined;
}

/** Spans read per feed query (rules with code evaluators only; model-calling rules read 50). */
const BATCH_SIZE = 1000;
/** Subjects evaluated at once. */
const CONCURRENCY = 8;

/** The evaluation surroundings: judge calls traced through the ingest path, their cost summed as spend. */
function evaluateDeps(ctx: ServerContext, addToQueue: QueueSink | undefined): EvaluateDeps {
  const { quality, config } = ctx;
  return {
    contextFor(projectId, spend) {
      return {
        ...quality.evaluatorContext(projectId),
        async recordTrace(request) {
          const { spans } = normalizeTraces(request, normalizeContextOf(config, projectId));
          await ctx.writeSpans(spans);
          // writeSpans enriches in place: the judge's model calls now carry their cost.
          for (const span of spans) if (span.kind === 'llm') spend.usd += span.costUsd;
        },
      };
    },
    async addToDataset(projectId, datasetId, span) {
      await quality.datasets.upsertItems(projectId, datasetId, [spanToItem(span)]);
    },
    ...(addToQueue ? { addToQueue } : {}),
  };
}

export const onlineModule: Capability<OnlineApi> = {
  name: 'online',
  register(ctx) {
    const { store, router, projectOf, recordChange, config, logger, quality } = ctx;
    const sql = store.metadata.sql;
    const repo = new RuleRepository(sql);
    const cursors = new CursorStore(sql);
    const settings = new HealthSettings(sql);
    const metrics = registerOnlineMetrics(ctx.metrics.registry);
    // Rule actions add to annotation queues through the annotation capability's service.
    const annotation = annotationServiceOf(ctx);
    const addToQueue: QueueSink = async (projectId, queueId, item) => {
      await annotation.addQueueItems(projectId, queueId, [item]);
    };
    const evaluate = evaluateDeps(ctx, addToQueue);
    const service = new RuleService({
      repo,
      cursors,
      quality,
      driver: store.driver,
      evaluate,
      queueExists: async (projectId, queueId) =>
        (await annotation.queues.get(projectId, queueId)) !== undefined,
      maxWindowMs: maxWindowMsFor(config.retentionDays),
    });
    registerOnlineRoutes(router, {
      service,
      repo,
      settings,
      projectOf,
      audit: recordAuditOf(recordChange),
    });
    const insertScore = store.insertScore;
    const worker =
      config.onlineIntervalMs > 0
        ? new OnlineWorker({
            ...evaluate,
            driver: store.driver,
            repo,
            cursors,
            insertScore,
            metrics,
            concurrency: CONCURRENCY,
            health: new HealthRunner({
              // Pages by insert time 2 s behind now: need not hurry the writer's queue.
              driver: store.feedDriver,
              cursors,
              settings,
              insertScore,
              metrics,
              // Each read scans the window's start times, so fewer, larger reads; the checks of a
              // batch yield to the event loop every 16 spans (see HealthRunner #write).
              batchSize: 1000,
            }),
            loadEvaluators: (projectId, ids) => quality.evaluators.getMany(projectId, ids),
            logger,
            intervalMs: config.onlineIntervalMs,
            batchSize: BATCH_SIZE,
          })
        : undefined;
    return {
      api: { repo, service, worker },
      start: () => worker?.start(),
      stop: async () => worker?.stop(),
    };
  },
};
