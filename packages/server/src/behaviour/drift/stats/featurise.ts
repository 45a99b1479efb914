/**
 * The weight-free text featuriser used for embedding drift when no connection's embedding model
 * is configured: signed feature hashing of words and of character trigrams inside words into
 * 256 dimensions, sublinear counts, L2-normalised. It captures vocabulary and spelling, not
 * meaning; a connection's embedding model captures meaning.
 */
import { hash32, wordsOf } from './tokens.ts';

/** Dimensions of the featuriser's vectors. */
export const FEATURISER_DIMENSIONS = 256;

function add(vector: Float64Array, feature: string, weight: number): void {
  const h = hash32(feature);
  vector[h % FEATURISER_DIMENSIONS]! += (h & 0x8000_0000 ? -1 : 1) * weight;
}

/** The featuriser's vector of one text (all zeros for a text without words). */
export function featurise(text: string): number[] {
  const counts = new Map<string, number>();
  for (const word of wordsOf(text)) {
    counts.set(`w:${word}`, (counts.get(`w:${word}`) ?? 0) + 1);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const gram = `c:${padded.slice(i, i + 3)}`;
      counts.set(gram, (counts.get(gram) ?? 0) + 0.5);
    }
  }
  const vector = new Float64Array(FEATURISER_DIMENSIONS);
  for (const [feature, count] of counts) add(vector, feature, 1 + Math.log(count));
  return normalise(Array.from(vector));
}

/** `vector` scaled to unit length (unchanged when all zeros). */
export function normalise(vector: readonly number[]): number[] {
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0));
  return norm > 0 ? vector.map((v) => v / norm) : [...vector];
}
