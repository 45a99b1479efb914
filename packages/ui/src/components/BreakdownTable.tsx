/** A ranked table (name + numbers) with an in-cell bar for the first number; rows drill down on click. */
import type { ReactNode } from 'react';

/** One column of a breakdown. */
export interface BreakdownColumn<T> {
  label: string;
  value: (row: T) => number | undefined;
  format: (n: number | undefined) => string;
}

/** Props of {@link BreakdownTable}. */
export interface BreakdownTableProps<T> {
  title: string;
  rows: T[];
  name: (row: T) => string;
  columns: BreakdownColumn<T>[];
  onPick?: (row: T) => void;
  empty?: ReactNode;
  limit?: number;
}

/** The table. */
export function BreakdownTable<T>({
  title,
  rows,
  name,
  columns,
  onPick,
  empty,
  limit = 8,
}: BreakdownTableProps<T>) {
  const shown = rows.slice(0, limit);
  const first = columns[0];
  const max = first ? Math.max(0, ...shown.map((r) => first.value(r) ?? 0)) : 0;
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        {title}
        {rows.length > limit && (
          <span className="faint">
            top {limit} of {rows.length}
          </span>
        )}
      </div>
      {shown.length === 0 ? (
        <div className="state">{empty ?? 'Nothing in this window'}</div>
      ) : (
        <table className="table breakdown">
          <thead>
            <tr>
              <th>Name</th>
              {columns.map((c) => (
                <th key={c.label} className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const label = name(row);
              const share = first && max > 0 ? ((first.value(row) ?? 0) / max) * 100 : 0;
              return (
                <tr
                  key={label}
                  className={onPick ? 'clickable' : undefined}
                  onClick={onPick ? () => onPick(row) : undefined}
                  onKeyDown={onPick ? (e) => e.key === 'Enter' && onPick(row) : undefined}
                  tabIndex={onPick ? 0 : undefined}
                >
                  <td title={label}>{label}</td>
                  {columns.map((c, n) => (
                    <td key={c.label} className={`num ${n === 0 ? 'bar-cell' : ''}`}>
                      {n === 0 && <div className="bar" style={{ width: `${share}%` }} />}
                      <span>{c.format(c.value(row))}</span>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
