import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { WriteAheadLog } from './wal.ts';
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

/** A driver that stores lines, failing an insert like the engine does when `isBad` matches one. */
function pickyDriver(
  isBad: (line: string) => boolean,
  failure = 'Code: 41. DB::Exception: Cannot read DateTime',
) {
  const stored: string[] = [];
  let inserts = 0;
  const driver = {
    kind: 'chdb',
    query: async () => [],
    exec: async () => {},
    close: async () => {},
    insertTsv: async (_table: string, _columns: readonly string[], body: Buffer) => {
      inserts++;
      const lines = body.toString().split('\n');
      if (lines.some(isBad)) throw new Error(failure);
      stored.push(...lines);
    },
  } as unknown as ClickhouseDriver;
  return { driver, stored, inserts: () => inserts };
}

describe('GroupCommitWriter failures (issue 11, findings 5 and 6)', () => {
  const options = { maxQueueBytes: 1e6, maxBatchRows: 1000, lingerMs: 5 };

  it('stores the readable lines of a request and names the unreadable ones', async () => {
    const { driver, stored } = pickyDriver((line) => line.startsWith('bad'));
    const writer = new GroupCommitWriter(driver, COLUMNS, options);
    const lines = Array.from({ length: 20 }, (_, i) => (i === 3 || i === 17 ? `bad${i}` : `ok${i}`));
    const [mixed, neighbour] = await Promise.all([
      writer.write('spans', lines),
      writer.write('spans', ['n1', 'n2']),
    ]);
    expect(mixed.rejected).toEqual([3, 17]);
    expect(neighbour.rejected).toEqual([]);
    expect([...stored].sort()).toEqual([...lines.filter((l) => l.startsWith('ok')), 'n1', 'n2'].sort());
    expect(writer.stats.rejectedRows).toBe(2);
  });

  it('fails a group on a full disk without retrying (no second copy) and says so without engine text', async () => {
    const { driver, inserts } = pickyDriver(
      () => true,
      'Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)',
    );
    const writer = new GroupCommitWriter(driver, COLUMNS, options);
    const results = await Promise.allSettled([writer.write('spans', ['a']), writer.write('spans', ['b'])]);
    expect(inserts()).toBe(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as { code: string; message: string };
      expect(error.code).toBe('STORAGE_FULL');
      expect(error.message).not.toMatch(/DB::|Code:/);
    }
    expect(writer.stats.storageFullSince).toBeGreaterThan(0);
  });
});

