/**
 * Embeddings that reflect content, for embedding models whose name contains `semantic`
 * (`text-embedding-mock-semantic`): each word of the text adds a fixed pseudo-random direction,
 * weighted by the square root of its count, and the sum is scaled to unit length. Texts that
 * share words point the same way; an English and a French answer share almost none, so they are
 * far apart, as with a real embedding model. The other models keep unrelated per-text vectors.
 */
import { hashText } from './knowledge.ts';
import { createRandom } from './text.ts';

/** Whether a model name asks for content-based embeddings. */
export function isSemanticModel(model: string): boolean {
  return model.includes('semantic');
}

/** The words of a text: lowercase runs of letters or digits (any script, accents kept). */
function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu))
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

/** The content-based unit vector of `text` (float32 precision, like the other mock vectors). */
export function semanticEmbedding(text: string, dimensions: number): number[] {
  const sum = new Float64Array(dimensions);
  for (const [word, count] of wordCounts(text)) {
    const random = createRandom(hashText(`word:${word}`));
    const weight = Math.sqrt(count);
    for (let i = 0; i < dimensions; i++) sum[i]! += weight * (random() * 2 - 1);
  }
  const norm = Math.hypot(...sum) || 1;
  return Array.from(sum, (v) => Math.fround(v / norm));
}
