/**
 * Building blocks of the settings sections: a titled panel, the panel that adds an entry (or the
 * read-only note), and the locked state of a section.
 */
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { Icons } from '../../components/Icons.tsx';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { AsyncList } from '../../components/States.tsx';
import { type Need, neededRole } from '../../lib/roles.ts';
import { useAuth, useCan } from '../account/auth-context.ts';

/** A titled panel; `actions` sit at the right of the title. */
export function SettingsPanel({
  title,
  actions,
  children,
  label,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  label?: string;
}) {
  return (
    <section className="panel" aria-label={label ?? (typeof title === 'string' ? title : undefined)}>
      <div className="panel-head">
        <span className="spacer">{title}</span>
        {actions}
      </div>
      <div className="panel-body stack">{children}</div>
    </section>
  );
}

/** What {@link ListPanel} lists: a request's state whose data is the rows. */
type ListState<T> = {
  data: T[] | undefined;
  error: Error | undefined;
  isLoading: boolean;
  reload: () => void;
};

/**
 * A titled panel listing `state`'s rows: a spinner with `loading` while they come, the error with
 * Retry, `empty` when there are none, else `children(rows)`; `notice` (an action's error) sits above.
 */
export function ListPanel<T>({
  title,
  label,
  state,
  loading,
  empty,
  notice,
  children,
}: {
  title: ReactNode;
  label?: string;
  state: ListState<T>;
  loading: string;
  empty: ReactNode;
  notice?: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  return (
    <SettingsPanel title={title} label={label}>
      {notice}
      <AsyncList state={state} label={loading} empty={empty}>
        {children}
      </AsyncList>
    </SettingsPanel>
  );
}

/** A {@link ListPanel} whose rows are a {@link DataTable} named `table`: `children(row)` is one body row. */
export function TablePanel<T>({
  table,
  columns,
  children,
  ...list
}: Omit<Parameters<typeof ListPanel<T>>[0], 'children'> & {
  table: string;
  columns: readonly Column[];
  children: (row: T) => ReactNode;
}) {
  return (
    <ListPanel {...list}>
      {(rows) => (
        <DataTable label={table} columns={columns}>
          {rows.map(children)}
        </DataTable>
      )}
    </ListPanel>
  );
}

/**
 * The panel that adds an entry (its form as `children`) for a caller whose role may; the others
 * see the read-only note saying which role can do `what`.
 */
export function NewEntryPanel({
  title,
  need,
  what,
  children,
}: {
  title: string;
  need: Need;
  what: string;
  children: ReactNode;
}) {
  const can = useCan(need);
  return can.isAllowed ? (
    <SettingsPanel title={title}>{children}</SettingsPanel>
  ) : (
    <ReadOnlyNote need={need} what={what} />
  );
}

/** What a caller without the role sees instead of a section: why, and what to do. */
export function Locked({ need, what }: { need: Need; what: string }) {
  const { project } = useAuth();
  return (
    <div className="state locked" data-testid="locked">
      <Icons.lock />
      <strong style={{ color: 'var(--text)' }}>
        {what.charAt(0).toUpperCase() + what.slice(1)} needs {neededRole(need)}
      </strong>
      <div>
        Your role on {project?.name ?? 'this project'} is {project?.role ?? 'none'}. Ask one of its admins to
        change your role, or switch to a project you administer.
      </div>
    </div>
  );
}
