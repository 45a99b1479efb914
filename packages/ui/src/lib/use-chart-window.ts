/** The window and step of a page's charts: the chosen window, narrowed to where data exists for presets. */
import { fetchSeries, type Query, toSearch } from '../api.ts';
import { narrowToData, probeStep } from './data-window.ts';
import { pickStep, type TimeWindow } from './time-range.ts';
import type { ViewParams } from './url-state.ts';
import { useApi } from './use-api.ts';

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
