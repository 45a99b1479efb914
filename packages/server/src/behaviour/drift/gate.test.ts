import { describe, expect, it } from 'vitest';
import { isArgusError } from '../../errors.ts';
import { ComparisonGate } from './gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ComparisonGate', () => {
  it('runs at most maxRunning at once, queues the next, and refuses past the queue', async () => {
    const gate = new ComparisonGate({ maxRunning: 1, maxWaiting: 1 });
    const first = deferred();
    const order: string[] = [];
    const a = gate.run(async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = gate.run(async () => {
      order.push('b');
    });
    const refused = await gate.run(async () => 'c').catch((error: unknown) => error);
    expect(isArgusError(refused) && refused.code).toBe('OVERLOADED');
    expect(order).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(gate.running).toBe(0);
  });

  it('frees its slot when the work throws', async () => {
    const gate = new ComparisonGate({ maxRunning: 1, maxWaiting: 0 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
