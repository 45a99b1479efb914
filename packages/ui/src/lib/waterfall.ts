/**
 * Waterfall layout: the span tree of a trace (nested by parentSpanId, children in start
 * order), the visible rows once some nodes are collapsed, bar geometry relative to the trace's
 * time span, the idle gaps inside a parent that no child covers, and time-axis ticks.
 * Times are nanosecond strings from the API; offsets are computed in BigInt, then milliseconds.
 */

/** The span fields the layout needs. */
export interface TimedSpan {
  spanId: string;
  parentSpanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

/** A node of the span tree. */
export interface SpanNode<T extends TimedSpan> {
  span: T;
  children: SpanNode<T>[];
  depth: number;
  /** Milliseconds from the trace start. */
  startMs: number;
  endMs: number;
}

/** A visible row of the waterfall. */
export interface WaterfallRow<T extends TimedSpan> {
  node: SpanNode<T>;
  depth: number;
  hasChildren: boolean;
  isCollapsed: boolean;
}

/** A span tree with its time origin. */
export interface SpanTree<T extends TimedSpan> {
  roots: SpanNode<T>[];
  byId: Map<string, SpanNode<T>>;
  /** Trace length in milliseconds (last end − first start). */
  totalMs: number;
}

function toBig(ns: string): bigint {
  try {
    return BigInt(ns);
  } catch {
    return 0n;
  }
}

/**
 * Builds the tree. Spans whose parent is missing (not yet arrived, or truncated) become roots;
 * a cycle in bad data is broken by treating the span that closes it as a root.
 */
export function buildSpanTree<T extends TimedSpan>(spans: readonly T[]): SpanTree<T> {
  let origin: bigint | undefined;
  let last: bigint | undefined;
  for (const s of spans) {
    const start = toBig(s.startTimeUnixNano);
    const end = toBig(s.endTimeUnixNano);
    if (origin === undefined || start < origin) origin = start;
    if (last === undefined || end > last) last = end;
  }
  const base = origin ?? 0n;
  const toMs = (ns: string) => Number(toBig(ns) - base) / 1e6;
  const byId = new Map<string, SpanNode<T>>();
  for (const span of spans) {
    const startMs = toMs(span.startTimeUnixNano);
    const endMs = Math.max(startMs, toMs(span.endTimeUnixNano));
    byId.set(span.spanId, { span, children: [], depth: 0, startMs, endMs });
  }
  const roots: SpanNode<T>[] = [];
  for (const node of byId.values()) {
    const parent = node.span.parentSpanId ? byId.get(node.span.parentSpanId) : undefined;
    if (parent && parent !== node && !isAncestor(node, parent, byId)) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode<T>, b: SpanNode<T>) => a.startMs - b.startMs || a.endMs - b.endMs;
  roots.sort(byStart);
  const stack = roots.map((node) => ({ node, depth: 0 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    node.depth = depth;
    node.children.sort(byStart);
    for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
  }
  const totalMs = origin === undefined || last === undefined ? 0 : Number(last - origin) / 1e6;
  return { roots, byId, totalMs };
}

// True when `candidate` is `node` or one of its descendants by parentSpanId links.
function isAncestor<T extends TimedSpan>(
  node: SpanNode<T>,
  candidate: SpanNode<T>,
  byId: Map<string, SpanNode<T>>,
): boolean {
  let current: SpanNode<T> | undefined = candidate;
  for (let hops = 0; current && hops <= byId.size; hops++) {
    if (current === node) return true;
    current = current.span.parentSpanId ? byId.get(current.span.parentSpanId) : undefined;
  }
  return false;
}

/** The rows shown, depth first, skipping the descendants of collapsed spans. */
export function visibleRows<T extends TimedSpan>(
  tree: SpanTree<T>,
  collapsed: ReadonlySet<string>,
): WaterfallRow<T>[] {
  const rows: WaterfallRow<T>[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const isCollapsed = collapsed.has(node.span.spanId);
    rows.push({ node, depth: node.depth, hasChildren: node.children.length > 0, isCollapsed });
    if (!isCollapsed) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return rows;
}

/** Bar position as percentages of the trace length; zero-length spans keep a visible minimum. */
export function barGeometry(
  node: { startMs: number; endMs: number },
  totalMs: number,
  minWidthPct = 0.2,
): { leftPct: number; widthPct: number } {
  if (totalMs <= 0) return { leftPct: 0, widthPct: 100 };
  const leftPct = clamp((node.startMs / totalMs) * 100, 0, 100 - minWidthPct);
  const widthPct = Math.max(minWidthPct, ((node.endMs - node.startMs) / totalMs) * 100);
  return { leftPct, widthPct: Math.min(widthPct, 100 - leftPct) };
}

/**
 * Intervals inside a span that none of its children cover (time spent in the span itself:
 * waiting, parsing, network), each at least `minMs` long.
 */
export function gapsOf(
  node: { startMs: number; endMs: number; children: { startMs: number; endMs: number }[] },
  minMs = 0,
): { startMs: number; endMs: number }[] {
  if (node.children.length === 0) return [];
  const gaps: { startMs: number; endMs: number }[] = [];
  const children = [...node.children].sort((a, b) => a.startMs - b.startMs);
  let cursor = node.startMs;
  for (const child of children) {
    if (child.startMs > cursor && child.startMs - cursor > minMs)
      gaps.push({ startMs: cursor, endMs: Math.min(child.startMs, node.endMs) });
    cursor = Math.max(cursor, child.endMs);
  }
  if (node.endMs > cursor && node.endMs - cursor > minMs) gaps.push({ startMs: cursor, endMs: node.endMs });
  return gaps.filter((g) => g.endMs > g.startMs);
}

/** Self time: the span's duration less the union of its children's intervals inside it. */
export function selfTimeMs(node: {
  startMs: number;
  endMs: number;
  children: { startMs: number; endMs: number }[];
}): number {
  if (node.children.length === 0) return node.endMs - node.startMs;
  return gapsOf(node).reduce((sum, g) => sum + (g.endMs - g.startMs), 0);
}

/** About `count` round tick values from 0 to `totalMs` (1, 2 or 5 × 10ⁿ apart). */
export function timeTicks(totalMs: number, count = 5): number[] {
  if (totalMs <= 0) return [0];
  const raw = totalMs / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= totalMs + 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The row to select after a navigation key, or undefined to stay. */
export function nextSelection<T extends TimedSpan>(
  rows: readonly WaterfallRow<T>[],
  selectedId: string | undefined,
  key: 'up' | 'down' | 'left' | 'right',
): { select?: string; toggle?: string } {
  const index = rows.findIndex((r) => r.node.span.spanId === selectedId);
  if (index < 0) return rows[0] ? { select: rows[0].node.span.spanId } : {};
  const row = rows[index]!;
  if (key === 'up') return { select: rows[Math.max(0, index - 1)]!.node.span.spanId };
  if (key === 'down') return { select: rows[Math.min(rows.length - 1, index + 1)]!.node.span.spanId };
  if (key === 'right') {
    if (row.hasChildren && row.isCollapsed) return { toggle: row.node.span.spanId };
    if (row.hasChildren) return { select: row.node.children[0]!.span.spanId };
    return {};
  }
  if (row.hasChildren && !row.isCollapsed) return { toggle: row.node.span.spanId };
  const parentId = row.node.span.parentSpanId;
  return parentId && rows.some((r) => r.node.span.spanId === parentId) ? { select: parentId } : {};
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
