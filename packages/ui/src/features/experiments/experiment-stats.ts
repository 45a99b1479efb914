/**
 * Pure helpers of the experiment pages: score histograms, the side-by-side pairing of two
 * experiments' item runs with each pair's change, and the words of intervals, p-values and
 * the verdict. The statistics themselves come from the server (docs/evaluation.md); nothing
 * here recomputes them.
 */
import type {
  EvaluatorComparison,
  Experiment,
  ExperimentItemResult,
  ExperimentStatus,
  ExperimentTarget,
} from '@argus/shared';

/** True while an experiment can still change (the pages poll it). */
export function isActive(status: ExperimentStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** A target in a few words: the prompt's model, a gateway shadow's side and model, or external. */
export function targetLabel(target: ExperimentTarget): string {
  if (target.type === 'prompt') return target.model;
  if (target.type === 'shadow') return `gateway shadow ${target.shadow} · ${target.side} ${target.model}`;
  return 'external app';
}

/**
 * The dataset version whose items an experiment's runs are shown with: its pinned one, or for a
 * gateway shadow (whose dataset grows with each pair) the current one, read again as pairs arrive.
 */
export function itemsVersionOf(e: Experiment): { version: string | undefined; refresh: string } {
  return e.target.type === 'shadow'
    ? { version: undefined, refresh: String(e.progress.done) }
    : { version: e.datasetVersion, refresh: '' };
}

/** The chip class of a status. */
export function statusTone(status: ExperimentStatus): string {
  if (status === 'completed') return 'chip ok';
  if (status === 'failed') return 'chip error';
  if (status === 'running' || status === 'queued') return 'chip accent';
  return 'chip';
}

/** A histogram: `edges[i]`..`edges[i+1]` holds `counts[i]` values (the last bin includes its top). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Bins scores into `bins` equal bins over [min(0, lowest), max(1, highest)], so 0–1 scores share
 * one scale across evaluators and a wider judge scale still fits.
 */
export function histogramOf(values: readonly number[], bins = 10): Histogram {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(0, ...finite);
  const hi = Math.max(1, ...finite);
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    const at = Math.min(bins - 1, Math.floor((v - lo) / width));
    counts[at]! += 1;
  }
  return { edges, counts };
}

/** Every evaluator name that scored any of the runs, sorted. */
export function evaluatorNames(runs: readonly ExperimentItemResult[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.scores)))].sort();
}

/** How a pair changed: on every evaluator both sides scored, up, down or the same. */
export type Change = 'improved' | 'regressed' | 'unchanged' | 'mixed' | 'unpaired';

/** One item run on both sides of a comparison. */
export interface RunPair {
  key: string;
  itemId: string;
  repetition: number;
  baseline: ExperimentItemResult | undefined;
  candidate: ExperimentItemResult | undefined;
  /** Candidate − baseline per evaluator both sides scored. */
  deltas: Record<string, number>;
  change: Change;
}

const EPSILON = 1e-9;

/** The change of a pair from its deltas. */
export function changeOf(deltas: Record<string, number>, isPaired: boolean): Change {
  if (!isPaired) return 'unpaired';
  const values = Object.values(deltas);
  const up = values.some((d) => d > EPSILON);
  const down = values.some((d) => d < -EPSILON);
  if (up && down) return 'mixed';
  if (up) return 'improved';
  if (down) return 'regressed';
  return 'unchanged';
}

/** Pairs two experiments' runs by item and repetition, in item order; unpaired runs are kept. */
export function pairRuns(
  baseline: readonly ExperimentItemResult[],
  candidate: readonly ExperimentItemResult[],
): RunPair[] {
  const keyOf = (r: ExperimentItemResult) => `${r.itemId}\u0000${r.repetition}`;
  const pairs = new Map<string, RunPair>();
  const slot = (r: ExperimentItemResult) => {
    const key = keyOf(r);
    let pair = pairs.get(key);
    if (!pair) {
      pair = {
        key,
        itemId: r.itemId,
        repetition: r.repetition,
        baseline: undefined,
        candidate: undefined,
        deltas: {},
        change: 'unpaired',
      };
      pairs.set(key, pair);
    }
    return pair;
  };
  for (const r of baseline) slot(r).baseline = r;
  for (const r of candidate) slot(r).candidate = r;
  const out = [...pairs.values()].sort((a, b) =>
    a.itemId === b.itemId ? a.repetition - b.repetition : a.itemId < b.itemId ? -1 : 1,
  );
  for (const pair of out) {
    const { baseline: b, candidate: c } = pair;
    if (b && c)
      for (const [name, score] of Object.entries(c.scores)) {
        const before = b.scores[name];
        if (before !== undefined) pair.deltas[name] = score - before;
      }
    pair.change = changeOf(pair.deltas, b !== undefined && c !== undefined);
  }
  return out;
}

/** Counts of each change. */
export function countChanges(pairs: readonly RunPair[]): Record<Change, number> {
  const counts: Record<Change, number> = { improved: 0, regressed: 0, unchanged: 0, mixed: 0, unpaired: 0 };
  for (const p of pairs) counts[p.change] += 1;
  return counts;
}

/** A score for a table: up to 3 decimals, trailing zeros dropped. */
export function formatScore(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return String(Number(n.toFixed(3)));
}

/** A signed difference: `+0.125`, `−0.4`, `0`. */
export function formatDelta(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const text = formatScore(Math.abs(n));
  if (Math.abs(n) < EPSILON) return '0';
  return n > 0 ? `+${text}` : `−${text}`;
}

/** An interval: `[0.52, 0.71]`. */
export function formatInterval(ci: readonly [number, number], format = formatScore): string {
  return `[${format(ci[0])}, ${format(ci[1])}]`;
}

/** A p-value: `p < 0.001`, `p = 0.034`, `p = 1`. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return 'p = –';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${Number(p.toPrecision(2))}`;
}

/** The name of a test in words. */
export function testName(test: EvaluatorComparison['test']): string {
  if (test === 'mcnemar_exact') return 'McNemar exact';
  if (test === 'paired_permutation') return 'paired permutation';
  return 'no test (too few pairs)';
}

/** The verdict of one evaluator: `regression`, `improvement` or `no significant change`. */
export function verdictOf(c: EvaluatorComparison): 'regression' | 'improvement' | 'no significant change' {
  if (c.regression) return 'regression';
  if (c.improvement) return 'improvement';
  return 'no significant change';
}
