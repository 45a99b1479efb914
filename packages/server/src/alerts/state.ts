/**
 * The alert state machine, pure: given the previous state of a rule and what the evaluator
 * just observed, the next state and the history events to record.
 *
 *   ok/resolved ──breach──► pending ──breach lasted `for`──► firing ──no breach──► resolved
 *        ▲                     │ no breach                     │ renotify interval: renotified
 *        └────── cancelled ◄───┘                               │ budget level rises: escalated
 */
import type { AlertEvent, AlertEventKind, AlertStateName, RuleState } from '@argus/shared';

export type { AlertEventKind, AlertStateName, RuleState };

/** Event kinds that notify channels. */
export const NOTIFYING_KINDS: ReadonlySet<AlertEventKind> = new Set([
  'firing',
  'resolved',
  'renotified',
  'escalated',
]);

/** What one evaluation saw. */
export interface Observation {
  /** The value, or undefined when the source had no data (never a breach). */
  value: number | undefined;
  breach: boolean;
  threshold?: number;
  lower?: number;
  upper?: number;
  level?: number;
  periodKey?: string;
  details?: Record<string, unknown>;
}

/** An event to record (and maybe notify). */
export type EventDraft = Pick<
  AlertEvent,
  'kind' | 'state' | 'value' | 'threshold' | 'lower' | 'upper' | 'details'
>;

/** Timing of a rule, in ms. */
export interface RuleTiming {
  forMs: number;
  renotifyMs?: number;
}

/** The next state and the events of one evaluation. */
export function advance(
  rule: RuleTiming,
  previous: RuleState | undefined,
  observation: Observation,
  nowMs: number,
  ids: { ruleId: string; projectId: string },
): { state: RuleState; events: EventDraft[] } {
  const now = new Date(nowMs).toISOString();
  const prev: RuleState = previous ?? { ...ids, state: 'ok', since: now };
  const measured = {
    value: observation.value,
    threshold: observation.threshold,
    lower: observation.lower,
    upper: observation.upper,
  };
  const base: RuleState = {
    ...prev,
    ...measured,
    level: observation.level ?? prev.level,
    periodKey: observation.periodKey ?? prev.periodKey,
    lastEvaluatedAt: now,
    lastError: undefined,
  };
  const event = (kind: AlertEventKind, state: AlertStateName): EventDraft => ({
    kind,
    state,
    ...measured,
    details: { ...(observation.details ?? {}) },
  });
  const isNormal = prev.state === 'ok' || prev.state === 'resolved';
  if (!observation.breach) {
    if (isNormal) return { state: base, events: [] };
    const next = prev.state === 'firing' ? 'resolved' : 'ok';
    return {
      state: { ...base, state: next, since: now, activeSince: undefined, level: undefined },
      events: [event(prev.state === 'firing' ? 'resolved' : 'cancelled', next)],
    };
  }
  const activeSince = isNormal ? now : (prev.activeSince ?? now);
  if (prev.state === 'firing') {
    const previousLevel = prev.periodKey === observation.periodKey ? (prev.level ?? 0) : 0;
    if (observation.level !== undefined && observation.level > previousLevel) {
      return { state: { ...base, lastNotifiedAt: now }, events: [event('escalated', 'firing')] };
    }
    const last = Date.parse(prev.lastNotifiedAt ?? prev.since);
    if (rule.renotifyMs !== undefined && nowMs - last >= rule.renotifyMs) {
      return { state: { ...base, lastNotifiedAt: now }, events: [event('renotified', 'firing')] };
    }
    return {
      state: { ...base, level: Math.max(observation.level ?? 0, previousLevel) || undefined },
      events: [],
    };
  }
  const events: EventDraft[] = [];
  if (isNormal && rule.forMs > 0) events.push(event('pending', 'pending'));
  if (nowMs - Date.parse(activeSince) >= rule.forMs) {
    events.push(event('firing', 'firing'));
    return { state: { ...base, state: 'firing', since: now, activeSince, lastNotifiedAt: now }, events };
  }
  return {
    state: { ...base, state: 'pending', since: isNormal ? now : prev.since, activeSince, level: undefined },
    events,
  };
}
