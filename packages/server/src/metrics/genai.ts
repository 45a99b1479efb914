/**
 * GenAI metrics fed from ingested spans: the OTel GenAI client histograms translated to
 * Prometheus names (`gen_ai.client.operation.duration` → `gen_ai_client_operation_duration_seconds`)
 * with the conventions' advisory buckets, plus Argus counters for requests, errors, tokens and
 * cost. Only llm and embedding spans are GenAI operations; only those that count usage
 * (not aggregates of their children) add tokens and cost, as in the store's rollups.
 */
import type { Span } from '@argus/shared';
import { countsUsage } from '../store/rows.ts';
import {
  type CounterChild,
  type HistogramChild,
  type MetricFamily,
  type MetricsRegistry,
  PROJECT_LABEL,
} from './registry.ts';

/** `gen_ai.client.operation.duration` advisory bucket boundaries, seconds. */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** `gen_ai.client.token.usage` advisory bucket boundaries, tokens. */
export const TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** `argus_gen_ai_perplexity` bucket boundaries (perplexity is ≥ 1; 1 = every token certain). */
export const PERPLEXITY_BUCKETS: readonly number[] = [1.05, 1.1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100];
/**
 * The labels every GenAI metric carries. `argus_project` comes first: a scoped scrape keeps only
 * its project's series, and each project has its own bound on label sets.
 */
export const GENAI_LABELS: readonly string[] = [
  PROJECT_LABEL,
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'gen_ai_response_model',
  'service_name',
  'deployment_environment',
];
/** Token types of `argus_gen_ai_tokens_total`. */
export const TOKEN_TYPES = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'] as const;

/** The series of one label set, created lazily so unused ones never show in a scrape. */
interface LabelSet {
  values: readonly string[];
  requests: CounterChild;
  duration: HistogramChild;
  ttft?: HistogramChild;
  inputUsage?: HistogramChild;
  outputUsage?: HistogramChild;
  perplexity?: HistogramChild;
  cost?: CounterChild;
  tokens: (CounterChild | undefined)[];
}

/** What the GenAI metrics read of a span. */
export type SpanMetricFacts = Pick<
  Span,
  | 'projectId'
  | 'serviceName'
  | 'environment'
  | 'kind'
  | 'provider'
  | 'operation'
  | 'requestModel'
  | 'responseModel'
  | 'status'
  | 'errorType'
  | 'durationMs'
  | 'ttftMs'
  | 'inputTokens'
  | 'outputTokens'
  | 'reasoningTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'costUsd'
  | 'perplexity'
> & {
  /** Whether its tokens and cost count (not an aggregate of model calls recorded below it). */
  countsUsage: boolean;
};

/**
 * Only the metric facts of a span: kept instead of the span while its write is under way, so
 * the span (its text, attributes, events) can be collected young (docs/benchmarks.md).
 */
export function spanMetricFacts(span: Span): SpanMetricFacts {
  return {
    projectId: span.projectId,
    serviceName: span.serviceName,
    environment: span.environment,
    kind: span.kind,
    provider: span.provider,
    operation: span.operation,
    requestModel: span.requestModel,
    responseModel: span.responseModel,
    status: span.status,
    errorType: span.errorType,
    durationMs: span.durationMs,
    ttftMs: span.ttftMs,
    inputTokens: span.inputTokens,
    outputTokens: span.outputTokens,
    reasoningTokens: span.reasoningTokens,
    cacheReadTokens: span.cacheReadTokens,
    cacheWriteTokens: span.cacheWriteTokens,
    costUsd: span.costUsd,
    perplexity: span.perplexity,
    countsUsage: countsUsage(span),
  };
}

/** Records spans into the GenAI metrics. */
export type SpanObserver = (spans: readonly SpanMetricFacts[], skipIndexes?: readonly number[]) => void;

/**
 * Registers the GenAI metrics; returns the observer the ingest path calls with stored spans.
 * The observer never throws (the spans are already acknowledged); a failure goes to `onError`.
 */
export function registerGenAiMetrics(
  registry: MetricsRegistry,
  onError: (error: unknown) => void = () => {},
): SpanObserver {
  const families = registerFamilies(registry);
  const labelSetOf = labelSetCache(registry, families);
  return (spans, skipIndexes) => {
    let skip = 0;
    for (let i = 0; i < spans.length; i++) {
      if (skipIndexes !== undefined && skipIndexes[skip] === i) {
        skip++;
        continue;
      }
      try {
        observeSpan(spans[i]!, labelSetOf, families);
      } catch (error) {
        onError(error);
      }
    }
  };
}

/** The GenAI metric families, registered once. */
type GenAiFamilies = ReturnType<typeof registerFamilies>;

