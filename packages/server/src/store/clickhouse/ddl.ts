/**
 * One DDL renderer for every deployment profile, so the schema is written once:
 * - `single`: MergeTree tables (chDB embedded, or one ClickHouse server);
 * - `replicated`: Replicated*MergeTree `ON CLUSTER` (1 shard × N replicas);
 * - `sharded`: `*_local` replicated tables on every shard plus `Distributed` tables under the
 *   logical names, sharded by trace so a trace and its index rows live on one shard.
 */
import type { TableSpec, ViewSpec } from './tables.ts';

/** Deployment profile of the ClickHouse schema. */
export type SchemaProfile = 'single' | 'replicated' | 'sharded';

/** Inputs of the renderer. */
export interface DdlOptions {
  profile: SchemaProfile;
  /** Cluster name for `ON CLUSTER` and Distributed tables. */
  cluster: string;
  database: string;
  retentionDays: number;
  /** Per-minute rollups outlive raw spans. */
  rollupRetentionDays: number;
}

/** ` ON CLUSTER <name>` for the replicated and sharded profiles, else ''. */
export function onCluster(o: Pick<DdlOptions, 'profile' | 'cluster'>): string {
  return o.profile === 'single' ? '' : ` ON CLUSTER ${o.cluster}`;
}

/** The table that holds the rows (`<name>_local` when sharded): the target of ALTERs. */
export function localName(name: string, o: Pick<DdlOptions, 'profile'>): string {
  return o.profile === 'sharded' ? `${name}_local` : name;
}

function fillTtl(ttl: string, o: DdlOptions): string {
  return ttl
    .replaceAll('{retentionDays}', String(o.retentionDays))
    .replaceAll('{rollupRetentionDays}', String(o.rollupRetentionDays));
}

/** TTL clause of a table for the options, or '' (used to detect retention changes). */
export function renderTtl(table: TableSpec, o: DdlOptions): string {
  return table.ttl ? fillTtl(table.ttl, o) : '';
}

/** A table's `ENGINE = … PARTITION BY … ORDER BY … [TTL …] [SETTINGS …]` clause. */
export function renderEngine(table: TableSpec, o: DdlOptions): string {
  const engine = o.profile === 'single' ? `${table.engine}()` : `Replicated${table.engine}()`;
  const lines = [`ENGINE = ${engine}`, `PARTITION BY ${table.partitionBy}`, `ORDER BY ${table.orderBy}`];
  if (table.ttl) lines.push(`TTL ${fillTtl(table.ttl, o)}`);
  if (table.settings) lines.push(`SETTINGS ${table.settings}`);
  return lines.join('\n');
}

/** CREATE statements for a table: one for single/replicated, two (local + Distributed) for sharded. */
export function renderTable(table: TableSpec, o: DdlOptions): string[] {
  const local = localName(table.name, o);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${local}${onCluster(o)} (${table.body}\n)\n${renderEngine(table, o)}`,
  ];
  if (o.profile === 'sharded') {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${table.name}${onCluster(o)} AS ${local}\n` +
        `ENGINE = Distributed(${o.cluster}, ${o.database}, ${local}, ${table.shardingKey})`,
    );
  }
  return statements;
}

/** CREATE MATERIALIZED VIEW for a view; in the sharded profile it reads and writes local tables. */
export function renderView(view: ViewSpec, o: DdlOptions): string {
  const from = localName(view.from, o);
  const to = localName(view.to, o);
  const select = view.select.replace(new RegExp(`\\bFROM ${view.from}\\b`), `FROM ${from}`);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view.name}${onCluster(o)} TO ${to}\nAS ${select}`;
}

/** ALTER … MODIFY TTL for a table (on the local table when sharded). */
export function renderModifyTtl(table: TableSpec, o: DdlOptions): string | undefined {
  if (!table.ttl) return undefined;
  return `ALTER TABLE ${localName(table.name, o)}${onCluster(o)} MODIFY TTL ${fillTtl(table.ttl, o)} SETTINGS materialize_ttl_after_modify = 0`;
}

/**
 * Fills a view's target from its source once, for rows written before the view existed. Guarded
 * by "target is empty", so running it again (an interrupted migration) never double counts.
 */
export function renderBackfill(view: ViewSpec): string {
  return `INSERT INTO ${view.to}\n${view.select}\nHAVING (SELECT count() FROM ${view.to}) = 0`;
}
