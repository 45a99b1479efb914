/**
 * CPU time and resident memory of a whole process tree (a server and every process it started),
 * from Linux /proc, for benchmarks that compare servers whose work may sit in child processes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name (index 0 is the state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `root` and all its living descendants. */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(statFields(pid)?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (!statFields(pid)) continue;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * User + system CPU seconds of the tree so far, the reaped children's included (`cutime`,
 * `cstime`: a child that exited still counts once its parent waited for it).
 */
export function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of treePids(root)) {
    const fields = statFields(pid);
    if (!fields) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / 100;
}

/** Summed resident set size of the tree in MB. */
export function treeRssMb(root: number): number {
  let kb = 0;
  for (const pid of treePids(root)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return Math.round(kb / 1024);
}

/** Samples the tree's RSS every `ms` until stopped; returns the peak in MB. */
export function sampleTreeRss(root: number, ms = 250): { stop(): number } {
  let peak = treeRssMb(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb(root));
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssMb(root));
    },
  };
}
