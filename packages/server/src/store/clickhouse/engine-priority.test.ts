import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openChdbDriver } from './chdb-driver.ts';
import { BACKGROUND_NICE, engineThreadScan, lowerEngineBackgroundPriority } from './engine-priority.ts';

// A process's pid is its main thread's id, so child processes stand in for the engine's threads:
// a task directory lists them under the names the engine gives its threads.
describe.runIf(process.platform === 'linux')('lowerEngineBackgroundPriority', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function thread(): number {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    children.push(child);
    return child.pid!;
  }

  function taskDir(threads: Record<number, string>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-tasks-'));
    dirs.push(dir);
    for (const [tid, name] of Object.entries(threads)) {
      mkdirSync(path.join(dir, tid));
      writeFileSync(path.join(dir, tid, 'comm'), `${name}\n`);
    }
    return dir;
  }

  it('lowers the background pools (merges) and leaves every other thread alone', () => {
    const merge = thread();
    const schedule = thread();
    const query = thread();
    const stop = lowerEngineBackgroundPriority(
      taskDir({ [merge]: 'MergeMutate', [schedule]: 'BgSchPool', [query]: 'QueryPipelineEx' }),
    );
    stop();
    expect(os.getPriority(merge)).toBe(BACKGROUND_NICE);
    expect(os.getPriority(schedule)).toBe(BACKGROUND_NICE);
    expect(os.getPriority(query)).toBe(0);
  });

  it("gives a lowered thread its priority back once the engine names it for other work, and undoes a finished insert's", (ctx) => {
    const pooled = thread();
    const inserted = thread();
    const dir = taskDir({ [pooled]: 'MergeMutate', [inserted]: 'QueryPipelineEx' });
    // An insert's os_thread_priority left on a thread of the global pool.
    os.setPriority(inserted, BACKGROUND_NICE);
    try {
      os.setPriority(inserted, 0);
      os.setPriority(inserted, BACKGROUND_NICE);
    } catch {
      // Lowering a niceness needs root or CAP_SYS_NICE: without it the scan cannot either.
      ctx.skip();
    }
    const scan = engineThreadScan(dir);
    scan();
    expect(os.getPriority(pooled)).toBe(BACKGROUND_NICE);
    expect(os.getPriority(inserted)).toBe(0);
    writeFileSync(path.join(dir, String(pooled), 'comm'), 'QueryPipelineEx\n');
    scan();
    expect(os.getPriority(pooled)).toBe(0);
    writeFileSync(path.join(dir, String(pooled), 'comm'), 'MergeMutate\n');
    scan();
    expect(os.getPriority(pooled)).toBe(BACKGROUND_NICE);
  });

  it('skips threads that ended or cannot be changed, and a task directory that cannot be read', () => {
    const merge = thread();
    // A thread id that is gone, and one whose name cannot be read.
    const dir = taskDir({ 999999999: 'MergeMutate', [merge]: 'MergeMutate' });
    mkdirSync(path.join(dir, '123456789'));
    expect(() => lowerEngineBackgroundPriority(dir)()).not.toThrow();
    expect(os.getPriority(merge)).toBe(BACKGROUND_NICE);
    expect(() => lowerEngineBackgroundPriority(path.join(dir, 'missing'))()).not.toThrow();
  });

  it("finds the embedded engine's merge threads by their names, and inserts at nice 10 still work", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-chdb-nice-'));
    dirs.push(dir);
    const driver = openChdbDriver({ path: dir, maxMemoryBytes: 512 * 1024 ** 2, queryTimeoutMs: 30_000 });
    try {
      // The insert carries os_thread_priority: the engine accepts it.
      await driver.exec('CREATE TABLE t (a UInt32, s String) ENGINE = MergeTree ORDER BY a');
      await driver.insertTsv('t', ['a', 's'], Buffer.from('1\tone\n2\ttwo\n'));
      expect(await driver.query('SELECT a, s FROM t ORDER BY a')).toEqual([
        { a: 1, s: 'one' },
        { a: 2, s: 'two' },
      ]);
      // The pools start their threads as tables need them; the driver's scan runs every 10 s, this one now.
      lowerEngineBackgroundPriority()();
      const merges = readdirSync('/proc/self/task').filter((tid) => {
        try {
          return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'MergeMutate';
        } catch {
          return false;
        }
      });
      expect(merges.length).toBeGreaterThan(0);
      for (const tid of merges) expect(os.getPriority(Number(tid))).toBe(BACKGROUND_NICE);
    } finally {
      await driver.close();
    }
  });
});
