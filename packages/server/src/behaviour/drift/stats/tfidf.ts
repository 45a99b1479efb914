/**
 * Hashed TF-IDF: each text becomes a sparse, L2-normalised vector over 2^16 buckets of its
 * words (sublinear term frequency, smoothed inverse document frequency over both samples). No
 * vocabulary is stored and nothing is downloaded.
 */
import { hash32, wordsOf } from './tokens.ts';

/** Number of hash buckets. */
export const BUCKETS = 1 << 16;

/** A sparse vector: bucket indexes and their values. */
export interface SparseVector {
  indexes: Uint32Array;
  values: Float64Array;
}

/** The words of each text, and the hashed TF-IDF vectors built from them. */
export function tfidf(texts: readonly string[]): { words: string[][]; vectors: SparseVector[] } {
  const words = texts.map(wordsOf);
  const termCounts = words.map((list) => {
    const counts = new Map<number, number>();
    for (const word of list) {
      const bucket = hash32(word) & (BUCKETS - 1);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return counts;
  });
  const documentFrequency = new Uint32Array(BUCKETS);
  for (const counts of termCounts) for (const bucket of counts.keys()) documentFrequency[bucket]!++;
  const n = texts.length;
  const vectors = termCounts.map((counts) => {
    const indexes = Uint32Array.from(counts.keys());
    const values = new Float64Array(indexes.length);
    let norm = 0;
    indexes.forEach((bucket, k) => {
      const tf = 1 + Math.log(counts.get(bucket)!);
      const idf = Math.log((1 + n) / (1 + documentFrequency[bucket]!)) + 1;
      values[k] = tf * idf;
      norm += values[k]! ** 2;
    });
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < values.length; k++) values[k]! /= norm;
    return { indexes, values };
  });
  return { words, vectors };
}

/** Dot product of a sparse vector with dense weights. */
export function dot(vector: SparseVector, weights: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < vector.indexes.length; k++) sum += vector.values[k]! * weights[vector.indexes[k]!]!;
  return sum;
}
