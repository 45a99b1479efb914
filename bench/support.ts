/** Shared helpers of the benchmarks: child servers, RSS sampling, machine description. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../packages/server/test/support/process.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** A server started as a child process. */
export interface BenchServer {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `argus start` on `dataDir` (the same launcher the tests use) and waits for /health.
 * `BENCH_SERVER_ARGS` (space-separated flags, e.g. the small-host setting of docs/configuration.md)
 * is added to every bench's server; its environment (NODE_OPTIONS, GLIBC_TUNABLES …) is passed on.
 */
export async function startServer(dataDir: string, extra: string[] = []): Promise<BenchServer> {
  const fromEnv = (process.env.BENCH_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
  const server = await spawnServer(['--data-dir', dataDir, ...extra, ...fromEnv]);
  return {
    child: server.child,
    url: server.url,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `ms` until stopped; returns the peak. */
export function sampleRss(pid: number, ms = 250): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/** One line describing this machine, for results tables. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}, chdb ${chdbVersion()}`;
}

function chdbVersion(): string {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules/chdb/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

/** p-th percentile of numbers (sorted copy). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** User + system CPU seconds of a process so far (Linux /proc; clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
