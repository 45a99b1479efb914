import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { ResponseCache } from './cache.ts';
import { KeyLimiter, periodsOf } from './limits.ts';
import type { GatewayRepository, KeyLimits, SpendRow } from './repository.ts';

/** A repository with one key's limits in memory (the limiter reads only these methods). */
function repo(limits: KeyLimits, saved: SpendRow[] = []): GatewayRepository {
  return {
    keyLimits: async () => [{ keyId: 'k1', ...limits, updatedAt: '' }],
    spend: async () => [],
    saveSpend: async (rows: readonly SpendRow[]) => {
      saved.push(...rows);
    },
  } as unknown as GatewayRepository;
}

const logger = createLogger('silent');

describe('KeyLimiter', () => {
  it('refuses past the requests per minute until the oldest request leaves the window', async () => {
    let now = Date.UTC(2026, 0, 31, 12);
    const limiter = new KeyLimiter(repo({ requestsPerMinute: 2 }), logger, () => now);
    expect(await limiter.admit('p', 'k1')).toBeUndefined();
    now += 10_000;
    expect(await limiter.admit('p', 'k1')).toBeUndefined();
    const refusal = await limiter.admit('p', 'k1');
    expect(refusal?.message).toContain('2 requests per minute');
    expect(refusal?.retryAfterSeconds).toBe(50);
    // Another key is not affected.
    expect(await limiter.admit('p', 'k2')).toBeUndefined();
    now += 50_001;
    expect(await limiter.admit('p', 'k1')).toBeUndefined();
  });

  it('refuses past the tokens per minute', async () => {
    const limiter = new KeyLimiter(repo({ tokensPerMinute: 100 }), logger, () => 1_000_000);
    expect(await limiter.admit('p', 'k1')).toBeUndefined();
    limiter.record('p', 'k1', 100, 0);
    expect((await limiter.admit('p', 'k1'))?.message).toContain('100 tokens per minute (100 used)');
  });

  it('refuses past the daily budget until the next UTC day, and saves the spend', async () => {
    let now = Date.UTC(2026, 0, 31, 23, 0);
    const saved: SpendRow[] = [];
    const limiter = new KeyLimiter(repo({ usdPerDay: 0.5, usdPerMonth: 10 }, saved), logger, () => now);
    limiter.record('p', 'k1', 1000, 0.6);
    const refusal = await limiter.admit('p', 'k1');
    expect(refusal?.message).toBe('Budget reached for this key: $0.5000 per day ($0.6000 spent today, UTC)');
    expect(refusal?.retryAfterSeconds).toBe(3600);
    await limiter.flush();
    const { day, month } = periodsOf(now);
    expect(saved.map((r) => [r.period, r.usd, r.tokens])).toEqual([
      [day, 0.6, 1000],
      [month, 0.6, 1000],
    ]);
    // A new day: the daily budget is free again; the month's still counts.
    now = Date.UTC(2026, 1, 1, 0, 1);
    expect(await limiter.admit('p', 'k1')).toBeUndefined();
    expect(limiter.spendOf('p')).toEqual([]);
  });
});

describe('ResponseCache', () => {
  const answer = { status: 200, headers: {}, chunks: [Buffer.from('x')], isSse: false, provider: 'openai' };

  it('expires entries after their TTL and counts hits and misses', () => {
    let now = 0;
    const cache = new ResponseCache(() => now);
    cache.set('a', answer, 10, 100);
    expect(cache.get('a')).toBeDefined();
    now = 10_001;
    expect(cache.get('a')).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('drops the least recently used entry past its size bound', () => {
    const cache = new ResponseCache(() => 0);
    cache.set('a', answer, 60, 2);
    cache.set('b', answer, 60, 2);
    cache.get('a');
    cache.set('c', answer, 60, 2);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });
});
