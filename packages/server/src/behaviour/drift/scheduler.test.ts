import { describe, expect, it } from 'vitest';
import type { StoredMonitor } from './repository.ts';
import { dueRunEnd } from './scheduler.ts';

const HOUR = 3_600_000;
const monitor = (fields: Partial<StoredMonitor>): StoredMonitor => ({
  id: 'dm_1',
  projectId: 'default',
  name: 'm',
  filter: {},
  features: ['input'],
  reference: { type: 'previous' },
  window: '1h',
  schedule: '1h',
  enabled: true,
  sampleSize: 2000,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  ...fields,
});

describe('dueRunEnd', () => {
  it('ends a run at the last multiple of the schedule', () => {
    expect(dueRunEnd(monitor({}), 10 * HOUR + 123)).toBe(10 * HOUR);
  });

  it('is not due again for the same period, so a retry or another server writes nothing twice', () => {
    const ran = monitor({ lastRunAt: new Date(10 * HOUR).toISOString() });
    expect(dueRunEnd(ran, 10 * HOUR + 59 * 60_000)).toBeUndefined();
    expect(dueRunEnd(ran, 11 * HOUR)).toBe(11 * HOUR);
  });

  it('never runs a disabled monitor', () => {
    expect(dueRunEnd(monitor({ enabled: false }), 10 * HOUR)).toBeUndefined();
  });

  it('follows a 15-minute schedule', () => {
    expect(dueRunEnd(monitor({ schedule: '15m' }), 10 * HOUR + 20 * 60_000)).toBe(10 * HOUR + 15 * 60_000);
  });
});
