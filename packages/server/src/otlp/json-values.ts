/**
 * Typed reads of OTLP/JSON values (proto3 JSON mapping with the OTLP deviations: hex ids,
 * integer enums, int64 as string or number). A wrong type throws a {@link JsonShapeError}; each
 * container level adds its path segment on the way up (see {@link within}), so the happy path
 * never builds paths.
 */
import { Buffer } from 'node:buffer';
import { ArgusError } from '../errors.ts';

/** A JSON object as parsed. */
export type JsonObject = Record<string, unknown>;

/** A value of the wrong type or form; `path` grows as the error travels up. */
export class JsonShapeError extends Error {
  readonly path: string[];
  constructor(segment: string | undefined, problem: string) {
    super(problem);
    this.name = 'JsonShapeError';
    this.path = segment === undefined ? [] : [segment];
  }
}

/** Prefixes `segment` to a {@link JsonShapeError}'s path and rethrows; other errors pass through. */
export function within(error: unknown, segment: string): never {
  if (error instanceof JsonShapeError) error.path.unshift(segment);
  throw error;
}

/** Parses an OTLP/JSON body and checks it is an object. */
export function parseJsonBody(text: string): JsonObject {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ArgusError('OTLP_DECODE', `Cannot decode OTLP JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new ArgusError(
      'OTLP_DECODE',
      `Cannot decode OTLP JSON: the body is ${describe(root)}, expected an object`,
    );
  }
  return root as JsonObject;
}

/** Turns a {@link JsonShapeError} into the user-facing `OTLP_DECODE` error. */
export function toDecodeError(error: unknown): unknown {
  if (!(error instanceof JsonShapeError)) return error;
  const path = error.path.join('.').replaceAll('.[', '[');
  return new ArgusError('OTLP_DECODE', `Cannot decode OTLP JSON: '${path}' ${error.message}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

// Scalars are quoted (`is "12abc"`); containers only described, since stringifying a hostile,
// deeply nested one could itself fail.
function quote(value: unknown): string {
  if (value === null || typeof value === 'object') return describe(value);
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The error for a value of the wrong JSON type at field `name` (or at the element the caller names). */
export function wrongType(name: string | undefined, value: unknown, expected: string): JsonShapeError {
  return new JsonShapeError(name, `is ${describe(value)}, expected ${expected}`);
}

/** `value` as an object (array elements, nested messages); the caller adds the path. */
export function asObject(value: unknown): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw wrongType(undefined, value, 'an object');
  return value as JsonObject;
}

const NO_ITEMS: readonly unknown[] = [];

/** A repeated field: absent or null is empty. */
export function arrayField(value: unknown, name: string): readonly unknown[] {
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) throw wrongType(name, value, 'an array');
  return value;
}

/** A message field: absent or null is `undefined`. */
export function objectField(value: unknown, name: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(name, value, 'an object');
  return value as JsonObject;
}

/** A string field: absent or null is `''`. */
export function stringField(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw wrongType(name, value, 'a string');
}

/** A bool field: absent or null is `false`. */
export function boolField(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  throw wrongType(name, value, 'a boolean');
}

const INTEGER = /^-?[0-9]+$/;

/** An integer field of up to 53 bits (uint32, int32, counts): number or decimal string. */
export function intField(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string' && INTEGER.test(value)) return Number(value);
  throw new JsonShapeError(name, `is ${quote(value)}, expected an integer`);
}

/** An enum: its number, or leniently its name (unknown names read as 0, the unspecified value). */
export function enumField(value: unknown, name: string, names: Readonly<Record<string, number>>): number {
  if (typeof value === 'string' && !INTEGER.test(value))
    return Object.hasOwn(names, value) ? names[value]! : 0;
  return intField(value, name) | 0;
}

const UNSIGNED = /^[0-9]+$/;

/** A fixed64 timestamp in unix nanoseconds: decimal string or number. */
export function timeField(value: unknown, name: string): bigint {
  if (typeof value === 'string' && UNSIGNED.test(value)) return BigInt.asUintN(64, BigInt(value));
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    return BigInt.asUintN(64, BigInt(value));
  throw new JsonShapeError(name, `is ${quote(value)}, expected a non-negative integer`);
}

/** An int64 AnyValue: a number when safe, else the exact decimal string (as the protobuf decoder). */
export function int64Field(value: unknown, name: string): number | string {
  // `+ 0` because int64 has no negative zero, so protobuf can never deliver one.
  if (typeof value === 'number' && Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? value + 0 : BigInt(value).toString();
  }
  if (typeof value === 'string' && INTEGER.test(value)) {
    // Beyond int64 only JSON can say it (the JS JSON serializer does for integers >= 2^63): the
    // digits are kept rather than wrapped.
    const n = Number(value);
    return Number.isSafeInteger(n) ? n + 0 : BigInt(value).toString();
  }
  throw new JsonShapeError(name, `is ${quote(value)}, expected an integer`);
}

/** A double: number, or "NaN" / "Infinity" / "-Infinity" / a numeric string. */
export function doubleField(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const n = Number(value);
    if (!Number.isNaN(n) && value.trim() !== '') return n;
  }
  throw new JsonShapeError(name, `is ${quote(value)}, expected a number`);
}

/** An optional double (`optional double` in the proto): `undefined` when absent. */
export function optionalDouble(value: unknown, name: string): number | undefined {
  return value === undefined || value === null ? undefined : doubleField(value, name);
}

const HEX = /^[0-9a-fA-F]*$/;
const BASE64_TRACE_ID = /^[A-Za-z0-9+/_-]{22}==$/;
const BASE64_SPAN_ID = /^[A-Za-z0-9+/_-]{11}=$/;

/**
 * A trace or span id: hex (case-insensitive) becomes lowercase; base64 of 16 or 8 bytes, which
 * generic proto3 JSON encoders send, becomes hex; anything else is kept so validation rejects it.
 */
export function idField(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw wrongType(name, value, 'a string');
  if (HEX.test(value)) return value.toLowerCase();
  if (BASE64_TRACE_ID.test(value) || BASE64_SPAN_ID.test(value))
    return Buffer.from(value, 'base64').toString('hex');
  return value;
}

/** A field by its lowerCamelCase name, or leniently its snake_case name. */
export function field(o: JsonObject, camel: string, snake: string): unknown {
  const value = o[camel];
  return value === undefined ? o[snake] : value;
}

/** Reads a repeated message field with `read`, adding `name[i]` to the path of any error. */
export function readList<T>(
  value: unknown,
  name: string,
  maxDepth: number,
  read: (o: JsonObject, maxDepth: number) => T,
): T[] {
  const items = arrayField(value, name);
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      out.push(read(asObject(items[i]), maxDepth));
    } catch (error) {
      within(error, `${name}[${i}]`);
    }
  }
  return out;
}
