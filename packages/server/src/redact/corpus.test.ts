import { describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.test-data.ts';
import { createStringRedactor, DETECTOR_IDS, type RedactionPolicy } from './index.ts';

/** Minimum precision / recall per detector on the labelled corpus. */
const MINIMUMS: Record<string, [precision: number, recall: number]> = {
  email: [0.9, 0.95],
  card: [0.95, 0.95],
  iban: [0.95, 0.95],
  ssn: [0.95, 0.95],
  cn_id: [0.95, 0.95],
  api_key: [0.95, 0.9],
  bearer: [0.95, 0.9],
  jwt: [0.95, 0.95],
  private_key: [0.95, 0.95],
  ipv4: [0.9, 0.9],
  ipv6: [0.9, 0.9],
  phone: [0.85, 0.8],
};

describe('labelled corpus', () => {
  it('meets the per-detector precision and recall minimums', () => {
    const policy: RedactionPolicy = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'mask']));
    const redactor = createStringRedactor({ policy });
    const stats = Object.fromEntries(DETECTOR_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]));
    const misses: string[] = [];
    for (const line of CORPUS) {
      const fired: Record<string, number> = {};
      redactor.redact(line.text, fired);
      for (const id of DETECTOR_IDS) {
        const want = line.pii[id] ?? 0;
        const got = fired[id] ?? 0;
        const s = stats[id]!;
        s.tp += Math.min(want, got);
        s.fp += Math.max(0, got - want);
        s.fn += Math.max(0, want - got);
        if (want !== got) misses.push(`${id}: want ${want} got ${got} in ${JSON.stringify(line.text)}`);
      }
    }
    const rows = DETECTOR_IDS.map((id) => {
      const { tp, fp, fn } = stats[id]!;
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      return { id, tp, fp, fn, precision, recall };
    });
    const table = [
      `corpus: ${CORPUS.length} lines`,
      '| detector | TP | FP | FN | precision | recall |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.id} | ${r.tp} | ${r.fp} | ${r.fn} | ${r.precision.toFixed(2)} | ${r.recall.toFixed(2)} |`,
      ),
      ...misses.map((m) => `miss ${m}`),
    ].join('\n');
    console.log(table);
    for (const r of rows) {
      const [minPrecision, minRecall] = MINIMUMS[r.id]!;
      expect(r.precision, `${r.id} precision\n${table}`).toBeGreaterThanOrEqual(minPrecision);
      expect(r.recall, `${r.id} recall\n${table}`).toBeGreaterThanOrEqual(minRecall);
    }
  });
});
