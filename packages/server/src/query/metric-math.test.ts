import { describe, expect, it } from 'vitest';
import { histogramQuantile, increases, type StreamPoint } from './metric-math.ts';

const s = (n: number) => BigInt(n) * 1_000_000_000n;
function point(
  stream: string,
  time: number,
  start: number,
  value: number,
  buckets: number[] = [],
): StreamPoint {
  return {
    stream,
    timeNs: s(time),
    startNs: s(start),
    value,
    sum: value * 10,
    buckets,
    bounds: buckets.length ? [1, 2] : [],
  };
}
const values = (list: ReturnType<typeof increases>) =>
  list.map((i) => [i.point.stream, Number(i.point.timeNs / 1_000_000_000n), i.value]);

describe('increases', () => {
  it('takes differences within a stream and never across streams', () => {
    const points = [
      point('a', 100, 0, 5),
      point('a', 110, 0, 8),
      point('a', 120, 0, 8),
      point('b', 105, 0, 100),
      point('b', 115, 0, 130),
    ];
    expect(values(increases(points, true, s(90)))).toEqual([
      ['a', 110, 3],
      ['a', 120, 0],
      ['b', 115, 30],
    ]);
  });

  // Each case is one way a counter restarts or only seems to.
  it.each([
    ['a smaller value', [point('a', 100, 0, 50), point('a', 110, 0, 7)], 7],
    ['a start after the previous point', [point('a', 100, 0, 50), point('a', 110, 105, 60)], 60],
    [
      'a start moved within the past (a scraper estimate) is no reset',
      [point('a', 100, 0, 50), point('a', 110, 50, 60)],
      10,
    ],
    ['a bucket that went down', [point('a', 100, 0, 5, [3, 1, 1]), point('a', 110, 0, 6, [2, 3, 1])], 6],
  ])('handles %s', (_, points, expected) => {
    expect(increases(points, true, s(90)).map((i) => i.value)).toEqual([expected]);
  });

  it('counts the first point whole only when its series started inside the window', () => {
    expect(values(increases([point('a', 100, 95, 4)], true, s(90)))).toEqual([['a', 100, 4]]);
    // Started before the window, or start unknown (start = time): a baseline only.
    expect(increases([point('a', 100, 50, 4)], true, s(90))).toEqual([]);
    expect(increases([point('a', 100, 100, 4)], true, s(90))).toEqual([]);
  });

  it('uses look-back points as baselines only', () => {
    const points = [point('a', 80, 0, 10), point('a', 100, 0, 16)];
    expect(values(increases(points, true, s(90)))).toEqual([['a', 100, 6]]);
  });

  it('subtracts sums and buckets too', () => {
    const [inc] = increases(
      [point('a', 100, 0, 5, [3, 1, 1]), point('a', 110, 0, 9, [4, 3, 2])],
      true,
      s(90),
    );
    expect(inc).toMatchObject({ value: 4, sum: 40, buckets: [1, 2, 1] });
  });

  it('takes delta points as they are', () => {
    expect(values(increases([point('a', 100, 90, 5), point('a', 110, 100, 2)], false, s(90)))).toEqual([
      ['a', 100, 5],
      ['a', 110, 2],
    ]);
  });
});

describe('histogramQuantile', () => {
  // Expected values follow Prometheus' histogram_quantile on the same buckets.
  it.each([
    ['interpolates inside the bucket', 0.5, [1, 2, 4], [2, 2, 0, 0], 1],
    ['interpolates a quarter in', 0.25, [1, 2, 4], [0, 4, 0, 0], 1.25],
    ['starts the first bucket at 0', 0.5, [10, 20], [4, 0, 0], 5],
    ['answers the highest bound for the +Inf bucket', 0.99, [1, 2], [1, 0, 9], 2],
    ['skips empty buckets', 0.5, [1, 2, 4], [0, 0, 2, 0], 3],
    ['answers a non-positive first bound as is', 0.1, [-1, 0, 1], [5, 0, 0, 0], -1],
    ['gives the lowest value for q = 0', 0, [1, 2], [0, 3, 0], 1],
  ])('%s', (_, q, bounds, counts, expected) => {
    expect(histogramQuantile(q, bounds, counts)).toBeCloseTo(expected, 12);
  });

  it('is undefined for an empty histogram or no bounds', () => {
    expect(histogramQuantile(0.5, [1, 2], [0, 0, 0])).toBeUndefined();
    expect(histogramQuantile(0.5, [], [3])).toBeUndefined();
  });
});
