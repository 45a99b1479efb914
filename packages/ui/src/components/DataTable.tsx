/** A table with a header row, for the settings lists (keys, members, users, receipts …). */
import type { ReactNode } from 'react';

/** A header cell: its text, or its text and width in pixels; '' for a column of buttons. */
export type Column = string | { label: string; width: number };

/** The table; `children` are its body rows. */
export function DataTable({
  label,
  columns,
  className = 'table auto',
  children,
}: {
  /** Name for tests and screen readers. */
  label: string;
  columns: readonly Column[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => {
            const { label: text, width } =
              typeof column === 'string' ? { label: column, width: undefined } : column;
            return (
              <th key={text || '(actions)'} style={width === undefined ? undefined : { width }}>
                {text || null}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A button in a table row; `isDanger` for one that deletes or revokes. */
export function RowButton({
  isDanger = false,
  disabled,
  title,
  onClick,
  children,
}: {
  isDanger?: boolean;
  disabled?: boolean;
  title?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`btn ghost small${isDanger ? ' danger-text' : ''}`}
      disabled={disabled}
      title={title}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** The last cell of a row: its {@link RowButton}s side by side. */
export function ActionsCell({ children }: { children: ReactNode }) {
  return (
    <td style={{ maxWidth: 'none' }}>
      <div className="row nowrap" style={{ gap: 4 }}>
        {children}
      </div>
    </td>
  );
}
