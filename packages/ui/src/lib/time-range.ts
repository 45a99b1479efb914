/** Time windows: relative presets or a custom range, the previous window, and chart steps. */
import type { RangePreset, ViewParams } from './url-state.ts';

/** A resolved window in epoch milliseconds, `to` exclusive. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

const PRESET_MS: Record<RangePreset, number> = {
  '15m': 15 * 60_000,
  '1h': 3600_000,
  '6h': 6 * 3600_000,
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
};

/** The preset used when the URL names none. */
export const DEFAULT_RANGE: RangePreset = '24h';

/** Duration of a preset in milliseconds. */
export function presetMs(preset: RangePreset): number {
  return PRESET_MS[preset];
}

/** Resolves the URL's range (custom `from`/`to`, else a preset ending now) to a window. */
export function resolveWindow(params: ViewParams, nowMs: number): TimeWindow {
  if (params.from && params.to) {
    const fromMs = Date.parse(params.from);
    const toMs = Date.parse(params.to);
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs > fromMs) return { fromMs, toMs };
  }
  const duration = PRESET_MS[params.range ?? DEFAULT_RANGE];
  return { fromMs: nowMs - duration, toMs: nowMs };
}

/** The window of equal length that ends where `window` starts. */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = window.toMs - window.fromMs;
  return { fromMs: window.fromMs - length, toMs: window.fromMs };
}

const STEPS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400];
// Finer steps read raw spans instead of the per-minute rollup: only for windows under an hour.
const SUB_MINUTE_STEPS = [1, 2, 5, 10, 15, 30];

/**
 * The series step (seconds) for a chart of about `minPoints`–`maxPoints` buckets: the smallest
 * whole-minute step that stays at or under `maxPoints`, or a sub-minute one when a short window
 * would otherwise have fewer than `minPoints`.
 */
export function pickStep(window: TimeWindow, maxPoints = 120, minPoints = 60): number {
  const seconds = (window.toMs - window.fromMs) / 1000;
  const step = STEPS.find((s) => seconds / s <= maxPoints) ?? STEPS.at(-1)!;
  if (seconds / step >= minPoints || step > 60) return step;
  return SUB_MINUTE_STEPS.find((s) => seconds / s <= maxPoints) ?? step;
}

/** Relative change from `previous` to `current`; undefined when there is no base to compare to. */
export function relativeChange(current: number, previous: number): number | undefined {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return undefined;
  return (current - previous) / Math.abs(previous);
}

/** A short label of a window (`Last 24 hours` or `Nov 14 10:00 – 12:00`). */
export function describeWindow(params: ViewParams): string {
  if (params.from && params.to) return `${shortTime(params.from)} – ${shortTime(params.to)}`;
  const labels: Record<RangePreset, string> = {
    '15m': 'Last 15 minutes',
    '1h': 'Last hour',
    '6h': 'Last 6 hours',
    '24h': 'Last 24 hours',
    '7d': 'Last 7 days',
  };
  return labels[params.range ?? DEFAULT_RANGE];
}

function shortTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
