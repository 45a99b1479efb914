import { describe, expect, it } from 'vitest';
import { classifyEngineError } from './engine-errors.ts';

const engineError = (code: number, message: string) =>
  Object.assign(new Error(`Code: ${code}. DB::Exception: ${message}`), { clickhouseCode: code });

describe('classifyEngineError', () => {
  it.each([
    [40, "Checksum doesn't match: corrupted data. Reference: 1. Actual: 2"],
    // Why: a flipped byte in a block header fails before the checksum is read (store-damage test, CI).
    [39, 'Too large size_compressed: 4289264321. Most likely corrupted data'],
    [89, 'Unknown codec family code: 223'],
    [271, 'Cannot decompress'],
  ])('reads code %i as damaged data', (code, message) => {
    expect(classifyEngineError(engineError(code, message))).toBe('corrupt');
  });

  it('reads a damaged block by its words when the code is one it does not list', () => {
    expect(
      classifyEngineError(engineError(9999, 'Too large size_compressed. Most likely corrupted data')),
    ).toBe('corrupt');
  });

  it('leaves other failures as they are', () => {
    expect(classifyEngineError(engineError(60, "Table default.nope doesn't exist"))).toBe('other');
    expect(classifyEngineError(new Error('socket hang up'))).toBe('other');
  });
});
