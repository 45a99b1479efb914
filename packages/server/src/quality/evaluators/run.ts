/**
 * The one entry to run an evaluator on a sample:
 *
 * ```ts
 * const result = await runEvaluator(evaluator, { input, output, expected, metadata }, context);
 * // → { score, label?, explanation?, traceId? }
 * ```
 *
 * Code evaluators need no context. llm_judge, embedding_similarity and perplexity need one
 * (connections, host guard, trace writer); their run is traced in the project (a span of kind `evaluator` with
 * its model calls as children) and `traceId` names that trace. A failed run is traced too, then
 * its error is thrown.
 */
import type { EvaluationResult, Evaluator } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { CONFIG_SCHEMAS } from './config.ts';
import type { EvaluatorContext } from './context.ts';
import { contains, exactMatch, jsonSchema, jsonValid, levenshtein, numeric, regex } from './heuristic.ts';
import { runEmbeddingSimilarity, runJudge } from './model-evaluators.ts';
import { runPerplexity } from './perplexity.ts';
import type { EvaluationSample } from './sample.ts';
import { evaluatorTrace, type ModelCallRecord, nowNs } from './trace.ts';

export type { EvaluatorContext } from './context.ts';
export type { EvaluationSample } from './sample.ts';

/** The evaluator types that call a model through a connection. */
const MODEL_TYPES: ReadonlySet<string> = new Set(['llm_judge', 'embedding_similarity', 'perplexity']);

/** The part of an evaluator a run needs. */
export type RunnableEvaluator = Pick<Evaluator, 'name' | 'type' | 'config'>;

/** Runs a code evaluator (synchronous, no I/O). */
function runCode(evaluator: RunnableEvaluator, sample: EvaluationSample): EvaluationResult {
  const c = evaluator.config as never;
  switch (evaluator.type) {
    case 'exact_match':
      return exactMatch(sample, c);
    case 'contains':
      return contains(sample, c);
    case 'regex':
      return regex(sample, c);
    case 'json_valid':
      return jsonValid(sample);
    case 'json_schema':
      return jsonSchema(sample, c);
    case 'levenshtein':
      return levenshtein(sample, c);
    case 'numeric':
      return numeric(sample, c);
    default:
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Cannot run evaluator type '${evaluator.type}' without a model`,
      );
  }
}

/**
 * Runs an evaluator on one sample.
 * @throws ArgusError INVALID_PARAMETER (a sample the evaluator cannot score, a bad config),
 *   PROVIDER_ERROR / PROVIDER_TIMEOUT / HOST_NOT_ALLOWED from model calls.
 */
export async function runEvaluator(
  evaluator: RunnableEvaluator,
  sample: EvaluationSample,
  context?: EvaluatorContext,
): Promise<EvaluationResult> {
  const parsed = CONFIG_SCHEMAS[evaluator.type].safeParse(evaluator.config);
  if (!parsed.success)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot run evaluator '${evaluator.name}': its config is invalid (${parsed.error.issues[0]?.message})`,
    );
  const config = parsed.data;
  if (!MODEL_TYPES.has(evaluator.type))
    return runCode({ ...evaluator, config: config as Record<string, unknown> }, sample);
  if (!context)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot run evaluator '${evaluator.name}': ${evaluator.type} needs a connection context`,
    );
  const calls: ModelCallRecord[] = [];
  const startNs = nowNs();
  let result: EvaluationResult | undefined;
  let failure: unknown;
  try {
    result =
      evaluator.type === 'llm_judge'
        ? await runJudge(config as never, sample, context, calls)
        : evaluator.type === 'perplexity'
          ? await runPerplexity(config as never, sample, context, calls)
          : await runEmbeddingSimilarity(config as never, sample, context, calls);
  } catch (error) {
    failure = error;
  }
  let traceId: string | undefined;
  if (context.recordTrace && calls.length > 0) {
    const trace = evaluatorTrace({
      evaluatorName: evaluator.name,
      evaluatorType: evaluator.type,
      sample,
      ...(result ? { result } : {}),
      ...(failure ? { error: (failure as Error).message } : {}),
      startNs,
      endNs: nowNs(),
      calls,
      ...(context.parent ? { parent: context.parent } : {}),
    });
    await context.recordTrace(trace.request);
    traceId = trace.traceId;
  }
  if (failure !== undefined) throw failure;
  return { ...result!, ...(traceId ? { traceId } : {}) };
}
