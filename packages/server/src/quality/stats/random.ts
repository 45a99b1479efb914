/**
 * A small seeded pseudo-random generator (mulberry32), so every bootstrap interval and
 * permutation p-value is reproducible: the same data and seed give the same answer.
 */

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** The seed used when a caller gives none. */
export const DEFAULT_SEED = 20_260_101;

/** Returns a seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number = DEFAULT_SEED): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Derives a 32-bit seed from text (an experiment id), so each experiment has its own stream. */
export function seedOf(text: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16_777_619);
  }
  return hash >>> 0;
}
