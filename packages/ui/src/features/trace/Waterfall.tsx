/**
 * The waterfall: one row per visible span, indented by depth, with a bar placed by start and
 * end on the trace's time axis, the idle gaps of a parent dashed, and a TTFT tick on model calls.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Span } from '../../api-types.ts';
import { Icons } from '../../components/Icons.tsx';
import { formatDuration } from '../../lib/format.ts';
import { barGeometry, gapsOf, type SpanTree, timeTicks, type WaterfallRow } from '../../lib/waterfall.ts';

const ROW_HEIGHT = 28;
// Wide enough for a badge and a readable name at a few levels of nesting.
const NAME_WIDTH = 'clamp(280px, 42%, 460px)';

/** Props of {@link Waterfall}. */
export interface WaterfallProps {
  tree: SpanTree<Span>;
  rows: WaterfallRow<Span>[];
  selectedId: string | undefined;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}

function Bar({ row, totalMs }: { row: WaterfallRow<Span>; totalMs: number }) {
  const { node } = row;
  const span = node.span;
  const { leftPct, widthPct } = barGeometry(node, totalMs);
  const gaps = row.hasChildren ? gapsOf(node, totalMs / 200) : [];
  const isLate = leftPct + widthPct > 82;
  const labelStyle: React.CSSProperties = !isLate
    ? { left: `calc(${leftPct + widthPct}% + 4px)` }
    : leftPct > 18
      ? { right: `calc(${100 - leftPct}% + 4px)` }
      : { right: `calc(${100 - leftPct - widthPct}% + 4px)`, color: '#fff' };
  return (
    <>
      {gaps.map((gap) => {
        const g = barGeometry(gap, totalMs, 0);
        return (
          <div
            key={gap.startMs}
            className="wf-gap"
            style={{ left: `${g.leftPct}%`, width: `${g.widthPct}%` }}
            title={`Idle ${formatDuration(gap.endMs - gap.startMs)}`}
          />
        );
      })}
      <div
        className={`wf-bar kind-${span.kind} ${span.status === 'error' ? 'error' : ''}`}
        style={{ left: `${leftPct}%`, width: `${widthPct}%`, opacity: row.hasChildren ? 0.55 : 1 }}
      />
      {span.ttftMs !== undefined && totalMs > 0 && (
        <div
          className="wf-ttft"
          style={{ left: `${((node.startMs + span.ttftMs) / totalMs) * 100}%` }}
          title={`First token after ${formatDuration(span.ttftMs)}`}
        />
      )}
      <span className="wf-dur" style={labelStyle}>
        {formatDuration(span.durationMs)}
      </span>
    </>
  );
}

/** The waterfall. */
export function Waterfall({ tree, rows, selectedId, onSelect, onToggle }: WaterfallProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const selectedIndex = rows.findIndex((r) => r.node.span.spanId === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const ticks = timeTicks(tree.totalMs, 5);
  /** Where a tick (and its gridline in every row) stands, from the trace's start. */
  const tickAt = (t: number) => ({ left: `${tree.totalMs > 0 ? (t / tree.totalMs) * 100 : 0}%` });
  const style = { '--wf-name': NAME_WIDTH } as React.CSSProperties;
  return (
    <div className="waterfall" style={style}>
      <div className="wf-axis">
        <div className="muted" style={{ padding: '0 10px', lineHeight: '26px', fontSize: 11 }}>
          {rows.length} of {tree.byId.size} spans
        </div>
        <div className="wf-ticks">
          {ticks.map((t) => (
            <div key={t} className="wf-tick" style={tickAt(t)}>
              {formatDuration(t)}
            </div>
          ))}
        </div>
      </div>
      <div className="wf-body" ref={scrollRef} role="tree" aria-label="Span tree">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const span = row.node.span;
            return (
              <div
                key={span.spanId}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-expanded={row.hasChildren ? !row.isCollapsed : undefined}
                aria-selected={span.spanId === selectedId}
                data-span-id={span.spanId}
                tabIndex={-1}
                className="wf-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() => onSelect(span.spanId)}
                onKeyDown={() => {}}
              >
                <div className="wf-name" style={{ paddingLeft: 8 + row.depth * 14 }}>
                  {row.hasChildren ? (
                    <button
                      type="button"
                      className="wf-toggle"
                      aria-label={row.isCollapsed ? 'Expand' : 'Collapse'}
                      onClick={(e) => {
                        e.stopPropagation();
                        onToggle(span.spanId);
                      }}
                    >
                      {row.isCollapsed ? <Icons.chevronRight /> : <Icons.chevronDown />}
                    </button>
                  ) : (
                    <span style={{ width: 14, flex: 'none' }} />
                  )}
                  <span className={`kind kind-${span.kind}`}>{span.kind}</span>
                  <span className="label" title={span.name}>
                    {span.name}
                  </span>
                  {span.status === 'error' && <span className="dot error" title="error" />}
                  {row.isCollapsed && <span className="chip">+{row.node.children.length}</span>}
                </div>
                <div className="wf-track">
                  {ticks.map((t) => (
                    <div key={t} className="wf-gridline" style={tickAt(t)} />
                  ))}
                  <Bar row={row} totalMs={tree.totalMs} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
