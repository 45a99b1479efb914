/** Row ↔ record mapping of the alert tables (JSON columns parsed, NULLs as undefined). */
import type { AlertEvent } from './alert-repository.ts';
import type { AlertRule, Channel, RuleInput, Silence } from './schemas.ts';
import type { AlertEventKind, AlertStateName, RuleState } from './state.ts';

/** A row as the SQL client answers it. */
export type Row = Record<string, unknown>;
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** A rule from its row. */
export function toRule(row: Row): AlertRule {
  return {
    ...(JSON.parse(String(row.definition)) as RuleInput),
    enabled: Number(row.enabled) === 1,
    id: String(row.id),
    projectId: String(row.project_id),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

/** A channel from its row. */
export function toChannel(row: Row): Channel {
  return {
    id: String(row.id),
    projectId: String(row.project_id),
    name: String(row.name),
    type: String(row.type),
    config: JSON.parse(String(row.config)),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  } as Channel;
}

/** A silence from its row. */
export function toSilence(row: Row): Silence {
  return {
    id: String(row.id),
    projectId: String(row.project_id),
    matcher: JSON.parse(String(row.matcher)),
    startsAt: String(row.starts_at),
    endsAt: String(row.ends_at),
    comment: String(row.comment),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
  };
}

/** A rule state from its row. */
export function toState(row: Row): RuleState {
  return {
    ruleId: String(row.rule_id),
    projectId: String(row.project_id),
    state: String(row.state) as AlertStateName,
    since: String(row.since),
    activeSince: str(row.active_since),
    value: num(row.value),
    threshold: num(row.threshold),
    lower: num(row.lower),
    upper: num(row.upper),
    level: num(row.level),
    periodKey: str(row.period_key),
    lastEvaluatedAt: str(row.last_evaluated_at),
    lastNotifiedAt: str(row.last_notified_at),
    lastError: str(row.last_error),
  };
}

/** A history event from its row. */
export function toEvent(row: Row): AlertEvent {
  return {
    id: String(row.id),
    projectId: String(row.project_id),
    ruleId: String(row.rule_id),
    ruleName: String(row.rule_name),
    kind: String(row.kind) as AlertEventKind,
    state: String(row.state) as AlertStateName,
    value: num(row.value),
    threshold: num(row.threshold),
    lower: num(row.lower),
    upper: num(row.upper),
    details: JSON.parse(String(row.details)),
    delivery: JSON.parse(String(row.delivery)),
    time: String(row.time),
  };
}
