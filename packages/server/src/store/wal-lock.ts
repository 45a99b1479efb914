/**
 * One process per write-ahead log directory. chDB locks its own data directory, but with a
 * ClickHouse server URL nothing else stops a second Argus on the same `--data-dir`: it would
 * replay the first one's uncommitted rows (storing them twice) and delete segments the first one
 * still needs. `<wal>/LOCK` names the holder's pid and start time; a lock whose process is gone
 * (kill -9) or whose pid now belongs to another process is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ArgusError } from '../errors.ts';
import { commandOf, isAlive } from './clickhouse/lock-holder.ts';

/**
 * Takes the lock of the log in `dir`; returns its release.
 * @throws ArgusError DATA_DIR_LOCKED when a live process holds it.
 */
export function lockWalDir(dir: string): () => void {
  const file = path.join(dir, 'LOCK');
  const mine = `pid ${process.pid} start ${startTimeOf(process.pid) ?? 0}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      return () => release(file, mine);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(file);
    if (holder !== undefined) throw lockedError(dir, holder);
    try {
      unlinkSync(file); // stale: its process is gone
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  throw lockedError(dir, undefined);
}

/** The live process the lock file names, other than this one; undefined when stale. */
function holderOf(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /pid (\d+) start (\d+)/.exec(text);
  if (!match) return undefined; // a torn write of a lock: its writer died while writing it
  const pid = Number(match[1]);
  // Our own pid: a previous life of this container's process, or this process opening the log again.
  if (pid === process.pid || !isAlive(pid)) return undefined;
  const start = startTimeOf(pid);
  // Where the system tells, a live pid that started at another time is a reused pid.
  if (start !== undefined && match[2] !== '0' && String(start) !== match[2]) return undefined;
  return pid;
}

/** When a process started (clock ticks since boot, Linux /proc); undefined elsewhere. */
function startTimeOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces), from its closing parenthesis: state is 3rd, starttime 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function release(file: string, mine: string): void {
  try {
    if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
  } catch {
    // already gone
  }
}

function lockedError(dir: string, pid: number | undefined): ArgusError {
  const command = pid === undefined ? undefined : commandOf(pid);
  const who =
    pid === undefined
      ? 'another Argus process holds it'
      : `another Argus process holds it (pid ${pid}${command ? `: ${command}` : ''})`;
  return new ArgusError(
    'DATA_DIR_LOCKED',
    `Cannot open the write-ahead log in '${dir}': ${who}; stop that process, or start this one with another --data-dir`,
  );
}
