/**
 * The `perplexity` evaluator: how surprised a model is by a sample's reference text (the expected
 * output, or the output), given its input — exp(−mean token logprob) of the text's tokens,
 * scored through a connection's OpenAI-compatible `/completions` with `echo` (quality/score-text.ts).
 * Lower is better; the score is the perplexity itself (≥ 1), not a 0–1 value. The scoring call's
 * span carries the tokens (`argus.logprobs`), so it gets its perplexity at ingest like any LLM
 * span: `/api/v1/metrics/series?service=argus-evaluators&metrics=perplexityMean&groupBy=model`
 * is per-model perplexity on evaluation data over time.
 */
import type { EvaluationResult } from '@argus/shared';
import type { z } from 'zod';
import { confidenceOf } from '../../behaviour/confidence/index.ts';
import { ArgusError } from '../../errors.ts';
import { CONTEXT_SEPARATOR, callScoreText } from '../score-text.ts';
import type { perplexityConfig } from './config.ts';
import type { EvaluatorContext } from './context.ts';
import { spanProvider } from './model-evaluators.ts';
import { type EvaluationSample, textOf } from './sample.ts';
import { type ModelCallRecord, nowNs } from './trace.ts';

/** Runs `perplexity` on one sample; `calls` receives the scoring call. */
export async function runPerplexity(
  config: z.infer<typeof perplexityConfig>,
  sample: EvaluationSample,
  ctx: EvaluatorContext,
  calls: ModelCallRecord[],
): Promise<EvaluationResult> {
  const which = config.text ?? 'expected';
  const value = which === 'expected' ? sample.expected : sample.output;
  const text = value === undefined || value === null ? '' : textOf(value);
  if (text.trim() === '')
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot run perplexity: the sample has no ${which === 'expected' ? 'expected output' : 'output'} to score`,
    );
  const context = config.withInput === false ? '' : textOf(sample.input ?? '');
  const target = await ctx.connection(config.connectionId);
  const startNs = nowNs();
  const record: ModelCallRecord = {
    operation: 'text_completion',
    provider: spanProvider(target),
    model: config.model,
    texts: [context === '' ? text : `${context}${CONTEXT_SEPARATOR}${text}`],
    startNs,
    endNs: startNs,
  };
  calls.push(record);
  try {
    const scored = await callScoreText(
      target,
      { model: config.model, context, text },
      { ...ctx.callOptions, hostPolicy: ctx.hostPolicy },
    );
    record.endNs = nowNs();
    record.result = {
      text: '',
      toolCalls: [],
      usage: scored.usage,
      model: scored.model,
      finishReason: 'stop',
    };
    record.logprobs = scored.tokens.map((t) => ({ token: t.token, logprob: t.logprob, top_logprobs: t.top }));
    const c = confidenceOf(scored.tokens);
    const label =
      config.maxPerplexity === undefined ? undefined : c.perplexity <= config.maxPerplexity ? 'pass' : 'fail';
    return {
      score: c.perplexity,
      ...(label ? { label } : {}),
      explanation: `perplexity ${c.perplexity.toFixed(3)} over ${c.logprobTokens} tokens of the ${which === 'expected' ? 'expected output' : 'output'} (mean logprob ${c.logprobMean.toFixed(4)})`,
    };
  } catch (error) {
    record.endNs = nowNs();
    record.error = (error as Error).message;
    throw error;
  }
}
