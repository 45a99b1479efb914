/**
 * The server's capabilities, in the order their routes are registered (a route's literal path must
 * come before another's parameter at the same place; the console is the GET fallback, so it is last).
 * A new capability is a folder with its `module.ts` and one line here (docs/architecture.md,
 * "Adding a capability"). They start in this order once the listener is up and stop in reverse.
 */
import { alertsModule } from './alerts/module.ts';
import { annotationModule } from './annotation/module.ts';
import { exportModule, metricPointsModule, queryApiModule } from './api/module.ts';
import { authModule, oidcModule } from './auth/module.ts';
import { driftModule } from './behaviour/drift/module.ts';
import { explainModule } from './behaviour/explain/module.ts';
import type { Capability } from './capability.ts';
import { gatewayModule } from './gateway/module.ts';
import { governanceModule } from './governance/module.ts';
import { consoleModule } from './http/console-module.ts';
import { otlpModule } from './ingest/module.ts';
import { langsmithModule } from './langsmith/module.ts';
import { metricsModule } from './metrics/module.ts';
import { onlineModule } from './online/module.ts';
import { pricingModule } from './pricing/module.ts';
import { experimentsModule, qualityModule } from './quality/module.ts';
import { redactionModule } from './redact/module.ts';
import { scoresModule } from './scores/module.ts';

export const MODULES: readonly Capability[] = [
  otlpModule,
  langsmithModule,
  queryApiModule,
  authModule,
  exportModule,
  scoresModule,
  governanceModule,
  metricPointsModule,
  metricsModule,
  redactionModule,
  pricingModule,
  alertsModule,
  qualityModule,
  experimentsModule,
  gatewayModule,
  driftModule,
  explainModule,
  onlineModule,
  annotationModule,
  oidcModule,
  consoleModule,
];
