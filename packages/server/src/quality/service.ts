/**
 * The quality capability's services, built once per server: the repositories, the host guard
 * from the configuration, evaluator contexts (connections of the project, traces through the
 * ingest path) and the connection test. Experiments and other capabilities use these rather
 * than the tables.
 */
import type { ConnectionTestResult, EvaluationResult, Evaluator } from '@argus/shared';
import type { SecretBox } from '../auth/secret-box.ts';
import type { Config } from '../config.ts';
import type { ArgusError } from '../errors.ts';
import type { TracesRequest } from '../otlp/types.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { ConnectionRepository } from './connection-repository.ts';
import { callChat, callEmbedding, callListModels, ProviderCallError } from './connections-client.ts';
import { DatasetRepository } from './dataset-repository.ts';
import { EvaluatorRepository } from './evaluator-repository.ts';
import type { EvaluatorContext } from './evaluators/context.ts';
import { runEvaluator } from './evaluators/run.ts';
import type { EvaluationSample } from './evaluators/sample.ts';
import { checkHost, type HostPolicy } from './host-guard.ts';
import { notFound } from './not-found.ts';
import type { ConnectionTarget } from './provider-wire.ts';

/** What the quality services need. */
export interface QualityDeps {
  sql: SqlClient;
  secretBox: SecretBox;
  config: Config;
  /** Normalizes, enriches and writes a traces request into a project (the ingest write path). */
  writeTraces(projectId: string, request: TracesRequest): Promise<void>;
}

/** The quality services. */
export interface Quality {
  readonly connections: ConnectionRepository;
  readonly datasets: DatasetRepository;
  readonly evaluators: EvaluatorRepository;
  readonly hostPolicy: HostPolicy;
  /** Opens a connection of a project, with the models it serves. @throws ArgusError NOT_FOUND. */
  openConnection(projectId: string, id: string): Promise<ConnectionTarget & { models: string[] }>;
  /** The context model-calling evaluators of a project run in; `parent` hangs their spans under a span. */
  evaluatorContext(projectId: string, parent?: { traceId: string; spanId: string }): EvaluatorContext;
  /** Runs an evaluator of a project on a sample (traced when it calls a model). */
  evaluate(
    projectId: string,
    evaluator: Pick<Evaluator, 'name' | 'type' | 'config'>,
    sample: EvaluationSample,
    parent?: { traceId: string; spanId: string },
  ): Promise<EvaluationResult>;
  /** Checks a base URL's host against the guard (refusing only what resolves to a refused address). */
  checkBaseUrl(baseUrl: string | undefined): Promise<void>;
  /** One cheap call through a connection. */
  testConnection(projectId: string, id: string, model?: string): Promise<ConnectionTestResult>;
}

/** The host policy of a configuration: open only in the single-user mode on loopback. */
export function hostPolicyOf(config: Pick<Config, 'authMode' | 'loopback' | 'llmAllowedHosts'>): HostPolicy {
  return {
    restrictPrivate: !(config.authMode === 'off' && config.loopback),
    allowedHosts: config.llmAllowedHosts,
  };
}

/** Builds the quality services. */
export function createQuality(deps: QualityDeps): Quality {
  const connections = new ConnectionRepository(deps.sql, deps.secretBox);
  const hostPolicy = hostPolicyOf(deps.config);
  const openConnection = async (projectId: string, id: string) => {
    const target = await connections.open(projectId, id);
    if (!target) throw notFound('connection', id);
    return target;
  };
  const evaluatorContext = (
    projectId: string,
    parent?: { traceId: string; spanId: string },
  ): EvaluatorContext => ({
    connection: (id) => openConnection(projectId, id),
    hostPolicy,
    recordTrace: (request) => deps.writeTraces(projectId, request),
    ...(parent ? { parent } : {}),
  });
  return {
    connections,
    datasets: new DatasetRepository(deps.sql),
    evaluators: new EvaluatorRepository(deps.sql),
    hostPolicy,
    openConnection,
    evaluatorContext,
    evaluate: (projectId, evaluator, sample, parent) =>
      runEvaluator(evaluator, sample, evaluatorContext(projectId, parent)),
    async checkBaseUrl(baseUrl) {
      if (baseUrl === undefined) return;
      await checkHost(hostPolicy, new URL(baseUrl).hostname).catch((error: ArgusError) => {
        // A name that does not resolve now may later (a server not up yet): only refusals stop it.
        if (error.code === 'HOST_NOT_ALLOWED') throw error;
      });
    },
    async testConnection(projectId, id, model) {
      const target = await openConnection(projectId, id);
      const chatModel = model ?? target.models.find((m) => !/[*?]/.test(m));
      const call = chatModel
        ? `chat ${chatModel}`
        : target.embeddingModel
          ? `embedding ${target.embeddingModel}`
          : 'models';
      const options = { hostPolicy, maxRetries: 0, timeoutMs: 15_000 };
      const started = performance.now();
      try {
        if (chatModel)
          await callChat(
            target,
            { model: chatModel, messages: [{ role: 'user', content: 'ping' }], maxTokens: 1 },
            options,
          );
        else if (target.embeddingModel) await callEmbedding(target, { texts: ['ping'] }, options);
        else await callListModels(target, options);
        return { ok: true, call, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (!(error instanceof ProviderCallError)) throw error;
        return {
          ok: false,
          call,
          latencyMs: Math.round(performance.now() - started),
          error: {
            ...(error.providerStatus ? { status: error.providerStatus } : {}),
            message: error.message,
          },
        };
      }
    },
  };
}
