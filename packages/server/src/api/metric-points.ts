/**
 * The OTLP metrics query API: `GET /api/v1/metrics/points` (one metric as time series,
 * aggregated and grouped by attributes) and `GET /api/v1/metrics/names` (what was sent).
 */
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import {
  listMetricNames,
  maxWindowMsFor,
  parseMetricNameParams,
  parseMetricPointParams,
  queryMetricPoints,
} from '../query/index.ts';
import type { Store } from '../store/index.ts';

/** What the metric-point routes need. */
export interface MetricPointDeps {
  store: Store;
  config: Config;
  /** The project a request belongs to (from its credentials). */
  projectOf: (request: IncomingMessage) => string;
}

/** Registers `/api/v1/metrics/points` and `/api/v1/metrics/names`. */
export function registerMetricPointRoutes(router: Router, deps: MetricPointDeps): void {
  const maxWindowMs = maxWindowMsFor(deps.config.retentionDays);
  router.on('GET', '/api/v1/metrics/points', 'read', async ({ request, url }) => {
    const params = parseMetricPointParams(url.searchParams, { maxWindowMs });
    return noStore(await queryMetricPoints(deps.store.driver, deps.projectOf(request), params));
  });
  router.on('GET', '/api/v1/metrics/names', 'read', async ({ request, url }) => {
    const params = parseMetricNameParams(url.searchParams, { maxWindowMs });
    return noStore(await listMetricNames(deps.store.driver, deps.projectOf(request), params));
  });
}
