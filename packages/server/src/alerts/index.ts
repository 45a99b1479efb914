/**
 * Alerting: rules over request metrics, OTLP metrics and scores (threshold, anomaly, budget),
 * an evaluator under a lease, and notifications (webhook, Slack, email). `createAlerting`
 * wires the parts for the server; the API lives in routes.ts.
 */
import type { SecretBox } from '../auth/secret-box.ts';
import type { Logger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { AlertRepository } from './alert-repository.ts';
import { AlertEvaluator } from './evaluator.ts';
import { NotificationDispatcher, type RetryPolicy } from './notify/dispatcher.ts';

export { AlertRepository } from './alert-repository.ts';
export { AlertEvaluator, type TickResult } from './evaluator.ts';
export { NotificationDispatcher } from './notify/dispatcher.ts';

/** The alerting parts of one server. */
export interface Alerting {
  repo: AlertRepository;
  dispatcher: NotificationDispatcher;
  /** Undefined when evaluation is off (`alertsIntervalMs` 0). */
  evaluator: AlertEvaluator | undefined;
  /** Starts evaluating (after the server listens, so links carry its URL). */
  start(baseUrl: string): void;
  /** Stops evaluating, gives up the lease and finishes deliveries in flight. */
  stop(): Promise<void>;
}

/** Creates the alerting parts over the server's stores. */
export function createAlerting(options: {
  metadata: MetadataStore;
  driver: ClickhouseDriver;
  logger: Logger;
  intervalMs: number;
  retry?: Partial<RetryPolicy>;
  /** Seals channel secrets at rest. */
  secretBox?: SecretBox;
}): Alerting {
  const repo = new AlertRepository(options.metadata.sql, options.secretBox);
  const dispatcher = new NotificationDispatcher({ repo, logger: options.logger, retry: options.retry });
  let evaluator: AlertEvaluator | undefined;
  return {
    repo,
    dispatcher,
    get evaluator() {
      return evaluator;
    },
    start(baseUrl) {
      if (options.intervalMs <= 0 || evaluator) return;
      evaluator = new AlertEvaluator({
        repo,
        driver: options.driver,
        dispatcher,
        logger: options.logger,
        intervalMs: options.intervalMs,
        baseUrl,
      });
      evaluator.start();
    },
    async stop() {
      await evaluator?.stop();
      await dispatcher.close();
    },
  };
}
