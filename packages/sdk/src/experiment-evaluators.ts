/**
 * Evaluator functions of `runExperiment()`: code of the application that scores an item's output
 * on the client, `(ctx) => number | { score, label?, explanation? }` (sync or async). Their
 * scores are posted with the item's result (the experiment's summary includes them) and on the
 * item's trace. A function that throws or answers something else leaves its score out.
 */
import type { DatasetItem } from './datasets.ts';

/** What an evaluator function sees. */
export interface EvaluatorContext<O = unknown> {
  input: unknown;
  output: O;
  expected: unknown;
  metadata: Record<string, unknown>;
  item: DatasetItem;
  /** The item run's trace, when tracing is on. */
  traceId: string | undefined;
}

/** What an evaluator function answers: a score, or a score with a label and an explanation. */
export type EvaluatorResult = number | boolean | { score: number; label?: string; explanation?: string };

/** An evaluator function; its `name` (or the `name` of the object form) names its score. */
export type EvaluatorFunction<O = unknown> = (
  ctx: EvaluatorContext<O>,
) => EvaluatorResult | Promise<EvaluatorResult>;

/** A server evaluator (id or name), a named function, or `{ name, evaluate }`. */
export type ExperimentEvaluator<O = unknown> =
  | string
  | EvaluatorFunction<O>
  | { name: string; evaluate: EvaluatorFunction<O> };

function scoreOf(result: EvaluatorResult): number | undefined {
  if (typeof result === 'boolean') return result ? 1 : 0;
  if (typeof result === 'number') return Number.isFinite(result) ? result : undefined;
  if (
    typeof result === 'object' &&
    result !== null &&
    typeof result.score === 'number' &&
    Number.isFinite(result.score)
  )
    return result.score;
  return undefined;
}

/**
 * Runs the evaluator functions on one output; answers the scores by name. Failures go to `note`.
 */
export async function runEvaluators<O>(
  evaluators: readonly Exclude<ExperimentEvaluator<O>, string>[],
  item: DatasetItem,
  output: O,
  traceId: string | undefined,
  note: (message: string, error?: unknown) => void,
): Promise<Record<string, number>> {
  const scores: Record<string, number> = {};
  for (const evaluator of evaluators) {
    const name = typeof evaluator === 'function' ? evaluator.name : evaluator?.name;
    const evaluate = typeof evaluator === 'function' ? evaluator : evaluator?.evaluate;
    if (typeof name !== 'string' || name === '' || typeof evaluate !== 'function') {
      note('Ignoring an evaluator function without a name: pass a named function or { name, evaluate }');
      continue;
    }
    try {
      const result = await evaluate({
        input: item.input,
        output,
        expected: item.expectedOutput,
        metadata: item.metadata ?? {},
        item,
        traceId,
      });
      const value = scoreOf(result);
      if (value === undefined)
        note(`Evaluator '${name}' answered ${String(result)} for item '${item.id}', not a finite score`);
      else scores[name] = value;
    } catch (error) {
      note(`Evaluator '${name}' threw on item '${item.id}'`, error);
    }
  }
  return scores;
}
