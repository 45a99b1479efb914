import { describe, expect, it } from 'vitest';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { GroupCommitWriter, type WriterTable } from './writer.ts';

/** A driver whose inserts wait until the test releases them (the writer's logic is under test). */
function heldDriver() {
  const held: { table: string; rows: number; release: () => void }[] = [];
  const driver = {
    kind: 'chdb',
    query: async () => [],
    exec: async () => {},
    close: async () => {},
    insertTsv: (table: string, _columns: readonly string[], body: Buffer) =>
      new Promise<void>((release) => held.push({ table, rows: body.toString().split('\n').length, release })),
  } as unknown as ClickhouseDriver;
  return { driver, held };
}

const COLUMNS = { spans: ['a'], logs: ['a'], metric_points: ['a'], scores: ['a'] } as Record<
  WriterTable,
  string[]
>;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('GroupCommitWriter.settled', () => {
  it('waits for writes accepted before the call, not for later ones', async () => {
    const { driver, held } = heldDriver();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
    });
    const first = writer.write('spans', ['1', '2']);
    await tick();
    expect(held).toHaveLength(1);
    let settled = false;
    const waiting = writer.settled().then(() => (settled = true));
    const later = writer.write('spans', ['3']);
    await tick();
    expect(settled).toBe(false);
    held[0]!.release();
    await first;
    await waiting;
    expect(settled).toBe(true);
    // The later write is still held: drain() would still be waiting, settled() did not.
    await tick();
    expect(held).toHaveLength(2);
    held[1]!.release();
    await later;
    await writer.settled();
  });

  it('resolves at once when nothing is in flight', async () => {
    const { driver } = heldDriver();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
    });
    await writer.settled();
  });
});
