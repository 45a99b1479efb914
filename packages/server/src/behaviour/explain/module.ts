/**
 * The explainability capability (docs/explainability.md): attribution, counterfactual and bias
 * jobs on recorded calls, concept activation vectors and feature importance over traffic.
 */
import type { Capability } from '../../capability.ts';
import { ExplainJobs } from './jobs.ts';
import { ExplainJobRepository } from './repository.ts';
import { registerExplainJobRoutes } from './routes.ts';
import { ExplainService } from './service.ts';

export const explainModule: Capability<{ service: ExplainService; jobs: ExplainJobs }> = {
  name: 'explain',
  register({ router, store, quality, projectOf, logger, writeTraces }) {
    const repo = new ExplainJobRepository(store.metadata.sql);
    const jobs = new ExplainJobs({ repo, logger, writeTraces });
    const service = new ExplainService({ driver: store.driver, quality, repo, jobs });
    registerExplainJobRoutes(router, { service, jobs, projectOf });
    return {
      api: { service, jobs },
      start: async () => {
        const interrupted = await repo.failInterrupted();
        if (interrupted > 0) logger.warn('explain jobs interrupted by a restart', { jobs: interrupted });
      },
      stop: () => jobs.stop(),
    };
  },
};
