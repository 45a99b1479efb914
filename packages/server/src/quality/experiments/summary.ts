/**
 * Experiment statistics from stored results: per-evaluator means with bootstrap intervals,
 * latency, tokens and cost, label metrics, and the paired comparison of two experiments.
 * Pure: the routes read the rows, this turns them into numbers.
 */
import type { ExperimentComparison, ExperimentSummary, LabelReport } from '@argus/shared';
import { bootstrapMean } from '../stats/bootstrap.ts';
import { quantile } from '../stats/describe.ts';
import { classify } from '../stats/labels.ts';
import { comparePaired, pairedDelta, type ScorePair } from '../stats/paired.ts';
import { seedOf } from '../stats/random.ts';
import type { ResultRow } from './results-store.ts';

/** Longest expected output that still counts as a class label. */
const MAX_LABEL_CHARS = 64;

/** Statistics of one experiment's results; the seed derives from the experiment id. */
export function summarize(experimentId: string, rows: readonly ResultRow[]): ExperimentSummary {
  const seed = seedOf(experimentId);
  const byEvaluator = new Map<string, number[]>();
  for (const row of rows) {
    for (const [name, score] of Object.entries(row.scores)) {
      const list = byEvaluator.get(name) ?? [];
      list.push(score);
      byEvaluator.set(name, list);
    }
  }
  const scores: ExperimentSummary['scores'] = {};
  for (const [name, values] of [...byEvaluator].sort(([a], [b]) => a.localeCompare(b))) {
    const { mean, ci95, n } = bootstrapMean(values, { seed });
    scores[name] = { mean, ci95, n };
  }
  const latencies = rows.flatMap((r) => (r.latencyMs === undefined || r.error ? [] : [r.latencyMs]));
  const input = rows.reduce((s, r) => s + r.inputTokens, 0);
  const output = rows.reduce((s, r) => s + r.outputTokens, 0);
  const labels = labelReport(rows);
  return {
    scores,
    latencyMs:
      latencies.length > 0 ? { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) } : undefined,
    tokens: { input, output, total: input + output },
    costUsd: rows.reduce((s, r) => s + r.costUsd, 0),
    errors: rows.filter((r) => r.error !== '').length,
    ...(labels ? { labels } : {}),
  };
}

