/**
 * Pure parsers of Linux /proc files the host sampler reads (`/proc/stat`, `/proc/meminfo`,
 * `/proc/net/dev`, `/proc/diskstats`, `/proc/mounts`). Unknown or malformed lines are skipped.
 */

/** CPU time per mode, in clock ticks (user … steal; guest time is already inside user). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  /** irq + softirq. */
  interrupt: number;
  steal: number;
}

/** CPU modes reported as `cpu.mode`. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'interrupt', 'steal'] as const;

/** What `/proc/stat` says. */
export interface ProcStat {
  total?: CpuTimes;
  /** Per logical CPU, by its number. */
  cores: Map<number, CpuTimes>;
  /** Boot time, Unix seconds. */
  bootTimeSeconds?: number;
}

/** Parses `/proc/stat`. */
export function parseProcStat(text: string): ProcStat {
  const out: ProcStat = { cores: new Map() };
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const head = fields[0] ?? '';
    if (head === 'btime') {
      const seconds = Number(fields[1]);
      if (Number.isFinite(seconds)) out.bootTimeSeconds = seconds;
      continue;
    }
    if (!head.startsWith('cpu')) continue;
    const n = fields.slice(1, 9).map(Number);
    if (n.length < 4 || n.some((v) => !Number.isFinite(v))) continue;
    const times: CpuTimes = {
      user: n[0]!,
      nice: n[1]!,
      system: n[2]!,
      idle: n[3]!,
      iowait: n[4] ?? 0,
      interrupt: (n[5] ?? 0) + (n[6] ?? 0),
      steal: n[7] ?? 0,
    };
    if (head === 'cpu') out.total = times;
    else if (/^cpu\d+$/.test(head)) out.cores.set(Number(head.slice(3)), times);
  }
  return out;
}

/** Fraction of time per mode between two readings; undefined when no time passed. */
export function cpuUtilization(
  before: CpuTimes,
  after: CpuTimes,
): Record<(typeof CPU_MODES)[number], number> | undefined {
  let total = 0;
  const delta = {} as Record<(typeof CPU_MODES)[number], number>;
  for (const mode of CPU_MODES) {
    delta[mode] = Math.max(0, after[mode] - before[mode]);
    total += delta[mode];
  }
  if (total <= 0) return undefined;
  for (const mode of CPU_MODES) delta[mode] /= total;
  return delta;
}

/** Parses `/proc/meminfo` into bytes by field name (`MemTotal`, `MemFree` …). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line.trim());
    if (match) out[match[1]!] = Number(match[2]) * (line.includes('kB') ? 1024 : 1);
  }
  return out;
}

/** Memory by `system.memory.state` (used, free, buffers, cached; they add up to the total). */
export function memoryStates(
  info: Record<string, number>,
): { total: number; states: Record<string, number> } | undefined {
  const total = info.MemTotal;
  if (total === undefined || total <= 0) return undefined;
  const free = info.MemFree ?? 0;
  const buffers = info.Buffers ?? 0;
  const cached = (info.Cached ?? 0) + (info.SReclaimable ?? 0);
  const used = Math.max(0, total - free - buffers - cached);
  return { total, states: { used, free, buffers, cached } };
}

/** Counters of one network interface. */
export interface InterfaceCounters {
  name: string;
  receiveBytes: number;
  receivePackets: number;
  receiveErrors: number;
  transmitBytes: number;
  transmitPackets: number;
  transmitErrors: number;
}

/** Parses `/proc/net/dev`. */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const n = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (name === '' || name.includes('|') || n.length < 11 || n.some((v) => !Number.isFinite(v))) continue;
    out.push({
      name,
      receiveBytes: n[0]!,
      receivePackets: n[1]!,
      receiveErrors: n[2]!,
      transmitBytes: n[8]!,
      transmitPackets: n[9]!,
      transmitErrors: n[10]!,
    });
  }
  return out;
}

/** I/O counters of one block device. */
export interface DiskCounters {
  device: string;
  reads: number;
  readBytes: number;
  writes: number;
  writtenBytes: number;
}

/** Parses `/proc/diskstats`, keeping devices `keep` accepts (sectors are 512 bytes). */
export function parseDiskstats(text: string, keep: (device: string) => boolean): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 14) continue;
    const device = fields[2]!;
    const n = fields.slice(3, 10).map(Number);
    if (n.some((v) => !Number.isFinite(v)) || !keep(device)) continue;
    out.push({ device, reads: n[0]!, readBytes: n[2]! * 512, writes: n[4]!, writtenBytes: n[6]! * 512 });
  }
  return out;
}

/** Filesystem types worth reporting (local, block-backed or the container root). */
export const REAL_FILESYSTEMS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'vfat',
  'exfat',
  'ntfs',
  'ntfs3',
  'f2fs',
  'overlay',
  'fuseblk',
  'jfs',
  'reiserfs',
]);

/** A mounted filesystem. */
export interface Mount {
  device: string;
  mountpoint: string;
  type: string;
}

/** Parses `/proc/mounts`: real filesystems only, the first mount of each device. */
export function parseMounts(text: string): Mount[] {
  const out: Mount[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const [device, mountpoint, type] = line.trim().split(/\s+/);
    if (!device || !mountpoint || !type || !REAL_FILESYSTEMS.has(type) || seen.has(device)) continue;
    seen.add(device);
    // /proc/mounts escapes spaces and tabs in paths as octal.
    out.push({
      device,
      mountpoint: mountpoint.replace(/\\(\d{3})/g, (_, o: string) =>
        String.fromCharCode(Number.parseInt(o, 8)),
      ),
      type,
    });
  }
  return out;
}
