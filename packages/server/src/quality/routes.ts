/**
 * The quality capability's HTTP face: LLM connections, datasets and evaluators (experiments
 * register theirs beside these). One registration for the server's module list.
 */
import type { IncomingMessage } from 'node:http';
import type { RecordAudit } from '../audit/audit-log.ts';
import type { Router } from '../http/router.ts';
import type { ProbeOptions } from '../redact/regex-probe.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { registerConnectionRoutes } from './connection-routes.ts';
import { registerDatasetRoutes } from './dataset-routes.ts';
import { registerEvaluatorRoutes } from './evaluator-routes.ts';
import type { Quality } from './service.ts';

/** What the quality routes need. */
export interface QualityRouteDeps {
  quality: Quality;
  driver: ClickhouseDriver;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log. */
  audit: RecordAudit;
  /** Largest query window (from-spans). */
  maxWindowMs: number;
  /** Regex probe settings (tests). */
  probe?: ProbeOptions;
}

/** Registers every connection, dataset and evaluator route. */
export function registerQualityRoutes(router: Router, deps: QualityRouteDeps): void {
  registerConnectionRoutes(router, deps);
  registerDatasetRoutes(router, deps);
  registerEvaluatorRoutes(router, deps);
}
