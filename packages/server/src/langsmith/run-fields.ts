/**
 * Canonical fields read from a LangSmith run (precedence table 3.3, column "other"): times,
 * provider/model/params from the `ls_*` metadata and invocation params, usage and reported cost
 * from `usage_metadata`, status from `error`, session/user/tags/metadata. Pure.
 */
import type { ModelParams, SpanKind, SpanStatus } from '@argus/shared';
import { mergeParams, normalizeProvider, paramsFromObject } from '../normalize/model.ts';
import { unixNanoFromIso } from '../normalize/time.ts';
import { type Cost, completeUsage, type Usage } from '../normalize/tokens.ts';
import { isRecord, record, stringifyValue, toCount, toNumber, toText } from '../normalize/values.ts';
import type { LangsmithRun } from './run.ts';

/** `extra.metadata` of a run, or an empty object. */
export function metadataOf(run: LangsmithRun): Record<string, unknown> {
  const extra = isRecord(run.extra) ? run.extra : {};
  return isRecord(extra.metadata) ? extra.metadata : {};
}

/** A record field of an object, or undefined. */
export function objectField(obj: unknown, key: string): Record<string, unknown> | undefined {
  if (!isRecord(obj)) return undefined;
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}

/**
 * Unix nanoseconds of a run time: an ISO 8601 string (naive ones are UTC, as Python sends
 * them) or an epoch number in seconds, milliseconds (the JS SDK), microseconds or nanoseconds,
 * told apart by magnitude. Undefined when it is neither.
 */
export function runTimeNs(value: unknown): bigint | undefined {
  if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value.trim())) return unixNanoFromIso(value);
  const n = toNumber(value);
  if (n === undefined || n <= 0) return undefined;
  if (n < 1e11) return BigInt(Math.round(n * 1e6)) * 1000n; // seconds, µs precision
  if (n < 1e14) return BigInt(Math.round(n * 1000)) * 1000n; // milliseconds
  if (n < 1e17) return BigInt(Math.round(n)) * 1000n; // microseconds
  return BigInt(Math.round(n)); // nanoseconds (beyond 2^53 the last digits are already lost)
}

/** Provider and models. */
export interface RunModel {
  provider: string;
  requestModel: string;
  responseModel: string;
}

/** `extra.invocation_params` (LangChain) and `ls_invocation_params` (the JS wrappers). */
function invocationParams(run: LangsmithRun, meta: Record<string, unknown>): Record<string, unknown>[] {
  const extra = isRecord(run.extra) ? run.extra : {};
  return [extra.invocation_params, meta.ls_invocation_params].filter(isRecord);
}

/** The model a response names: OpenAI `model`, LangChain `llm_output.model_name` or message metadata. */
function responseModelOf(outputs: unknown): string | undefined {
  if (!isRecord(outputs)) return undefined;
  const llmOutput = objectField(outputs, 'llm_output');
  const generation = Array.isArray(outputs.generations) ? [outputs.generations].flat(2)[0] : undefined;
  const message = objectField(generation, 'message');
  const kwargs = objectField(message, 'kwargs') ?? message;
  return (
    toText(outputs.model) ??
    toText(llmOutput?.model_name ?? llmOutput?.model) ??
    toText(objectField(kwargs, 'response_metadata')?.model_name)
  );
}

/** Provider and models: `ls_provider`/`ls_model_name`, then invocation params and the request payload. */
export function runModel(run: LangsmithRun, meta: Record<string, unknown>): RunModel {
  const invocation = invocationParams(run, meta);
  const provider = toText(meta.ls_provider);
  const requestModel =
    toText(meta.ls_model_name) ??
    invocation.map((p) => toText(p.model ?? p.model_name)).find(Boolean) ??
    (isRecord(run.inputs) ? toText(run.inputs.model) : undefined);
  return {
    provider: provider === undefined ? '' : normalizeProvider(provider),
    requestModel: requestModel ?? '',
    responseModel: responseModelOf(run.outputs) ?? '',
  };
}

/** Params: `ls_temperature`/`ls_max_tokens`/`ls_stop`, then invocation params, then the request payload. */
export function runParams(run: LangsmithRun, meta: Record<string, unknown>, kind: SpanKind): ModelParams {
  const fromLs = paramsFromObject({
    temperature: meta.ls_temperature,
    max_tokens: meta.ls_max_tokens,
    stop: meta.ls_stop,
  });
  const sources = [fromLs, ...invocationParams(run, meta).map(paramsFromObject)];
  // The wrappers record the provider request itself as the inputs of an llm run.
  if (kind === 'llm' && isRecord(run.inputs)) sources.push(paramsFromObject(run.inputs));
  return mergeParams(sources);
}