/** A stored JSON text as a label: a short string or number, else undefined. */
function labelOf(json: string): string | undefined {
  if (json === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const label = value.trim();
  return label.length > 0 && label.length <= MAX_LABEL_CHARS ? label : undefined;
}

/**
 * Label metrics when the dataset is a label dataset: every expected output a short string and
 * at most a quarter as many distinct labels as item runs (at least 2), so free-text answers
 * and one-of-a-kind expected values (arithmetic) do not count. The answer's label is its text,
 * trimmed, compared case-insensitively with the expected labels.
 */
export function labelReport(rows: readonly ResultRow[]): LabelReport | undefined {
  const scored = rows.filter((r) => r.error === '');
  if (scored.length < 4) return undefined;
  const expected = scored.map((r) => labelOf(r.expected));
  if (expected.some((e) => e === undefined)) return undefined;
  const distinct = new Map((expected as string[]).map((e) => [e.toLowerCase(), e]));
  if (distinct.size < 2 || distinct.size > scored.length / 4) return undefined;
  const pairs = scored.map((r, i) => {
    const answer = labelOf(r.output) ?? '(other)';
    return { expected: expected[i]!, predicted: distinct.get(answer.toLowerCase()) ?? answer };
  });
  const report = classify(pairs);
  return {
    accuracy: report.accuracy,
    labels: report.labels,
    confusionMatrix: report.confusionMatrix,
    perLabel: report.perLabel.map((m) => ({
      label: m.label,
      support: m.support,
      ...(m.precision === undefined ? {} : { precision: m.precision }),
      ...(m.recall === undefined ? {} : { recall: m.recall }),
      ...(m.f1 === undefined ? {} : { f1: m.f1 }),
    })),
  };
}

/** Per item: the mean over its repetitions of each evaluator, latency and cost. */
interface ItemMeans {
  runs: Map<number, ResultRow>;
  scores: Map<string, number>;
  latencyMs: number | undefined;
  costUsd: number;
}

function byItem(rows: readonly ResultRow[]): Map<string, ItemMeans> {
  const grouped = new Map<string, ResultRow[]>();
  for (const row of rows) grouped.set(row.itemId, [...(grouped.get(row.itemId) ?? []), row]);
  const items = new Map<string, ItemMeans>();
  for (const [itemId, runs] of grouped) {
    const names = new Set(runs.flatMap((r) => Object.keys(r.scores)));
    const scores = new Map<string, number>();
    for (const name of names) {
      const values = runs.flatMap((r) => (name in r.scores ? [r.scores[name]!] : []));
      scores.set(name, values.reduce((s, v) => s + v, 0) / values.length);
    }
    const latencies = runs.flatMap((r) => (r.latencyMs === undefined || r.error ? [] : [r.latencyMs]));
    items.set(itemId, {
      runs: new Map(runs.map((r) => [r.repetition, r])),
      scores,
      latencyMs: latencies.length ? latencies.reduce((s, v) => s + v, 0) / latencies.length : undefined,
      costUsd: runs.reduce((s, r) => s + r.costUsd, 0) / runs.length,
    });
  }
  return items;
}

/** The experiments compared: ids and names. */
export interface ComparedSide {
  id: string;
  name: string;
  rows: readonly ResultRow[];
}

/**
 * Pairs two experiments by item (repetitions averaged per item, the item being the
 * independent unit) and compares every evaluator both have.
 */
export function compareExperiments(
  baseline: ComparedSide,
  candidate: ComparedSide,
  alpha: number,
): ExperimentComparison {
  const seed = seedOf(`${baseline.id}|${candidate.id}`);
  const base = byItem(baseline.rows);
  const cand = byItem(candidate.rows);
  const shared = [...base.keys()].filter((id) => cand.has(id)).sort();
  let pairedRuns = 0;
  for (const id of shared) {
    for (const repetition of base.get(id)!.runs.keys()) if (cand.get(id)!.runs.has(repetition)) pairedRuns++;
  }
  const names = new Set(shared.flatMap((id) => [...base.get(id)!.scores.keys()]));
  const evaluators: ExperimentComparison['evaluators'] = {};
  for (const name of [...names].sort()) {
    const pairs: ScorePair[] = shared.flatMap((id) => {
      const b = base.get(id)!.scores.get(name);
      const c = cand.get(id)!.scores.get(name);
      return b === undefined || c === undefined ? [] : [{ baseline: b, candidate: c }];
    });
    if (pairs.length > 0) evaluators[name] = comparePaired(pairs, { alpha, seed });
  }
  const latencyPairs = shared.flatMap((id) => {
    const b = base.get(id)!.latencyMs;
    const c = cand.get(id)!.latencyMs;
    return b === undefined || c === undefined ? [] : [{ baseline: b, candidate: c }];
  });
  const costPairs = shared.map((id) => ({
    baseline: base.get(id)!.costUsd,
    candidate: cand.get(id)!.costUsd,
  }));
  const baseLabels = labelReport(baseline.rows);
  const candLabels = labelReport(candidate.rows);
  return {
    baseline: { id: baseline.id, name: baseline.name },
    candidate: { id: candidate.id, name: candidate.name },
    alpha,
    pairedItems: shared.length,
    pairedRuns,
    evaluators,
    latencyMs: pairedDelta(latencyPairs, seed),
    costUsd: pairedDelta(costPairs, seed),
    regression: Object.values(evaluators).some((e) => e.regression),
    ...(baseLabels && candLabels ? { labels: { baseline: baseLabels, candidate: candLabels } } : {}),
  };
}
