/** The virtualized explorer table: sticky sortable header, windowed rows, infinite scroll. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Column } from './columns.tsx';
import { type ExplorerRow, rowKey } from './use-explorer-data.ts';

const ROW_HEIGHT = 34;

/** Props of {@link ExplorerTable}. */
export interface ExplorerTableProps {
  rows: readonly ExplorerRow[];
  columns: Column<ExplorerRow>[];
  sort: string | undefined;
  onSort: (sort: string | undefined) => void;
  onOpen: (row: ExplorerRow, event: { newTab: boolean }) => void;
  hasMore: boolean;
  isLoading: boolean;
  loadMore: () => void;
  freshKeys: ReadonlySet<string>;
}

function nextSort(current: string | undefined, id: string): string | undefined {
  if (current === `${id}:desc`) return `${id}:asc`;
  if (current === `${id}:asc`) return undefined;
  return `${id}:desc`;
}

/** The table. */
export function ExplorerTable(props: ExplorerTableProps) {
  const { rows, columns, sort, onSort, onOpen, hasMore, isLoading, loadMore, freshKeys } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && !isLoading && rows.length > 0 && lastIndex >= rows.length - 25) loadMore();
  }, [lastIndex, rows.length, hasMore, isLoading, loadMore]);
  const template = columns.map((c) => c.width).join(' ');
  const [sortId, sortDir] = (sort ?? '').split(':');
  return (
    <div className="vlist" ref={scrollRef}>
      <table
        className="vtable"
        aria-label="Results"
        aria-rowcount={rows.length + 1}
        data-row-count={rows.length}
      >
        <thead>
          <tr className="vhead" style={{ gridTemplateColumns: template }}>
            {columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                aria-sort={sortId === c.id ? (sortDir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                <button
                  type="button"
                  className={c.isNumeric ? 'num' : undefined}
                  onClick={() => onSort(nextSort(sort, c.id))}
                  title={`Sort by ${c.label || c.id}`}
                >
                  {c.label}
                  {sortId === c.id ? (sortDir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <tr
                key={key}
                tabIndex={0}
                data-key={key}
                className={`vrow ${freshKeys.has(key) ? 'is-new' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template }}
                onClick={(e) => onOpen(row, { newTab: e.metaKey || e.ctrlKey })}
                onKeyDown={(e) => e.key === 'Enter' && onOpen(row, { newTab: false })}
              >
                {columns.map((c) => (
                  <td key={c.id} className={`vcell ${c.isNumeric ? 'num' : ''}`}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="list-foot">
        {isLoading
          ? 'Loading…'
          : hasMore
            ? 'Scroll for more'
            : rows.length > 0
              ? `${rows.length.toLocaleString()} rows — end of results`
              : ''}
      </div>
    </div>
  );
}