/** Registers the GenAI histograms and counters (the type-labelled ones hold a set per type). */
function registerFamilies(registry: MetricsRegistry) {
  const n = registry.maxLabelSets;
  // The type labels take a few fixed values, so those families hold that many times the sets.
  const withType = (extra: string, values: number) => ({
    labelNames: [...GENAI_LABELS, extra],
    boundedLabels: [extra],
    maxLabelSets: n * values,
    partitionLabel: PROJECT_LABEL,
  });
  const common = { labelNames: GENAI_LABELS, partitionLabel: PROJECT_LABEL };
  const families = {
    requests: registry.counter({
      name: 'argus_gen_ai_requests_total',
      help: 'GenAI operations (llm and embedding spans) received.',
      ...common,
    }),
    errors: registry.counter({
      name: 'argus_gen_ai_errors_total',
      help: 'GenAI operations that ended in error, by error.type (_OTHER when none was reported).',
      labelNames: [...GENAI_LABELS, 'error_type'],
      partitionLabel: PROJECT_LABEL,
    }),
    duration: registry.histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'GenAI operation duration (gen_ai.client.operation.duration).',
      ...common,
      unit: 'seconds',
      buckets: DURATION_BUCKETS,
    }),
    ttft: registry.histogram({
      name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
      help: 'Time to the first chunk of streamed GenAI responses (gen_ai.client.operation.time_to_first_chunk).',
      ...common,
      unit: 'seconds',
      buckets: DURATION_BUCKETS,
    }),
    usage: registry.histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Tokens per GenAI operation by gen_ai.token.type (gen_ai.client.token.usage).',
      ...withType('gen_ai_token_type', 2),
      buckets: TOKEN_BUCKETS,
    }),
    tokens: registry.counter({
      name: 'argus_gen_ai_tokens_total',
      help: 'Tokens of GenAI operations by type; input includes cached tokens.',
      ...withType('type', TOKEN_TYPES.length),
    }),
    perplexity: registry.histogram({
      name: 'argus_gen_ai_perplexity',
      help: 'Perplexity (exp of the negative mean token logprob) of GenAI operations that carried logprobs.',
      ...common,
      buckets: PERPLEXITY_BUCKETS,
    }),
    cost: registry.counter({
      name: 'argus_gen_ai_cost_usd_total',
      help: 'Cost of GenAI operations in US dollars (reported, or computed from the pricing catalog).',
      ...common,
      unit: 'usd',
    }),
  };
  return families;
}

/**
 * The label set of a span, from a per-project cache. Label sets seen so far per project are
 * bounded like the families; past the bound nothing is cached, so every observation goes through
 * the family, which folds it into `other` and counts it as dropped.
 */
function labelSetCache(
  registry: MetricsRegistry,
  families: GenAiFamilies,
): (span: SpanMetricFacts) => LabelSet {
  const caches = new Map<string, Map<string, LabelSet>>();
  return (span: SpanMetricFacts): LabelSet => {
    let cache = caches.get(span.projectId);
    if (!cache) {
      cache = new Map();
      caches.set(span.projectId, cache);
    }
    const key = `${span.operation}\u0001${span.provider}\u0001${span.requestModel}\u0001${span.responseModel}\u0001${span.serviceName}\u0001${span.environment}`;
    const found = cache.get(key);
    if (found) return found;
    const values = [
      span.projectId,
      span.operation,
      span.provider,
      span.requestModel,
      span.responseModel,
      span.serviceName,
      span.environment,
    ];
    // Every GenAI span counts a request and a duration; the other series appear when first used.
    const set: LabelSet = {
      values,
      requests: families.requests.child(values),
      duration: families.duration.child(values),
      tokens: [],
    };
    if (cache.size < registry.maxLabelSets) cache.set(key, set);
    return set;
  };
}

/** Records one span (only llm and embedding spans are GenAI operations). */
function observeSpan(
  span: SpanMetricFacts,
  labelSetOf: (span: SpanMetricFacts) => LabelSet,
  families: GenAiFamilies,
): void {
  if (span.kind !== 'llm' && span.kind !== 'embedding') return;
  const set = labelSetOf(span);
  set.requests.inc();
  if (Number.isFinite(span.durationMs) && span.durationMs >= 0) set.duration.observe(span.durationMs / 1000);
  if (span.ttftMs !== undefined && Number.isFinite(span.ttftMs) && span.ttftMs >= 0) {
    if (!set.ttft) set.ttft = families.ttft.child(set.values);
    set.ttft.observe(span.ttftMs / 1000);
  }
  if (span.perplexity !== undefined && Number.isFinite(span.perplexity)) {
    if (!set.perplexity) set.perplexity = families.perplexity.child(set.values);
    set.perplexity.observe(span.perplexity);
  }
  // Errors are rare, so their series are looked up per span rather than cached per label set.
  if (span.status === 'error') families.errors.child([...set.values, span.errorType || '_OTHER']).inc();
  if (!span.countsUsage) return;
  if (span.inputTokens > 0) {
    if (!set.inputUsage) set.inputUsage = families.usage.child([...set.values, 'input']);
    set.inputUsage.observe(span.inputTokens);
  }
  if (span.outputTokens > 0) {
    if (!set.outputUsage) set.outputUsage = families.usage.child([...set.values, 'output']);
    set.outputUsage.observe(span.outputTokens);
  }
  addTokens(set, 0, span.inputTokens, families.tokens);
  addTokens(set, 1, span.outputTokens, families.tokens);
  addTokens(set, 2, span.cacheReadTokens, families.tokens);
  addTokens(set, 3, span.cacheWriteTokens, families.tokens);
  addTokens(set, 4, span.reasoningTokens, families.tokens);
  if (span.costUsd > 0) {
    if (!set.cost) set.cost = families.cost.child(set.values);
    set.cost.inc(span.costUsd);
  }
}

function addTokens(set: LabelSet, type: number, count: number, family: MetricFamily<'counter'>): void {
  if (count <= 0) return;
  let child = set.tokens[type];
  if (!child) {
    child = family.child([...set.values, TOKEN_TYPES[type]!]);
    set.tokens[type] = child;
  }
  child.inc(count);
}
