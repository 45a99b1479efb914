/**
 * The statistics validated on simulated experiments with a known truth (seeded, so every run
 * measures the same figures; docs/evaluation.md quotes them): how often the 95 % intervals
 * contain the true value, how often `regression` fires when nothing changed, and how often it
 * fires when the candidate really is worse.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapMean } from './bootstrap.ts';
import { comparePaired, type ScorePair } from './paired.ts';
import { type Random, seededRandom } from './random.ts';

const RUNS = 400;
/** Sign flips per permutation test: ample for a verdict at 0.05, and keeps the suite quick. */
const PERMUTATIONS = 2_000;

/** Standard normal draw (Box–Muller). */
function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A pass/fail experiment pair: item difficulty drawn per item, candidate pass rate shifted by `shift`. */
function binaryPairs(random: Random, items: number, shift: number): { pairs: ScorePair[]; truth: number } {
  const pairs: ScorePair[] = [];
  let truth = 0;
  for (let i = 0; i < items; i++) {
    const p = 0.55 + 0.4 * random();
    const q = Math.min(1, Math.max(0, p + shift));
    truth += q - p;
    pairs.push({ baseline: random() < p ? 1 : 0, candidate: random() < q ? 1 : 0 });
  }
  return { pairs, truth: truth / items };
}

/** A numeric (0–1 judge-like) pair: a shared item effect plus noise, candidate shifted by `shift`. */
function numericPairs(random: Random, items: number, shift: number): ScorePair[] {
  return Array.from({ length: items }, () => {
    const item = 0.6 + 0.15 * normal(random);
    return { baseline: item + 0.1 * normal(random), candidate: item + shift + 0.1 * normal(random) };
  });
}

/** Share of runs for which `run` returns true. */
function rate(runs: number, run: (index: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < runs; i++) if (run(i)) hits++;
  return hits / runs;
}

describe('simulated experiments', () => {
  it('95 % bootstrap intervals on a pass rate contain the true rate about 95 % of the time', () => {
    const random = seededRandom(101);
    const coverage = rate(RUNS, (i) => {
      const values = Array.from({ length: 60 }, () => (random() < 0.7 ? 1 : 0));
      const { ci95 } = bootstrapMean(values, { seed: i });
      return ci95[0] <= 0.7 && 0.7 <= ci95[1];
    });
    console.info(`coverage of the mean interval (pass rate 0.7, 60 items): ${coverage}`);
    expect(coverage).toBeGreaterThan(0.91);
    expect(coverage).toBeLessThan(0.98);
  });

  it('paired difference intervals contain the true difference about 95 % of the time', () => {
    const random = seededRandom(202);
    const coverage = rate(RUNS, (i) => {
      const pairs = numericPairs(random, 50, -0.05);
      const { ci95 } = comparePaired(pairs, { seed: i, permutations: PERMUTATIONS });
      return ci95[0] <= -0.05 && -0.05 <= ci95[1];
    });
    console.info(`coverage of the paired difference interval (numeric, Δ = −0.05, 50 items): ${coverage}`);
    expect(coverage).toBeGreaterThan(0.91);
    expect(coverage).toBeLessThan(0.98);
  });

  it('raises a false regression at most about 5 % of the time when nothing changed (pass/fail)', () => {
    const random = seededRandom(303);
    const falseAlarms = rate(
      RUNS,
      (i) =>
        comparePaired(binaryPairs(random, 40, 0).pairs, { seed: i, permutations: PERMUTATIONS }).regression,
    );
    console.info(`false-alarm rate (pass/fail, no change, 40 items): ${falseAlarms}`);
    expect(falseAlarms).toBeLessThanOrEqual(0.05);
  });

  it('raises a false regression at most about 5 % of the time when nothing changed (numeric)', () => {
    const random = seededRandom(404);
    const falseAlarms = rate(
      RUNS,
      (i) => comparePaired(numericPairs(random, 40, 0), { seed: i, permutations: PERMUTATIONS }).regression,
    );
    console.info(`false-alarm rate (numeric, no change, 40 items): ${falseAlarms}`);
    expect(falseAlarms).toBeLessThanOrEqual(0.05);
  });

  it('detects a real drop: 20 points of pass rate on 100 items, 0.1 of a numeric score on 40', () => {
    const random = seededRandom(505);
    const binaryPower = rate(
      RUNS,
      (i) =>
        comparePaired(binaryPairs(random, 100, -0.2).pairs, { seed: i, permutations: PERMUTATIONS })
          .regression,
    );
    const numericPower = rate(
      RUNS,
      (i) =>
        comparePaired(numericPairs(random, 40, -0.1), { seed: i, permutations: PERMUTATIONS }).regression,
    );
    console.info(
      `power: pass/fail Δ −0.2 on 100 items ${binaryPower}; numeric Δ −0.1 on 40 items ${numericPower}`,
    );
    expect(binaryPower).toBeGreaterThan(0.75);
    expect(numericPower).toBeGreaterThan(0.95);
  });
});
