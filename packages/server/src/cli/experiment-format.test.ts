/** The experiment commands' text: p-values, the progress bar, the summary and the comparison table. */
import type { Experiment, ExperimentComparison } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { comparisonText, experimentText, formatPValue, progressBar } from './experiment-format.ts';

const experiment = (id: string, name: string, mean: number, ci95: [number, number]): Experiment => ({
  id,
  projectId: 'default',
  name,
  datasetId: 'd',
  datasetVersion: '2026-12-06T00:00:00.000Z',
  target: { type: 'external' },
  evaluators: ['e'],
  repetitions: 1,
  concurrency: 4,
  metadata: {},
  status: 'completed',
  progress: { done: 40, total: 40 },
  summary: {
    scores: { exact: { mean, ci95, n: 40 } },
    latencyMs: { p50: 12, p95: 30 },
    tokens: { input: 0, output: 0, total: 0 },
    costUsd: 0,
    errors: 2,
  },
  createdAt: '2026-12-06T00:00:00.000Z',
});

const comparison = (regression: boolean, improvement: boolean): ExperimentComparison => ({
  baseline: { id: 'a', name: 'base' },
  candidate: { id: 'b', name: 'cand' },
  alpha: 0.05,
  pairedItems: 40,
  pairedRuns: 40,
  evaluators: {
    exact: {
      n: 40,
      baselineMean: 1,
      candidateMean: 0.6,
      difference: -0.4,
      ci95: [-0.55, -0.25],
      pValue: 0.00001,
      test: 'mcnemar_exact',
      improved: 0,
      regressed: 16,
      unchanged: 24,
      regression,
      improvement,
    },
  },
  latencyMs: { n: 40, baselineMean: 10, candidateMean: 12, delta: 2, ci95: [1, 3] },
  costUsd: { n: 40, baselineMean: 0, candidateMean: 0, delta: 0, ci95: [0, 0] },
  regression,
});

describe('experiment text', () => {
  it.each([
    // Why: tiny p-values read as a bound, others with four decimals, NaN (no test) as a dash.
    [0.00001, '< 0.0001'],
    [0.03125, '0.0313'],
    [1, '1.0000'],
    [Number.NaN, '—'],
  ])('p-value %s prints as %s', (p, text) => {
    expect(formatPValue(p)).toBe(text);
  });

  it.each([
    // Why: empty, part-way with failures, done, and a total of zero (an empty run) never divides by zero.
    [0, 40, 0, '[------------------------------]  0/40  0%'],
    [12, 40, 1, '[#########---------------------] 12/40  30%  1 failed'],
    [40, 40, 0, '[##############################] 40/40  100%'],
    [0, 0, 0, '[------------------------------] 0/0  0%'],
  ])('progress %i/%i (%i failed)', (done, total, failed, bar) => {
    expect(progressBar(done, total, failed)).toBe(bar);
  });

  it('summarises an experiment: status, runs, failures, latency, and each mean with its interval', () => {
    const text = experimentText(experiment('b', 'cand', 0.6, [0.45, 0.75]));
    expect(text).toContain(
      'Experiment cand (b): completed, 40/40 item runs, 2 failed, latency p50 12 ms p95 30 ms',
    );
    expect(text).not.toContain('cost');
    expect(text).toMatch(/exact\s+0\.600\s+\[0\.450, 0\.750\]\s+40/);
  });

  it('tables a regression with both means, the difference, p-value, counts and verdict', () => {
    const text = comparisonText(
      comparison(true, false),
      experiment('a', 'base', 1, [1, 1]),
      experiment('b', 'cand', 0.6, [0.45, 0.75]),
    );
    expect(text).toMatch(
      /exact\s+1\.000 \[1\.000, 1\.000\]\s+0\.600 \[0\.450, 0\.750\]\s+-0\.400 \[-0\.550, -0\.250\]\s+< 0\.0001 \(McNemar\)\s+0\/16\/24\s+REGRESSION/,
    );
    expect(text).toContain('Latency 10 ms → 12 ms (+2 ms)');
    expect(text).not.toContain('Cost');
    expect(text).toContain('REGRESSION: the candidate is significantly worse on exact (at alpha 0.05)');
  });

  it('says so when nothing regressed', () => {
    const text = comparisonText(comparison(false, false));
    expect(text).toMatch(/no significant change$/m);
    expect(text).toContain('No significant regression (at alpha 0.05)');
  });
});
