import { describe, expect, it } from 'vitest';
import { emptyDraft, toDraft, validateDrafts } from './overrides.ts';

describe('validateDrafts', () => {
  it('turns valid rows into overrides', () => {
    const drafts = [
      { ...emptyDraft(), model: ' my-ft ', inputPerMTok: '1.5', outputPerMTok: '6' },
      {
        ...emptyDraft(),
        model: 'gpt-4o*',
        provider: 'openai',
        inputPerMTok: '0',
        outputPerMTok: '0',
        cacheReadPerMTok: '0.5',
      },
    ];
    expect(validateDrafts(drafts)).toEqual({
      errors: [],
      overrides: [
        { model: 'my-ft', inputPerMTok: 1.5, outputPerMTok: 6 },
        { model: 'gpt-4o*', provider: 'openai', inputPerMTok: 0, outputPerMTok: 0, cacheReadPerMTok: 0.5 },
      ],
    });
  });

  it.each([
    ['a missing model', { model: '' }, 'model', 'Model is required'],
    ['a missing input price', { inputPerMTok: '' }, 'inputPerMTok', 'Required'],
    ['a negative price', { outputPerMTok: '-1' }, 'outputPerMTok', "'-1' is not a price ≥ 0"],
    [
      'a price that is not a number',
      { cacheWritePerMTok: 'abc' },
      'cacheWritePerMTok',
      "'abc' is not a price ≥ 0",
    ],
    ['an infinite price', { inputPerMTok: 'Infinity' }, 'inputPerMTok', "'Infinity' is not a price ≥ 0"],
  ])('reports %s', (_name, patch, field, message) => {
    const draft = { ...emptyDraft(), model: 'm', inputPerMTok: '1', outputPerMTok: '2', ...patch };
    expect(validateDrafts([draft]).errors).toEqual([{ row: 0, field, message }]);
  });

  it('reports a model listed twice for the same provider', () => {
    const row = { ...emptyDraft(), model: 'm', inputPerMTok: '1', outputPerMTok: '2' };
    expect(validateDrafts([row, row]).errors).toEqual([
      { row: 1, field: 'model', message: "'m' is listed twice" },
    ]);
    expect(validateDrafts([row, { ...row, provider: 'azure' }]).errors).toEqual([]);
  });

  it('round-trips an override through a draft', () => {
    const price = { model: 'x', provider: 'p', inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.1 };
    expect(validateDrafts([toDraft(price)]).overrides).toEqual([price]);
  });
});
