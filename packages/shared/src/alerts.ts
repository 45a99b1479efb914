/**
 * Wire types of alerting (docs/alerts.md): rules, their states and history, notification channels
 * and silences as `/api/v1/alerts/*` accepts and answers them. The server's zod schemas
 * (alerts/schemas.ts) validate requests and are checked against these.
 */
import type { MetricName } from './api.ts';

/** Severity of a rule. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rule types. */
export const RULE_TYPES = ['threshold', 'anomaly', 'budget'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** How a value is compared with a threshold. */
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Aggregations over OTLP metric points in the window. */
export const OTLP_AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'last', 'count'] as const;
/** Aggregations over scores in the window. */
export const SCORE_AGGREGATIONS = ['avg', 'min', 'count'] as const;

/** A metric of `/api/v1/metrics/series` with the same filters (`service`, `model`, `kind` …). */
export interface SeriesSource {
  kind: 'series';
  metric: MetricName;
  filters: Record<string, string | number | string[]>;
}

/** OTLP metric points: name, attribute equality filters, aggregation. */
export interface OtlpMetricSource {
  kind: 'otlpMetric';
  name: string;
  attributes: Record<string, string>;
  aggregation: (typeof OTLP_AGGREGATIONS)[number];
}

/** Scores of one name, aggregated over the window. */
export interface ScoreSource {
  kind: 'score';
  name: string;
  aggregation: (typeof SCORE_AGGREGATIONS)[number];
}

/** Where a rule reads its value. */
export type RuleSource = SeriesSource | OtlpMetricSource | ScoreSource;

/** Options of an anomaly rule (defaults applied). */
export interface AnomalyOptions {
  /** Band half-width in robust standard deviations (1.4826·MAD). */
  sensitivity: number;
  /** Days of history the baseline learns from. */
  historyDays: number;
  direction: 'both' | 'above' | 'below';
  /** Smallest band half-width in the metric's unit (a flat series has MAD 0). */
  minBandWidth: number;
  /** Smallest band half-width as a fraction of the baseline. */
  minRelativeWidth: number;
}

/** Options of a budget rule (defaults applied). */
export interface BudgetOptions {
  period: 'day' | 'week' | 'month';
  amountUsd: number;
  /** Percentages of the budget that notify, ascending. */
  percentages: number[];
}

/** A rule as written (the POST/PUT body); absent fields take their defaults. */
export interface RuleInput {
  name: string;
  description?: string;
  type: RuleType;
  enabled?: boolean;
  /** Required except for budget rules (which read `costUsd`). */
  source?: RuleSource;
  /** A duration such as `5m`. */
  window?: string;
  comparison?: Comparison;
  threshold?: number;
  for?: string;
  severity?: Severity;
  /** Channel ids. */
  channels?: string[];
  renotifyInterval?: string;
  labels?: Record<string, string>;
  anomaly?: Partial<AnomalyOptions>;
  budget?: Omit<BudgetOptions, 'percentages'> & { percentages?: number[] };
}

/** A rule with its defaults applied, as validated. */
export interface RuleSettings
  extends Required<Omit<RuleInput, 'threshold' | 'renotifyInterval' | 'anomaly' | 'budget'>> {
  threshold?: number;
  renotifyInterval?: string;
  anomaly?: AnomalyOptions;
  budget?: BudgetOptions;
}

/** A stored rule. */
export interface AlertRule extends RuleSettings {
  id: string;
  projectId: string;
  createdAt: string;
  updatedAt: string;
}

/** The state of one rule. `resolved` is normal again after firing; `ok` is normal otherwise. */
export type AlertStateName = 'ok' | 'pending' | 'firing' | 'resolved';

/** A history event kind. */
export type AlertEventKind = 'pending' | 'firing' | 'resolved' | 'cancelled' | 'renotified' | 'escalated';

/** The stored state of one rule. */
export interface RuleState {
  ruleId: string;
  projectId: string;
  state: AlertStateName;
  /** When the current state began. */
  since: string;
  /** When the current breach began (pending and firing). */
  activeSince?: string;
  value?: number;
  threshold?: number;
  lower?: number;
  upper?: number;
  /** Budget rules: the highest percentage reached this period. */
  level?: number;
  /** Budget rules: the calendar period the level belongs to. */
  periodKey?: string;
  lastEvaluatedAt?: string;
  lastNotifiedAt?: string;
  /** Why the last evaluation failed, if it did. */
  lastError?: string;
}

/** How a notification to one channel went. */
export interface Delivery {
  channelId: string;
  channelType?: string;
  status: 'pending' | 'delivered' | 'failed' | 'silenced' | 'missing';
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

/** A history event. */
export interface AlertEvent {
  id: string;
  projectId: string;
  ruleId: string;
  ruleName: string;
  kind: AlertEventKind;
  state: AlertStateName;
  value?: number;
  threshold?: number;
  lower?: number;
  upper?: number;
  details: Record<string, unknown>;
  time: string;
  delivery: Delivery[];
}

/** A point of an anomaly rule's band (`/api/v1/alerts/rules/{id}/band`). */
export interface BandPoint {
  time: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  anomalous: boolean;
}

/** Channel types. */
export const CHANNEL_TYPES = ['webhook', 'slack', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A stored notification channel; reads show secrets as `********`. */
export interface Channel {
  id: string;
  projectId: string;
  name: string;
  type: ChannelType;
  /** The type's settings (docs/alerts.md). */
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A stored silence. */
export interface Silence {
  id: string;
  projectId: string;
  /** `ruleId` and every label must equal the rule's (its `labels`, plus `severity`, `type`, `name`). */
  matcher: { ruleId?: string; labels: Record<string, string> };
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
  createdAt: string;
}
