/**
 * What the experiment runner needs from the rest of the server, as one small interface so the
 * runner is tested with the real store and a real provider (the mock LLM) without the HTTP
 * layer: connections, the pinned dataset items, evaluators, and the write path.
 */
import type { DatasetItem, EvaluationResult, Evaluator, Span } from '@argus/shared';
import type { ScoreRow } from '../../store/signal-rows.ts';
import type { CallOptions, ChatRequest, ChatResult, ConnectionTarget } from '../connections-client.ts';
import type { EvaluationSample } from '../evaluators/sample.ts';

/** The services an experiment uses. */
export interface ExperimentServices {
  /**
   * Opens a connection of a project (key in plain text) with the models it serves (none or
   * absent: any). @throws ArgusError NOT_FOUND.
   */
  openConnection(projectId: string, connectionId: string): Promise<ConnectionTarget & { models?: string[] }>;
  /** One chat completion. @throws ProviderCallError. */
  chat(target: ConnectionTarget, request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  /** The current version of a dataset (ISO time), or undefined when there is no such dataset. */
  datasetVersion(projectId: string, datasetId: string): Promise<string | undefined>;
  /** A dataset's items as of a version, all of them. */
  readItems(projectId: string, datasetId: string, version: string): Promise<DatasetItem[]>;
  /** Evaluators by id; @throws ArgusError NOT_FOUND naming the first missing one. */
  loadEvaluators(projectId: string, ids: readonly string[]): Promise<Evaluator[]>;
  /**
   * Runs an evaluator on a sample; model-calling evaluators trace their calls under `parent`.
   * @throws ArgusError when the evaluator cannot score the sample or its model call failed.
   */
  evaluate(
    projectId: string,
    evaluator: Evaluator,
    sample: EvaluationSample,
    parent: { traceId: string; spanId: string } | undefined,
  ): Promise<EvaluationResult>;
  /** Writes spans through the ingest write path (redaction, pricing, store). */
  writeSpans(spans: Span[]): Promise<void>;
  /** Stores a score so it shows on its trace. */
  insertScore(score: ScoreRow): Promise<void>;
}
