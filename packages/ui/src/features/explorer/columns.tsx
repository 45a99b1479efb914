/** The explorer's column model: a column's label, width, cell and sort key; picking and sorting. */
import type { ReactNode } from 'react';

/** One column. */
export interface Column<T> {
  id: string;
  label: string;
  /** A CSS grid track. */
  width: string;
  isNumeric?: boolean;
  render: (row: T) => ReactNode;
  sortValue: (row: T) => number | string;
}

/** A status dot (ok, error, unset). */
export function StatusDot({ status }: { status: string }) {
  return (
    <span
      className={`dot ${status === 'error' ? 'error' : status === 'unset' ? 'unset' : ''}`}
      title={status}
    />
  );
}

/** The visible columns, in the URL's order, falling back to the defaults. */
export function pickColumns<T>(
  all: Column<T>[],
  ids: readonly string[] | undefined,
  defaults: readonly string[],
): Column<T>[] {
  const wanted = ids && ids.length > 0 ? ids : defaults;
  const picked = wanted
    .map((id) => all.find((c) => c.id === id))
    .filter((c): c is Column<T> => c !== undefined);
  return picked.length > 0 ? picked : all.filter((c) => defaults.includes(c.id));
}

/** Sorts rows by `sort` (`column:asc|desc`); no sort keeps the API order (newest first). */
export function sortRows<T>(
  rows: readonly T[],
  columns: Column<T>[],
  sort: string | undefined,
): readonly T[] {
  if (!sort) return rows;
  const [id, dir] = sort.split(':');
  const column = columns.find((c) => c.id === id);
  if (!column) return rows;
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = column.sortValue(a);
    const y = column.sortValue(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}
