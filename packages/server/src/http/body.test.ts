import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { inflate } from './body.ts';
import { ByteBudget } from './body-budget.ts';

const MIB = 1024 * 1024;
const text = Buffer.from('the model answered with a careful summary '.repeat(50_000));

/** The error code `promise` rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isArgusError(error) ? error.code : `not an ArgusError: ${String(error)}`;
  }
  return 'resolved';
}

describe('inflate', () => {
  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['br', zlib.brotliCompressSync(text)],
    ['zstd', zlib.zstdCompressSync(text)],
  ])('inflates %s and gives every byte back to the budget', async (encoding, raw) => {
    const budget = new ByteBudget(64 * MIB);
    const body = await inflate(raw, encoding, 16 * MIB, budget);
    expect(body.equals(text)).toBe(true);
    expect(budget.usedBytes).toBe(0);
  });

  it('stops a bomb at the per-request limit and gives the bytes back', async () => {
    const budget = new ByteBudget(256 * MIB);
    const bomb = zlib.gzipSync(Buffer.alloc(32 * MIB));
    expect(await codeOf(inflate(bomb, 'gzip', 4 * MIB, budget))).toBe('PAYLOAD_TOO_LARGE');
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses with OVERLOADED once the shared budget is spent, and gives the bytes back', async () => {
    // 20 MiB budget: the zstd decoder state (8 MiB) plus 12 MiB of output, less than the body.
    const budget = new ByteBudget(20 * MIB);
    const raw = zlib.zstdCompressSync(Buffer.alloc(16 * MIB, 7));
    expect(await codeOf(inflate(raw, 'zstd', 64 * MIB, budget))).toBe('OVERLOADED');
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses before decoding when another body holds the budget', async () => {
    const budget = new ByteBudget(10 * MIB);
    budget.take(5 * MIB);
    expect(await codeOf(inflate(zlib.zstdCompressSync(text), 'zstd', 64 * MIB, budget))).toBe('OVERLOADED');
    budget.release(5 * MIB);
    expect(budget.usedBytes).toBe(0);
  });

  it.each([
    ['gzip', Buffer.from('not gzip at all')],
    ['zstd', Buffer.from('not zstd either')],
    ['gzip', zlib.gzipSync(text).subarray(0, 100)],
  ])('answers BAD_REQUEST for corrupt %s data', async (encoding, raw) => {
    const budget = new ByteBudget(64 * MIB);
    expect(await codeOf(inflate(raw, encoding, 16 * MIB, budget))).toBe('BAD_REQUEST');
    expect(budget.usedBytes).toBe(0);
  });

  it('rejects a zstd frame that asks for a window over 8 MiB (RFC 9659)', async () => {
    const raw = zlib.zstdCompressSync(Buffer.alloc(64 * MIB), {
      params: { [zlib.constants.ZSTD_c_windowLog]: 27, [zlib.constants.ZSTD_c_compressionLevel]: 19 },
    });
    expect(await codeOf(inflate(raw, 'zstd', 128 * MIB))).toBe('BAD_REQUEST');
  });
});
