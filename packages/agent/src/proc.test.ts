import { describe, expect, it } from 'vitest';
import {
  cpuUtilization,
  memoryStates,
  parseDiskstats,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
} from './proc.ts';

const STAT = `cpu  212615 0 69853 480477 1793 0 421 546 0 0
cpu0 101403 0 33330 247289 415 0 95 267 0 0
cpu1 111212 0 36522 233187 1378 0 325 278 0 0
intr 3324101 0 0 0
btime 1731000000
processes 52313
`;

describe('/proc parsers', () => {
  it('reads CPU times per mode, per core and the boot time', () => {
    const stat = parseProcStat(STAT);
    expect(stat.total).toEqual({
      user: 212615,
      nice: 0,
      system: 69853,
      idle: 480477,
      iowait: 1793,
      interrupt: 421,
      steal: 546,
    });
    expect([...stat.cores.keys()]).toEqual([0, 1]);
    expect(stat.bootTimeSeconds).toBe(1731000000);
  });

  it('computes utilization per mode from two readings, summing to 1', () => {
    const before = { user: 100, nice: 0, system: 50, idle: 800, iowait: 0, interrupt: 0, steal: 0 };
    const after = { user: 160, nice: 0, system: 70, idle: 900, iowait: 20, interrupt: 0, steal: 0 };
    const u = cpuUtilization(before, after)!;
    expect(u).toEqual({ user: 0.3, nice: 0, system: 0.1, idle: 0.5, iowait: 0.1, interrupt: 0, steal: 0 });
    expect(cpuUtilization(before, before)).toBeUndefined();
  });

  it('splits memory into states that add up to the total', () => {
    const info = parseMeminfo(
      'MemTotal: 1000 kB\nMemFree: 200 kB\nBuffers: 50 kB\nCached: 300 kB\nSReclaimable: 50 kB\nHugePages_Total: 0\n',
    );
    expect(info.HugePages_Total).toBe(0);
    const memory = memoryStates(info)!;
    expect(memory.total).toBe(1_024_000);
    expect(memory.states).toEqual({ used: 409_600, free: 204_800, buffers: 51_200, cached: 358_400 });
    expect(Object.values(memory.states).reduce((a, b) => a + b)).toBe(memory.total);
  });

  it('reads interface counters from /proc/net/dev', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 860933739   64860    0    0    0     0          0         0 860933739   64860    0    0    0     0       0          0
  eth0: 1000 10 1 0 0 0 0 0 2000 20 2 0 0 0 0 0
`;
    expect(parseNetDev(text)).toEqual([
      {
        name: 'lo',
        receiveBytes: 860933739,
        receivePackets: 64860,
        receiveErrors: 0,
        transmitBytes: 860933739,
        transmitPackets: 64860,
        transmitErrors: 0,
      },
      {
        name: 'eth0',
        receiveBytes: 1000,
        receivePackets: 10,
        receiveErrors: 1,
        transmitBytes: 2000,
        transmitPackets: 20,
        transmitErrors: 2,
      },
    ]);
  });

  it('reads disk I/O in bytes for the devices kept', () => {
    const text = ` 254       0 vda 289075 37319 17512418 189424 62311 258147 45931392 125057 0 38196 323819
 254       1 vda1 1 0 8 0 0 0 0 0 0 0 0
   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0`;
    expect(parseDiskstats(text, (d) => d === 'vda')).toEqual([
      {
        device: 'vda',
        reads: 289075,
        readBytes: 17512418 * 512,
        writes: 62311,
        writtenBytes: 45931392 * 512,
      },
    ]);
  });

  it('keeps real filesystems, once per device, and decodes escaped paths', () => {
    const text = `proc /proc proc rw 0 0
/dev/vda / ext4 rw 0 0
/dev/vda /etc/hosts ext4 rw 0 0
tmpfs /dev/shm tmpfs rw 0 0
/dev/sdb1 /mnt/my\\040disk xfs rw 0 0
overlay / overlay rw 0 0`;
    expect(parseMounts(text)).toEqual([
      { device: '/dev/vda', mountpoint: '/', type: 'ext4' },
      { device: '/dev/sdb1', mountpoint: '/mnt/my disk', type: 'xfs' },
      { device: 'overlay', mountpoint: '/', type: 'overlay' },
    ]);
  });
});
