/**
 * The drift capability: comparisons, monitors on a schedule (under the `drift-monitors`
 * lease), model change points, and the drift gauges on `/metrics`.
 */
import type { Capability } from '../../capability.ts';
import { maxWindowMsFor } from '../../query/index.ts';
import { connectionEmbedder, datasetTexts } from './adapters.ts';
import { ComparisonGate } from './gate.ts';
import { registerDriftMetrics } from './metrics.ts';
import { ModelChanges } from './model-changes.ts';
import { DriftRepository } from './repository.ts';
import { registerDriftRoutes } from './routes.ts';
import { DriftScheduler } from './scheduler.ts';
import { DriftService } from './service.ts';

/** How often the scheduler looks for due monitors. */
const TICK_MS = 30_000;

export const driftModule: Capability<{ service: DriftService; scheduler: DriftScheduler }> = {
  name: 'drift',
  register({ router, store, quality, projectOf, recordChange, logger, metrics, config }) {
    const repo = new DriftRepository(store.metadata.sql);
    const compareDeps = {
      driver: store.driver,
      maxWindowMs: maxWindowMsFor(config.retentionDays),
      datasetTexts: (projectId: string, datasetId: string) => datasetTexts(quality, projectId, datasetId),
      embedder: (projectId: string, connectionId: string) =>
        connectionEmbedder(quality, projectId, connectionId),
    };
    // Two comparisons at a time, eight waiting: the CPU work stays off the ingest path's back.
    const gate = new ComparisonGate({ maxRunning: 2, maxWaiting: 8 });
    const service = new DriftService({
      ...compareDeps,
      gate,
      repo,
      writePoints: (points) => store.insertMetricPoints(points),
      checkConnection: async (projectId, id) => {
        await quality.openConnection(projectId, id);
      },
      checkDataset: async (projectId, id) => {
        await datasetTexts(quality, projectId, id);
      },
    });
    const modelChanges = new ModelChanges({ ...compareDeps, sql: store.metadata.sql, gate });
    registerDriftRoutes(router, { service, modelChanges, projectOf, audit: recordChange });
    registerDriftMetrics(metrics.registry, repo);
    const scheduler = new DriftScheduler({ service, logger, intervalMs: TICK_MS });
    return { api: { service, scheduler }, start: () => scheduler.start(), stop: () => scheduler.stop() };
  },
};
