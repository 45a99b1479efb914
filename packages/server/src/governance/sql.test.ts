import { describe, expect, it } from 'vitest';
import { checkPolicy, isShorter } from './policy.ts';
import { subjectHash } from './receipts.ts';
import { cutoffOf } from './retention.ts';
import {
  dateTimeParam,
  IN_TRACES,
  LOG_BLANK,
  olderThan,
  renderApplyDeletedMask,
  renderDelete,
  renderDeletedPartitions,
  renderKillPurge,
  renderUpdate,
  SPAN_BLANK,
} from './sql.ts';

const single = { profile: 'single', cluster: 'argus' } as const;

describe('governance SQL rendering', () => {
  it('deletes from the table itself, synchronously, in the single profile', () => {
    expect(renderDelete('spans', IN_TRACES, single)).toBe(
      'DELETE FROM spans WHERE project_id = {project:String} AND trace_id IN {traceIds:Array(String)} SETTINGS lightweight_deletes_sync = 2',
    );
    expect(renderUpdate('spans', "input = ''", IN_TRACES, single)).toBe(
      "ALTER TABLE spans UPDATE input = '' WHERE project_id = {project:String} AND trace_id IN {traceIds:Array(String)} SETTINGS mutations_sync = 2",
    );
  });

  it('deletes on every replica ON CLUSTER in the replicated profile', () => {
    expect(renderDelete('logs', olderThan('logs'), { ...single, profile: 'replicated' })).toBe(
      "DELETE FROM logs ON CLUSTER argus WHERE project_id = {project:String} AND time < {cutoff:DateTime64(9, 'UTC')} SETTINGS lightweight_deletes_sync = 2",
    );
  });

  // Distributed tables cannot be mutated: the sharded profile must target the local tables.
  it.each([
    ['spans', 'spans_local'],
    ['trace_index', 'trace_index_local'],
    ['logs', 'logs_local'],
    ['scores', 'scores_local'],
    ['metric_points', 'metric_points_local'],
  ] as const)('mutates %s through %s ON CLUSTER in the sharded profile', (table, local) => {
    const sharded = { ...single, profile: 'sharded' } as const;
    expect(renderDelete(table, IN_TRACES, sharded)).toMatch(
      new RegExp(`^DELETE FROM ${local} ON CLUSTER argus WHERE `),
    );
    expect(renderApplyDeletedMask(table, '20260304', sharded)).toBe(
      `ALTER TABLE ${local} ON CLUSTER argus APPLY DELETED MASK IN PARTITION ID '20260304' SETTINGS mutations_sync = 2`,
    );
    expect(renderDeletedPartitions(table, sharded)).toContain(
      `FROM clusterAllReplicas('argus', system.parts) WHERE database = currentDatabase() AND table = '${local}' AND active AND has_lightweight_delete`,
    );
    expect(renderKillPurge(table, sharded)).toMatch(
      new RegExp(`^KILL MUTATION ON CLUSTER argus WHERE .*table = '${local}'`),
    );
    expect(renderUpdate(table, "x = ''", IN_TRACES, sharded)).toMatch(
      new RegExp(
        `^ALTER TABLE ${local} ON CLUSTER argus UPDATE x = '' WHERE .* SETTINGS mutations_sync = 2$`,
      ),
    );
  });

  it('purges one partition at a time, reading this server’s parts in the single profile', () => {
    expect(renderDeletedPartitions('spans', single)).toMatch(/FROM system\.parts WHERE .*table = 'spans'/);
    expect(renderKillPurge('spans', single)).toBe(
      "KILL MUTATION WHERE database = currentDatabase() AND table = 'spans' AND command LIKE '%APPLY DELETED MASK%' AND NOT is_done",
    );
    // Partition ids come from system.parts; anything that would need quoting is refused.
    expect(() => renderApplyDeletedMask('spans', "1' OR 1", single)).toThrow(/Unexpected partition id/);
  });

  it('measures each table on the column of its TTL', () => {
    expect(olderThan('spans')).toContain('start_time < {cutoff:');
    expect(olderThan('trace_index')).toContain('end_time < {cutoff:');
    expect(olderThan('metric_points')).toContain(' time < {cutoff:');
  });

  it('blanks every content column of spans and keeps the numbers', () => {
    for (const column of [
      'input',
      'output',
      'input_preview',
      'output_preview',
      'system_instructions',
      'tool_definitions',
      'retrieval_documents',
      'events',
      'attributes',
    ]) {
      expect(SPAN_BLANK).toMatch(new RegExp(`(^|, )${column} = `));
    }
    for (const kept of ['input_tokens', 'cost_usd', 'duration_ms', 'user_id', 'request_model'])
      expect(SPAN_BLANK).not.toContain(`${kept} =`);
    expect(LOG_BLANK).toBe(`body = '', content = '', attributes = '{"argus.content_expired":true}'`);
  });

  it('formats cutoffs as DateTime64 parameter values in UTC', () => {
    expect(dateTimeParam(new Date('2026-03-04T05:06:07.089Z'))).toBe('2026-03-04 05:06:07.089');
  });
});

describe('retention policy', () => {
  // Each case is a boundary of "content ≤ telemetry ≤ --retention-days".
  it.each([
    [{ telemetryDays: 30, contentDays: 30 }, undefined],
    [{ telemetryDays: 10, contentDays: 1 }, undefined],
    [
      { telemetryDays: 31, contentDays: 1 },
      /telemetryDays': 31 is over this instance's limit of 30 days.*--retention-days/,
    ],
    [{ telemetryDays: 5, contentDays: 6 }, /contentDays': 6 is over telemetryDays 5/],
  ])('checks %o', (policy, error) => {
    if (error) expect(() => checkPolicy(policy, 30)).toThrow(error);
    else expect(checkPolicy(policy, 30)).toEqual(policy);
  });

  it('cuts at the start of a UTC day, so a day is swept once, whole', () => {
    const now = Date.parse('2026-03-10T15:30:00Z');
    expect(cutoffOf(now, 3).toISOString()).toBe('2026-03-07T00:00:00.000Z');
    expect(cutoffOf(Date.parse('2026-03-10T00:00:00Z'), 3).toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });

  it('sweeps only policies shorter than the tables keep anyway', () => {
    expect(isShorter({ telemetryDays: 30, contentDays: 30 }, 30)).toBe(false);
    expect(isShorter({ telemetryDays: 30, contentDays: 7 }, 30)).toBe(true);
  });
});

describe('subject hash', () => {
  it('is keyed, and differs by kind and by key', () => {
    const a = subjectHash('k'.repeat(32), 'user', 'alice');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectHash('k'.repeat(32), 'user', 'alice')).toBe(a);
    expect(subjectHash('k'.repeat(32), 'session', 'alice')).not.toBe(a);
    expect(subjectHash('j'.repeat(32), 'user', 'alice')).not.toBe(a);
  });
});
