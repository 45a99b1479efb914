import { describe, expect, it } from 'vitest';
import {
  barGeometry,
  buildSpanTree,
  gapsOf,
  nextSelection,
  selfTimeMs,
  type TimedSpan,
  timeTicks,
  visibleRows,
} from './waterfall.ts';

const BASE = 1_763_700_000_000_000_000n;
const span = (spanId: string, parentSpanId: string, startMs: number, endMs: number): TimedSpan => ({
  spanId,
  parentSpanId,
  startTimeUnixNano: (BASE + BigInt(Math.round(startMs * 1e6))).toString(),
  endTimeUnixNano: (BASE + BigInt(Math.round(endMs * 1e6))).toString(),
});

// agent 0–1000: retriever 10–110, llm 150–700 (tool 400–500 inside), llm 720–980
const SPANS = [
  span('llm2', 'agent', 720, 980),
  span('agent', '', 0, 1000),
  span('tool', 'llm1', 400, 500),
  span('retriever', 'agent', 10, 110),
  span('llm1', 'agent', 150, 700),
];

describe('buildSpanTree', () => {
  it('nests by parentSpanId, orders children by start, measures from the first start', () => {
    const tree = buildSpanTree(SPANS);
    expect(tree.totalMs).toBe(1000);
    expect(tree.roots.map((r) => r.span.spanId)).toEqual(['agent']);
    const agent = tree.roots[0]!;
    expect(agent.children.map((c) => c.span.spanId)).toEqual(['retriever', 'llm1', 'llm2']);
    expect(tree.byId.get('tool')).toMatchObject({ depth: 2, startMs: 400, endMs: 500 });
  });

  it('keeps nanosecond precision far from the epoch', () => {
    const tree = buildSpanTree([span('a', '', 0, 0.001234), span('b', 'a', 0.000001, 0.000002)]);
    expect(tree.byId.get('a')!.endMs).toBeCloseTo(0.001234, 9);
    expect(tree.byId.get('b')!.startMs).toBeCloseTo(0.000001, 9);
  });

  it('makes orphans roots and breaks parent cycles', () => {
    const tree = buildSpanTree([span('x', 'missing', 5, 6), span('a', 'b', 0, 1), span('b', 'a', 0, 1)]);
    const ids = visibleRows(tree, new Set()).map((r) => r.node.span.spanId);
    expect(ids.sort()).toEqual(['a', 'b', 'x']);
    expect(tree.roots.length).toBeGreaterThanOrEqual(2);
  });

  it('handles no spans', () => {
    expect(buildSpanTree([])).toMatchObject({ roots: [], totalMs: 0 });
  });
});

describe('visibleRows', () => {
  const tree = buildSpanTree(SPANS);
  it('lists depth first', () => {
    expect(visibleRows(tree, new Set()).map((r) => `${r.depth}:${r.node.span.spanId}`)).toEqual([
      '0:agent',
      '1:retriever',
      '1:llm1',
      '2:tool',
      '1:llm2',
    ]);
  });
  it('hides the descendants of collapsed spans', () => {
    const rows = visibleRows(tree, new Set(['llm1']));
    expect(rows.map((r) => r.node.span.spanId)).toEqual(['agent', 'retriever', 'llm1', 'llm2']);
    expect(rows[2]).toMatchObject({ hasChildren: true, isCollapsed: true });
    expect(visibleRows(tree, new Set(['agent'])).map((r) => r.node.span.spanId)).toEqual(['agent']);
  });
});

describe('barGeometry', () => {
  it.each([
    [{ startMs: 0, endMs: 1000 }, 1000, { leftPct: 0, widthPct: 100 }],
    [{ startMs: 250, endMs: 500 }, 1000, { leftPct: 25, widthPct: 25 }],
    [{ startMs: 500, endMs: 500 }, 1000, { leftPct: 50, widthPct: 0.2 }],
    [{ startMs: 1000, endMs: 1000 }, 1000, { leftPct: 99.8, widthPct: 0.2 }],
    [{ startMs: 0, endMs: 0 }, 0, { leftPct: 0, widthPct: 100 }],
  ])('%o of %d ms', (node, total, expected) => {
    const g = barGeometry(node, total);
    expect(g.leftPct).toBeCloseTo(expected.leftPct, 6);
    expect(g.widthPct).toBeCloseTo(expected.widthPct, 6);
    expect(g.leftPct + g.widthPct).toBeLessThanOrEqual(100 + 1e-9);
  });
});

describe('gaps and self time', () => {
  const tree = buildSpanTree(SPANS);
  it('finds the intervals of a parent that no child covers', () => {
    expect(gapsOf(tree.byId.get('agent')!)).toEqual([
      { startMs: 0, endMs: 10 },
      { startMs: 110, endMs: 150 },
      { startMs: 700, endMs: 720 },
      { startMs: 980, endMs: 1000 },
    ]);
    expect(selfTimeMs(tree.byId.get('agent')!)).toBe(90);
    expect(selfTimeMs(tree.byId.get('tool')!)).toBe(100);
  });
  it('merges overlapping children and drops gaps under the minimum', () => {
    const parent = {
      startMs: 0,
      endMs: 100,
      children: [
        { startMs: 5, endMs: 60 },
        { startMs: 20, endMs: 50 },
        { startMs: 61, endMs: 100 },
      ],
    };
    expect(gapsOf(parent)).toEqual([
      { startMs: 0, endMs: 5 },
      { startMs: 60, endMs: 61 },
    ]);
    expect(gapsOf(parent, 2)).toEqual([{ startMs: 0, endMs: 5 }]);
  });
});

describe('timeTicks', () => {
  it.each([
    [1000, [0, 200, 400, 600, 800, 1000]],
    [850, [0, 200, 400, 600, 800]],
    [3.2, [0, 1, 2, 3]],
    [0, [0]],
  ])('%d ms', (total, expected) => {
    expect(timeTicks(total, 5)).toEqual(expected);
  });
});

describe('nextSelection (keyboard)', () => {
  const tree = buildSpanTree(SPANS);
  const rows = visibleRows(tree, new Set());
  it('moves up and down, clamped at the ends', () => {
    expect(nextSelection(rows, 'agent', 'down')).toEqual({ select: 'retriever' });
    expect(nextSelection(rows, 'agent', 'up')).toEqual({ select: 'agent' });
    expect(nextSelection(rows, 'llm2', 'down')).toEqual({ select: 'llm2' });
    expect(nextSelection(rows, undefined, 'down')).toEqual({ select: 'agent' });
  });
  it('collapses, then goes to the parent, on left; expands, then enters, on right', () => {
    expect(nextSelection(rows, 'llm1', 'left')).toEqual({ toggle: 'llm1' });
    expect(nextSelection(rows, 'tool', 'left')).toEqual({ select: 'llm1' });
    expect(nextSelection(rows, 'llm1', 'right')).toEqual({ select: 'tool' });
    const collapsed = visibleRows(tree, new Set(['llm1']));
    expect(nextSelection(collapsed, 'llm1', 'right')).toEqual({ toggle: 'llm1' });
    expect(nextSelection(collapsed, 'llm1', 'left')).toEqual({ select: 'agent' });
    expect(nextSelection(rows, 'retriever', 'right')).toEqual({});
  });
});
