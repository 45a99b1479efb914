import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuSampler, gpuMetrics, NVIDIA_SMI_ARGS, parseNvidiaSmiCsv } from './gpu.ts';

const FIXTURE = new URL('./fixtures/nvidia-smi.csv', import.meta.url);
const CSV = readFileSync(FIXTURE, 'utf8');
const T = 1_731_000_000_000_000_000n;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-gpu-'));
  dirs.push(dir);
  return dir;
}

describe('nvidia-smi CSV', () => {
  it('parses every GPU, [N/A] as absent', () => {
    const readings = parseNvidiaSmiCsv(CSV);
    expect(readings).toHaveLength(3);
    expect(readings[0]).toEqual({
      index: '0',
      uuid: 'GPU-3f1c7a52-9b1e-4c07-8d5e-2a6b9f0e4d11',
      name: 'NVIDIA H100 80GB HBM3',
      utilizationGpu: 87,
      utilizationMemory: 41,
      memoryUsed: 65327,
      memoryTotal: 81559,
      temperature: 63,
      powerDraw: 512.34,
    });
    expect(readings[2]!.powerDraw).toBeUndefined();
  });

  it('keeps a GPU name that holds commas', () => {
    const [reading] = parseNvidiaSmiCsv('0, GPU-x, Quadro RTX 8000, rev. 2, 5, 1, 100, 200, 40, 50.5\n');
    expect(reading).toMatchObject({ name: 'Quadro RTX 8000, rev. 2', utilizationGpu: 5, powerDraw: 50.5 });
  });

  it('maps readings to hw.gpu metrics in base units', () => {
    const metrics = gpuMetrics(parseNvidiaSmiCsv(CSV), T);
    const point = (name: string, gpu = 0) => metrics.find((m) => m.name === name)?.points[gpu];
    expect(point('hw.gpu.utilization')).toEqual({
      attributes: {
        'hw.id': 'GPU-3f1c7a52-9b1e-4c07-8d5e-2a6b9f0e4d11',
        'hw.name': 'NVIDIA H100 80GB HBM3',
        'hw.vendor': 'nvidia',
        'hw.type': 'gpu',
        'gpu.index': '0',
      },
      timeNs: T,
      value: 0.87,
    });
    expect(point('hw.gpu.memory.usage')?.value).toBe(65327 * 1024 * 1024);
    expect(point('hw.gpu.memory.limit')?.value).toBe(81559 * 1024 * 1024);
    expect(point('hw.gpu.memory.utilization')?.value).toBeCloseTo(65327 / 81559, 12);
    expect(point('hw.gpu.temperature')?.value).toBe(63);
    // The T4 reports no power draw: two points, not three.
    expect(metrics.find((m) => m.name === 'hw.gpu.power.draw')?.points.map((p) => p.value)).toEqual([
      512.34, 71.02,
    ]);
  });
});

describe('GpuSampler', () => {
  it('reports nothing, and says so once, when nvidia-smi is not on PATH', async () => {
    const logs: string[] = [];
    const sampler = new GpuSampler({
      pathList: tempDir(),
      log: (level, message) => logs.push(`${level} ${message}`),
    });
    expect(sampler.isAvailable).toBe(false);
    expect(await sampler.sample(T)).toEqual([]);
    expect(await sampler.sample(T)).toEqual([]);
    expect(logs).toEqual(['info agent: no nvidia-smi on PATH; GPU metrics are off']);
  });

  it('runs nvidia-smi with the query arguments and reads its output', async () => {
    const bin = tempDir();
    const script = path.join(bin, 'nvidia-smi');
    // A stand-in binary that answers like the real one only when asked the expected query.
    writeFileSync(
      script,
      `#!/bin/sh\n[ "$1 $2" = "${NVIDIA_SMI_ARGS.join(' ')}" ] || { echo "bad args: $*" >&2; exit 2; }\ncat '${FIXTURE.pathname}'\n`,
    );
    chmodSync(script, 0o755);
    const sampler = new GpuSampler({ pathList: `${tempDir()}${path.delimiter}${bin}`, log: () => {} });
    const metrics = await sampler.sample(T);
    expect(metrics.find((m) => m.name === 'hw.gpu.utilization')?.points.map((p) => p.value)).toEqual([
      0.87, 0, 0.12,
    ]);
  });

  it('logs a failing nvidia-smi once and reports nothing', async () => {
    const bin = tempDir();
    writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "NVIDIA-SMI has failed" >&2\nexit 9\n');
    chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    const logs: string[] = [];
    const sampler = new GpuSampler({ pathList: bin, log: (level) => logs.push(level) });
    expect(await sampler.sample(T)).toEqual([]);
    expect(await sampler.sample(T)).toEqual([]);
    expect(logs).toEqual(['warn']);
  });
});
