import { describe, expect, it } from 'vitest';
import { type DdlOptions, renderModifyTtl, renderTable, renderView } from './ddl.ts';
import { MIGRATIONS } from './migrations.ts';
import { SPANS, TRACE_INDEX_MV } from './tables.ts';

const base: DdlOptions = {
  profile: 'single',
  cluster: 'argus',
  database: 'otel',
  retentionDays: 14,
  rollupRetentionDays: 400,
};

describe('DDL renderer', () => {
  it('renders a plain MergeTree with the retention for the single profile', () => {
    const [statement, ...rest] = renderTable(SPANS, base);
    expect(rest).toEqual([]);
    expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS spans \(/);
    expect(statement).toContain('ENGINE = MergeTree()');
    expect(statement).toContain('TTL toDateTime(start_time) + INTERVAL 14 DAY');
    expect(statement).not.toContain('ON CLUSTER');
  });

  it('renders replicated engines ON CLUSTER for the replicated profile', () => {
    const [statement] = renderTable(SPANS, { ...base, profile: 'replicated' });
    expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS spans ON CLUSTER argus \(/);
    expect(statement).toContain('ENGINE = ReplicatedMergeTree()');
  });

  it('renders local tables plus Distributed tables sharded by trace for the sharded profile', () => {
    const statements = renderTable(SPANS, { ...base, profile: 'sharded' });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS spans_local ON CLUSTER argus/);
    expect(statements[1]).toBe(
      'CREATE TABLE IF NOT EXISTS spans ON CLUSTER argus AS spans_local\nENGINE = Distributed(argus, otel, spans_local, cityHash64(project_id, trace_id))',
    );
  });

  it('points sharded materialized views at local tables on both ends', () => {
    const view = renderView(TRACE_INDEX_MV, { ...base, profile: 'sharded' });
    expect(view).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS trace_index_mv ON CLUSTER argus TO trace_index_local',
    );
    expect(view).toContain('FROM spans_local GROUP BY');
  });

  it('changes retention without rewriting existing data', () => {
    expect(renderModifyTtl(SPANS, { ...base, retentionDays: 3 })).toBe(
      'ALTER TABLE spans MODIFY TTL toDateTime(start_time) + INTERVAL 3 DAY SETTINGS materialize_ttl_after_modify = 0',
    );
  });

  it('makes every migration statement idempotent, so an interrupted migration can simply run again', () => {
    for (const profile of ['single', 'replicated', 'sharded'] as const) {
      for (const migration of MIGRATIONS) {
        for (const statement of migration.statements({ ...base, profile })) {
          // Backfills are guarded by "target is empty", so a re-run adds nothing; an ALTER only
          // adds columns and indexes IF NOT EXISTS, or sets table settings (the same values again).
          expect(statement).toMatch(
            /^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS |^INSERT INTO (\w+)\n[\s\S]*HAVING \(SELECT count\(\) FROM \1\) = 0$|^ALTER TABLE \w+(?: ON CLUSTER \w+)? (?:ADD (?:COLUMN|INDEX) IF NOT EXISTS |MODIFY SETTING [\w =,]+$)/,
          );
          if (statement.startsWith('ALTER')) {
            const adds = statement.match(/ ADD (?:COLUMN|INDEX) /g) ?? [];
            const guarded = statement.match(/ ADD (?:COLUMN|INDEX) IF NOT EXISTS /g) ?? [];
            expect(guarded.length).toBe(adds.length);
          }
        }
      }
    }
  });

  it('numbers migrations strictly increasing from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
