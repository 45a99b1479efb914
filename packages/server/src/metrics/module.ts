/** Prometheus exposition at /metrics. */
import { requestAuth } from '../auth/context.ts';
import type { Capability } from '../capability.ts';
import { registerMetricsRoute } from './index.ts';

export const metricsModule: Capability = {
  name: 'metrics',
  register({ router, metrics }) {
    // A project's callers see only its GenAI series; instance administrators see everything.
    registerMetricsRoute(router, metrics, (request) =>
      requestAuth(request).instanceAdmin ? undefined : requestAuth(request).projectId,
    );
  },
};
