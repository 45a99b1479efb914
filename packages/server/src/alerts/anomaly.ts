/**
 * Anomaly bands, pure. A value is compared with what the same time of day (and of week, given
 * two weeks of history) looked like before, with robust statistics so past incidents do not
 * widen the band:
 *
 * - seasonal slot: history samples whose time of week (weekly) or of day (daily) lies within
 *   ±30 min of the evaluated time; `center` = their median, `sigma` = 1.4826·MAD;
 * - level correction: the median ratio value / slot median of the last hour scales the slot
 *   (a difference when the baseline is not positive), so a lasting shift is flagged when it
 *   starts and then becomes the new normal;
 * - short history (< 2 days) or a thin slot: rolling median/MAD of the last 60 samples;
 * - band = center ± max(k·sigma, minBandWidth, minRelativeWidth·|center|).
 */
import type { BandPoint } from '@argus/shared';

/** One sample of a series; `value` undefined = no data in that bucket. */
export interface Sample {
  timeMs: number;
  value: number | undefined;
}

/** How the band is computed. */
export interface BandOptions {
  /** k: half-width in robust standard deviations. */
  sensitivity: number;
  direction: 'both' | 'above' | 'below';
  minBandWidth: number;
  minRelativeWidth: number;
}

/** A band around the expected value at one time. */
export interface Band {
  center: number;
  lower: number;
  upper: number;
  method: 'weekly' | 'daily' | 'rolling' | 'none';
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const SLOT_HALF_WIDTH_MS = 30 * 60_000;
const LEVEL_WINDOW_MS = 3600_000;
const ROLLING_SAMPLES = 60;
const MIN_SLOT_SAMPLES = 6;
/** 1.4826·MAD estimates the standard deviation of normal data. */
export const MAD_SCALE = 1.4826;
/** History span from which the weekly (day-of-week × time-of-day) slots are used: ~2 weeks. */
export const WEEKLY_MIN_SPAN_MS = 13 * DAY_MS;
/** History span from which the daily (time-of-day) slots are used. */
export const DAILY_MIN_SPAN_MS = 2 * DAY_MS;

/** Median of a non-empty list (sorts a copy). */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Robust center and spread: median and 1.4826·MAD (mean absolute deviation when MAD is 0). */
export function robustStats(values: readonly number[]): { center: number; sigma: number } {
  const center = median(values);
  const deviations = values.map((v) => Math.abs(v - center));
  const mad = median(deviations);
  const sigma =
    mad > 0 ? MAD_SCALE * mad : (1.2533 * deviations.reduce((sum, d) => sum + d, 0)) / deviations.length;
  return { center, sigma };
}

/** Robust statistics per seasonal slot, learned from history. */
export interface Baseline {
  /** Start of the oldest sample with data. */
  firstMs: number;
  /** Slots by 5-minute bin of the week, when the history spans ~2 weeks. */
  weekly?: Map<number, { center: number; sigma: number }>;
  /** Slots by 5-minute bin of the day, when the history spans 2 days. */
  daily?: Map<number, { center: number; sigma: number }>;
}

const BIN_MS = 5 * 60_000;
const BINS_EACH_SIDE = SLOT_HALF_WIDTH_MS / BIN_MS;

/** Learns seasonal slots from `history` (ascending). */
export function learnBaseline(history: readonly Sample[]): Baseline {
  const known = history.filter((s): s is { timeMs: number; value: number } => s.value !== undefined);
  if (known.length === 0) return { firstMs: Number.POSITIVE_INFINITY };
  const firstMs = known[0]!.timeMs;
  const span = known[known.length - 1]!.timeMs - firstMs;
  return {
    firstMs,
    weekly: span >= WEEKLY_MIN_SPAN_MS ? learnSlots(known, WEEK_MS) : undefined,
    daily: span >= DAILY_MIN_SPAN_MS ? learnSlots(known, DAY_MS) : undefined,
  };
}

function learnSlots(known: readonly { timeMs: number; value: number }[], period: number) {
  const binCount = period / BIN_MS;
  const bins: number[][] = Array.from({ length: binCount }, () => []);
  for (const s of known) bins[binOf(s.timeMs, period)]!.push(s.value);
  const slots = new Map<number, { center: number; sigma: number }>();
  for (let bin = 0; bin < binCount; bin++) {
    const values: number[] = [];
    for (let d = -BINS_EACH_SIDE; d <= BINS_EACH_SIDE; d++)
      values.push(...bins[(bin + d + binCount) % binCount]!);
    if (values.length >= MIN_SLOT_SAMPLES) slots.set(bin, robustStats(values));
  }
  return slots;
}

function binOf(timeMs: number, period: number): number {
  return Math.floor((((timeMs % period) + period) % period) / BIN_MS);
}

function slotAt(baseline: Baseline, timeMs: number) {
  const weekly = baseline.weekly?.get(binOf(timeMs, WEEK_MS));
  if (weekly) return { ...weekly, method: 'weekly' as const };
  const daily = baseline.daily?.get(binOf(timeMs, DAY_MS));
  return daily ? { ...daily, method: 'daily' as const } : undefined;
}

/**
 * The band at `timeMs` from a learned baseline and the `recent` samples before it (ascending;
 * the last hour corrects the level, the last 60 samples serve the rolling fallback).
 */
export function bandAt(
  baseline: Baseline,
  recent: readonly Sample[],
  timeMs: number,
  options: BandOptions,
): Band {
  const known = recent.filter((s): s is { timeMs: number; value: number } => s.value !== undefined);
  const slot = slotAt(baseline, timeMs);
  if (slot) {
    // Level correction: how far the last hour ran from its own slots, as a ratio when the
    // baseline is positive (load scales metrics), else as a difference.
    const ratios: number[] = [];
    const residuals: number[] = [];
    for (let i = known.length - 1; i >= 0 && known[i]!.timeMs >= timeMs - LEVEL_WINDOW_MS; i--) {
      const own = slotAt(baseline, known[i]!.timeMs);
      if (!own) continue;
      residuals.push(known[i]!.value - own.center);
      if (own.center > 0) ratios.push(known[i]!.value / own.center);
    }
    if (residuals.length < 3) return widen(slot.center, slot.sigma, slot.method, options);
    if (slot.center > 0 && ratios.length === residuals.length) {
      const ratio = median(ratios);
      return widen(slot.center * ratio, slot.sigma * ratio, slot.method, options);
    }
    return widen(slot.center + median(residuals), slot.sigma, slot.method, options);
  }
  if (known.length === 0) return { center: 0, lower: -Infinity, upper: Infinity, method: 'none' };
  const { center, sigma } = robustStats(known.slice(-ROLLING_SAMPLES).map((s) => s.value));
  return widen(center, sigma, 'rolling', options);
}

function widen(center: number, sigma: number, method: Band['method'], options: BandOptions): Band {
  const half = Math.max(
    options.sensitivity * sigma,
    options.minBandWidth,
    options.minRelativeWidth * Math.abs(center),
  );
  return { center, lower: center - half, upper: center + half, method };
}

/** True when `value` is outside the band on a side the direction watches. */
export function isAnomalous(value: number, band: Band, direction: BandOptions['direction']): boolean {
  return (direction !== 'below' && value > band.upper) || (direction !== 'above' && value < band.lower);
}

export type { BandPoint };

/** How often {@link bandSeries} re-learns the baseline, as the evaluator does. */
export const RELEARN_MS = 24 * 3600_000;

/**
 * Bands for each sample of `points` from the samples before it in `series` (ascending, may
 * include `points`): the baseline is learned from the `historyMs` before and re-learned daily
 * (the evaluator re-learns every 15 minutes; slots of 2 weeks barely move in a day). Used by
 * the band API and the benchmark.
 */
export function bandSeries(
  series: readonly Sample[],
  points: readonly Sample[],
  options: BandOptions & { historyMs: number },
): BandPoint[] {
  let baseline: Baseline | undefined;
  let learnedAt = Number.NEGATIVE_INFINITY;
  let end = 0;
  return points.map((point) => {
    while (end < series.length && series[end]!.timeMs < point.timeMs) end++;
    if (!baseline || point.timeMs - learnedAt >= RELEARN_MS) {
      const from = point.timeMs - options.historyMs;
      baseline = learnBaseline(series.slice(0, end).filter((s) => s.timeMs >= from));
      learnedAt = point.timeMs;
    }
    const recent = series.slice(Math.max(0, end - Math.max(ROLLING_SAMPLES, 120)), end);
    const band = bandAt(baseline, recent, point.timeMs, options);
    const finite = band.method !== 'none';
    return {
      time: new Date(point.timeMs).toISOString(),
      value: point.value ?? null,
      lower: finite ? band.lower : null,
      upper: finite ? band.upper : null,
      anomalous: finite && point.value !== undefined && isAnomalous(point.value, band, options.direction),
    };
  });
}
