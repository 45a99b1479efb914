/**
 * The resource agent: every interval it samples the host and its GPUs, scrapes the given
 * Prometheus endpoints, and sends it all to Argus as OTLP metrics. A failing source is logged
 * and skipped (scrape failures counted in `argus_agent_scrape_errors`); the agent never stops
 * on its own, except after one round with `once`.
 */
import os from 'node:os';
import type { Logger } from '@argus/server';
import { GpuSampler } from './gpu.ts';
import { HostSampler } from './host.ts';
import { type AgentMetric, countPoints, encodeMetricsRequest, type ResourceMetrics } from './otlp-json.ts';
import { Scraper, type ScrapeTarget } from './scrape.ts';
import { sendMetrics } from './send.ts';

/** Options of {@link runAgent}. */
export interface AgentOptions {
  /** Argus base URL. */
  url: string;
  /** API key (ingest role is enough), sent as `Authorization: Bearer`. */
  apiKey?: string;
  intervalMs: number;
  scrape: ScrapeTarget[];
  serviceName: string;
  /** Sample, send once, and return. */
  once: boolean;
  logger: Logger;
  version: string;
  /** PATH to look for nvidia-smi in. */
  pathList: string | undefined;
  /** Root of /proc and /sys (tests). */
  procRoot?: string;
  /** Stops the loop. */
  signal?: AbortSignal;
  /** Send retries (tests shorten them). */
  send?: { maxAttempts?: number; baseDelayMs?: number };
}

/** Most points per request; a round with more is sent in several. */
export const MAX_POINTS_PER_REQUEST = 5_000;
/** How long `once` waits between its two CPU readings. */
const ONCE_CPU_WINDOW_MS = 500;

/** Runs the agent; resolves to an exit code (0, or 1 when a `once` round could not be sent). */
export async function runAgent(options: AgentOptions): Promise<number> {
  const { logger } = options;
  const host = new HostSampler({
    root: options.procRoot,
    onError: (source, error) => logger.warn(`agent: cannot read ${source} metrics`, { error: String(error) }),
  });
  const gpu = new GpuSampler({ pathList: options.pathList, log: (level, message) => logger[level](message) });
  const scraper = new Scraper({ timeoutMs: Math.min(10_000, Math.max(1_000, options.intervalMs)) });
  const errors = new Map<string, number>(options.scrape.map((t) => [t.url, 0]));
  const startedNs = nowNs();
  const resource = {
    'service.name': options.serviceName,
    'host.name': os.hostname(),
    'host.arch': os.arch(),
    'os.type': os.platform(),
  };
  await host.prime();
  if (options.once) await delay(ONCE_CPU_WINDOW_MS, options.signal);
  logger.info('agent: sending metrics', {
    url: options.url,
    intervalMs: options.intervalMs,
    scrape: options.scrape.map((t) => t.url),
    gpu: gpu.isAvailable,
  });
  for (let next = Date.now(); ; ) {
    const round = await collect();
    const sent = await send(round);
    if (options.once) return sent ? 0 : 1;
    // Keep to the interval's grid, skipping ticks a slow round overran.
    next += options.intervalMs * Math.max(1, Math.ceil((Date.now() - next) / options.intervalMs));
    await delay(next - Date.now(), options.signal);
    if (options.signal?.aborted) return 0;
  }

  async function collect(): Promise<ResourceMetrics[]> {
    const timeNs = nowNs();
    const [hostMetrics, gpuMetrics, scrapes] = await Promise.all([
      host.sample(timeNs),
      gpu.sample(timeNs),
      Promise.all(options.scrape.map((target) => scrapeOne(target, timeNs))),
    ]);
    const up: AgentMetric = { name: 'argus_agent_scrape_up', kind: 'gauge', unit: '1', points: [] };
    const failed: AgentMetric = {
      name: 'argus_agent_scrape_errors',
      kind: 'sum',
      unit: '{error}',
      points: [],
    };
    for (const [i, target] of options.scrape.entries()) {
      const attributes = { 'url.full': target.url };
      up.points.push({ attributes, timeNs, value: scrapes[i] ? 1 : 0 });
      failed.points.push({ attributes, timeNs, startNs: startedNs, value: errors.get(target.url) ?? 0 });
    }
    const self = options.scrape.length > 0 ? [up, failed] : [];
    return [
      { resource, metrics: [...hostMetrics, ...gpuMetrics, ...self] },
      ...scrapes.filter((s) => s !== undefined),
    ];
  }

  async function scrapeOne(target: ScrapeTarget, timeNs: bigint): Promise<ResourceMetrics | undefined> {
    try {
      const result = await scraper.scrape(target, options.serviceName, timeNs);
      if (result.parseErrors.length > 0) {
        logger.warn('agent: skipped lines of a scrape', { url: target.url, errors: result.parseErrors });
      }
      return { resource: result.resource, metrics: result.metrics };
    } catch (error) {
      errors.set(target.url, (errors.get(target.url) ?? 0) + 1);
      logger.warn('agent: scrape failed', { url: target.url, error: (error as Error).message });
      return undefined;
    }
  }

  async function send(resources: ResourceMetrics[]): Promise<boolean> {
    let ok = true;
    for (const batch of batches(resources, MAX_POINTS_PER_REQUEST)) {
      const result = await sendMetrics(encodeMetricsRequest(batch, options.version), {
        url: options.url,
        apiKey: options.apiKey,
        ...options.send,
      });
      if (!result.ok) {
        ok = false;
        logger.warn('agent: cannot send metrics', {
          points: countPoints(batch),
          attempts: result.attempts,
          status: result.status,
          error: result.message,
        });
      } else if (result.rejected) {
        logger.warn('agent: the server rejected points', {
          rejected: result.rejected,
          error: result.message,
        });
      } else {
        logger.debug('agent: sent metrics', { points: countPoints(batch), attempts: result.attempts });
      }
    }
    return ok;
  }
}

/** Splits resources into requests of at most `maxPoints` points (a metric is never split). */
export function batches(resources: readonly ResourceMetrics[], maxPoints: number): ResourceMetrics[][] {
  const out: ResourceMetrics[][] = [];
  let current: ResourceMetrics[] = [];
  let points = 0;
  for (const r of resources) {
    let part: ResourceMetrics = { resource: r.resource, metrics: [] };
    for (const metric of r.metrics) {
      if (points + metric.points.length > maxPoints && points > 0) {
        if (part.metrics.length > 0) current.push(part);
        out.push(current);
        current = [];
        points = 0;
        part = { resource: r.resource, metrics: [] };
      }
      part.metrics.push(metric);
      points += metric.points.length;
    }
    if (part.metrics.length > 0) current.push(part);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
