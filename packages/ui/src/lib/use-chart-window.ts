/** The window and step of a page's charts: the chosen window, narrowed to where data exists for presets. */
import { fetchSeries, filterQuery, type Query, toSearch } from '../api.ts';
import { narrowToData, probeStep } from './data-window.ts';
import { navigate } from './navigation.ts';
import { useTimeWindow } from './refresh.ts';
import { pickStep, type TimeWindow } from './time-range.ts';
import { patchParams, type Route, type ViewParams } from './url-state.ts';
import { useApi } from './use-api.ts';

/** The filters of the chart pages (overview, costs, models): the global ones, not the explorer's. */
export const GLOBAL_FILTERS = ['service', 'environment', 'model', 'provider'];

/** What the charts show. */
export interface ChartWindow {
  window: TimeWindow;
  /** Series step in seconds (about 60–120 buckets). */
  step: number;
  /** True when the window was narrowed to the data. */
  isNarrowed: boolean;
  /** False until the probe answered (charts wait, so they do not draw twice). */
  isReady: boolean;
}

/**
 * Probes a preset window for where data exists (one cheap request) and answers the charts'
 * window; a custom range is shown as chosen.
 */
export function useChartWindow(params: ViewParams, timeWindow: TimeWindow, query: Query): ChartWindow {
  const isPreset = !(params.from && params.to);
  const step = probeStep(timeWindow);
  const probe = useApi(isPreset ? toSearch({ ...query, probe: step }) : undefined, (signal) =>
    fetchSeries({ ...query, step, metrics: 'requests' }, signal),
  );
  const window = isPreset ? narrowToData(timeWindow, probe.data) : timeWindow;
  const isNarrowed = window.fromMs !== timeWindow.fromMs;
  return {
    window,
    step: pickStep(window),
    isNarrowed,
    isReady: !isPreset || probe.data !== undefined || probe.error !== undefined,
  };
}

/**
 * What a chart page reads from its route: its window and the query of its global filters, the
 * charts' window and their query (with the step), and `update`, which patches the URL's params.
 * Narrowing keeps every span of the window, so totals over the charts' window are the window's.
 */
export function useChartPage(route: Route) {
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const query = filterQuery(params, timeWindow, GLOBAL_FILTERS);
  const charts = useChartWindow(params, timeWindow, query);
  const chartQuery = { ...filterQuery(params, charts.window, GLOBAL_FILTERS), step: charts.step };
  return { params, timeWindow, update, query, charts, chartQuery };
}
