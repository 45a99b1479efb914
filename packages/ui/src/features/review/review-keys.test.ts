import type { ScoreConfig } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { choicesOf, isComplete, scoresOf } from './review-keys.ts';

const config = (
  name: string,
  dataType: ScoreConfig['dataType'],
  categories?: ScoreConfig['categories'],
): ScoreConfig => ({
  id: name,
  projectId: 'default',
  name,
  dataType,
  ...(categories ? { categories } : {}),
  description: '',
  isArchived: false,
  createdAt: '',
  updatedAt: '',
});

const CONFIGS = [
  config('correct', 'boolean'),
  config('stars', 'numeric'),
  config('tone', 'categorical', [
    { label: 'rude', value: 0 },
    { label: 'kind', value: 1 },
  ]),
];

describe('review hotkeys', () => {
  it('numbers the labelled choices in config order, skipping numeric configs', () => {
    expect(choicesOf(CONFIGS).map((c) => `${c.key}:${c.config}=${c.label}`)).toEqual([
      '1:correct=true',
      '2:correct=false',
      '3:tone=rude',
      '4:tone=kind',
    ]);
  });

  it('gives no key past 9', () => {
    const many = config(
      'many',
      'categorical',
      Array.from({ length: 12 }, (_, i) => ({ label: `l${i}`, value: i })),
    );
    const keys = choicesOf([many]).map((c) => c.key);
    expect(keys.slice(8)).toEqual(['9', '', '', '']);
  });

  it('sends booleans, numbers and labels, and is complete only when every score is set', () => {
    const values = { correct: 'false', stars: '4', tone: 'kind' };
    expect(scoresOf(CONFIGS, values)).toEqual({ correct: false, stars: 4, tone: 'kind' });
    expect(isComplete(CONFIGS, values)).toBe(true);
    expect(isComplete(CONFIGS, { ...values, stars: 'x' })).toBe(false);
    expect(isComplete(CONFIGS, { correct: 'true' })).toBe(false);
  });
});
