/**
 * The typed client of online evaluation (docs/evaluation.md, "Online evaluation" and "Output
 * health"): rules, their dry run, runs and backfill, and the project's output-health switch.
 */
import type {
  BackfillStatus,
  EvaluationRule,
  EvaluationRuleInput,
  EvaluationRuleRun,
  OutputHealthSettings,
  RuleDryRun,
} from '@argus/shared';
import { requestJson, toSearch } from './api.ts';

const RULES = '/api/v1/evaluation-rules';
const enc = encodeURIComponent;

/** The project's rules with their status. */
export function fetchRules(signal?: AbortSignal): Promise<{ data: EvaluationRule[] }> {
  return requestJson(RULES, { signal });
}

/** Creates a rule. */
export function createRule(body: EvaluationRuleInput): Promise<{ data: EvaluationRule }> {
  return requestJson(RULES, { method: 'POST', body });
}

/** Changes a rule (any subset; `null` clears an optional field). */
export function updateRule(
  id: string,
  body: Partial<Record<keyof EvaluationRuleInput, unknown>>,
): Promise<{ data: EvaluationRule }> {
  return requestJson(`${RULES}/${enc(id)}`, { method: 'PATCH', body });
}

/** Deletes a rule. */
export function deleteRule(id: string): Promise<unknown> {
  return requestJson(`${RULES}/${enc(id)}`, { method: 'DELETE' });
}

/** Dry-runs a rule as it would be saved on the newest matching spans. */
export function validateRule(body: EvaluationRuleInput & { limit?: number }): Promise<{ data: RuleDryRun }> {
  return requestJson(`${RULES}/validate`, { method: 'POST', body });
}

/** A rule's recorded failures and skips, newest first. */
export function fetchRuleRuns(id: string, signal?: AbortSignal): Promise<{ data: EvaluationRuleRun[] }> {
  return requestJson(`${RULES}/${enc(id)}/runs${toSearch({ limit: 100 })}`, { signal });
}

/** Starts a backfill of a rule over [from, to]. */
export function backfillRule(id: string, from: string, to?: string): Promise<{ data: BackfillStatus }> {
  return requestJson(`${RULES}/${enc(id)}/backfill`, {
    method: 'POST',
    body: { from, ...(to ? { to } : {}) },
  });
}

/** The project's output-health switch. */
export function fetchOutputHealth(signal?: AbortSignal): Promise<{ data: OutputHealthSettings }> {
  return requestJson('/api/v1/output-health/settings', { signal });
}

/** Turns the project's output-health checks on or off. */
export function saveOutputHealth(enabled: boolean): Promise<{ data: OutputHealthSettings }> {
  return requestJson('/api/v1/output-health/settings', { method: 'PUT', body: { enabled } });
}
