/**
 * `@argus/sdk`: OpenTelemetry tracing for LLM applications, sent to Argus. Set up with
 * `init()`, instrument OpenAI/Anthropic clients with `wrapOpenAI()`/`wrapAnthropic()`, trace
 * steps with `observe()`, attach sessions/users/metadata/tags with `withX()`, propagate traces
 * across services, send feedback with `score()`, and run experiments over datasets with
 * `runExperiment()`. See docs/sdk.md.
 */
export { ArgusApiError } from './api-client.ts';
export type { InitOptions } from './config.ts';
export type { ArgusContext, Metadata } from './context.ts';
export { withContext, withMetadata, withSession, withTags, withUser } from './context.ts';
export type { AddItemsResult, Dataset, DatasetItem, DatasetItemInput } from './datasets.ts';
export { addItems, createDataset, getDataset, getItems } from './datasets.ts';
export type { DiagnosticLevel, DiagnosticsOption } from './diagnostics.ts';
export type {
  EvaluatorContext,
  EvaluatorFunction,
  EvaluatorResult,
  ExperimentEvaluator,
  ExperimentItemRun,
  ExperimentProgress,
  ExperimentRun,
  ExperimentSummary,
  RunExperimentOptions,
  ScoreSummary,
} from './experiment.ts';
export { runExperiment } from './experiment.ts';
export { argusSpanProcessor } from './export.ts';
export type { FastifyLike, RequestLike, ResponseLike } from './http-server.ts';
export { argusExpress, argusFastify } from './http-server.ts';
export type { ArgusHandle, ArgusMode } from './init.ts';
export { flush, init, shutdown } from './init.ts';
export type { WrapAnthropicOptions, WrapOpenAIOptions, WrapOptions } from './instrument/index.ts';
export { unwrapAnthropic, unwrapOpenAI, wrapAnthropic, wrapOpenAI } from './instrument/index.ts';
export type { Observe, ObserveKind, ObserveOptions } from './observe.ts';
export { observe } from './observe.ts';
export type { HeaderInput } from './propagation.ts';
export { extractContext, injectHeaders, tracedFetch } from './propagation.ts';
export type { ScoreInput, ScoreResult } from './score.ts';
export { score } from './score.ts';
