/**
 * One process per write-ahead log (issue 20 review): with a ClickHouse server URL nothing else
 * locks the data directory, and a second process on the same log would replay the first one's
 * uncommitted rows (stored twice) and delete segments it still writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteAheadLog } from './wal.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-wal-lock-'));
  dirs.push(dir);
  return dir;
}
const OPTIONS = { fsync: false, segmentBytes: 1 << 20 };

/** Another process holding the log in `dir` (it appends one record and keeps running). */
async function holder(dir: string): Promise<ChildProcess> {
  const wal = new URL('./wal.ts', import.meta.url).href;
  const script = `const { WriteAheadLog } = await import(${JSON.stringify(wal)});
const { wal } = WriteAheadLog.open(${JSON.stringify(dir)}, { fsync: false, segmentBytes: 1 << 20 });
await wal.append('logs', Buffer.from('l1'), 1);
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return child;
}

describe('WriteAheadLog lock', () => {
  it('refuses a log another live process holds with DATA_DIR_LOCKED, and takes over once it was killed', async () => {
    const dir = tempDir();
    const child = await holder(dir);
    let error: unknown;
    try {
      WriteAheadLog.open(dir, OPTIONS);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED' });
    expect((error as Error).message).toContain(`pid ${child.pid}`);
    expect((error as Error).message).toContain(dir);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // The lock file outlives the kill; the next start takes it over and replays the record.
    const { wal, recovery } = WriteAheadLog.open(dir, OPTIONS);
    expect(recovery.pending.map((entry) => entry.payload.toString())).toEqual(['l1']);
    await wal.close();
  }, 20_000);

  it('takes over a lock whose pid now names another process (pid reused after a crash)', async () => {
    const dir = tempDir();
    const child = await holder(tempDir());
    // The pid is alive but was not the writer of this lock: its start time differs.
    writeFileSync(path.join(dir, 'LOCK'), `pid ${child.pid} start 1\n`);
    const { wal } = WriteAheadLog.open(dir, OPTIONS);
    expect(readFileSync(path.join(dir, 'LOCK'), 'utf8')).toContain(`pid ${process.pid}`);
    await wal.close();
  }, 20_000);

  it('is released by close(), so the next open in this directory succeeds', async () => {
    const dir = tempDir();
    const first = WriteAheadLog.open(dir, OPTIONS).wal;
    await first.close();
    const second = WriteAheadLog.open(dir, OPTIONS).wal;
    await second.close();
  });
});
