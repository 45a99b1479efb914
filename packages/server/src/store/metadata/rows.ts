/** Rows of the metadata store as records: snake_case columns to camelCase fields. Pure. */

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** A row type with its snake_case column names in camelCase: `{ created_at }` → `{ createdAt }`. */
export type CamelRow<R> = { [K in keyof R as K extends string ? Camel<K> : K]: R[K] };

/**
 * A row as a record: each column renamed to camelCase (`last_login_at` → `lastLoginAt`), values
 * and order as they are. Every column becomes a field, so select only the ones the record has.
 */
export function camelRow<R extends object>(row: R): CamelRow<R> {
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row))
    record[column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())] = value;
  return record as CamelRow<R>;
}
