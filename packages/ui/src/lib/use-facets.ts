/** Filter suggestions (services, environments, models, providers) seen in the window. */
import { fetchModels, fetchSeries, requestProject } from '../api.ts';
import type { TimeWindow } from './time-range.ts';
import { useApi } from './use-api.ts';

/** Known values per filter. */
export interface Facets {
  service: string[];
  environment: string[];
  model: string[];
  provider: string[];
}

const cache = new Map<string, Promise<Facets>>();

async function loadFacets(range: TimeWindow, signal: AbortSignal): Promise<Facets> {
  const query = { from: range.fromMs, to: range.toMs };
  const [models, services, environments] = await Promise.all([
    fetchModels({ ...query, limit: 1000 }, signal),
    fetchSeries({ ...query, groupBy: 'service', metrics: 'requests', step: 86400 }, signal),
    fetchSeries({ ...query, groupBy: 'environment', metrics: 'requests', step: 86400 }, signal),
  ]);
  const uniq = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  return {
    service: uniq(services.series.map((s) => s.group.service ?? '')),
    environment: uniq(environments.series.map((s) => s.group.environment ?? '')),
    model: uniq(models.data.flatMap((m) => [m.requestModel, m.responseModel])),
    provider: uniq(models.data.map((m) => m.provider)),
  };
}

/**
 * Facets for the window (cached per project and minute of the window's bounds). Nothing is fetched until
 * `isWanted` (the user focused a filter), so a page's first load carries only its own queries.
 */
export function useFacets(range: TimeWindow, isWanted = true): Facets | undefined {
  const minutes = `${requestProject() ?? ''}/${Math.floor(range.fromMs / 60_000)}-${Math.floor(range.toMs / 60_000)}`;
  const key = isWanted ? minutes : undefined;
  const state = useApi(key, (signal) => {
    let pending = cache.get(minutes);
    if (!pending) {
      pending = loadFacets(range, signal);
      cache.set(minutes, pending);
      pending.catch(() => cache.delete(minutes));
    }
    return pending;
  });
  return state.data;
}
