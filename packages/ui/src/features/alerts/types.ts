/** Alerting records as the API answers them (see packages/server/src/alerts/rule-schema.ts). */

/** Severity of a rule. */
export type Severity = 'info' | 'warning' | 'critical';
/** Rule types. */
export type RuleType = 'threshold' | 'anomaly' | 'budget';
/** Comparisons of a threshold rule. */
export type Comparison = '>' | '>=' | '<' | '<=';

/** Where a rule reads its value. */
export type RuleSource =
  | { kind: 'series'; metric: string; filters: Record<string, string | number | string[]> }
  | { kind: 'otlpMetric'; name: string; attributes: Record<string, string>; aggregation: string }
  | { kind: 'score'; name: string; aggregation: string };

/** A rule body (POST/PUT). */
export interface RuleInput {
  name: string;
  description?: string;
  type: RuleType;
  enabled?: boolean;
  source?: RuleSource;
  window?: string;
  comparison?: Comparison;
  threshold?: number;
  for?: string;
  severity?: Severity;
  channels?: string[];
  renotifyInterval?: string;
  labels?: Record<string, string>;
  anomaly?: {
    sensitivity?: number;
    historyDays?: number;
    direction?: 'both' | 'above' | 'below';
    minBandWidth?: number;
    minRelativeWidth?: number;
  };
  budget?: { period: 'day' | 'week' | 'month'; amountUsd: number; percentages?: number[] };
}

/** A stored rule (defaults applied). */
export interface AlertRule extends RuleInput {
  id: string;
  source: RuleSource;
  window: string;
  for: string;
  severity: Severity;
  channels: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** State names. */
export type AlertStateName = 'ok' | 'pending' | 'firing' | 'resolved';

/** The state of one rule. */
export interface RuleState {
  ruleId: string;
  state: AlertStateName;
  since: string;
  activeSince?: string;
  value?: number;
  threshold?: number;
  lower?: number;
  upper?: number;
  level?: number;
  lastEvaluatedAt?: string;
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
  ruleId: string;
  ruleName: string;
  kind: 'pending' | 'firing' | 'resolved' | 'cancelled' | 'renotified' | 'escalated';
  state: AlertStateName;
  value?: number;
  threshold?: number;
  lower?: number;
  upper?: number;
  time: string;
  delivery: Delivery[];
}

/** Channel types. */
export type ChannelType = 'webhook' | 'slack' | 'email';

/** A notification channel (secrets redacted). */
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  createdAt: string;
}

/** A silence. */
export interface Silence {
  id: string;
  matcher: { ruleId?: string; labels: Record<string, string> };
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
}

/** One bucket of an anomaly band. */
export interface BandPoint {
  time: string;
  value?: number | null;
  lower?: number | null;
  upper?: number | null;
  anomalous?: boolean;
}
