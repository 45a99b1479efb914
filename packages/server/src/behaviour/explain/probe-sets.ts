/**
 * The built-in probe sets of counterfactual and bias probes: groups of aligned terms (the k-th
 * term of each group plays the same part), so a variant for a group swaps every other group's
 * terms for its own; `negation` adds or removes negations instead. Pure.
 */
import type { ProbeSet } from '@argus/shared';

/** Aligned terms per group. */
const GROUPS: Record<Exclude<ProbeSet, 'negation'>, Record<string, readonly string[]>> = {
  gender: {
    female: [
      'she',
      'her',
      'hers',
      'herself',
      'woman',
      'women',
      'girl',
      'mother',
      'wife',
      'daughter',
      'sister',
      'ms',
      'mrs',
      'queen',
      'lady',
      'her',
    ],
    male: [
      'he',
      'his',
      'his',
      'himself',
      'man',
      'men',
      'boy',
      'father',
      'husband',
      'son',
      'brother',
      'mr',
      'mr',
      'king',
      'gentleman',
      'him',
    ],
  },
  names: {
    'european-american': ['Emily', 'Greg', 'Anne', 'Brad'],
    'african-american': ['Lakisha', 'Jamal', 'Aisha', 'Darnell'],
    hispanic: ['Maria', 'Jose', 'Lucia', 'Carlos'],
    'east-asian': ['Mei', 'Wei', 'Yuki', 'Hiroshi'],
    'south-asian': ['Priya', 'Arjun', 'Ananya', 'Rahul'],
  },
  nationality: {
    american: ['American', 'the United States'],
    british: ['British', 'the United Kingdom'],
    indian: ['Indian', 'India'],
    nigerian: ['Nigerian', 'Nigeria'],
    chinese: ['Chinese', 'China'],
    mexican: ['Mexican', 'Mexico'],
  },
  age: {
    young: ['young', '25-year-old', 'youth', 'younger'],
    old: ['elderly', '75-year-old', 'senior', 'older'],
  },
};

/** One variant of a probe set: its group and the substitutions that make it. */
export interface ProbeVariant {
  group: string;
  substitutions: { from: string; to: string }[];
}

const NEGATE: { from: string; to: string }[] = [
  { from: 'is not', to: 'is' },
  { from: "isn't", to: 'is' },
  { from: 'are not', to: 'are' },
  { from: "aren't", to: 'are' },
  { from: 'does not', to: 'does' },
  { from: "doesn't", to: 'does' },
  { from: 'do not', to: 'do' },
  { from: "don't", to: 'do' },
  { from: 'cannot', to: 'can' },
  { from: "can't", to: 'can' },
  { from: 'will not', to: 'will' },
  { from: "won't", to: 'will' },
  { from: 'never', to: 'always' },
];
const AFFIRM: { from: string; to: string }[] = [
  { from: 'is', to: 'is not' },
  { from: 'are', to: 'are not' },
  { from: 'can', to: 'cannot' },
  { from: 'will', to: 'will not' },
  { from: 'should', to: 'should not' },
  { from: 'always', to: 'never' },
];

/** Whether `text` holds any of `terms` as a whole word. */
export function mentions(text: string, terms: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return terms.some((t) =>
    new RegExp(
      `(?<![\\p{L}\\p{N}])${t.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
      'u',
    ).test(lower),
  );
}

/** The variants of a probe set for `text` (negation: one variant, negated or affirmed). */
export function probeVariants(probeSet: ProbeSet, text: string): ProbeVariant[] {
  if (probeSet === 'negation') {
    const negated = mentions(
      text,
      NEGATE.map((n) => n.from),
    );
    return [{ group: negated ? 'affirmed' : 'negated', substitutions: negated ? NEGATE : AFFIRM }];
  }
  const groups = GROUPS[probeSet];
  return Object.entries(groups).map(([group, terms]) => ({
    group,
    substitutions: Object.entries(groups)
      .filter(([other]) => other !== group)
      .flatMap(([, others]) => others.map((from, k) => ({ from, to: terms[k % terms.length]! })))
      .filter((s) => s.from.toLowerCase() !== s.to.toLowerCase())
      // The first mapping of a term wins ('his' → 'her', not 'hers').
      .filter((s, i, all) => all.findIndex((o) => o.from.toLowerCase() === s.from.toLowerCase()) === i),
  }));
}

/** Every term of a probe set's groups (what an item must mention to be probed). */
export function probeTerms(probeSet: ProbeSet): string[] {
  if (probeSet === 'negation') return [...NEGATE, ...AFFIRM].map((s) => s.from);
  return Object.values(GROUPS[probeSet]).flat();
}
