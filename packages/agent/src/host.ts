/**
 * Samples this host's resources as OTel semantic-convention metrics: CPU utilization per mode
 * (host-wide and per logical CPU, from /proc/stat deltas), load average, memory by state,
 * filesystem usage (statfs), disk and network I/O counters, process count and uptime.
 * Each source is read on its own; one that fails (a missing file, a hung mount) is skipped.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AgentMetric, AgentPoint } from './otlp-json.ts';
import {
  CPU_MODES,
  type CpuTimes,
  cpuUtilization,
  memoryStates,
  parseDiskstats,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
} from './proc.ts';

/** Options of {@link HostSampler}. */
export interface HostSamplerOptions {
  /** Root of /proc and /sys (tests); default `/`. */
  root?: string;
  /** Most network interfaces, disks and filesystems reported each (default 64). */
  maxDevices?: number;
  /** Called with a source that could not be read (once per source until it recovers). */
  onError?: (source: string, error: unknown) => void;
}

const STATFS_TIMEOUT_MS = 2_000;

/** Reads host metrics; keeps the previous CPU reading to compute utilization. */
export class HostSampler {
  readonly #root: string;
  readonly #maxDevices: number;
  readonly #onError: (source: string, error: unknown) => void;
  readonly #failing = new Set<string>();
  #previous: { total?: CpuTimes; cores: Map<number, CpuTimes> } | undefined;
  #bootNs: bigint | undefined;

  constructor(options: HostSamplerOptions = {}) {
    this.#root = options.root ?? '/';
    this.#maxDevices = options.maxDevices ?? 64;
    this.#onError = options.onError ?? (() => {});
  }

  /** Takes the first CPU reading, so the next {@link sample} can report utilization. */
  async prime(): Promise<void> {
    await this.#read('cpu', async () => this.#cpu(0n));
  }

  /** One sample of every source, stamped `timeNs`. */
  async sample(timeNs: bigint): Promise<AgentMetric[]> {
    const parts = await Promise.all([
      this.#read('cpu', () => this.#cpu(timeNs)),
      this.#read('memory', () => this.#memory(timeNs)),
      this.#read('filesystem', () => this.#filesystems(timeNs)),
      this.#read('disk', () => this.#disks(timeNs)),
      this.#read('network', () => this.#network(timeNs)),
      this.#read('processes', () => this.#processes(timeNs)),
    ]);
    return parts.flat().filter((m) => m.points.length > 0);
  }

  async #read(source: string, read: () => Promise<AgentMetric[]>): Promise<AgentMetric[]> {
    try {
      const metrics = await read();
      this.#failing.delete(source);
      return metrics;
    } catch (error) {
      if (!this.#failing.has(source)) this.#onError(source, error);
      this.#failing.add(source);
      return [];
    }
  }

