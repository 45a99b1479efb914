/**
 * The typed client of explainability (docs/explainability.md): attribution and counterfactual
 * jobs on a span, the jobs kept with a span, concepts and feature importance.
 */
import type { Concept, ExplainJob, ExplainPlan, ImportanceReport, ImportanceTarget } from '@argus/shared';
import { requestJson } from './api.ts';

const enc = encodeURIComponent;

/** What a job POST answers: the plan, and the job's id unless it was a dry run. */
export interface Submitted {
  data: { plan: ExplainPlan; id?: string; status?: string };
}

/** Plans or starts an attribution or counterfactual job. */
export function submitExplainJob(
  kind: 'attribution' | 'counterfactuals',
  body: Record<string, unknown>,
): Promise<Submitted> {
  return requestJson(`/api/v1/explain/${kind}`, { method: 'POST', body });
}

/** A job with its progress and result. */
export function fetchExplainJob(
  kind: string,
  id: string,
  signal?: AbortSignal,
): Promise<{ data: ExplainJob }> {
  return requestJson(`/api/v1/explain/${enc(kind)}/${enc(id)}`, { signal });
}

/** Cancels a job. */
export function cancelExplainJob(kind: string, id: string): Promise<{ data: ExplainJob }> {
  return requestJson(`/api/v1/explain/${enc(kind)}/${enc(id)}/cancel`, { method: 'POST' });
}

/** The jobs that explain a span, newest first. */
export function fetchSpanExplanations(
  traceId: string,
  spanId: string,
  signal?: AbortSignal,
): Promise<{ data: ExplainJob[] }> {
  return requestJson(`/api/v1/explain/spans/${enc(traceId)}/${enc(spanId)}`, { signal });
}

/** The project's concepts. */
export function fetchConcepts(signal?: AbortSignal): Promise<{ data: Concept[] }> {
  return requestJson('/api/v1/concepts', { signal });
}

/** Feature importance of a target over the window. */
export function fetchImportance(
  body: { target: ImportanceTarget; from?: string; to?: string; filter?: Record<string, string[]> },
  signal?: AbortSignal,
): Promise<{ data: ImportanceReport }> {
  return requestJson('/api/v1/explain/importance', { method: 'POST', body, signal });
}
