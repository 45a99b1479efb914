/**
 * Who holds an embedded data directory: the engine writes its pid into `<dir>/status` and keeps
 * an exclusive lock on that file while it runs. Reading both first lets a second Argus say which
 * process holds the directory, instead of letting the engine print its own `Code: 76` error.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The process holding a data directory. */
export interface LockHolder {
  pid: number;
  /** Its command line, when the system tells (Linux /proc). */
  command?: string;
}

/**
 * The live process holding `dir`, or undefined when none does (or it cannot be told). On Linux
 * the kernel's lock table is the proof; elsewhere a live pid in the status file is taken as one.
 */
export function findLockHolder(dir: string): LockHolder | undefined {
  const statusFile = path.join(dir, 'status');
  let pid: number;
  let inode: number;
  try {
    pid = Number(/PID:\s*(\d+)/.exec(readFileSync(statusFile, 'utf8'))?.[1]);
    inode = statSync(statusFile).ino;
  } catch {
    return undefined;
  }
  const locked = lockersOf(inode);
  // With a lock table, only a process that holds the lock counts (the status file outlives a crash).
  const holder = locked ? locked.find((p) => p !== process.pid) : isAlive(pid) ? pid : undefined;
  if (!holder || holder === process.pid) return undefined;
  return { pid: holder, command: commandOf(holder) };
}

/** Pids holding a lock on the file with this inode, from /proc/locks; undefined without it. */
function lockersOf(inode: number): number[] | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  const pids: number[] = [];
  for (const line of table.split('\n')) {
    // `1: FLOCK  ADVISORY  WRITE 17100 fe:00:9977941 0 EOF`
    const fields = line.trim().split(/\s+/);
    const device = fields[5];
    if (device?.split(':')[2] === String(inode)) pids.push(Number(fields[4]));
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export function commandOf(pid: number): string | undefined {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return command.length > 160 ? `${command.slice(0, 159)}…` : command || undefined;
  } catch {
    return undefined;
  }
}