  #proc(name: string): Promise<string> {
    return readFile(path.join(this.#root, 'proc', name), 'utf8');
  }

  async #cpu(timeNs: bigint): Promise<AgentMetric[]> {
    const stat = parseProcStat(await this.#proc('stat'));
    if (stat.bootTimeSeconds !== undefined) this.#bootNs = BigInt(stat.bootTimeSeconds) * 1_000_000_000n;
    const previous = this.#previous;
    this.#previous = { total: stat.total, cores: stat.cores };
    const [one, five, fifteen] = os.loadavg();
    const gauge = (name: string, unit: string, value: number | undefined): AgentMetric => ({
      name,
      kind: 'gauge',
      unit,
      points: value === undefined ? [] : [{ attributes: {}, timeNs, value }],
    });
    const utilization: AgentPoint[] = [];
    const add = (before: CpuTimes | undefined, after: CpuTimes | undefined, core?: number) => {
      const fractions = before && after ? cpuUtilization(before, after) : undefined;
      if (!fractions) return;
      for (const mode of CPU_MODES) {
        const attributes: Record<string, string | number> = { 'cpu.mode': mode };
        if (core !== undefined) attributes['cpu.logical_number'] = core;
        utilization.push({ attributes, timeNs, value: fractions[mode] });
      }
    };
    if (previous) {
      add(previous.total, stat.total);
      for (const [core, times] of stat.cores) add(previous.cores.get(core), times, core);
    }
    return [
      {
        name: 'system.cpu.utilization',
        kind: 'gauge',
        unit: '1',
        description:
          'Fraction of CPU time per mode since the previous sample; without cpu.logical_number for the whole host',
        points: utilization,
      },
      gauge('system.cpu.logical.count', '{cpu}', stat.cores.size || os.availableParallelism()),
      gauge('system.cpu.load_average.1m', '{thread}', one),
      gauge('system.cpu.load_average.5m', '{thread}', five),
      gauge('system.cpu.load_average.15m', '{thread}', fifteen),
      gauge('system.uptime', 's', os.uptime()),
    ];
  }

  async #memory(timeNs: bigint): Promise<AgentMetric[]> {
    const memory = memoryStates(parseMeminfo(await this.#proc('meminfo')));
    if (!memory) return [];
    const states = Object.entries(memory.states);
    const byState = (value: (bytes: number) => number) =>
      states.map(([state, bytes]) => ({
        attributes: { 'system.memory.state': state },
        timeNs,
        value: value(bytes),
      }));
    return [
      { name: 'system.memory.usage', kind: 'sum', monotonic: false, unit: 'By', points: byState((b) => b) },
      {
        name: 'system.memory.utilization',
        kind: 'gauge',
        unit: '1',
        points: byState((b) => b / memory.total),
      },
      {
        name: 'system.memory.limit',
        kind: 'sum',
        monotonic: false,
        unit: 'By',
        points: [{ attributes: {}, timeNs, value: memory.total }],
      },
    ];
  }

  async #filesystems(timeNs: bigint): Promise<AgentMetric[]> {
    const mounts = parseMounts(await this.#proc('mounts')).slice(0, this.#maxDevices);
    const usage: AgentPoint[] = [];
    const utilization: AgentPoint[] = [];
    await Promise.all(
      mounts.map(async (mount) => {
        const stats = await withTimeout(statfs(mount.mountpoint), STATFS_TIMEOUT_MS).catch(() => undefined);
        if (!stats) return;
        const used = (stats.blocks - stats.bfree) * stats.bsize;
        const free = stats.bavail * stats.bsize;
        const reserved = Math.max(0, (stats.bfree - stats.bavail) * stats.bsize);
        const attributes = {
          'system.device': mount.device,
          'system.filesystem.mountpoint': mount.mountpoint,
          'system.filesystem.type': mount.type,
        };
        for (const [state, value] of [
          ['used', used],
          ['free', free],
          ['reserved', reserved],
        ] as const) {
          usage.push({ attributes: { ...attributes, 'system.filesystem.state': state }, timeNs, value });
        }
        if (used + free > 0) utilization.push({ attributes, timeNs, value: used / (used + free) });
      }),
    );
    return [
      { name: 'system.filesystem.usage', kind: 'sum', monotonic: false, unit: 'By', points: usage },
      { name: 'system.filesystem.utilization', kind: 'gauge', unit: '1', points: utilization },
    ];
  }

  async #disks(timeNs: bigint): Promise<AgentMetric[]> {
    // Whole disks only (partitions would count twice); loop and RAM devices are noise.
    const keep = (device: string) =>
      !/^(loop|ram|zram)\d*$/.test(device) && existsSync(path.join(this.#root, 'sys', 'block', device));
    const disks = parseDiskstats(await this.#proc('diskstats'), keep).slice(0, this.#maxDevices);
    const startNs = this.#bootNs;
    const points = (read: number, write: number, device: string): AgentPoint[] => [
      { attributes: { 'system.device': device, 'disk.io.direction': 'read' }, timeNs, startNs, value: read },
      {
        attributes: { 'system.device': device, 'disk.io.direction': 'write' },
        timeNs,
        startNs,
        value: write,
      },
    ];
    return [
      {
        name: 'system.disk.io',
        kind: 'sum',
        unit: 'By',
        points: disks.flatMap((d) => points(d.readBytes, d.writtenBytes, d.device)),
      },
      {
        name: 'system.disk.operations',
        kind: 'sum',
        unit: '{operation}',
        points: disks.flatMap((d) => points(d.reads, d.writes, d.device)),
      },
    ];
  }

  async #network(timeNs: bigint): Promise<AgentMetric[]> {
    const interfaces = parseNetDev(await this.#proc('net/dev')).slice(0, this.#maxDevices);
    const startNs = this.#bootNs;
    const points = (receive: number, transmit: number, name: string): AgentPoint[] => [
      {
        attributes: { 'network.interface.name': name, 'network.io.direction': 'receive' },
        timeNs,
        startNs,
        value: receive,
      },
      {
        attributes: { 'network.interface.name': name, 'network.io.direction': 'transmit' },
        timeNs,
        startNs,
        value: transmit,
      },
    ];
    return [
      {
        name: 'system.network.io',
        kind: 'sum',
        unit: 'By',
        points: interfaces.flatMap((i) => points(i.receiveBytes, i.transmitBytes, i.name)),
      },
      {
        name: 'system.network.packets',
        kind: 'sum',
        unit: '{packet}',
        points: interfaces.flatMap((i) => points(i.receivePackets, i.transmitPackets, i.name)),
      },
      {
        name: 'system.network.errors',
        kind: 'sum',
        unit: '{error}',
        points: interfaces.flatMap((i) => points(i.receiveErrors, i.transmitErrors, i.name)),
      },
    ];
  }

  async #processes(timeNs: bigint): Promise<AgentMetric[]> {
    const entries = await readdir(path.join(this.#root, 'proc'));
    const count = entries.filter((name) => /^\d+$/.test(name)).length;
    return [
      {
        name: 'system.process.count',
        kind: 'sum',
        monotonic: false,
        unit: '{process}',
        points: [{ attributes: {}, timeNs, value: count }],
      },
    ];
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
