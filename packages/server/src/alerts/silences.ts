/** Silence matching, pure: which silence (if any) mutes a rule's notifications at a time. */
import type { AlertRule, Silence } from './schemas.ts';

/** The labels a silence can match: the rule's own, plus `severity`, `type` and `name`. */
export function ruleLabels(rule: AlertRule): Record<string, string> {
  return { ...rule.labels, severity: rule.severity, type: rule.type, name: rule.name };
}

/** The first silence in force at `nowMs` whose matcher matches the rule, or undefined. */
export function findSilence(
  rule: AlertRule,
  silences: readonly Silence[],
  nowMs: number,
): Silence | undefined {
  const labels = ruleLabels(rule);
  return silences.find(
    (s) =>
      s.projectId === rule.projectId &&
      Date.parse(s.startsAt) <= nowMs &&
      nowMs < Date.parse(s.endsAt) &&
      (s.matcher.ruleId === undefined || s.matcher.ruleId === rule.id) &&
      Object.entries(s.matcher.labels).every(([key, value]) => labels[key] === value),
  );
}
