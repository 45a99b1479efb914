/**
 * Token usage and reported cost (precedence table 3.3, rule 3.4.4): input counts INCLUDE cached
 * tokens and output counts include reasoning, whatever the producer's own accounting.
 */
import type { Span } from '@argus/shared';
import type { AttrBag } from './attr-bag.ts';
import { decodeMaybeJson, isRecord, toCount, toNumber } from './values.ts';

/** Canonical usage of one span. */
export type Usage = Pick<
  Span,
  'inputTokens' | 'outputTokens' | 'totalTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'reasoningTokens'
>;

/** Reported cost, or none. */
export type Cost = Pick<Span, 'costUsd' | 'inputCostUsd' | 'outputCostUsd' | 'costSource'>;

type Bucket = keyof Usage;

/** Attribute keys per bucket, in precedence order (OTel new → old, OpenInference, OpenLLMetry, OpenLIT, Vercel). */
const USAGE_KEYS: Record<Bucket, readonly string[]> = {
  inputTokens: [
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'llm.token_count.prompt',
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
    'ai.usage.tokens',
  ],
  outputTokens: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
  ],
  totalTokens: [
    'gen_ai.usage.total_tokens',
    'llm.token_count.total',
    'llm.usage.total_tokens',
    'ai.usage.totalTokens',
  ],
  cacheReadTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'llm.token_count.prompt_details.cache_read',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.prompt_tokens_details.cached_tokens',
    'ai.usage.cachedInputTokens',
  ],
  cacheWriteTokens: [
    'gen_ai.usage.cache_creation.input_tokens',
    'llm.token_count.prompt_details.cache_write',
    'gen_ai.usage.cache_creation_input_tokens',
  ],
  reasoningTokens: [
    'gen_ai.usage.reasoning.output_tokens',
    'llm.token_count.completion_details.reasoning',
    'llm.usage.reasoning_tokens',
    'gen_ai.usage.reasoning_tokens',
    'gen_ai.usage.completion_tokens_details.reasoning_tokens',
    'ai.usage.reasoningTokens',
  ],
};

function sumKeys(obj: Record<string, unknown>, test: (key: string) => boolean): number | undefined {
  let total: number | undefined;
  for (const [k, v] of Object.entries(obj)) {
    const n = toCount(v);
    if (n !== undefined && test(k)) total = (total ?? 0) + n;
  }
  return total;
}

function nestedCount(obj: Record<string, unknown>, key: string, inner: string): number | undefined {
  const sub = obj[key];
  return isRecord(sub) ? toCount(sub[inner]) : undefined;
}

/**
 * Langfuse `usage_details`: either free-form keys where `input`/`output` exclude the cached
 * and reasoning buckets (so every `input*`/`output*` key is summed), or an OpenAI usage object
 * whose `prompt_tokens`/`input_tokens` already include the cache.
 */
function fromLangfuse(details: Record<string, unknown>): Partial<Usage> {
  const openAiInput = toCount(details.prompt_tokens ?? details.input_tokens);
  if (openAiInput !== undefined) {
    return {
      inputTokens: openAiInput,
      outputTokens: toCount(details.completion_tokens ?? details.output_tokens),
      totalTokens: toCount(details.total_tokens),
      cacheReadTokens:
        nestedCount(details, 'prompt_tokens_details', 'cached_tokens') ??
        nestedCount(details, 'input_tokens_details', 'cached_tokens'),
      reasoningTokens:
        nestedCount(details, 'completion_tokens_details', 'reasoning_tokens') ??
        nestedCount(details, 'output_tokens_details', 'reasoning_tokens'),
    };
  }
  const isCacheRead = (k: string) => k.startsWith('input') && /cache_read|cached/.test(k);
  return {
    inputTokens: sumKeys(details, (k) => k.startsWith('input')),
    outputTokens: sumKeys(details, (k) => k.startsWith('output')),
    totalTokens: toCount(details.total),
    cacheReadTokens: sumKeys(details, isCacheRead),
    cacheWriteTokens: sumKeys(details, (k) => k.startsWith('input') && /cache_creation|cache_write/.test(k)),
    reasoningTokens: sumKeys(details, (k) => k.startsWith('output') && k.includes('reasoning')),
  };
}

/** LangSmith's OTel export nests details as JSON: `{cache_read, cache_creation}` / `{reasoning}`. */
function fromLangsmithDetails(attrs: AttrBag): Partial<Usage> {
  const input = decodeMaybeJson(attrs.get('gen_ai.usage.input_token_details'));
  const output = decodeMaybeJson(attrs.get('gen_ai.usage.output_token_details'));
  const usage: Partial<Usage> = {};
  if (isRecord(input)) {
    usage.cacheReadTokens = toCount(input.cache_read);
    usage.cacheWriteTokens = toCount(input.cache_creation);
    attrs.consume('gen_ai.usage.input_token_details');
  }
  if (isRecord(output)) {
    usage.reasoningTokens = toCount(output.reasoning);
    attrs.consume('gen_ai.usage.output_token_details');
  }
  return usage;
}

/**
 * Vercel `ai.response.providerMetadata` (JSON): cache and reasoning counts per provider. Read
 * only; the attribute stays raw because it carries much more than usage.
 */
