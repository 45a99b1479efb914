import { describe, expect, it } from 'vitest';
import { changePointsOf } from './model-changes.ts';

const HOUR = 3_600_000;
const row = (requestModel: string, responseModel: string, firstMs: number, spans = 50) => ({
  requestModel,
  responseModel,
  firstMs,
  spans,
});

describe('changePointsOf', () => {
  it('finds the first appearance of a new response model after an established one', () => {
    const points = changePointsOf(
      [row('gpt-4o', 'gpt-4o-2024-08-06', 0), row('gpt-4o', 'gpt-4o-2024-11-20', 5 * HOUR)],
      HOUR,
    );
    expect(points).toEqual([
      {
        requestModel: 'gpt-4o',
        previousModel: 'gpt-4o-2024-08-06',
        newModel: 'gpt-4o-2024-11-20',
        changedAtMs: 5 * HOUR,
      },
    ]);
  });

  // Cases that are not a change inside the range.
  it.each([
    ['the new model appeared before the range', [row('m', 'a', 0), row('m', 'b', HOUR / 2)]],
    [
      'the previous model answered too few spans to be established',
      [row('m', 'a', 0, 3), row('m', 'b', 2 * HOUR)],
    ],
    ['only one response model', [row('m', 'a', 0)]],
    ['different request models', [row('m', 'a', 0), row('n', 'b', 2 * HOUR)]],
  ])('none when %s', (_, rows) => {
    expect(changePointsOf(rows, HOUR)).toEqual([]);
  });

  it('orders several changes newest first', () => {
    const points = changePointsOf(
      [
        row('m', 'a', 0),
        row('m', 'b', 2 * HOUR),
        row('m', 'c', 4 * HOUR),
        row('n', 'x', 0),
        row('n', 'y', 3 * HOUR),
      ],
      HOUR,
    );
    expect(points.map((p) => p.newModel)).toEqual(['c', 'y', 'b']);
  });
});
