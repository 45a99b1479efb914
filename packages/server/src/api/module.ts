/** The query API: spans, traces, sessions, metrics series, metric points and exports. */
import type { Capability } from '../capability.ts';
import { registerExportRoutes } from './export.ts';
import { registerMetricPointRoutes } from './metric-points.ts';
import { registerApiRoutes } from './routes.ts';

/** The read API and health (registered first: its literal paths precede other capabilities'). */
export const queryApiModule: Capability = {
  name: 'query-api',
  register({ router, store, config, projectOf, startedAt, version }) {
    registerApiRoutes(router, { store, config, projectOf, startedAt, version });
  },
};

/** Span exports (JSONL/CSV), with the export rate limits of the caller. */
export const exportModule: Capability = {
  name: 'export',
  register({ router, store, config, auth, logger }) {
    registerExportRoutes(router, { store, config, auth, logger });
  },
};

/** Stored OTLP metric points (resource metrics: CPU, memory, GPU). */
export const metricPointsModule: Capability = {
  name: 'metric-points',
  register({ router, store, config, projectOf }) {
    registerMetricPointRoutes(router, { store, config, projectOf });
  },
};
