/** Protobuf wire helpers shared by the reader and the message decoders. */
import { ArgusError } from '../errors.ts';

/** 2^32, to combine uint32 halves. */
export const TWO_32 = 4294967296;

/** An `OTLP_DECODE` error with the protobuf message prefix. */
export function protobufError(message: string): ArgusError {
  return new ArgusError('OTLP_DECODE', `Cannot decode OTLP protobuf: ${message}`);
}

/** The error for a known field that arrived with the wrong wire type. */
export function wireTypeError(tag: number, message: string, expected: number): ArgusError {
  return protobufError(`field ${tag >>> 3} of ${message} has wire type ${tag & 7}, expected ${expected}`);
}

/**
 * The table {@link ProtobufReader.skipField} uses to tell an unknown field (skipped) from a known
 * field with the wrong wire type (rejected), from the tags a message's decoder expects (the same
 * numbers as its `switch` cases): index = field number, value = wire type, -1 = unknown.
 */
export function wireTypesOf(tags: readonly number[]): Int8Array {
  const table = new Int8Array(Math.max(...tags) / 8 + 1).fill(-1);
  for (const tag of tags) table[tag >>> 3] = tag & 7;
  return table;
}

/**
 * Converts a two's-complement int64 given as two uint32 halves to a number when it is a safe
 * integer, else to its exact decimal string.
 */
export function int64ToValue(lo: number, hi: number): number | string {
  if (hi < 0x200000) return hi * TWO_32 + lo;
  if (hi >= 0xffe00000) {
    const value = (hi - TWO_32) * TWO_32 + lo;
    if (value >= Number.MIN_SAFE_INTEGER) return value;
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
