/**
 * Prometheus metrics of online evaluation (`/metrics`): per rule, evaluations by outcome, judge
 * spend and lag behind the newest stored spans; per project, spans the output-health checks read
 * and the flags they raised. Series carry `argus_project`, so a project's scrape sees its own.
 */
import { type MetricFamily, type MetricsRegistry, PROJECT_LABEL } from '../metrics/registry.ts';

/** The online-evaluation metric families. */
export interface OnlineMetrics {
  evaluations: MetricFamily<'counter'>;
  spend: MetricFamily<'counter'>;
  lag: MetricFamily<'gauge'>;
  healthChecked: MetricFamily<'counter'>;
  healthFlags: MetricFamily<'counter'>;
}

/** Registers the families on the server's registry. */
export function registerOnlineMetrics(registry: MetricsRegistry): OnlineMetrics {
  const partition = { partitionLabel: PROJECT_LABEL };
  return {
    evaluations: registry.counter({
      name: 'argus_online_evaluations_total',
      help: 'Spans (or traces) an online evaluation rule handled, by outcome: scored, failed (an evaluator failed), skipped (rate or budget limit)',
      labelNames: [PROJECT_LABEL, 'rule', 'outcome'],
      boundedLabels: ['outcome'],
      ...partition,
    }),
    spend: registry.counter({
      name: 'argus_online_spend_usd_total',
      help: 'Cost of the model calls of online evaluation rules (judges, embeddings), in US dollars',
      labelNames: [PROJECT_LABEL, 'rule'],
      ...partition,
    }),
    lag: registry.gauge({
      name: 'argus_online_lag_seconds',
      help: 'How far an online evaluation rule is behind the spans stored, in seconds (its delay included)',
      labelNames: [PROJECT_LABEL, 'rule'],
      ...partition,
    }),
    healthChecked: registry.counter({
      name: 'argus_output_health_checked_total',
      help: 'LLM spans the built-in output-health checks read',
      labelNames: [PROJECT_LABEL],
      ...partition,
    }),
    healthFlags: registry.counter({
      name: 'argus_output_health_flags_total',
      help: 'Output-health flags raised on LLM spans, by flag (truncated, empty, refusal, repetition, language_mismatch, invalid_json, undeclared_tool)',
      labelNames: [PROJECT_LABEL, 'flag'],
      boundedLabels: ['flag'],
      ...partition,
    }),
  };
}
