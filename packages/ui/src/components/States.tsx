/** Loading, error and empty states shared by every page. */
import type { ReactNode } from 'react';

/** A spinner with a label. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status">
      <div className="spinner" />
      <span>{label}</span>
    </div>
  );
}

/** The heading of an error: what kind of failure it is. */
function errorTitle(error: Error): string {
  const status = 'status' in error ? (error as { status: unknown }).status : undefined;
  if (status === 403) return 'Not allowed';
  if (status === 429) return 'Too many requests';
  return 'code' in error && error.code !== 'NETWORK' ? 'Request failed' : 'Cannot load';
}

/** An API or network error, showing the server's message. */
export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <div style={{ flex: 1 }}>
        <strong>{errorTitle(error)}</strong>
        <div>{error.message}</div>
      </div>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A problem the console found itself (not a server's error): what it is, and what to do. */
export function ProblemBox({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="error-box" role="alert">
      <div>
        <strong>{title}</strong>
        <div>{children}</div>
      </div>
    </div>
  );
}

/** An empty result with a hint. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <strong style={{ color: 'var(--text)' }}>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

/**
 * The states of a list that keeps its rows while it reloads or loads more: its error above (with
 * Retry), a spinner while no row has come, `empty` (when given) when none came and nothing failed,
 * else `children`.
 */
export function ListStates({
  list,
  label,
  empty,
  children,
}: {
  list: { rows: readonly unknown[]; error: Error | undefined; isLoading: boolean; reload: () => void };
  label?: string;
  empty?: ReactNode;
  children: ReactNode;
}) {
  const isEmpty = list.rows.length === 0;
  return (
    <>
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      {isEmpty && list.isLoading ? (
        <Loading label={label} />
      ) : isEmpty && !list.error && empty !== undefined ? (
        empty
      ) : (
        children
      )}
    </>
  );
}

/** Renders loading / error / content for a request state. */
export function Async<T>({
  state,
  children,
  label,
}: {
  state: { data: T | undefined; error: Error | undefined; isLoading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
  label?: string;
}) {
  if (state.error && state.data === undefined) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading label={label} />;
  return (
    <>
      {state.error && <ErrorBox error={state.error} onRetry={state.reload} />}
      {children(state.data)}
    </>
  );
}

/** {@link Async} for a list: `empty` (an {@link Empty}) when it has no rows. */
export function AsyncList<T>({
  state,
  children,
  label,
  empty,
}: {
  state: { data: T[] | undefined; error: Error | undefined; isLoading: boolean; reload: () => void };
  children: (rows: T[]) => ReactNode;
  label?: string;
  empty: ReactNode;
}) {
  return (
    <Async state={state} label={label}>
      {(rows) => (rows.length === 0 ? empty : children(rows))}
    </Async>
  );
}
