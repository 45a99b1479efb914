/**
 * Offline evaluation: LLM connections, datasets, evaluators (the Quality service is shared: other
 * capabilities call models through it) and experiments, which run as background jobs that resume at start.
 */
import { recordAuditOf } from '../audit/audit-log.ts';
import type { Capability } from '../capability.ts';
import { maxWindowMsFor } from '../query/index.ts';
import { createExperimentModule, type ExperimentModule } from './experiments/index.ts';
import { registerQualityRoutes } from './routes.ts';

export const qualityModule: Capability = {
  name: 'quality',
  register({ router, quality, store, projectOf, config, recordChange }) {
    registerQualityRoutes(router, {
      quality,
      driver: store.driver,
      projectOf,
      audit: recordAuditOf(recordChange),
      maxWindowMs: maxWindowMsFor(config.retentionDays),
    });
  },
};

export const experimentsModule: Capability<ExperimentModule> = {
  name: 'experiments',
  register({ router, ingest, quality, projectOf, recordChange, logger }) {
    const experiments = createExperimentModule({
      write: ingest,
      quality,
      projectOf,
      audit: recordAuditOf(recordChange),
      logger,
    });
    experiments.register(router);
    // Experiment calls in flight finish and store their results; the rest resumes at the next start.
    return { api: experiments, start: () => experiments.start(), stop: () => experiments.stop() };
  },
};
