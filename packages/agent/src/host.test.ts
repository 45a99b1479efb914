import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostSampler } from './host.ts';

const T = 1_731_000_000_000_000_000n;
const root = mkdtempSync(path.join(os.tmpdir(), 'argus-proc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeProc(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

const stat = (user: number, idle: number) =>
  `cpu  ${user * 2} 0 0 ${idle * 2} 0 0 0 0 0 0\ncpu0 ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu1 ${user} 0 0 ${idle} 0 0 0 0 0 0\nbtime 1731000000\n`;

describe('HostSampler on a fixture /proc', () => {
  it('reports CPU utilization from the delta, memory, disks, network and processes', async () => {
    writeProc({
      'proc/stat': stat(100, 900),
      'proc/meminfo': 'MemTotal: 1000 kB\nMemFree: 400 kB\nBuffers: 0 kB\nCached: 100 kB\n',
      'proc/mounts': '',
      'proc/diskstats': ' 8 0 sda 10 0 20 0 30 0 40 0 0 0 0\n 8 1 sda1 1 0 2 0 3 0 4 0 0 0 0\n',
      'proc/net/dev': 'h\nh\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n',
      'proc/1/stat': '',
      'proc/42/stat': '',
      'sys/block/sda/size': '1',
    });
    const errors: string[] = [];
    const sampler = new HostSampler({ root, onError: (source) => errors.push(source) });
    await sampler.prime();
    writeProc({ 'proc/stat': stat(160, 940) });
    const metrics = await sampler.sample(T);
    const points = (name: string) => metrics.find((m) => m.name === name)?.points ?? [];
    const cpu = points('system.cpu.utilization');
    // 60 user + 40 idle ticks per core: 0.6 busy in user mode, host-wide and on each core.
    expect(
      cpu
        .filter((p) => p.attributes['cpu.mode'] === 'user')
        .map((p) => [p.attributes['cpu.logical_number'], p.value]),
    ).toEqual([
      [undefined, 0.6],
      [0, 0.6],
      [1, 0.6],
    ]);
    expect(points('system.memory.usage').map((p) => [p.attributes['system.memory.state'], p.value])).toEqual([
      ['used', 512_000],
      ['free', 409_600],
      ['buffers', 0],
      ['cached', 102_400],
    ]);
    expect(points('system.disk.io')).toEqual([
      {
        attributes: { 'system.device': 'sda', 'disk.io.direction': 'read' },
        timeNs: T,
        startNs: 1_731_000_000_000_000_000n,
        value: 20 * 512,
      },
      {
        attributes: { 'system.device': 'sda', 'disk.io.direction': 'write' },
        timeNs: T,
        startNs: 1_731_000_000_000_000_000n,
        value: 40 * 512,
      },
    ]);
    expect(points('system.network.io').map((p) => p.value)).toEqual([1000, 2000]);
    expect(points('system.process.count')[0]?.value).toBe(2);
    expect(errors).toEqual([]);
  });

  it('skips a source it cannot read and reports it once', async () => {
    rmSync(path.join(root, 'proc', 'meminfo'));
    const errors: string[] = [];
    const sampler = new HostSampler({ root, onError: (source) => errors.push(source) });
    await sampler.sample(T);
    const metrics = await sampler.sample(T);
    expect(metrics.some((m) => m.name === 'system.memory.usage')).toBe(false);
    expect(metrics.some((m) => m.name === 'system.network.io')).toBe(true);
    expect(errors).toEqual(['memory']);
  });
});

describe.runIf(existsSync('/proc/stat'))('HostSampler on this host', () => {
  it('reports CPU, memory, filesystem and network metrics with sane values', async () => {
    const sampler = new HostSampler();
    await sampler.prime();
    await new Promise((r) => setTimeout(r, 100));
    const metrics = await sampler.sample(T);
    const names = metrics.map((m) => m.name);
    for (const name of [
      'system.cpu.utilization',
      'system.memory.usage',
      'system.filesystem.usage',
      'system.network.io',
      'system.process.count',
    ]) {
      expect(names).toContain(name);
    }
    for (const p of metrics.find((m) => m.name === 'system.cpu.utilization')!.points) {
      expect(p.value).toBeGreaterThanOrEqual(0);
      expect(p.value).toBeLessThanOrEqual(1);
    }
  });
});
