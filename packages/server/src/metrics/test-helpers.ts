/** Helpers shared by the metrics tests. */
import type { Span } from '@argus/shared';
import { registerGenAiMetrics, spanMetricFacts } from './genai.ts';
import type { MetricsRegistry } from './registry.ts';

/** The observer the ingest path gets, called with whole spans as the tests write them. */
export function observerOf(registry: MetricsRegistry, onError?: (error: unknown) => void) {
  const observe = registerGenAiMetrics(registry, onError);
  return (spans: Span[], skipIndexes?: readonly number[]) => observe(spans.map(spanMetricFacts), skipIndexes);
}
