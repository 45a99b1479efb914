/**
 * Numbered ClickHouse migrations. Every statement is idempotent (`IF NOT EXISTS`), so a
 * migration interrupted half-way is simply run again: there is no "dirty" state to repair (a
 * migration that depends on what is stored plans its next steps from it: {@link Migration.next}).
 * Applied migrations are recorded in the `argus_migrations` table of the same ClickHouse, so
 * the record can never disagree with the schema it describes.
 */
import { ArgusError } from '../../errors.ts';
import { confidenceColumnStatements } from './confidence-columns.ts';
import {
  type DdlOptions,
  localName,
  onCluster,
  renderBackfill,
  renderModifyTtl,
  renderTable,
  renderTtl,
  renderView,
} from './ddl.ts';
import type { ClickhouseDriver } from './driver.ts';
import { nextSpansGranuleSteps } from './spans-granules.ts';
import {
  EXPERIMENT_RESULTS,
  LOGS,
  METRIC_POINTS,
  OUTPUT_HEALTH,
  SCORES,
  SPANS,
  SPANS_1H,
  SPANS_1H_MV,
  SPANS_1M,
  SPANS_1M_MV,
  type TableSpec,
  TRACE_INDEX,
  TRACE_INDEX_MV,
} from './tables.ts';

/** One numbered migration. */
export interface Migration {
  version: number;
  name: string;
  statements(o: DdlOptions): string[];
  /**
   * For a migration that depends on what is stored: the next statements, asked again after they
   * ran until there are none, so a run interrupted anywhere resumes from what it finds.
   */
  next?(driver: ClickhouseDriver, o: DdlOptions): Promise<string[]>;
}

/** Rounds a {@link Migration.next} may take before it is judged not to converge. */
const MAX_ROUNDS = 100;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'spans', statements: (o) => renderTable(SPANS, o) },
  {
    version: 2,
    name: 'trace_index',
    statements: (o) => [...renderTable(TRACE_INDEX, o), renderView(TRACE_INDEX_MV, o)],
  },
  {
    version: 3,
    name: 'spans_1m',
    statements: (o) => [...renderTable(SPANS_1M, o), renderView(SPANS_1M_MV, o)],
  },
  { version: 4, name: 'logs', statements: (o) => renderTable(LOGS, o) },
  { version: 5, name: 'metric_points', statements: (o) => renderTable(METRIC_POINTS, o) },
  { version: 6, name: 'scores', statements: (o) => renderTable(SCORES, o) },
  {
    version: 7,
    name: 'spans_1h',
    statements: (o) => [...renderTable(SPANS_1H, o), renderView(SPANS_1H_MV, o), renderBackfill(SPANS_1H_MV)],
  },
  { version: 8, name: 'experiment_results', statements: (o) => renderTable(EXPERIMENT_RESULTS, o) },
  { version: 9, name: 'span confidence columns', statements: confidenceColumnStatements },
  {
    // The online worker follows spans by insert time: a minmax index on it lets that read skip
    // every part written before its cursor (parts written before this migration are not indexed).
    version: 10,
    name: 'online evaluation: output_health, spans inserted_at index',
    statements: (o) => [
      ...renderTable(OUTPUT_HEALTH, o),
      `ALTER TABLE ${localName('spans', o)}${onCluster(o)} ADD INDEX IF NOT EXISTS idx_inserted_at inserted_at TYPE minmax GRANULARITY 1`,
    ],
  },
  {
    // The engine's working memory per insert and merge of the 60-column spans (issue 20, memory).
    // A wide part keeps a compressed stream per column (~85 with the dictionaries, arrays and
    // skip indexes), each with ~1 MiB buffers: writing an insert's part took ~400 MB of engine
    // memory at 16 MB of TSV, a horizontal merge 200-530 MB (every column of every part at once).
    // Parts under 64 MiB are compact instead (one file: 6,000 rows took 156 MB, CPU no higher), and
    // merges into a wide part are vertical (the key columns first, then one column at a time:
    // 14-94 MB) — the engine's default starts that only at 131,072 rows, which the parts of a few
    // seconds of ingest never reach.
    version: 11,
    name: 'spans: compact parts under 64 MiB, vertical merges from the first row',
    statements: (o) => [
      `ALTER TABLE ${localName('spans', o)}${onCluster(o)} MODIFY SETTING min_bytes_for_wide_part = 67108864, vertical_merge_algorithm_min_rows_to_activate = 1`,
    ],
  },
  {
    // Granules of at most 1 MiB, so reading one trace decompresses kilobytes of prompt text per
    // column, not megabytes (tables.ts; spans-granules.ts says how and where).
    version: 12,
    name: 'spans: 1 MiB granules',
    statements: () => [],
    next: nextSpansGranuleSteps,
  },
];

