/**
 * Migration 12 on a real chDB store: a store made by v11 (8,192-row granules) opened by this
 * version gets the 1 MiB granules with every stored span kept and the views still fed; a run
 * interrupted after the swap finishes on the next start; a new store is made with them directly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { makeSpan, tempConfig } from '../query/test-helpers.ts';
import { getTrace } from '../query/trace-detail.ts';
import type { DdlOptions } from './clickhouse/ddl.ts';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { MIGRATIONS } from './clickhouse/migrations.ts';
import { nextSpansGranuleSteps, OLD_SPANS } from './clickhouse/spans-granules.ts';
import { openEmbeddedDriver, openStore, type Store } from './index.ts';

const DAY_MS = 86_400_000;
const opened: { store?: Store; cleanup(): void }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.store?.close();
    o.cleanup();
  }
});

function temp() {
  const t = tempConfig('spans-granules');
  const entry: { store?: Store; cleanup(): void } = { cleanup: t.cleanup };
  opened.push(entry);
  return { ...t, entry };
}

const ddl = (retentionDays: number): DdlOptions => ({
  profile: 'single',
  cluster: '',
  database: 'default',
  retentionDays,
  rollupRetentionDays: Math.max(400, retentionDays),
});

/** A store as v11 left it: spans with the 8,192-row granules it had then, migration 12 not applied. */
async function makeV11Store(config: Config): Promise<ClickhouseDriver> {
  await (await openStore(config)).close();
  const driver = openEmbeddedDriver(config);
  await driver.exec('ALTER TABLE argus_migrations DELETE WHERE version >= 12 SETTINGS mutations_sync = 1');
  await driver.exec('DROP TABLE spans SYNC');
  // Every statement is idempotent: this makes spans again and leaves the rest as it is.
  for (const migration of MIGRATIONS.filter((m) => m.version <= 11))
    for (const statement of migration.statements(ddl(config.retentionDays)))
      await driver.exec(
        statement.replace("index_granularity_bytes = '1Mi'", "index_granularity_bytes = '64Mi'"),
      );
  return driver;
}

/** Spans over three days (three partitions), written straight into the v11 table. */
async function insertOldSpans(driver: ClickhouseDriver): Promise<string[]> {
  const traceIds: string[] = [];
  for (let day = 0; day < 3; day++) {
    const start = new Date(Date.now() - (day + 1) * DAY_MS).toISOString().replace('T', ' ').replace('Z', '');
    const traceId = `${day}`.repeat(32);
    traceIds.push(traceId);
    await driver.exec(
      `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, input, output)
SELECT 'default', {t:String}, leftPad(hex(number), 16, '0'), 'chat', toDateTime64({s:String}, 9, 'UTC') + number,
  toDateTime64({s:String}, 9, 'UTC') + number + 1, repeat('prompt ', 50), repeat('answer ', 50) FROM numbers(40)`,
      { t: traceId, s: start },
    );
  }
  return traceIds;
}

async function granuleSetting(driver: ClickhouseDriver): Promise<string | undefined> {
  const [row] = await driver.query<{ engine_full: string }>(
    "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'spans'",
  );
  return /index_granularity_bytes = ('[^']*'|\d+)/.exec(row?.engine_full ?? '')?.[1];
}

async function tableNames(driver: ClickhouseDriver): Promise<string[]> {
  const rows = await driver.query<{ name: string }>(
    'SELECT name FROM system.tables WHERE database = currentDatabase()',
  );
  return rows.map((r) => r.name);
}

describe('spans granules (migration 12)', () => {
  it('makes a new store with 1 MiB granules and nothing left over', async () => {
    const t = temp();
    t.entry.store = await openStore(t.config);
    expect(await granuleSetting(t.entry.store.driver)).toBe("'1Mi'");
    expect(await tableNames(t.entry.store.driver)).not.toContain(OLD_SPANS);
    expect(await nextSpansGranuleSteps(t.entry.store.driver, ddl(t.config.retentionDays))).toEqual([]);
  });

  it('moves a v11 store to 1 MiB granules keeping every span, and the views follow', async () => {
    const t = temp();
    const driver = await makeV11Store(t.config);
    const traceIds = await insertOldSpans(driver);
    expect(await granuleSetting(driver)).toBe("'64Mi'");
    await driver.close();

    const store = await openStore(t.config);
    t.entry.store = store;
    expect(await granuleSetting(store.driver)).toBe("'1Mi'");
    expect(await tableNames(store.driver)).not.toContain(OLD_SPANS);
    const [count] = await store.driver.query<{ n: string }>('SELECT count() AS n FROM spans');
    expect(Number(count?.n)).toBe(120);
    for (const traceId of traceIds) {
      const trace = await getTrace(store.driver, 'default', traceId);
      expect(trace.spans).toHaveLength(40);
    }
    // Rows written after the swap reach trace_index: its view reads the new table.
    const fresh = makeSpan({});
    await store.insertSpans([fresh]);
    const trace = await getTrace(store.driver, fresh.projectId, fresh.traceId);
    expect(trace.spans.map((s) => s.spanId)).toEqual([fresh.spanId]);
    const [migrated] = await store.driver.query<{ n: string }>(
      'SELECT count() AS n FROM argus_migrations WHERE version = 12',
    );
    expect(Number(migrated?.n)).toBe(1);
  });

  it('finishes on the next start a run interrupted after the swap', async () => {
    const t = temp();
    const driver = await makeV11Store(t.config);
    await insertOldSpans(driver);
    // The first round (new table, swap) ran; the process died before the parts were moved.
    const firstRound = await nextSpansGranuleSteps(driver, ddl(t.config.retentionDays));
    expect(firstRound.at(-1)).toMatch(/^EXCHANGE TABLES spans AND/);
    for (const statement of firstRound) await driver.exec(statement);
    const [empty] = await driver.query<{ n: string }>('SELECT count() AS n FROM spans');
    expect(Number(empty?.n)).toBe(0);
    await driver.close();

    const store = await openStore(t.config);
    t.entry.store = store;
    const [count] = await store.driver.query<{ n: string }>('SELECT count() AS n FROM spans');
    expect(Number(count?.n)).toBe(120);
    expect(await tableNames(store.driver)).not.toContain(OLD_SPANS);
    expect(await granuleSetting(store.driver)).toBe("'1Mi'");
  });
});
