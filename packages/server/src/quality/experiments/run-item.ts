/**
 * One item run of an experiment: evaluate an output (prompt targets first make the call and
 * its trace), store the scores on the trace, and build the result row.
 */
import { randomUUID } from 'node:crypto';
import type { DatasetItem, Evaluator, PromptTarget } from '@argus/shared';
import type { Logger } from '../../logger.ts';
import type { ChatMessage, ChatResult, ConnectionTarget } from '../connections-client.ts';
import { renderTemplate } from '../evaluators/judge-templates.ts';
import type { ExperimentRecord } from './repository.ts';
import type { ResultRow } from './results-store.ts';
import type { ExperimentServices } from './services.ts';
import { newTraceId, runSpans } from './trace.ts';

/** What every item run of one experiment shares. */
export interface RunContext {
  experiment: ExperimentRecord;
  evaluators: Evaluator[];
  services: ExperimentServices;
  logger: Logger;
}

/** The answer of a prompt call, or its failure. */
export interface CallOutcome {
  result?: ChatResult;
  error?: Error;
  startMs: number;
  endMs: number;
}

/** The messages of a prompt target filled from an item. */
export function renderMessages(target: PromptTarget, item: DatasetItem): ChatMessage[] {
  const sample = { input: item.input, output: '', expected: item.expectedOutput, metadata: item.metadata };
  return target.messages.map((m) => ({ role: m.role, content: renderTemplate(m.content, sample) }));
}

/** JSON text of a value for the results table ('' for none). */
function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/**
 * Finishes a prompt run whose call has been made: writes its trace (chain + llm spans), runs
 * the evaluators under it, stores scores and returns the result row.
 */
export async function finishPromptRun(
  ctx: RunContext,
  item: DatasetItem,
  repetition: number,
  call: CallOutcome & { target: ConnectionTarget; messages: ChatMessage[] },
): Promise<ResultRow> {
  const { experiment } = ctx;
  const target = experiment.target as PromptTarget;
  const traceId = newTraceId();
  const spans = runSpans(
    {
      projectId: experiment.projectId,
      experimentId: experiment.id,
      experimentName: experiment.name,
      datasetId: experiment.datasetId,
      itemId: item.id,
      repetition,
      provider: call.target.provider,
      model: target.model,
      input: item.input,
      messages: call.messages,
      params: target.params ?? {},
      startMs: call.startMs,
      endMs: call.endMs,
      ...(call.result ? { result: call.result } : {}),
      ...(call.error ? { error: call.error.message } : {}),
    },
    traceId,
  );
  // The trace is written while the evaluators run (its ids are known already); the costs the
  // write path prices are read once it is stored.
  const written = ctx.services.writeSpans(spans);
  written.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  const root = spans[0]!;
  const llm = spans[1]!;
  const row = await scoreOutput(
    ctx,
    item,
    repetition,
    {
      output: call.result?.text,
      traceId,
      rootSpanId: root.spanId,
      latencyMs: call.endMs - call.startMs,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      error: call.error?.message ?? '',
    },
    written,
  );
  return { ...row, inputTokens: llm.inputTokens, outputTokens: llm.outputTokens, costUsd: llm.costUsd };
}

/** An output to score (from a prompt run or posted by an external target). */
export interface OutputToScore {
  output: unknown;
  traceId: string | undefined;
  rootSpanId: string | undefined;
  latencyMs: number | undefined;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: string;
  /** Scores the client computed (SDK evaluator functions); server evaluators win a clash of names. */
  clientScores?: Record<string, number> | undefined;
}

/**
 * Runs every evaluator on an output (none when the run failed), stores each score on the run's
 * trace, and returns the result row once the scores (and `written`, the trace) are stored. An
 * evaluator that fails leaves its score out (logged).
 */
export async function scoreOutput(
  ctx: RunContext,
  item: DatasetItem,
  repetition: number,
  out: OutputToScore,
  written: Promise<unknown> = Promise.resolve(),
): Promise<ResultRow> {
  const { experiment, services } = ctx;
  const scores: Record<string, number> = { ...out.clientScores };
  const failures: string[] = [];
  const stored: Promise<unknown>[] = [written];
  // Awaited together at the end; until then a failure must not count as unhandled.
  const keep = (promise: Promise<unknown>) => {
    promise.catch(() => {});
    stored.push(promise);
  };
  if (out.error === '') {
    const sample = {
      input: item.input,
      output: out.output,
      expected: item.expectedOutput,
      metadata: item.metadata,
    };
    const parent =
      out.traceId && out.rootSpanId ? { traceId: out.traceId, spanId: out.rootSpanId } : undefined;
    for (const evaluator of ctx.evaluators) {
      try {
        const result = await services.evaluate(experiment.projectId, evaluator, sample, parent);
        scores[evaluator.name] = result.score;
        if (out.traceId) {
          // Scores join the trace's spans in the writer's next group commit.
          keep(
            services.insertScore({
              projectId: experiment.projectId,
              scoreId: randomUUID(),
              traceId: out.traceId,
              spanId: '',
              name: evaluator.name,
              value: result.score,
              stringValue: result.label ?? '',
              comment: result.explanation ?? '',
              source: 'eval',
              author: '',
              timeUnixNano: BigInt(Date.now()) * 1_000_000n,
              metadata: {
                experimentId: experiment.id,
                datasetItemId: item.id,
                repetition: String(repetition),
                evaluatorId: evaluator.id,
                ...(result.traceId ? { evaluatorTraceId: result.traceId } : {}),
              },
            }),
          );
        }
      } catch (error) {
        failures.push(`evaluator '${evaluator.name}': ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(stored);
  if (failures.length > 0)
    ctx.logger.warn('experiment: evaluator failed', { experiment: experiment.id, item: item.id, failures });
  return {
    projectId: experiment.projectId,
    experimentId: experiment.id,
    itemId: item.id,
    repetition,
    traceId: out.traceId ?? '',
    output: jsonText(out.output),
    expected: jsonText(item.expectedOutput),
    error: out.error !== '' ? out.error : failures.join('; '),
    latencyMs: out.latencyMs,
    inputTokens: out.inputTokens,
    outputTokens: out.outputTokens,
    costUsd: out.costUsd,
    scores,
    timeMs: Date.now(),
  };
}
