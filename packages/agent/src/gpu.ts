/**
 * NVIDIA GPUs through `nvidia-smi` (CSV query, no driver bindings): utilization, memory,
 * temperature and power per GPU, as `hw.gpu.*` metrics with `hw.id` (the GPU UUID). Hosts
 * without the binary report nothing, and say so once.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { AgentMetric, AgentPoint } from './otlp-json.ts';

/** The fields queried, in order. */
export const NVIDIA_SMI_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
] as const;

/** The arguments of the query. */
export const NVIDIA_SMI_ARGS = [
  `--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];

/** One GPU's reading; a field nvidia-smi reports as `[N/A]` is undefined. */
export interface GpuReading {
  index: string;
  uuid: string;
  name: string;
  /** Percent. */
  utilizationGpu?: number;
  /** Memory-controller busy percent. */
  utilizationMemory?: number;
  /** MiB. */
  memoryUsed?: number;
  memoryTotal?: number;
  /** °C. */
  temperature?: number;
  /** W. */
  powerDraw?: number;
}

/** Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` output. */
export function parseNvidiaSmiCsv(text: string): GpuReading[] {
  const out: GpuReading[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < NVIDIA_SMI_FIELDS.length || cells[0] === '' || !/^\d+$/.test(cells[0]!)) continue;
    // A GPU name may itself hold commas: the fixed fields are counted from both ends.
    const tail = cells.slice(-6).map(numberOf);
    out.push({
      index: cells[0]!,
      uuid: cells[1]!,
      name: cells.slice(2, cells.length - 6).join(', '),
      utilizationGpu: tail[0],
      utilizationMemory: tail[1],
      memoryUsed: tail[2],
      memoryTotal: tail[3],
      temperature: tail[4],
      powerDraw: tail[5],
    });
  }
  return out;
}

function numberOf(cell: string): number | undefined {
  const value = Number(cell);
  return cell !== '' && Number.isFinite(value) ? value : undefined;
}

const MIB = 1024 * 1024;

/** GPU readings → `hw.gpu.*` metrics. */
export function gpuMetrics(readings: readonly GpuReading[], timeNs: bigint): AgentMetric[] {
  const series = (pick: (r: GpuReading) => number | undefined): AgentPoint[] =>
    readings.flatMap((r) => {
      const value = pick(r);
      const attributes = {
        'hw.id': r.uuid,
        'hw.name': r.name,
        'hw.vendor': 'nvidia',
        'hw.type': 'gpu',
        'gpu.index': r.index,
      };
      return value === undefined ? [] : [{ attributes, timeNs, value }];
    });
  const ratio = (n: number | undefined, d: number | undefined) =>
    n === undefined || d === undefined || d <= 0 ? undefined : n / d;
  const mib = (n: number | undefined) => (n === undefined ? undefined : n * MIB);
  const percent = (n: number | undefined) => (n === undefined ? undefined : n / 100);
  const metrics: AgentMetric[] = [
    {
      name: 'hw.gpu.utilization',
      kind: 'gauge',
      unit: '1',
      points: series((r) => percent(r.utilizationGpu)),
    },
    {
      name: 'hw.gpu.memory_controller.utilization',
      kind: 'gauge',
      unit: '1',
      description: 'Fraction of time the memory controller was busy (nvidia-smi utilization.memory)',
      points: series((r) => percent(r.utilizationMemory)),
    },
    {
      name: 'hw.gpu.memory.usage',
      kind: 'sum',
      monotonic: false,
      unit: 'By',
      points: series((r) => mib(r.memoryUsed)),
    },
    {
      name: 'hw.gpu.memory.limit',
      kind: 'sum',
      monotonic: false,
      unit: 'By',
      points: series((r) => mib(r.memoryTotal)),
    },
    {
      name: 'hw.gpu.memory.utilization',
      kind: 'gauge',
      unit: '1',
      points: series((r) => ratio(r.memoryUsed, r.memoryTotal)),
    },
    { name: 'hw.gpu.temperature', kind: 'gauge', unit: 'Cel', points: series((r) => r.temperature) },
    { name: 'hw.gpu.power.draw', kind: 'gauge', unit: 'W', points: series((r) => r.powerDraw) },
  ];
  return metrics.filter((m) => m.points.length > 0);
}

/** Finds an executable on a PATH list; undefined when absent. */
export function findExecutable(name: string, pathList: string | undefined): string | undefined {
  for (const dir of (pathList ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Options of {@link GpuSampler}. */
export interface GpuSamplerOptions {
  /** The PATH to search for `nvidia-smi`. */
  pathList: string | undefined;
  /** Told once when there is no nvidia-smi, and when a query fails. */
  log: (level: 'info' | 'warn', message: string) => void;
  timeoutMs?: number;
}

/** Samples NVIDIA GPUs when `nvidia-smi` exists; otherwise reports nothing. */
export class GpuSampler {
  readonly #binary: string | undefined;
  readonly #options: GpuSamplerOptions;
  #failing = false;

  constructor(options: GpuSamplerOptions) {
    this.#options = options;
    this.#binary = findExecutable('nvidia-smi', options.pathList);
    if (!this.#binary) options.log('info', 'agent: no nvidia-smi on PATH; GPU metrics are off');
  }

  /** True when nvidia-smi was found. */
  get isAvailable(): boolean {
    return this.#binary !== undefined;
  }

  /** One reading of every GPU ([] without nvidia-smi or when the query fails). */
  async sample(timeNs: bigint): Promise<AgentMetric[]> {
    const binary = this.#binary;
    if (!binary) return [];
    try {
      const text = await new Promise<string>((resolve, reject) => {
        execFile(binary, NVIDIA_SMI_ARGS, { timeout: this.#options.timeoutMs ?? 10_000 }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
      });
      this.#failing = false;
      return gpuMetrics(parseNvidiaSmiCsv(text), timeNs);
    } catch (error) {
      if (!this.#failing) this.#options.log('warn', `agent: nvidia-smi failed: ${(error as Error).message}`);
      this.#failing = true;
      return [];
    }
  }
}
