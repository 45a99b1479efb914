import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../quality/stats/random.ts';
import { permutationImportance, type Row } from './importance.ts';

/** Spans whose latency is planted: 100 ms + 2 ms per max token + noise; temperature and model do nothing. */
function planted(n: number, seed: number) {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  const latency: number[] = [];
  for (let i = 0; i < n; i++) {
    const maxTokens = [64, 128, 256, 512, 1024][Math.floor(random() * 5)]!;
    rows.push({
      maxTokens,
      temperature: [0, 0.5, 1][Math.floor(random() * 3)]!,
      model: random() < 0.5 ? 'a' : 'b',
    });
    latency.push(100 + 2 * maxTokens + (random() - 0.5) * 100);
  }
  return { rows, latency };
}

describe('permutationImportance', () => {
  it('recovers a planted effect: latency rises with max tokens, nothing else matters', () => {
    const { rows, latency } = planted(400, 7);
    const report = permutationImportance(rows, latency, ['maxTokens', 'temperature', 'model'], {
      repeats: 10,
      seed: 1,
    });
    expect(report.r2).toBeGreaterThan(0.9);
    const [top, ...rest] = report.features;
    expect(top).toMatchObject({ feature: 'maxTokens', direction: 'up', significant: true });
    for (const f of rest) expect(f.importance).toBeLessThan(top!.importance / 50);
    const pd = top!.partialDependence;
    expect(pd.at(-1)!.prediction - pd[0]!.prediction).toBeGreaterThan(1000);
  });

  it('finds a categorical effect and calls it mixed', () => {
    const random = seededRandom(3);
    const rows: Row[] = Array.from({ length: 300 }, () => ({
      model: random() < 0.5 ? 'slow' : 'fast',
      maxTokens: 100,
    }));
    const y = rows.map((r) => (r.model === 'slow' ? 900 : 300) + random() * 50);
    const [top] = permutationImportance(rows, y, ['model', 'maxTokens'], { repeats: 5, seed: 2 }).features;
    expect(top).toMatchObject({ feature: 'model', direction: 'mixed', significant: true });
  });
});
