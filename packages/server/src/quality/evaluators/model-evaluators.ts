/**
 * The evaluators that call a model through a connection: llm_judge (a prompt rendered from the
 * sample, the verdict parsed from JSON or a tool call, re-asked when unparseable) and
 * embedding_similarity (cosine of the output's and the expected output's embeddings). Each run
 * records its model calls for its trace (trace.ts).
 */
import type { EvaluationResult } from '@argus/shared';
import type { z } from 'zod';
import { ArgusError } from '../../errors.ts';
import { callChat, callEmbedding } from '../connections-client.ts';
import type { ChatMessage, ConnectionTarget } from '../provider-wire.ts';
import { cosine } from '../stats/vectors.ts';
import type { embeddingConfig, JudgeConfig } from './config.ts';
import type { EvaluatorContext } from './context.ts';
import { parseVerdict } from './judge-parse.ts';
import { answerInstruction, judgementTool, renderTemplate, resolveJudge } from './judge-templates.ts';
import { type EvaluationSample, textOf } from './sample.ts';
import { type ModelCallRecord, nowNs } from './trace.ts';

/** The provider name spans carry (`gen_ai.provider.name`). */
export function spanProvider(target: ConnectionTarget): string {
  if (target.provider === 'azure-openai') return 'azure.ai.openai';
  if (target.provider === 'openai-compatible') return 'openai';
  return target.provider;
}

/** Runs an llm_judge; `calls` receives every model call (retries included). */
export async function runJudge(
  config: JudgeConfig,
  sample: EvaluationSample,
  ctx: EvaluatorContext,
  calls: ModelCallRecord[],
): Promise<EvaluationResult> {
  const target = await ctx.connection(config.connectionId);
  const judge = resolveJudge(config);
  const answerWith = config.answerWith ?? 'json';
  const messages: ChatMessage[] = [
    {
      role: 'user',
      content: `${renderTemplate(judge.template, sample)}\n\n${answerInstruction(judge, answerWith)}`,
    },
  ];
  const tool = answerWith === 'tool' ? judgementTool(judge) : undefined;
  const maxAttempts = config.maxAttempts ?? 3;
  let why = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const startNs = nowNs();
    const record: ModelCallRecord = {
      operation: 'chat',
      provider: spanProvider(target),
      model: config.model,
      messages: [...messages],
      startNs,
      endNs: startNs,
    };
    calls.push(record);
    try {
      const result = await callChat(
        target,
        {
          model: config.model,
          messages,
          temperature: config.temperature ?? 0,
          maxTokens: 512,
          ...(tool ? { tools: [tool], toolChoice: tool.name } : {}),
        },
        { ...ctx.callOptions, hostPolicy: ctx.hostPolicy },
      );
      record.result = result;
      record.endNs = nowNs();
      const verdict = parseVerdict(result, judge);
      if (verdict.ok) return verdict.result;
      why = verdict.why;
      // Ask again, showing the judge its unreadable answer and what was wrong with it.
      const said = result.text || JSON.stringify(result.toolCalls[0]?.arguments ?? '');
      messages.push(
        { role: 'assistant', content: said },
        {
          role: 'user',
          content: `Your answer could not be read: ${why}. ${answerInstruction(judge, answerWith)}`,
        },
      );
    } catch (error) {
      record.endNs = nowNs();
      record.error = (error as Error).message;
      throw error;
    }
  }
  throw new ArgusError(
    'PROVIDER_ERROR',
    `Cannot read the judge's verdict after ${maxAttempts} attempts: ${why}`,
  );
}

/** Runs embedding_similarity: score = cosine clamped to 0–1; the raw cosine is in the explanation. */
export async function runEmbeddingSimilarity(
  config: z.infer<typeof embeddingConfig>,
  sample: EvaluationSample,
  ctx: EvaluatorContext,
  calls: ModelCallRecord[],
): Promise<EvaluationResult> {
  if (sample.expected === undefined || sample.expected === null)
    throw new ArgusError(
      'INVALID_PARAMETER',
      'Cannot run embedding_similarity: the sample has no expected output',
    );
  const target = await ctx.connection(config.connectionId);
  const model = config.model ?? target.embeddingModel;
  if (!model)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot run embedding_similarity: connection '${config.connectionId}' has no embeddingModel and the evaluator names no model`,
    );
  const texts = [textOf(sample.output), textOf(sample.expected)];
  const startNs = nowNs();
  const record: ModelCallRecord = {
    operation: 'embeddings',
    provider: spanProvider(target),
    model,
    texts,
    startNs,
    endNs: startNs,
  };
  calls.push(record);
  try {
    const result = await callEmbedding(
      target,
      { texts, model },
      { ...ctx.callOptions, hostPolicy: ctx.hostPolicy },
    );
    record.endNs = nowNs();
    record.result = { text: '', toolCalls: [], usage: result.usage, model: result.model, finishReason: '' };
    const similarity = cosine(result.vectors[0]!, result.vectors[1]!);
    const score = Math.max(0, Math.min(1, similarity));
    const label =
      config.threshold === undefined ? undefined : similarity >= config.threshold ? 'pass' : 'fail';
    return { score, ...(label ? { label } : {}), explanation: `cosine similarity ${similarity.toFixed(4)}` };
  } catch (error) {
    record.endNs = nowNs();
    record.error = (error as Error).message;
    throw error;
  }
}
