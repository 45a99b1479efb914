/**
 * The explainability capability (docs/explainability.md): attribution, counterfactual and bias
 * jobs on recorded calls, concept activation vectors and feature importance over traffic.
 */
import type { Capability } from '../../capability.ts';
import { maxWindowMsFor } from '../../query/index.ts';
import { ConceptRecorder } from './concept-recorder.ts';
import { ConceptRepository } from './concept-repository.ts';
import { registerConceptRoutes } from './concept-routes.ts';
import { ConceptService } from './concept-service.ts';
import { featureImportance } from './importance-service.ts';
import { ExplainJobs } from './jobs.ts';
import { ExplainJobRepository } from './repository.ts';
import { registerExplainJobRoutes } from './routes.ts';
import { ExplainService } from './service.ts';

export const explainModule: Capability<{
  service: ExplainService;
  jobs: ExplainJobs;
  concepts: ConceptService;
}> = {
  name: 'explain',
  register({ router, store, quality, projectOf, logger, writeTraces, recordChange, config }) {
    const repo = new ExplainJobRepository(store.metadata.sql);
    const jobs = new ExplainJobs({ repo, logger, writeTraces });
    const service = new ExplainService({ driver: store.driver, quality, repo, jobs });
    const concepts = new ConceptService({
      driver: store.driver,
      quality,
      repo: new ConceptRepository(store.metadata.sql),
      maxWindowMs: maxWindowMsFor(config.retentionDays),
    });
    const recorder = new ConceptRecorder({
      concepts,
      writePoints: (points) => store.insertMetricPoints(points),
      logger,
    });
    registerConceptRoutes(router, { concepts, recorder, projectOf, audit: recordChange });
    const maxWindowMs = maxWindowMsFor(config.retentionDays);
    registerExplainJobRoutes(router, {
      service,
      jobs,
      projectOf,
      importance: (projectId, body) => featureImportance(store.driver, projectId, body, maxWindowMs),
    });
    return {
      api: { service, jobs, concepts },
      start: async () => {
        const interrupted = await repo.failInterrupted();
        if (interrupted > 0) logger.warn('explain jobs interrupted by a restart', { jobs: interrupted });
        recorder.start();
      },
      stop: async () => {
        await recorder.stop();
        await jobs.stop();
      },
    };
  },
};
