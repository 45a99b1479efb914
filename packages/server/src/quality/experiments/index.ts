/**
 * The experiments capability: `{ name, register, start, stop }` for the server's module list.
 * It builds the runner's services from the ingest write path and the quality services
 * (connections, datasets, evaluators, the host guard) of `quality/service.ts`.
 */
import type { IncomingMessage } from 'node:http';
import type { Router } from '../../http/router.ts';
import { type WriteDeps, writeSpans } from '../../ingest/ingest-signal.ts';
import type { Logger } from '../../logger.ts';
import { callChat } from '../connections-client.ts';
import type { QualityRouteDeps } from '../routes.ts';
import type { Quality } from '../service.ts';
import { ExperimentRepository } from './repository.ts';
import { ResultsStore } from './results-store.ts';
import { registerExperimentRoutes } from './routes.ts';
import { ExperimentRunner } from './runner.ts';
import { ExperimentService } from './service.ts';
import type { ExperimentServices } from './services.ts';

/** What the module needs from the server. */
export interface ExperimentModuleDeps {
  /** The ingest write path (redaction, pricing, group-commit writer). */
  write: WriteDeps;
  /** Connections, datasets, evaluators and the host guard (quality/service.ts). */
  quality: Quality;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log (create, cancel, delete). */
  audit: QualityRouteDeps['audit'];
  logger: Logger;
}

/** The experiments module. */
export interface ExperimentModule {
  readonly name: 'experiments';
  readonly service: ExperimentService;
  readonly runner: ExperimentRunner;
  register(router: Router): void;
  /** Resumes unfinished prompt experiments. */
  start(): Promise<void>;
  /** Lets calls in flight finish; unfinished experiments resume at the next start. */
  stop(): Promise<void>;
}

/** Builds the services of the runner from the server's parts. */
export function experimentServices(
  deps: Pick<ExperimentModuleDeps, 'write' | 'quality'>,
): ExperimentServices {
  const { write, quality } = deps;
  return {
    openConnection: quality.openConnection,
    chat: (target, request, options) =>
      callChat(target, request, { ...options, hostPolicy: quality.hostPolicy }),
    datasetVersion: async (projectId, datasetId) =>
      (await quality.datasets.get(projectId, datasetId))?.versionAt,
    readItems: (projectId, datasetId, version) => quality.datasets.readItems(projectId, datasetId, version),
    loadEvaluators: (projectId, ids) => quality.evaluators.getMany(projectId, ids),
    evaluate: (projectId, evaluator, sample, parent) =>
      quality.evaluate(projectId, evaluator, sample, parent),
    writeSpans: async (spans) => {
      await writeSpans(spans, write);
    },
    insertScore: (score) => write.store.insertScore(score),
  };
}

/** Creates the experiments module. */
export function createExperimentModule(deps: ExperimentModuleDeps): ExperimentModule {
  const repo = new ExperimentRepository(deps.write.store.metadata.sql);
  const results = new ResultsStore(deps.write.store.driver, {
    profile: deps.write.config.clickhouseProfile,
    cluster: deps.write.config.clickhouseCluster,
  });
  const services = experimentServices(deps);
  const runner = new ExperimentRunner({ repo, results, services, logger: deps.logger });
  const service = new ExperimentService({
    repo,
    results,
    runner,
    services,
    logger: deps.logger,
  });
  return {
    name: 'experiments',
    service,
    runner,
    register(router) {
      registerExperimentRoutes(router, { service, projectOf: deps.projectOf, audit: deps.audit });
    },
    async start() {
      await runner.resumeAll();
    },
    stop: () => runner.stop(),
  };
}
