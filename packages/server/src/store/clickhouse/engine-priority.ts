/**
 * The embedded engine's background threads run at a lower CPU priority than the server's request
 * path. chDB runs in the server's process, so its merges (and the moves and cleanups of its
 * background pools) compete for the same cores as the JavaScript thread that answers ingest
 * requests and gateway calls; on a small host a merge of a large part otherwise takes a core for
 * seconds while requests wait for it. Inserts get the same through the engine's own
 * `os_thread_priority` setting (driver.ts); the background pools' threads have no such setting, so
 * they are found by name and given nice {@link BACKGROUND_NICE} (Linux `setpriority` on the thread).
 * Raising one's own niceness needs no privilege. Elsewhere than Linux this does nothing; a thread
 * that cannot be changed is left as it is — priority is an optimisation, never a condition.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Niceness of the engine's background work (0 = the server's own threads, 19 = lowest). */
export const BACKGROUND_NICE = 10;

/** Thread names (Linux `comm`) of the engine's background pools: merges and mutations, moves, fetches, the schedule pools. */
const BACKGROUND_THREADS = new Set(['MergeMutate', 'Move', 'Fetch', 'Common', 'BgSchPool', 'BgBufSchPool']);

/** How often new pool threads are looked for (pools start threads as they need them). */
const SCAN_INTERVAL_MS = 10_000;

/**
 * Gives the engine's background threads of this process nice {@link BACKGROUND_NICE}, now and
 * every {@link SCAN_INTERVAL_MS} for threads started since; returns the function that stops it.
 * `taskDir` is for tests (default: this process's threads).
 */
export function lowerEngineBackgroundPriority(taskDir = '/proc/self/task'): () => void {
  if (process.platform !== 'linux') return () => {};
  const scan = engineThreadScan(taskDir);
  scan();
  const timer = setInterval(scan, SCAN_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One pass over the threads: background pool threads get nice {@link BACKGROUND_NICE}; any other
 * thread found at that niceness gets the server's own back. The engine gives a pool thread a new
 * name when it takes other work, and an insert's `os_thread_priority` stays on the threads that
 * ran it — without this an API query could later run at the merges' priority. (A thread caught
 * in the middle of an insert gets it back too; the next insert lowers it again.) Giving a priority
 * back needs root or CAP_SYS_NICE; without them those threads keep the lower one.
 */
export function engineThreadScan(taskDir: string): () => void {
  const base = os.getPriority();
  const lowered = new Set<number>();
  return () => {
    let tids: string[];
    try {
      tids = readdirSync(taskDir);
    } catch {
      return;
    }
    // A thread id that ended may be given to a new thread: only live ones count as lowered.
    const live = new Set(tids.map(Number));
    for (const tid of lowered) if (!live.has(tid)) lowered.delete(tid);
    for (const name of tids) {
      const tid = Number(name);
      try {
        const background = BACKGROUND_THREADS.has(readFileSync(`${taskDir}/${name}/comm`, 'utf8').trim());
        if (background) {
          if (lowered.has(tid)) continue;
          os.setPriority(tid, BACKGROUND_NICE);
          lowered.add(tid);
        } else if (
          base !== BACKGROUND_NICE &&
          (lowered.has(tid) || os.getPriority(tid) === BACKGROUND_NICE)
        ) {
          lowered.delete(tid);
          os.setPriority(tid, base);
        }
      } catch {
        // The thread ended between the listing and the read, or its priority cannot be changed.
      }
    }
  };
}