/** `usage_metadata` wherever the SDK put it: outputs, metadata, or the LangChain/OpenAI usage objects. */
function usageObject(run: LangsmithRun, meta: Record<string, unknown>): Record<string, unknown> | undefined {
  const outputs = isRecord(run.outputs) ? run.outputs : {};
  const llmOutput = objectField(outputs, 'llm_output');
  return (
    objectField(outputs, 'usage_metadata') ??
    objectField(meta, 'usage_metadata') ??
    objectField(llmOutput, 'token_usage') ??
    objectField(outputs, 'usage')
  );
}

/** Usage (input includes cache) and reported cost of a run. */
export function runUsage(run: LangsmithRun, meta: Record<string, unknown>): Usage & Cost {
  const u = usageObject(run, meta) ?? {};
  const inputDetails = objectField(u, 'input_token_details') ?? objectField(u, 'prompt_tokens_details') ?? {};
  const outputDetails =
    objectField(u, 'output_token_details') ?? objectField(u, 'completion_tokens_details') ?? {};
  const usage = completeUsage({
    inputTokens: toCount(u.input_tokens ?? u.prompt_tokens),
    outputTokens: toCount(u.output_tokens ?? u.completion_tokens),
    totalTokens: toCount(u.total_tokens),
    cacheReadTokens: toCount(inputDetails.cache_read ?? inputDetails.cached_tokens),
    cacheWriteTokens: toCount(inputDetails.cache_creation),
    reasoningTokens: toCount(outputDetails.reasoning ?? outputDetails.reasoning_tokens),
  });
  const cost = (key: string) => {
    const n = toNumber(u[key]);
    return n !== undefined && n >= 0 ? n : undefined;
  };
  const total = cost('total_cost');
  const used = usage.inputTokens + usage.outputTokens > 0;
  // As for OpenLIT: a reported 0 for a call that used tokens means "unknown", so pricing may compute it.
  const reported = total !== undefined && (total > 0 || !used);
  return {
    ...usage,
    costUsd: reported ? total : 0,
    inputCostUsd: reported ? (cost('input_cost') ?? 0) : 0,
    outputCostUsd: reported ? (cost('output_cost') ?? 0) : 0,
    costSource: reported ? 'reported' : 'none',
  };
}

/** Status fields of a run. */
export interface RunStatus {
  status: SpanStatus;
  statusMessage: string;
  errorType: string;
}

/**
 * A run with an `error` failed; the error type is the leading identifier of the error text
 * (`RateLimitError('…')` from Python, `Error: 429 …` from JS) when there is one.
 */
export function runStatus(error: unknown): RunStatus {
  const text =
    typeof error === 'string' ? error : error === undefined || error === null ? '' : stringifyValue(error);
  if (text.trim() === '') return { status: 'unset', statusMessage: '', errorType: '' };
  const type = /^\s*([A-Za-z_][\w.]*)\s*(?:[:(]|$)/.exec(text)?.[1];
  return { status: 'error', statusMessage: text, errorType: type ?? '' };
}

/** Session, user, conversation, tags and metadata. */
export interface RunContext {
  sessionId: string;
  userId: string;
  conversationId: string;
  tags: string[];
  metadata: Record<string, string>;
}

/** Metadata keys mapped to fields of their own, left out of `metadata`. */
const MAPPED_METADATA = new Set(['usage_metadata']);

/** Threads from metadata `session_id` | `thread_id` | `conversation_id`, user from `user_id`. */
export function runContext(run: LangsmithRun, meta: Record<string, unknown>, maxEntries: number): RunContext {
  const session = toText(meta.session_id) ?? toText(meta.thread_id) ?? toText(meta.conversation_id) ?? '';
  const tags = Array.isArray(run.tags)
    ? [
        ...new Set(
          run.tags.map((t) => (typeof t === 'string' ? t : stringifyValue(t))).filter((t) => t !== ''),
        ),
      ]
    : [];
  const metadata = record<string>();
  let count = 0;
  for (const [key, value] of Object.entries(meta)) {
    if (count >= maxEntries) break;
    if (MAPPED_METADATA.has(key) || value === undefined || value === null) continue;
    metadata[key] = stringifyValue(value);
    count++;
  }
  return {
    sessionId: session,
    userId: toText(meta.user_id) ?? '',
    conversationId: toText(meta.conversation_id) ?? session,
    tags: tags.slice(0, maxEntries),
    metadata,
  };
}
