/**
 * Review of the write-ahead log (issue 20): what a kill or a failing disk leaves behind.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteAheadLog } from './wal.ts';

// Unlinks finish in the thread pool in any order; a slow one models an older segment outliving a newer one.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const slowUnlink = (file: string) =>
    new Promise<void>((resolve, reject) => setTimeout(() => actual.unlink(file).then(resolve, reject), 50));
  return { ...actual, default: { ...actual, unlink: slowUnlink }, unlink: slowUnlink };
});

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-wal-faults-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const rowsOf = (lines: string[]) => Buffer.from(lines.join('\n'));
const segmentFile = (dir: string, n: number) => path.join(dir, `${String(n).padStart(10, '0')}.wal`);

/** The prototype every FileHandle shares (to make one of its calls fail). */
async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const handle = await open(path.join(dir, 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

describe('WriteAheadLog under kills and failing disks (issue 20 review)', () => {
  it('deletes committed segments oldest first before commit() returns (a kill between two deletions leaves no older segment without the newer commit records)', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, { fsync: false, segmentBytes: 40 });
    const positions = [];
    for (let i = 0; i < 4; i++) positions.push(await wal.append('logs', rowsOf([`row-${i}-`.repeat(4)]), 1));
    expect(positions.map((p) => p.segment)).toEqual([1, 2, 3, 4]);
    wal.commit('logs', positions.slice(0, 3));
    // Deletion is not left to unordered background unlinks: by now 1–3 are gone, in order.
    expect([1, 2, 3].map((n) => existsSync(segmentFile(dir, n)))).toEqual([false, false, false]);
    await wal.close();
  });

  it('with fsync, syncs the directory of each new segment before acknowledging its first group (a power cut keeps the file)', async () => {
    const dir = tempDir();
    const proto = await fileHandlePrototype(dir);
    // Segment data is synced with datasync(); only a directory is synced with sync().
    const sync = vi.spyOn(proto, 'sync');
    const { wal } = WriteAheadLog.open(dir, { fsync: true, segmentBytes: 30 });
    await wal.append('spans', rowsOf(['first-row-of-the-log']), 1);
    expect(sync).toHaveBeenCalledTimes(1);
    await wal.append('spans', rowsOf(['second-row-rotates']), 1);
    expect(sync).toHaveBeenCalledTimes(2);
    await wal.close();
  });

  it('keeps later acknowledged records readable when a failed group cannot be cut off the segment', async () => {
    const dir = tempDir();
    const proto = await fileHandlePrototype(dir);
    const { wal } = WriteAheadLog.open(dir, { fsync: false, segmentBytes: 1 << 20 });
    await wal.append('spans', rowsOf(['first']), 1);
    // The disk fills mid-write (half the record lands) and the cut of the torn bytes fails too.
    const writev = proto.writev;
    vi.spyOn(proto, 'writev').mockImplementationOnce(async function (this: FileHandle, buffers) {
      const written = await writev.call(this, [buffers[0]!]);
      return { ...written, buffers };
    });
    vi.spyOn(proto, 'truncate').mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(wal.append('spans', rowsOf(['lost-write']), 1)).rejects.toMatchObject({ code: 'ENOSPC' });
    // The next write is acknowledged: it must come back after a restart.
    await wal.append('spans', rowsOf(['acknowledged']), 1);
    await wal.close();

    const { wal: again, recovery } = WriteAheadLog.open(dir, { fsync: false, segmentBytes: 1 << 20 });
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual(['first', 'acknowledged']);
    await again.close();
  });
});
