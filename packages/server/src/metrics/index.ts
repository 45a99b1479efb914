/**
 * Prometheus metrics of the server: the registry, the GenAI metrics fed from ingested spans,
 * the server's own health, and the `GET /metrics` route (text 0.0.4 or OpenMetrics).
 */
import type { IncomingMessage } from 'node:http';
import type { Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import type { WriterTable } from '../store/writer.ts';
import { CONTENT_TYPES, negotiateFormat, renderExposition } from './exposition.ts';
import { registerGenAiMetrics, type SpanObserver } from './genai.ts';
import { MetricsRegistry } from './registry.ts';
import {
  type HealthSources,
  registerHealthMetrics,
  registerInsertDuration,
  registerProcessMetrics,
} from './server-health.ts';

export type { SpanObserver } from './genai.ts';
export type { HealthSources } from './server-health.ts';

/** The server's metrics. */
export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** Records spans the store accepted (skipping the indexes it dropped as duplicates). */
  readonly observeSpans: SpanObserver;
  /** Records one insert of the group-commit writer. */
  readonly observeInsert: (table: WriterTable, elapsedMs: number, rows: number) => void;
  /** Starts reading ingest, writer and store state at every scrape (once the store is open). */
  attach(sources: Omit<HealthSources, 'logger'>): void;
}

/** Options of {@link createServerMetrics}. */
export interface ServerMetricsOptions {
  version: string;
  logger: Logger;
  /** Most label sets per metric before folding into `other` (default 500). */
  maxLabelSets?: number;
}

/** Creates the registry with the GenAI and process metrics. */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new MetricsRegistry({
    maxLabelSets: options.maxLabelSets,
    onCollectError: (error) => options.logger.warn('metrics: a collector failed', { error: String(error) }),
  });
  let warned = false;
  const observeSpans = registerGenAiMetrics(registry, (error) => {
    if (warned) return;
    warned = true;
    options.logger.warn('metrics: cannot record a span (reported once)', { error: String(error) });
  });
  registerProcessMetrics(registry, options.version);
  const observeDuration = registerInsertDuration(registry);
  let attached = false;
  return {
    registry,
    observeSpans,
    observeInsert: (table, elapsedMs) => observeDuration(table, elapsedMs),
    attach(sources) {
      if (attached) throw new Error('Server metrics are attached twice');
      attached = true;
      registerHealthMetrics(registry, { ...sources, logger: options.logger });
    },
  };
}

/** The project a scrape may see (undefined = everything, e.g. an instance administrator). */
export type MetricsScope = (request: IncomingMessage) => string | undefined;

/**
 * Registers `GET /metrics`: OpenMetrics when the scraper asks for it, else text format 0.0.4.
 * With a project scope, only that project's GenAI series are served (no server health).
 */
export function registerMetricsRoute(router: Router, metrics: ServerMetrics, scopeOf: MetricsScope): void {
  router.on('GET', '/metrics', 'read', async ({ request }) => {
    // Query parameters are ignored: scrapers may add their own (Prometheus `params`).
    const format = negotiateFormat(request.headers.accept);
    const project = scopeOf(request);
    // A project's scrape shows no health metrics, so their collectors (store sizes …) need not run.
    if (project === undefined) await metrics.registry.collect();
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPES[format], 'cache-control': 'no-store' },
      body: renderExposition(metrics.registry.families(), format, { project }),
    };
  });
}