/** Tables whose TTL follows the configured retention. */
export const RETAINED_TABLES: readonly TableSpec[] = [
  SPANS,
  TRACE_INDEX,
  SPANS_1M,
  LOGS,
  METRIC_POINTS,
  SCORES,
  OUTPUT_HEALTH,
];

/** What {@link migrate} did. */
export interface MigrationReport {
  applied: number[];
  current: number;
  ttlUpdated: string[];
}

/**
 * Brings the schema to the newest version and the TTLs to the configured retention.
 * @throws ArgusError MIGRATION_FAILED naming the migration and statement that failed.
 */
export async function migrate(driver: ClickhouseDriver, o: DdlOptions): Promise<MigrationReport> {
  const cluster = o.profile === 'single' ? '' : ` ON CLUSTER ${o.cluster}`;
  const engine = o.profile === 'single' ? 'MergeTree()' : 'ReplicatedMergeTree()';
  await driver.exec(
    `CREATE TABLE IF NOT EXISTS argus_migrations${cluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ${engine} ORDER BY version`,
  );
  const rows = await driver.query<{ version: number }>('SELECT DISTINCT version FROM argus_migrations');
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await runStatements(driver, migration, migration.statements(o));
    for (let round = 0; migration.next; round++) {
      const steps = await migration.next(driver, o);
      if (steps.length === 0) break;
      if (round === MAX_ROUNDS)
        throw new ArgusError(
          'MIGRATION_FAILED',
          `Cannot apply migration ${migration.version} '${migration.name}': still not complete after ${MAX_ROUNDS} rounds (next: ${steps[0]})`,
        );
      await runStatements(driver, migration, steps);
    }
    await driver.exec('INSERT INTO argus_migrations (version, name) VALUES ({v:UInt32}, {n:String})', {
      v: migration.version,
      n: migration.name,
    });
    applied.push(migration.version);
  }
  const ttlUpdated = await alignTtl(driver, o);
  return { applied, current: MIGRATIONS.at(-1)?.version ?? 0, ttlUpdated };
}

async function runStatements(driver: ClickhouseDriver, migration: Migration, statements: string[]) {
  for (const [index, statement] of statements.entries()) {
    try {
      await driver.exec(statement);
    } catch (error) {
      throw new ArgusError(
        'MIGRATION_FAILED',
        `Cannot apply migration ${migration.version} '${migration.name}': statement ${index + 1} of ${statements.length} failed: ${(error as Error).message}. Nothing is half-applied: every statement is idempotent, so fix the cause and start again`,
        { cause: error },
      );
    }
  }
}

/** Applies the configured retention to tables created with another one. */
async function alignTtl(driver: ClickhouseDriver, o: DdlOptions): Promise<string[]> {
  const updated: string[] = [];
  const names = RETAINED_TABLES.map((t) => (o.profile === 'sharded' ? `${t.name}_local` : t.name));
  const rows = await driver.query<{ name: string; create_table_query: string }>(
    'SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
    { names },
  );
  const ddl = new Map(rows.map((r) => [r.name, r.create_table_query]));
  for (const table of RETAINED_TABLES) {
    const name = o.profile === 'sharded' ? `${table.name}_local` : table.name;
    const want = ttlDays(renderTtl(table, o));
    const have = ttlDays(ddl.get(name) ?? '');
    if (!want || want === have) continue;
    const statement = renderModifyTtl(table, o);
    if (statement) {
      await driver.exec(statement);
      updated.push(table.name);
    }
  }
  return updated;
}

/** Days of the first TTL in a DDL string, in either the written or ClickHouse's normalized form. */
function ttlDays(ddl: string): string | undefined {
  const match = ddl.match(/INTERVAL (\d+) DAY|toIntervalDay\((\d+)\)/);
  return match?.[1] ?? match?.[2];
}
