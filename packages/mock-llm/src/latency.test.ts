import { describe, expect, it } from 'vitest';
import { CHUNK_DELAY_HEADER, delayHeader, LATENCY_HEADER } from './latency.ts';
import { startMockLlm } from './server.ts';

describe('per-request delays', () => {
  it.each([
    // A whole number of ms is taken as is.
    ['250', 250],
    // Surrounding spaces are tolerated (headers are often hand-written).
    [' 40 ', 40],
    // Not a number, negative or fractional: ignored rather than guessed.
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    // Over two minutes: refused so a test cannot hang the mock.
    ['120001', undefined],
  ])('reads %j as %j', (raw, expected) => {
    expect(delayHeader({ [LATENCY_HEADER]: raw }, LATENCY_HEADER)).toBe(expected);
  });

  it('delays the start of an answer by the header', async () => {
    const mock = await startMockLlm();
    try {
      const started = performance.now();
      const response = await fetch(`${mock.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [LATENCY_HEADER]: '120', [CHUNK_DELAY_HEADER]: '0' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await mock.close();
    }
  });
});