function fromVercelProviderMetadata(attrs: AttrBag): Partial<Usage> {
  const meta = decodeMaybeJson(attrs.get('ai.response.providerMetadata'));
  if (!isRecord(meta)) return {};
  const openai = isRecord(meta.openai) ? meta.openai : {};
  const anthropic = isRecord(meta.anthropic) ? meta.anthropic : {};
  const bedrock = isRecord(meta.bedrock) && isRecord(meta.bedrock.usage) ? meta.bedrock.usage : {};
  return {
    cacheReadTokens: toCount(
      openai.cachedPromptTokens ?? anthropic.cacheReadInputTokens ?? bedrock.cacheReadInputTokens,
    ),
    cacheWriteTokens: toCount(anthropic.cacheCreationInputTokens ?? bedrock.cacheWriteInputTokens),
    reasoningTokens: toCount(openai.reasoningTokens),
  };
}

/** Usage from every source, first source winning per bucket; totals filled and input fixed to include cache. */
export function mapUsage(attrs: AttrBag): Usage {
  const langfuse = decodeMaybeJson(attrs.get('langfuse.observation.usage_details'));
  const merged: Partial<Usage> = {};
  if (isRecord(langfuse)) {
    Object.assign(merged, fromLangfuse(langfuse));
    attrs.consume('langfuse.observation.usage_details');
  }
  for (const bucket of Object.keys(USAGE_KEYS) as Bucket[])
    merged[bucket] ??= attrs.pick(USAGE_KEYS[bucket], toCount);
  for (const details of [fromLangsmithDetails(attrs), fromVercelProviderMetadata(attrs)]) {
    merged.cacheReadTokens ??= details.cacheReadTokens;
    merged.cacheWriteTokens ??= details.cacheWriteTokens;
    merged.reasoningTokens ??= details.reasoningTokens;
  }
  return completeUsage(merged);
}

/**
 * Canonical usage from the buckets a source reported: input made to include the cache, output
 * at least the reasoning, total reported or summed.
 */
export function completeUsage(merged: Partial<Usage>): Usage {
  const cacheRead = merged.cacheReadTokens ?? 0;
  const cacheWrite = merged.cacheWriteTokens ?? 0;
  let input = merged.inputTokens ?? 0;
  // Subsets larger than their whole mean the producer forwarded provider-raw (uncached) input,
  // as Anthropic reports it; OTel requires the cache to be included, so add it back.
  if (cacheRead + cacheWrite > input) input += cacheRead + cacheWrite;
  const output = Math.max(merged.outputTokens ?? 0, merged.reasoningTokens ?? 0);
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: merged.totalTokens ?? input + output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: merged.reasoningTokens ?? 0,
  };
}

function costFromDetails(details: Record<string, unknown>): Cost | undefined {
  const input = sumCost(details, (k) => k.startsWith('input'));
  const output = sumCost(details, (k) => k.startsWith('output'));
  const total = toNumber(details.total) ?? sumCost(details, () => true);
  if (total === undefined) return undefined;
  return { costUsd: total, inputCostUsd: input ?? 0, outputCostUsd: output ?? 0, costSource: 'reported' };
}

function sumCost(obj: Record<string, unknown>, test: (key: string) => boolean): number | undefined {
  let total: number | undefined;
  for (const [k, v] of Object.entries(obj)) {
    const n = toNumber(v);
    if (n !== undefined && n >= 0 && test(k) && k !== 'total') total = (total ?? 0) + n;
  }
  return total;
}

const NO_COST: Cost = { costUsd: 0, inputCostUsd: 0, outputCostUsd: 0, costSource: 'none' };

/**
 * Reported cost: Langfuse `cost_details` > OpenLIT `gen_ai.usage.cost` > OpenInference
 * `llm.cost.*`. A reported 0 for a call that used tokens is treated as "unknown" (OpenLIT sends
 * 0 when its price list lacks the model), so the enrich step can still compute it.
 */
export function mapCost(attrs: AttrBag, usage: Usage): Cost {
  const used = usage.inputTokens + usage.outputTokens > 0;
  const details = decodeMaybeJson(attrs.get('langfuse.observation.cost_details'));
  const fromLangfuse = isRecord(details) ? costFromDetails(details) : undefined;
  if (fromLangfuse !== undefined && (fromLangfuse.costUsd > 0 || !used)) {
    attrs.consume('langfuse.observation.cost_details');
    return fromLangfuse;
  }
  const positive = (v: unknown) => {
    const n = toNumber(v);
    return n !== undefined && n >= 0 && (n > 0 || !used) ? n : undefined;
  };
  const total = attrs.pick(['gen_ai.usage.cost', 'llm.cost.total', 'gen_ai.usage.total_cost'], positive);
  if (total === undefined) return NO_COST;
  return {
    costUsd: total,
    inputCostUsd: attrs.pick(['llm.cost.prompt', 'gen_ai.usage.input_cost'], toNumber) ?? 0,
    outputCostUsd: attrs.pick(['llm.cost.completion', 'gen_ai.usage.output_cost'], toNumber) ?? 0,
    costSource: 'reported',
  };
}
