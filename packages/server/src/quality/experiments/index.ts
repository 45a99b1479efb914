/**
 * The experiments capability: `{ name, register, start, stop }` for the server's module list.
 * It builds the runner's services from the store, the ingest write path and the quality
 * lookups (connections, datasets, evaluators) the rest of `quality/` provides.
 */
import type { IncomingMessage } from 'node:http';
import type { DatasetItem, Evaluator } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { Router } from '../../http/router.ts';
import { normalizeContextOf, type WriteDeps, writeSpans } from '../../ingest/ingest-signal.ts';
import type { Logger } from '../../logger.ts';
import { normalizeTraces } from '../../normalize/index.ts';
import { type ConnectionTarget, callChat } from '../connections-client.ts';
import { runEvaluator } from '../evaluators/run.ts';
import type { HostPolicy } from '../host-guard.ts';
import { ExperimentRepository } from './repository.ts';
import { ResultsStore } from './results-store.ts';
import { registerExperimentRoutes } from './routes.ts';
import { ExperimentRunner } from './runner.ts';
import { ExperimentService } from './service.ts';
import type { ExperimentServices } from './services.ts';

/** What experiments read from the rest of `quality/`. */
export interface QualityLookups {
  /** A connection with its key, or undefined. */
  openConnection(
    projectId: string,
    id: string,
  ): Promise<(ConnectionTarget & { models: string[] }) | undefined>;
  /** The current version of a dataset, or undefined when there is none. */
  datasetVersion(projectId: string, datasetId: string): Promise<string | undefined>;
  readItems(projectId: string, datasetId: string, version: string): Promise<DatasetItem[]>;
  /** An evaluator, or undefined. */
  evaluator(projectId: string, id: string): Promise<Evaluator | undefined>;
  /** Whether a connection serves a model (its `models` list, exact or glob). */
  servesModel(models: readonly string[], model: string): boolean;
}

/** What the module needs from the server. */
export interface ExperimentModuleDeps {
  write: WriteDeps;
  lookups: QualityLookups;
  /** Host guard of model calls (instance setting); default nothing refused. */
  hostPolicy?: HostPolicy;
  projectOf: (request: IncomingMessage) => string;
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
export function experimentServices(deps: ExperimentModuleDeps): ExperimentServices {
  const { write, lookups, hostPolicy } = deps;
  const open = async (projectId: string, id: string) => {
    const target = await lookups.openConnection(projectId, id);
    if (!target)
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot find LLM connection '${id.slice(0, 100)}': no such connection in this project`,
      );
    return target;
  };
  return {
    openConnection: open,
    chat: (target, request, options) =>
      callChat(target, request, { ...options, ...(hostPolicy ? { hostPolicy } : {}) }),
    datasetVersion: lookups.datasetVersion,
    readItems: lookups.readItems,
    async loadEvaluators(projectId, ids) {
      const found: Evaluator[] = [];
      for (const id of ids) {
        const evaluator = await lookups.evaluator(projectId, id);
        if (!evaluator)
          throw new ArgusError(
            'NOT_FOUND',
            `Cannot find evaluator '${id.slice(0, 100)}': no such evaluator in this project`,
          );
        found.push(evaluator);
      }
      return found;
    },
    evaluate: (projectId, evaluator, sample, parent) =>
      runEvaluator(evaluator, sample, {
        connection: (id) => open(projectId, id),
        ...(hostPolicy ? { hostPolicy } : {}),
        recordTrace: async (request) => {
          const { spans } = normalizeTraces(request, normalizeContextOf(write.config, projectId));
          await writeSpans(spans, write);
        },
        ...(parent ? { parent } : {}),
      }),
    writeSpans: async (spans) => {
      await writeSpans(spans, write);
    },
    insertScore: (score) => write.store.insertScore(score),
  };
}

/** Creates the experiments module. */
export function createExperimentModule(deps: ExperimentModuleDeps): ExperimentModule {
  const repo = new ExperimentRepository(deps.write.store.metadata.sql);
  const results = new ResultsStore(deps.write.store.driver);
  const services = experimentServices(deps);
  const runner = new ExperimentRunner({ repo, results, services, logger: deps.logger });
  const service = new ExperimentService({
    repo,
    results,
    runner,
    services,
    logger: deps.logger,
    servesModel: deps.lookups.servesModel,
  });
  return {
    name: 'experiments',
    service,
    runner,
    register(router) {
      registerExperimentRoutes(router, { service, projectOf: deps.projectOf });
    },
    async start() {
      await runner.resumeAll();
    },
    stop: () => runner.stop(),
  };
}
