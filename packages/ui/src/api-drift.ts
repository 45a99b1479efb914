/**
 * The typed client of drift (docs/behaviour.md#drift): comparisons, monitors and their series,
 * and model change points. Every call goes through the console's fetch wrapper.
 */
import type {
  DriftCompareRequest,
  DriftMonitor,
  DriftMonitorInput,
  DriftMonitorResult,
  DriftReport,
  ModelChange,
} from '@argus/shared';
import { type Query, requestJson, toSearch } from './api.ts';

const enc = encodeURIComponent;

/** Runs a comparison. */
export function compareDrift(
  body: DriftCompareRequest,
  signal?: AbortSignal,
): Promise<{ data: DriftReport }> {
  return requestJson('/api/v1/drift/compare', { method: 'POST', body, signal });
}

/** The project's drift monitors. */
export function fetchDriftMonitors(signal?: AbortSignal): Promise<{ data: DriftMonitor[] }> {
  return requestJson('/api/v1/drift-monitors', { signal });
}

/** Creates a monitor. */
export function createDriftMonitor(body: DriftMonitorInput): Promise<{ data: DriftMonitor }> {
  return requestJson('/api/v1/drift-monitors', { method: 'POST', body });
}

/** Deletes a monitor and its results. */
export function deleteDriftMonitor(id: string): Promise<void> {
  return requestJson(`/api/v1/drift-monitors/${enc(id)}`, { method: 'DELETE' });
}

/** Runs a monitor now. */
export function runDriftMonitor(id: string): Promise<{ data: DriftMonitorResult }> {
  return requestJson(`/api/v1/drift-monitors/${enc(id)}/run`, { method: 'POST' });
}

/** A monitor's runs in a window, oldest first. */
export function fetchDriftResults(
  id: string,
  query: Query,
  signal?: AbortSignal,
): Promise<{ data: DriftMonitorResult[] }> {
  return requestJson(`/api/v1/drift-monitors/${enc(id)}/results${toSearch(query)}`, { signal });
}

/** Model change points in a window, with before/after drift. */
export function fetchModelChanges(query: Query, signal?: AbortSignal): Promise<{ data: ModelChange[] }> {
  return requestJson(`/api/v1/drift/model-changes${toSearch(query)}`, { signal });
}
