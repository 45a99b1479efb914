/**
 * The gateway's Prometheus metrics: calls by project, endpoint and outcome, the added latency
 * (histogram, ms), fallbacks, cache hits and misses, and spend per key (USD today and this month,
 * from limits.ts at each scrape). Every series carries `argus_project`, so a project's scrape sees
 * its own. A bounded sample of recent overheads gives the status API its quantiles.
 */
import type { MetricsRegistry } from '../metrics/registry.ts';
import { PROJECT_LABEL } from '../metrics/registry.ts';
import type { KeyLimiter } from './limits.ts';
import { quantile } from './recorder.ts';

/** Upper bounds of the overhead histogram, ms. */
export const OVERHEAD_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100];
const SAMPLE_SIZE = 10_000;

/** What the gateway records per call. */
export interface GatewayMetrics {
  observeCall(c: {
    projectId: string;
    endpoint: string;
    status: number;
    cached: boolean;
    fallback: boolean;
    overheadMs: number;
  }): void;
  observeCache(hit: boolean, projectId: string): void;
  /** Overhead histogram and quantiles since the start. */
  overhead(): { calls: number; bucketsMs: number[]; counts: number[]; p50Ms: number; p99Ms: number };
}

/** Registers the metrics. */
export function registerGatewayMetrics(registry: MetricsRegistry, limiter: KeyLimiter): GatewayMetrics {
  const calls = registry.counter({
    name: 'argus_gateway_requests_total',
    help: 'Gateway calls by project, endpoint, HTTP status class and whether the cache answered.',
    labelNames: [PROJECT_LABEL, 'endpoint', 'status_class', 'cached'],
    boundedLabels: ['endpoint', 'status_class', 'cached'],
    partitionLabel: PROJECT_LABEL,
  });
  const fallbacks = registry.counter({
    name: 'argus_gateway_fallbacks_total',
    help: 'Gateway calls answered after at least one failed attempt (retry or fallback).',
    labelNames: [PROJECT_LABEL],
    partitionLabel: PROJECT_LABEL,
  });
  const overhead = registry.histogram({
    name: 'argus_gateway_overhead_milliseconds',
    help: 'Latency the gateway added to a call (its own time, provider time excluded), ms.',
    labelNames: [PROJECT_LABEL],
    partitionLabel: PROJECT_LABEL,
    buckets: OVERHEAD_BUCKETS_MS,
  });
  const cache = registry.counter({
    name: 'argus_gateway_cache_lookups_total',
    help: 'Response cache lookups by result (hit or miss).',
    labelNames: [PROJECT_LABEL, 'result'],
    boundedLabels: ['result'],
    partitionLabel: PROJECT_LABEL,
  });
  const spend = registry.gauge({
    name: 'argus_gateway_key_spend_usd',
    help: 'Spend of each API key through the gateway, USD, in the current UTC day or month.',
    labelNames: [PROJECT_LABEL, 'key_id', 'period'],
    boundedLabels: ['period'],
    partitionLabel: PROJECT_LABEL,
  });
  registry.onCollect(() => {
    for (const s of limiter.spendOf(undefined)) {
      spend.labels(s.projectId, s.keyId, 'day').set(s.usdToday);
      spend.labels(s.projectId, s.keyId, 'month').set(s.usdMonth);
    }
  });
  const counts = new Array<number>(OVERHEAD_BUCKETS_MS.length + 1).fill(0);
  const sample: number[] = [];
  let total = 0;
  return {
    observeCall(c) {
      calls.labels(c.projectId, c.endpoint, `${Math.floor(c.status / 100)}xx`, String(c.cached)).inc();
      if (c.fallback) fallbacks.labels(c.projectId).inc();
      overhead.labels(c.projectId).observe(c.overheadMs);
      let i = 0;
      while (i < OVERHEAD_BUCKETS_MS.length && c.overheadMs > OVERHEAD_BUCKETS_MS[i]!) i++;
      counts[i]!++;
      if (sample.length < SAMPLE_SIZE) sample.push(c.overheadMs);
      else sample[total % SAMPLE_SIZE] = c.overheadMs;
      total++;
    },
    observeCache(hit, projectId) {
      cache.labels(projectId, hit ? 'hit' : 'miss').inc();
    },
    overhead() {
      const sorted = [...sample].sort((a, b) => a - b);
      return {
        calls: total,
        bucketsMs: OVERHEAD_BUCKETS_MS,
        counts: [...counts],
        p50Ms: quantile(sorted, 0.5),
        p99Ms: quantile(sorted, 0.99),
      };
    },
  };
}
