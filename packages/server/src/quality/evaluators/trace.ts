/**
 * Every evaluator run that calls a model is itself a trace in the project: a span of kind
 * `evaluator` (its sample in, its verdict out) with one child per model call (`llm` for a judge
 * attempt, `embedding` for an embedding call) carrying the prompt, the answer, the model and the
 * token usage. They are built as OTLP spans with GenAI/OpenInference attributes and go through
 * the normal ingest path (normalize → enrich → write), so cost is computed from the pricing
 * catalog like any other call. Pure: the caller writes the request.
 */
import { randomBytes } from 'node:crypto';
import type { EvaluationResult } from '@argus/shared';
import type { AttrMap, AttrValue, OtlpSpan, TracesRequest } from '../../otlp/types.ts';
import type { ChatMessage, ChatResult } from '../provider-wire.ts';
import type { EvaluationSample } from './sample.ts';

/** One model call made by an evaluator. */
export interface ModelCallRecord {
  operation: 'chat' | 'embeddings' | 'text_completion';
  provider: string;
  model: string;
  /** Chat messages, or the texts embedded or scored. */
  messages?: ChatMessage[];
  texts?: string[];
  /** Token logprobs of a scored text (`argus.logprobs`: the call span gets its perplexity at ingest). */
  logprobs?: { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[];
  result?: Pick<ChatResult, 'text' | 'toolCalls' | 'usage' | 'model' | 'finishReason'>;
  error?: string;
  startNs: bigint;
  endNs: bigint;
}

/** One evaluator run, for its trace. */
export interface EvaluatorRunRecord {
  evaluatorName: string;
  evaluatorType: string;
  sample: EvaluationSample;
  result?: EvaluationResult;
  error?: string;
  startNs: bigint;
  endNs: bigint;
  calls: ModelCallRecord[];
  /** The span the evaluator span hangs under (an experiment item's trace); unset = a trace of its own. */
  parent?: { traceId: string; spanId: string };
}

/** Now in Unix nanoseconds. */
export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

function attrs(values: Record<string, AttrValue | undefined>): AttrMap {
  const out = Object.create(null) as AttrMap;
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

const text = (content: string) => ({ type: 'text', content });

function callSpan(call: ModelCallRecord, traceId: string, parentSpanId: string): OtlpSpan {
  const r = call.result;
  const output = r
    ? [
        {
          role: 'assistant',
          parts: [
            ...(r.text ? [text(r.text)] : []),
            ...r.toolCalls.map((c) => ({ type: 'tool_call', name: c.name, arguments: c.arguments })),
          ],
          finish_reason: r.finishReason || 'stop',
        },
      ]
    : undefined;
  const input =
    call.operation === 'chat'
      ? (call.messages ?? []).map((m) => ({ role: m.role, parts: [text(m.content)] }))
      : (call.texts ?? []).map((t) => ({ role: 'user', parts: [text(t)] }));
  return {
    traceId,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId,
    traceState: '',
    name: `${call.operation} ${call.model}`,
    kind: 3,
    startTimeUnixNano: call.startNs,
    endTimeUnixNano: call.endNs,
    attributes: attrs({
      'gen_ai.operation.name': call.operation,
      'gen_ai.provider.name': call.provider,
      'gen_ai.request.model': call.model,
      'gen_ai.response.model': r?.model || undefined,
      'gen_ai.usage.input_tokens': r?.usage.inputTokens,
      'gen_ai.usage.output_tokens': call.operation === 'embeddings' ? undefined : r?.usage.outputTokens,
      'gen_ai.input.messages': JSON.stringify(input),
      'gen_ai.output.messages': output ? JSON.stringify(output) : undefined,
      'error.type': call.error ? 'provider_error' : undefined,
      'argus.logprobs': call.logprobs ? JSON.stringify(call.logprobs) : undefined,
    }),
    events: [],
    links: [],
    status: call.error ? { code: 2, message: call.error } : { code: 1, message: '' },
    flags: 1,
  };
}

/** The OTLP request of an evaluator run, and its trace id. */
export function evaluatorTrace(run: EvaluatorRunRecord): { request: TracesRequest; traceId: string } {
  const traceId = run.parent?.traceId ?? randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const root: OtlpSpan = {
    traceId,
    spanId,
    parentSpanId: run.parent?.spanId ?? '',
    traceState: '',
    name: `evaluator ${run.evaluatorName}`,
    kind: 1,
    startTimeUnixNano: run.startNs,
    endTimeUnixNano: run.endNs,
    attributes: attrs({
      'openinference.span.kind': 'EVALUATOR',
      'input.value': JSON.stringify(run.sample),
      'input.mime_type': 'application/json',
      'output.value': run.result ? JSON.stringify(run.result) : undefined,
      'output.mime_type': run.result ? 'application/json' : undefined,
      'argus.evaluator.name': run.evaluatorName,
      'argus.evaluator.type': run.evaluatorType,
      'argus.evaluator.score': run.result?.score,
      'argus.evaluator.label': run.result?.label,
    }),
    events: [],
    links: [],
    status: run.error ? { code: 2, message: run.error } : { code: 1, message: '' },
    flags: 1,
  };
  const spans = [root, ...run.calls.map((c) => callSpan(c, traceId, spanId))];
  const request: TracesRequest = {
    resourceSpans: [
      {
        resource: { attributes: attrs({ 'service.name': 'argus-evaluators' }) },
        scopeSpans: [{ scope: { name: 'argus.quality', version: '', attributes: attrs({}) }, spans }],
      },
    ],
  };
  return { request, traceId };
}
