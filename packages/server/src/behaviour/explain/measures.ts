/**
 * How far a variant prompt moves the output from the recorded one: the embedding distance of its
 * answer (1 − cosine), the drop of the recorded output's mean logprob given the variant prompt
 * (endpoints that score text), or a judge's verdict that the answers differ (1 − score).
 */
import type { OutputMeasure } from '@argus/shared';
import type { ChatMessage } from '../../quality/connections-client.ts';
import type { Quality } from '../../quality/service.ts';
import { cosine } from '../../quality/stats/vectors.ts';
import type { Embedder } from '../drift/embedding-result.ts';
import type { JobCalls } from './calls.ts';
import type { RecordedCall } from './recorded.ts';

/** What one variant measured. */
export interface Measured {
  distance: number;
  /** The variant's answer (not made for the logprob measure). */
  output?: string;
}

/** Model calls and measuring calls (embeddings, judge) per variant of each measure. */
export const MEASURE_CALLS: Record<OutputMeasure, { model: number; measure: number }> = {
  embedding: { model: 1, measure: 1 },
  logprob: { model: 1, measure: 0 },
  judge: { model: 1, measure: 1 },
};

/** Measures variants of one recorded call. */
export interface Measurer {
  readonly measure: OutputMeasure;
  /** Chat or scoring calls per variant, and measuring calls (embeddings, judge) per variant. */
  readonly callsPerVariant: { model: number; measure: number };
  distance(messages: ChatMessage[]): Promise<Measured>;
}

/** The prompt as one text, for scoring the output after it. */
export function renderPrompt(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

/** Distances as embedding distances of the answers from the recorded output. */
export function embeddingMeasurer(calls: JobCalls, call: RecordedCall, embed: Embedder): Measurer {
  const vectors = new Map<string, Promise<number[]>>();
  const vectorOf = (text: string) => {
    let vector = vectors.get(text);
    if (!vector) {
      vector = embed([text || ' ']).then((r) => r.vectors[0] ?? []);
      vectors.set(text, vector);
    }
    return vector;
  };
  return {
    measure: 'embedding',
    callsPerVariant: MEASURE_CALLS.embedding,
    async distance(messages) {
      const output = await calls.chat(call, messages);
      const [a, b] = await Promise.all([vectorOf(call.output), vectorOf(output)]);
      return { distance: Math.max(0, 1 - cosine(a, b)), output };
    },
  };
}

/** Distances as the drop of the recorded output's mean logprob (nats per token). */
export function logprobMeasurer(calls: JobCalls, call: RecordedCall): Measurer {
  let base: Promise<number> | undefined;
  const score = (messages: ChatMessage[]) =>
    calls.meanLogprob(call.model, renderPrompt(messages), call.output);
  return {
    measure: 'logprob',
    callsPerVariant: MEASURE_CALLS.logprob,
    async distance(messages) {
      base ??= score(call.messages);
      const [full, variant] = await Promise.all([base, score(messages)]);
      return { distance: full - variant };
    },
  };
}

const JUDGE_PROMPT = `You compare two answers to the same request.
Reference answer:
<expected>{{expected}}</expected>
Other answer:
<output>{{output}}</output>
Give a score from 0 to 1: 1 when the other answer says the same thing as the reference (same language, same content), 0 when it says something different.`;

/** Distances as 1 − a judge's score that the answers mean the same. */
export function judgeMeasurer(
  calls: JobCalls,
  call: RecordedCall,
  judge: { quality: Quality; projectId: string; connectionId: string; model: string },
): Measurer {
  const evaluator = {
    name: 'explain-same-answer',
    type: 'llm_judge' as const,
    config: {
      connectionId: judge.connectionId,
      model: judge.model,
      prompt: JUDGE_PROMPT,
      scale: { min: 0, max: 1 },
    },
  };
  return {
    measure: 'judge',
    callsPerVariant: MEASURE_CALLS.judge,
    async distance(messages) {
      const output = await calls.chat(call, messages);
      const verdict = await judge.quality.evaluate(judge.projectId, evaluator, {
        output,
        expected: call.output,
      });
      return { distance: Math.min(1, Math.max(0, 1 - verdict.score)), output };
    },
  };
}