describe('GroupCommitWriter with a write-ahead log (issue 20)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function logIn(): WriteAheadLog {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-writer-wal-'));
    dirs.push(dir);
    return WriteAheadLog.open(dir, { fsync: false, segmentBytes: 1 << 20 }).wal;
  }

  it('acknowledges once logged, before any insert, and inserts concurrent writes as one batch', async () => {
    const { driver, held } = heldDriver();
    const wal = logIn();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 30,
      wal,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => writer.write('spans', [`a${i}`, `b${i}`])),
    );
    expect(results.every((r) => r.rejected.length === 0)).toBe(true);
    expect(held).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(held.map((h) => h.rows)).toEqual([20]);
    held[0]!.release();
    await writer.close();
    await wal.close();
  });

  it('inserts at once when a full batch is queued, and before a reader asks', async () => {
    const { driver, held } = heldDriver();
    const wal = logIn();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 4,
      lingerMs: 60_000,
      wal,
    });
    await writer.write('spans', ['1', '2', '3', '4']);
    await tick();
    expect(held.map((h) => h.rows)).toEqual([4]);
    held[0]!.release();
    await writer.write('logs', ['x']);
    const visible = writer.visible();
    await tick();
    expect(held.map((h) => h.table)).toEqual(['spans', 'logs']);
    held[1]!.release();
    await visible;
    await writer.close();
    await wal.close();
  });

  it('lets a feed reader wait for the insert under way without hurrying queued rows into another', async () => {
    const { driver, held } = heldDriver();
    const wal = logIn();
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 2,
      lingerMs: 60_000,
      wal,
    });
    await writer.write('spans', ['1', '2']); // a full batch: its insert starts at once
    await tick();
    await writer.write('spans', ['3']); // queued behind the linger
    let settled = false;
    const reading = writer.insertsSettled().then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    held[0]!.release();
    await reading;
    await tick();
    // Only the insert under way was waited for; the queued row still lingers.
    expect(held.map((h) => h.rows)).toEqual([2]);
    await writer.insertsSettled(); // nothing under way: at once
    const visible = writer.visible();
    await tick();
    expect(held.map((h) => h.rows)).toEqual([2, 1]);
    held[1]!.release();
    await visible;
    await writer.close();
    await wal.close();
  });

  it('splits queued rows into inserts of at most maxBatchBytes, each started at once when that much is queued', async () => {
    // The cap bounds the engine's working memory per insert (issue 20): 10-byte lines, 25-byte cap.
    const { driver, held } = heldDriver();
    const bodies: number[] = [];
    const measured = {
      ...driver,
      insertTsv: (table: string, columns: readonly string[], body: Buffer) => {
        bodies.push(body.length);
        return driver.insertTsv(table, columns, body);
      },
    } as ClickhouseDriver;
    const wal = logIn();
    const writer = new GroupCommitWriter(measured, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      maxBatchBytes: 25,
      lingerMs: 60_000,
      wal,
    });
    const line = (i: number) => `row-${String(i).padStart(6, '0')}`;
    for (let i = 0; i < 5; i++) await writer.write('spans', [line(i)]);
    // A single write larger than the cap still goes, alone.
    await writer.write('spans', [line(5), line(6), line(7)]);
    await tick();
    // 25 bytes queued started the first insert without the 60 s linger; it holds two lines (21 bytes).
    expect(held.map((h) => h.rows)).toEqual([2]);
    held[0]!.release();
    await tick();
    expect(held.map((h) => h.rows)).toEqual([2, 2]);
    held[1]!.release();
    await tick();
    // One line (10 bytes) is left with the three-line write queued behind it: the cap keeps them apart.
    expect(held.map((h) => h.rows)).toEqual([2, 2, 1]);
    held[2]!.release();
    await tick();
    expect(held.map((h) => h.rows)).toEqual([2, 2, 1, 3]);
    held[3]!.release();
    await writer.close();
    await wal.close();
    // Lines joined by '\n': 21, 21, 10 bytes, and the oversized write's 32.
    expect(bodies).toEqual([21, 21, 10, 32]);
  });

  it('retries a failed insert from the log, skipping rows the store holds, without holding readers', async () => {
    let failures = 1;
    const stored: string[] = [];
    const driver = {
      kind: 'chdb',
      query: async () => [],
      exec: async () => {},
      close: async () => {},
      insertTsv: async (_t: string, _c: readonly string[], body: Buffer) => {
        stored.push(...body.toString().split('\n'));
        if (failures-- > 0) throw new Error('Code: 210. DB::NetException: Connection refused');
      },
    } as unknown as ClickhouseDriver;
    const wal = logIn();
    const filtered: string[] = [];
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 0,
      wal,
      filterStored: async (_table, payload) => {
        filtered.push(payload.toString());
        return Buffer.from(
          payload
            .toString()
            .split('\n')
            .filter((line) => !stored.includes(line))
            .join('\n'),
        );
      },
    });
    await writer.write('spans', ['s1', 's2']);
    await writer.visible();
    expect(writer.stats.failedInserts).toBe(1);
    expect(stored).toEqual(['s1', 's2']);
    await new Promise((r) => setTimeout(r, 700));
    // The retry asked which rows were stored (both, by the failed insert) and inserted none again.
    expect(filtered).toEqual(['s1\ns2']);
    expect(stored).toEqual(['s1', 's2']);
    expect(writer.stats.queuedRows).toBe(0);
    await writer.close();
    await wal.close();
  });

  it('sets aside the logged rows the store cannot read and stores their neighbours', async () => {
    const { driver, stored } = pickyDriver((line) => line.startsWith('bad'));
    const wal = logIn();
    const aside: string[] = [];
    const writer = new GroupCommitWriter(driver, COLUMNS, {
      maxQueueBytes: 1e6,
      maxBatchRows: 1000,
      lingerMs: 5,
      wal,
      setAside: (_table, lines) => aside.push(...lines),
    });
    await Promise.all([writer.write('spans', ['ok1', 'bad2', 'ok3']), writer.write('spans', ['n1'])]);
    await writer.visible();
    expect(aside).toEqual(['bad2']);
    expect([...stored].sort()).toEqual(['n1', 'ok1', 'ok3']);
    await writer.close();
    await wal.close();
  });
});
