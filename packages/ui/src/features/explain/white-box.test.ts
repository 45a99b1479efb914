import type { SpanEvent } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { outlierLayers, whiteBoxOf } from './white-box.ts';

const event = (name: string, attributes: Record<string, unknown>): SpanEvent => ({
  name,
  time: '2026-01-01T00:00:00Z',
  timeUnixNano: '0',
  attributes,
});

describe('whiteBoxOf', () => {
  it('reads attention maps row by row, attributions and layer statistics', () => {
    const box = whiteBoxOf([
      event('argus.explain.attention', {
        'argus.explain.tokens': ['a', 'b'],
        'argus.explain.layer': 1,
        'argus.explain.head': '0',
        'argus.explain.weights': [1, 0, 0.25, 0.75],
      }),
      event('argus.explain.attribution', {
        'argus.explain.tokens': ['a', 'b'],
        'argus.explain.scores': [0.5, -0.1],
        'argus.explain.method': 'integrated-gradients',
      }),
      event('argus.explain.layer_stats', { 'argus.explain.layer': 0, 'argus.explain.time_ms': 2 }),
    ]);
    expect(box.attention).toEqual([
      {
        layer: 1,
        head: 0,
        tokens: ['a', 'b'],
        weights: [
          [1, 0],
          [0.25, 0.75],
        ],
      },
    ]);
    expect(box.attributions[0]).toMatchObject({ scores: [0.5, -0.1], method: 'integrated-gradients' });
    expect(box.layers).toEqual([{ layer: 0, timeMs: 2, activationNorm: 0, saturation: 0 }]);
  });

  // Each case: a malformed event the view must skip rather than draw wrongly.
  it.each([
    [
      'weights not tokens²',
      event('argus.explain.attention', {
        'argus.explain.tokens': ['a', 'b'],
        'argus.explain.weights': [1, 0, 1],
      }),
    ],
    [
      'scores of another length',
      event('argus.explain.attribution', { 'argus.explain.tokens': ['a'], 'argus.explain.scores': [1, 2] }),
    ],
    [
      'a weight that is not a number',
      event('argus.explain.attention', { 'argus.explain.tokens': ['a'], 'argus.explain.weights': ['x'] }),
    ],
  ])('skips %s', (_, e) => {
    const box = whiteBoxOf([e]);
    expect(box.attention.length + box.attributions.length).toBe(0);
  });
});

describe('outlierLayers', () => {
  it('marks the one slow layer', () => {
    const layers = [1, 1.1, 0.9, 1, 9, 1.05].map((timeMs, layer) => ({
      layer,
      timeMs,
      activationNorm: 1,
      saturation: 0,
    }));
    expect([...outlierLayers(layers, 'timeMs')]).toEqual([4]);
    expect(outlierLayers(layers, 'activationNorm').size).toBe(0);
  });
});
