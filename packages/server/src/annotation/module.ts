/**
 * Human review: score configs, annotation queues with their review flow, and the agreement of
 * judges with people. Its service is the capability's `api` (`addQueueItems` for rule actions).
 */
import type { Capability, ServerContext } from '../capability.ts';
import { maxWindowMsFor } from '../query/index.ts';
import { registerAnnotationRoutes } from './routes.ts';
import { registerScoreMetrics } from './score-metrics.ts';
import { AnnotationService } from './service.ts';

/**
 * The annotation services over the server's stores. Other capabilities build theirs with it to
 * add items to queues: `annotationServiceOf(ctx).addQueueItems(projectId, queueId, items)`.
 */
export function annotationServiceOf(
  ctx: Pick<ServerContext, 'store' | 'quality' | 'config'>,
): AnnotationService {
  return new AnnotationService({
    sql: ctx.store.metadata.sql,
    driver: ctx.store.driver,
    insertScore: (score) => ctx.store.insertScore(score),
    datasets: ctx.quality.datasets,
    maxWindowMs: maxWindowMsFor(ctx.config.retentionDays),
  });
}

export const annotationModule: Capability<AnnotationService> = {
  name: 'annotation',
  register(ctx) {
    const service = annotationServiceOf(ctx);
    registerAnnotationRoutes(ctx.router, {
      service,
      quality: ctx.quality,
      driver: ctx.store.driver,
      projectOf: ctx.projectOf,
      audit: ctx.recordChange,
      maxWindowMs: maxWindowMsFor(ctx.config.retentionDays),
    });
    registerScoreMetrics(ctx.metrics.registry, ctx.store.driver);
    return { api: service };
  },
};
