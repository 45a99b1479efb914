/** A table with a header row, for the console's lists (keys, members, users, rules, sessions …). */
import type { HTMLAttributes, ReactNode } from 'react';

/**
 * A header cell: its text ('' for a column of buttons), or its text with a width in pixels, a
 * tooltip, or `isNumber` for a right-aligned column of numbers.
 */
export type Column = string | { label: string; width?: number; title?: string; isNumber?: boolean };

/** A right-aligned column of numbers. */
export const num = (label: string): Column => ({ label, isNumber: true });

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
            const {
              label: text,
              width,
              title,
              isNumber,
            } = typeof column === 'string' ? { label: column } : column;
            return (
              <th
                key={text || '(actions)'}
                className={isNumber ? 'num' : undefined}
                title={title}
                style={width === undefined ? undefined : { width }}
              >
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

/** A body row that opens something (`onOpen`) on a click or Enter; it takes the keyboard focus. */
export function ClickableRow({
  onOpen,
  children,
  ...row
}: Omit<HTMLAttributes<HTMLTableRowElement>, 'onClick' | 'onKeyDown'> & {
  onOpen: () => void;
  children: ReactNode;
}) {
  return (
    <tr
      className="clickable"
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => e.key === 'Enter' && onOpen()}
      {...row}
    >
      {children}
    </tr>
  );
}
