import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type WalTable, WriteAheadLog } from './wal.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-wal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const OPTIONS = { fsync: true, segmentBytes: 1024 * 1024 };
const rowsOf = (lines: string[]) => Buffer.from(lines.join('\n'));
const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.wal'));

describe('WriteAheadLog', () => {
  it('hands back at start every appended record no commit covers, in order', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    const a = await wal.append('spans', rowsOf(['a1', 'a2']), 2);
    const b = await wal.append('logs', rowsOf(['b1']), 1);
    const c = await wal.append('spans', rowsOf(['c1']), 1);
    wal.commit('spans', [a]);
    await wal.close();

    const { recovery } = WriteAheadLog.open(dir, OPTIONS);
    expect(recovery.pending.map((e) => [e.table, e.payload.toString(), e.rows])).toEqual([
      ['logs', 'b1', 1],
      ['spans', 'c1', 1],
    ]);
    expect(recovery.pending.map((e) => e.position)).toEqual([b, c]);
    expect(recovery.tornBytes).toBe(0);
  });

  it('groups concurrent appends into one write and one sync', async () => {
    const { wal } = WriteAheadLog.open(tempDir(), OPTIONS);
    await wal.append('spans', rowsOf(['first']), 1);
    const syncs = wal.stats.syncs;
    const positions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wal.append('spans', rowsOf([`row${i}`]), 1)),
    );
    expect(wal.stats.syncs - syncs).toBeLessThanOrEqual(2);
    // Positions are distinct and ascending in the order of the appends.
    const offsets = positions.map((p) => p.offset);
    expect([...offsets].sort((x, y) => x - y)).toEqual(offsets);
    expect(new Set(offsets).size).toBe(20);
    await wal.close();
  });

  it('writes a group larger than one system call takes (more records than IOV_MAX buffers)', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    await Promise.all(Array.from({ length: 1500 }, (_, i) => wal.append('logs', rowsOf([`r${i}`]), 1)));
    await wal.close();
    const { recovery } = WriteAheadLog.open(dir, OPTIONS);
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual(
      Array.from({ length: 1500 }, (_, i) => `r${i}`),
    );
  });

  it('rotate() begins a new segment and deletes the old one once its rows are committed', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    const secret = await wal.append('spans', rowsOf(['user-42 said something private']), 1);
    wal.commit('spans', [secret]);
    await wal.rotate();
    const files = segments(dir);
    expect(files).not.toContain('0000000001.wal');
    for (const file of files) expect(readFileSync(path.join(dir, file)).toString()).not.toContain('user-42');
    await wal.append('logs', rowsOf(['later']), 1);
    await wal.close();
    const { recovery } = WriteAheadLog.open(dir, OPTIONS);
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual(['later']);
  });

  it('leaves no segment behind after a clean close with everything committed', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    const position = await wal.append('spans', rowsOf(['done']), 1);
    wal.commit('spans', [position]);
    await wal.close();
    expect(segments(dir)).toEqual([]);
  });

  it('cuts a torn tail (a write the crash interrupted) and keeps the whole records before it', async () => {
    const dir = tempDir();
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    await wal.append('spans', rowsOf(['kept']), 1);
    await wal.close();
    const file = path.join(dir, segments(dir)[0]!);
    const whole = statSync(file).size;
    appendFileSync(file, Buffer.from([0x41, 0x57, 1, 0, 200, 0, 0, 0, 1, 2, 3]));

    const { recovery } = WriteAheadLog.open(dir, OPTIONS);
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual(['kept']);
    expect(recovery.tornBytes).toBe(11);
    expect(statSync(file).size).toBe(whole);
  });

  it('stops at a record whose checksum does not match and names a damaged older segment', async () => {
    const dir = tempDir();
    const small = { fsync: false, segmentBytes: 40 };
    const { wal } = WriteAheadLog.open(dir, small);
    for (const row of ['one-row-of-text', 'two-row-of-text', 'three-row-of-text']) {
      await wal.append('spans', rowsOf([row]), 1);
    }
    await wal.close();
    const [first] = segments(dir).sort();
    const file = path.join(dir, first!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);

    const { recovery } = WriteAheadLog.open(dir, small);
    expect(recovery.damaged).toHaveLength(1);
    expect(recovery.damaged[0]).toContain(first);
    // The first segment held the first two records; the second one's checksum fails.
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual([
      'one-row-of-text',
      'three-row-of-text',
    ]);
  });

  it('rotates segments and deletes them, oldest first, once everything in them is committed', async () => {
    const dir = tempDir();
    const small = { fsync: false, segmentBytes: 100 };
    const { wal } = WriteAheadLog.open(dir, small);
    const positions = [];
    for (let i = 0; i < 6; i++) positions.push(await wal.append('spans', rowsOf([`row-${i}-`.repeat(8)]), 1));
    expect(segments(dir).length).toBeGreaterThan(2);
    // Committing a later record alone frees nothing: an older segment still holds an uncommitted one.
    wal.commit('spans', [positions[5]!]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(segments(dir)).toContain('0000000001.wal');
    wal.commit('spans', positions.slice(0, 5));
    await wal.append('logs', rowsOf(['after']), 1);
    await wal.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { recovery } = WriteAheadLog.open(dir, small);
    expect(recovery.pending.map((e) => e.payload.toString())).toEqual(['after']);
    expect(segments(dir)).not.toContain('0000000001.wal');
  });

  it('reads back exactly what was appended, whatever the bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            table: fc.constantFrom<WalTable>('spans', 'logs', 'metric_points', 'scores'),
            lines: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (writes) => {
          const dir = tempDir();
          const options = { fsync: false, segmentBytes: 128 };
          const { wal } = WriteAheadLog.open(dir, options);
          for (const w of writes) await wal.append(w.table, rowsOf(w.lines), w.lines.length);
          await wal.close();
          const { recovery } = WriteAheadLog.open(dir, options);
          expect(recovery.pending.map((e) => [e.table, e.payload.toString(), e.rows])).toEqual(
            writes.map((w) => [w.table, w.lines.join('\n'), w.lines.length]),
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
