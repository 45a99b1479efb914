/**
 * One observation of a rule: read its value and decide whether it breaches — against a fixed
 * threshold, an anomaly band (baselines cached per rule and re-learned every 15 minutes), or a
 * budget's percentages of a calendar period's spend.
 */
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { type Baseline, bandAt, isAnomalous, learnBaseline } from './anomaly.ts';
import { parseDurationMs } from './duration.ts';
import { type AlertRule, DEFAULT_ANOMALY, type SeriesSource } from './schemas.ts';
import { readSeriesSamples, readWindowValue } from './sources.ts';
import type { Observation } from './state.ts';

/** How often a cached anomaly baseline is re-learned. */
export const BASELINE_REFRESH_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** True when `value` compares true against `threshold`. */
export function compare(value: number, comparison: AlertRule['comparison'], threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    default:
      return value <= threshold;
  }
}

/** Start (epoch ms, UTC) of the calendar day, ISO week (Monday) or month holding `nowMs`. */
export function periodStart(period: 'day' | 'week' | 'month', nowMs: number): number {
  const d = new Date(nowMs);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return period === 'day' ? day : day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

/** Observes rules; holds the anomaly baselines between evaluations. */
export class RuleObserver {
  readonly #driver: ClickhouseDriver;
  readonly #baselines = new Map<string, { key: string; learnedAtMs: number; baseline: Baseline }>();

  constructor(driver: ClickhouseDriver) {
    this.#driver = driver;
  }

  /** Reads the rule's value at `nowMs` and compares it. */
  async observe(rule: AlertRule, nowMs: number): Promise<Observation> {
    if (rule.type === 'budget') return this.#budget(rule, nowMs);
    if (rule.type === 'anomaly') return this.#anomaly(rule, nowMs);
    const windowMs = parseDurationMs(rule.window) ?? 300_000;
    const value = await readWindowValue(this.#driver, rule.projectId, rule.source, {
      fromMs: nowMs - windowMs,
      toMs: nowMs,
    });
    const threshold = rule.threshold ?? 0;
    return {
      value,
      threshold,
      breach: value !== undefined && compare(value, rule.comparison, threshold),
      details: { comparison: rule.comparison, window: rule.window },
    };
  }

  /** Forgets cached baselines of rules that no longer exist. */
  retain(ruleIds: ReadonlySet<string>): void {
    for (const id of this.#baselines.keys()) if (!ruleIds.has(id)) this.#baselines.delete(id);
  }

  async #budget(rule: AlertRule, nowMs: number): Promise<Observation> {
    const budget = rule.budget!;
    const fromMs = periodStart(budget.period, nowMs);
    const spent =
      (await readWindowValue(this.#driver, rule.projectId, rule.source, { fromMs, toMs: nowMs })) ?? 0;
    const percent = (spent / budget.amountUsd) * 100;
    const reached = budget.percentages.filter((p) => percent >= p);
    const level = reached.length > 0 ? reached[reached.length - 1]! : undefined;
    return {
      value: spent,
      threshold: level === undefined ? undefined : (budget.amountUsd * level) / 100,
      breach: level !== undefined,
      level,
      periodKey: `${budget.period}:${new Date(fromMs).toISOString().slice(0, 10)}`,
      details: {
        spentUsd: spent,
        amountUsd: budget.amountUsd,
        percentUsed: Math.round(percent * 100) / 100,
        percentage: level ?? null,
        period: budget.period,
        periodStart: new Date(fromMs).toISOString(),
      },
    };
  }

  async #anomaly(rule: AlertRule, nowMs: number): Promise<Observation> {
    const options = { ...DEFAULT_ANOMALY, ...rule.anomaly };
    const source = rule.source as SeriesSource;
    const stepMs = parseDurationMs(rule.window) ?? 300_000;
    const stepSeconds = stepMs / 1000;
    const key = `${rule.updatedAt}|${rule.window}|${options.historyDays}`;
    let cached = this.#baselines.get(rule.id);
    if (!cached || cached.key !== key || nowMs - cached.learnedAtMs >= BASELINE_REFRESH_MS) {
      const history = await readSeriesSamples(this.#driver, rule.projectId, source, {
        fromMs: nowMs - options.historyDays * DAY_MS,
        toMs: nowMs,
        stepSeconds,
      });
      cached = { key, learnedAtMs: nowMs, baseline: learnBaseline(history) };
      this.#baselines.set(rule.id, cached);
    }
    const [recent, value] = await Promise.all([
      readSeriesSamples(this.#driver, rule.projectId, source, {
        fromMs: nowMs - Math.max(2 * 3600_000, 60 * stepMs),
        toMs: nowMs,
        stepSeconds,
      }),
      readWindowValue(this.#driver, rule.projectId, source, { fromMs: nowMs - stepMs, toMs: nowMs }),
    ]);
    const band = bandAt(cached.baseline, recent, nowMs, options);
    const known = band.method !== 'none';
    return {
      value,
      lower: known ? band.lower : undefined,
      upper: known ? band.upper : undefined,
      breach: known && value !== undefined && isAnomalous(value, band, options.direction),
      details: {
        method: band.method,
        center: band.center,
        sensitivity: options.sensitivity,
        window: rule.window,
      },
    };
  }
}
