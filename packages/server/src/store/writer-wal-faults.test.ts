/**
 * Review of the logged write path (issue 20): barriers and shutdown when the log or the store fails.
 */
import { describe, expect, it } from 'vitest';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import type { WalPosition, WriteAheadLog } from './wal.ts';
import { GroupCommitWriter, type WriterTable } from './writer.ts';

const COLUMNS = { spans: ['a'], logs: ['a'], metric_points: ['a'], scores: ['a'] } as Record<
  WriterTable,
  string[]
>;

/** A log whose appends wait until the test settles them. */
function heldLog() {
  const appends: { resolve: (p: WalPosition) => void; reject: (e: unknown) => void }[] = [];
  const commits: WalPosition[][] = [];
  const wal = {
    append: () => new Promise<WalPosition>((resolve, reject) => appends.push({ resolve, reject })),
    commit: (_table: string, positions: readonly WalPosition[]) => commits.push([...positions]),
    close: async () => {},
  } as unknown as WriteAheadLog;
  return { wal, appends, commits };
}

/** A store that refuses every insert as unreachable. */
function downDriver() {
  let inserts = 0;
  const driver = {
    kind: 'chdb',
    query: async () => [],
    exec: async () => {},
    close: async () => {},
    insertTsv: async () => {
      inserts++;
      throw new Error('Code: 210. DB::NetException: Connection refused');
    },
  } as unknown as ClickhouseDriver;
  return { driver, inserts: () => inserts };
}

describe('GroupCommitWriter with a log, under faults (issue 20 review)', () => {
  it('close() ends when a write still being logged fails to be logged (no hang at shutdown)', async () => {
    const { driver } = downDriver();
    const { wal, appends } = heldLog();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
      wal,
    });
    const write = writer.write('spans', ['s1']);
    const closed = writer.close();
    appends[0]!.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    await expect(write).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    await closed;
    expect(writer.stats.queuedBytes).toBe(0);
    expect(writer.stats.queuedRows).toBe(0);
  }, 5000);

  it('visible() does not wait out the back-off of a failing table for rows queued behind it', async () => {
    const { driver, inserts } = downDriver();
    const { wal, appends } = heldLog();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
      wal,
    });
    const first = writer.write('spans', ['s1']);
    appends[0]!.resolve({ segment: 1, offset: 0 });
    await first;
    await writer.visible();
    expect(inserts()).toBe(1); // failed; the retry waits 0.5 s, then up to 5 s
    const second = writer.write('spans', ['s2']);
    appends[1]!.resolve({ segment: 1, offset: 20 });
    await second;
    // A query must not wait for the next retry while the store is down: it goes on (and fails fast).
    await writer.visible();
    expect(inserts()).toBe(1);
    expect(writer.stats.queuedRows).toBe(2);
    await writer.close();
    expect(writer.stats.queuedRows).toBe(0);
  }, 5000);

  it('settled() (erasure) refuses while rows acknowledged before it wait for a failing store, so they cannot reappear after it', async () => {
    let down = true;
    const driver = {
      kind: 'chdb',
      query: async () => [],
      exec: async () => {},
      close: async () => {},
      insertTsv: async () => {
        if (down) throw new Error('Code: 252. DB::Exception: Too many parts (300). (TOO_MANY_PARTS)');
      },
    } as unknown as ClickhouseDriver;
    const { wal, appends } = heldLog();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
      wal,
    });
    const write = writer.write('spans', ['s1']);
    appends[0]!.resolve({ segment: 1, offset: 0 });
    await write;
    // An erasure now would delete what the store holds, and the retry would insert s1 after it.
    await expect(writer.settled()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await writer.visible(); // a query still goes on
    down = false;
    await writer.close();
    await writer.settled();
  }, 5000);

  it('visible() ends while the store is down with more than one batch queued, and the queue bound stays exact', async () => {
    let down = true;
    let stored = 0;
    const driver = {
      kind: 'chdb',
      query: async () => [],
      exec: async () => {},
      close: async () => {},
      insertTsv: async (_t: string, _c: readonly string[], body: Buffer) => {
        if (down) throw new Error('Code: 210. DB::NetException: Connection refused');
        stored += body.toString().split('\n').length;
      },
    } as unknown as ClickhouseDriver;
    const { wal, appends, commits } = heldLog();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 2,
      lingerMs: 0,
      wal,
      filterStored: async (_t, payload) => payload,
    });
    const writes = ['a', 'b', 'c', 'd', 'e'].map((line) => writer.write('logs', [line]));
    for (const [i, a] of appends.entries()) a.resolve({ segment: 1, offset: i * 20 });
    await Promise.all(writes);
    await writer.visible();
    expect(writer.stats.queuedRows).toBe(5);
    down = false;
    await writer.close();
    expect(stored).toBe(5);
    expect(commits.flat()).toHaveLength(5);
    expect(writer.stats.queuedRows).toBe(0);
    expect(writer.stats.queuedBytes).toBe(0);
  }, 5000);
});
