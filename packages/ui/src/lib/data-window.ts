/**
 * Charts of a preset window ("last 24 hours") narrowed to where data exists: with fresh data a
 * whole day is a flat line and a spike at the right edge. A cheap probe (requests per bucket,
 * fine steps) finds the first bucket with data; when data fills only the recent quarter of
 * the window or less, the charts show from a little before it to now.
 */
import type { SeriesResult } from '../api-types.ts';
import type { TimeWindow } from './time-range.ts';

const PROBE_STEPS = [60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86400];
const PROBE_MAX_POINTS = 1500;
/** Narrow only when data covers at most this share of the window. */
const NARROW_SHARE = 0.25;
/** A narrowed window is never shorter than this. */
const MIN_NARROWED_MS = 5 * 60_000;

/** The probe's step (seconds): the finest with at most 1,500 buckets over the window. */
export function probeStep(window: TimeWindow): number {
  const seconds = (window.toMs - window.fromMs) / 1000;
  return PROBE_STEPS.find((s) => seconds / s <= PROBE_MAX_POINTS) ?? PROBE_STEPS.at(-1)!;
}

/** The start (ms) of the first bucket of the probe that counted requests, if any. */
export function firstDataMs(probe: SeriesResult): number | undefined {
  let first: number | undefined;
  for (const { points } of probe.series)
    for (const p of points) {
      const t = Date.parse(p.time);
      if ((p.requests ?? 0) > 0 && Number.isFinite(t) && (first === undefined || t < first)) first = t;
    }
  return first;
}

/**
 * The window the charts show: `window` itself, or its recent part that holds all the data
 * (with a margin of 15 % before the first bucket, at least 5 minutes long) when that part is a
 * quarter of the window or less.
 */
export function narrowToData(window: TimeWindow, probe: SeriesResult | undefined): TimeWindow {
  const first = probe ? firstDataMs(probe) : undefined;
  if (first === undefined) return window;
  const length = window.toMs - window.fromMs;
  const extent = window.toMs - Math.max(first, window.fromMs);
  if (extent > length * NARROW_SHARE) return window;
  const fromMs = Math.min(first - extent * 0.15, window.toMs - MIN_NARROWED_MS);
  return { fromMs: Math.max(window.fromMs, Math.floor(fromMs / 1000) * 1000), toMs: window.toMs };
}
