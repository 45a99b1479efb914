/** Experiment statistics from result rows: summaries, label reports and the paired comparison. */
import { describe, expect, it } from 'vitest';
import type { ResultRow } from './results-store.ts';
import { compareExperiments, labelReport, summarize } from './summary.ts';

function row(itemId: string, overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    projectId: 'p',
    experimentId: 'e',
    itemId,
    repetition: 0,
    traceId: '',
    output: '""',
    expected: '',
    error: '',
    latencyMs: 100,
    inputTokens: 10,
    outputTokens: 2,
    costUsd: 0.001,
    scores: {},
    timeMs: 0,
    ...overrides,
  };
}

describe('summarize', () => {
  it('gives each evaluator its mean and interval, latency quantiles, tokens, cost and errors', () => {
    const rows = [
      ...Array.from({ length: 9 }, (_, i) =>
        row(`i${i}`, { scores: { exact: i < 6 ? 1 : 0 }, latencyMs: 100 + i }),
      ),
      row('i9', { error: 'The provider answered 500', latencyMs: 5_000 }),
    ];
    const summary = summarize('e', rows);
    expect(summary.scores.exact?.n).toBe(9);
    expect(summary.scores.exact?.mean).toBeCloseTo(6 / 9, 12);
    // The failed call's latency is left out of the quantiles.
    expect(summary.latencyMs).toEqual({ p50: 104, p95: 107.6 });
    expect(summary.tokens).toEqual({ input: 100, output: 20, total: 120 });
    expect(summary.costUsd).toBeCloseTo(0.01, 12);
    expect(summary.errors).toBe(1);
    expect(summary.labels).toBeUndefined();
  });
});

describe('labelReport', () => {
  const labels = ['positive', 'negative', 'neutral'];
  it('reports a label dataset, matching answers case-insensitively', () => {
    const rows = Array.from({ length: 12 }, (_, i) => {
      const expected = labels[i % 3]!;
      const answer = i === 0 ? 'negative' : i === 1 ? ' NEGATIVE ' : expected;
      return row(`i${i}`, { expected: JSON.stringify(expected), output: JSON.stringify(answer) });
    });
    const report = labelReport(rows)!;
    expect(report.labels).toEqual(['negative', 'neutral', 'positive']);
    expect(report.accuracy).toBeCloseTo(11 / 12, 12);
    // Row: expected positive, column: answered negative.
    expect(report.confusionMatrix[2]).toEqual([1, 0, 3]);
    expect(report.perLabel.find((l) => l.label === 'positive')).toMatchObject({
      support: 4,
      precision: 1,
      recall: 0.75,
    });
  });

  it.each([
    // One distinct answer per item (arithmetic): not labels.
    { name: 'unique expected values', expected: (i: number) => String(i) },
    // Long free text: not labels.
    { name: 'long texts', expected: (i: number) => `${'x'.repeat(80)}${i % 2}` },
  ])('is absent for $name', ({ expected }) => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      row(`i${i}`, { expected: JSON.stringify(expected(i)) }),
    );
    expect(labelReport(rows)).toBeUndefined();
  });
});

describe('compareExperiments', () => {
  it('averages repetitions per item before pairing, and counts item and repetition pairs', () => {
    const base = ['a', 'b', 'c'].flatMap((id) =>
      [0, 1].map((repetition) => row(id, { repetition, scores: { s: 1 } })),
    );
    // Item a: 1 then 0 → 0.5 (worse); b and c unchanged; c has only one repetition on this side.
    const cand = [
      row('a', { repetition: 0, scores: { s: 1 } }),
      row('a', { repetition: 1, scores: { s: 0 } }),
      row('b', { repetition: 0, scores: { s: 1 } }),
      row('b', { repetition: 1, scores: { s: 1 } }),
      row('c', { repetition: 0, scores: { s: 1 }, latencyMs: 300, costUsd: 0.003 }),
    ];
    const result = compareExperiments(
      { id: 'B', name: 'base', rows: base },
      { id: 'C', name: 'cand', rows: cand },
      0.05,
    );
    expect(result).toMatchObject({ pairedItems: 3, pairedRuns: 5, regression: false });
    expect(result.evaluators.s).toMatchObject({
      n: 3,
      regressed: 1,
      improved: 0,
      unchanged: 2,
      test: 'paired_permutation',
    });
    expect(result.evaluators.s?.difference).toBeCloseTo(-0.5 / 3, 12);
    expect(result.latencyMs.delta).toBeCloseTo(200 / 3, 9);
    expect(result.costUsd.delta).toBeCloseTo(0.002 / 3, 12);
  });
});
