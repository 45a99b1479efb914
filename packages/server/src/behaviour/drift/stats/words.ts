/**
 * Characteristic words of each side: the weighted log-odds ratio with an informative Dirichlet
 * prior (Monroe, Colaresi and Quinn, 2008) over document frequencies, so a word must be both
 * frequent and lopsided to rank. Positive z leans to the current window.
 */

/** A word and how strongly it marks its side (z-score of the log-odds ratio). */
export interface MarkedWord {
  word: string;
  z: number;
  referenceShare: number;
  currentShare: number;
}

const PRIOR_STRENGTH = 500;
const MIN_DOCUMENTS = 3;
const Z_MIN = 1.96;

function documentCounts(words: readonly string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of words) for (const word of new Set(list)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** The `limit` most characteristic words of each side (|z| ≥ 1.96). */
export function characteristicWords(
  reference: readonly string[][],
  current: readonly string[][],
  limit = 12,
): { reference: MarkedWord[]; current: MarkedWord[] } {
  const r = documentCounts(reference);
  const c = documentCounts(current);
  const totalR = [...r.values()].reduce((s, v) => s + v, 0);
  const totalC = [...c.values()].reduce((s, v) => s + v, 0);
  const total = totalR + totalC;
  const marked: MarkedWord[] = [];
  for (const word of new Set([...r.keys(), ...c.keys()])) {
    const yr = r.get(word) ?? 0;
    const yc = c.get(word) ?? 0;
    if (yr + yc < MIN_DOCUMENTS) continue;
    const alpha = (PRIOR_STRENGTH * (yr + yc)) / total;
    const logOdds = (y: number, n: number) => Math.log((y + alpha) / (n + PRIOR_STRENGTH - y - alpha));
    const delta = logOdds(yc, totalC) - logOdds(yr, totalR);
    const z = delta / Math.sqrt(1 / (yc + alpha) + 1 / (yr + alpha));
    marked.push({
      word,
      z,
      referenceShare: reference.length ? yr / reference.length : 0,
      currentShare: current.length ? yc / current.length : 0,
    });
  }
  const round = (m: MarkedWord) => ({ ...m, z: Number(m.z.toFixed(2)) });
  return {
    current: marked
      .filter((m) => m.z >= Z_MIN)
      .sort((a, b) => b.z - a.z)
      .slice(0, limit)
      .map(round),
    reference: marked
      .filter((m) => m.z <= -Z_MIN)
      .sort((a, b) => a.z - b.z)
      .slice(0, limit)
      .map(round),
  };
}
