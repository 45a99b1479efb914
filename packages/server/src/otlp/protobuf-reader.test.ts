import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { readPackedDouble, readPackedFixed64, readPackedUint64 } from './decode-protobuf-points.ts';
import { ProtobufReader } from './protobuf-reader.ts';
import { int64ToValue, wireTypesOf } from './protobuf-wire.ts';
import { bytes, double, fixed32, fixed64, lfield, tag, varint } from './protobuf-writer.test-util.ts';

function reader(...parts: (Uint8Array | number[])[]): ProtobufReader {
  return new ProtobufReader(bytes(...parts), 16);
}

function decodeError(run: () => unknown): ArgusError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ArgusError);
    expect((error as ArgusError).code).toBe('OTLP_DECODE');
    return error as ArgusError;
  }
  throw new Error('expected an OTLP_DECODE error');
}

describe('ProtobufReader varints', () => {
  it.each([
    [0, 0],
    [1, 1],
    [127, 127],
    [128, 128],
    [300, 300],
    [0xffffffff, 0xffffffff],
    // int32 -1 is sent as a 10-byte varint; enums keep its low 32 bits.
    [-1, 0xffffffff],
  ])('uint32 reads %d', (value, expected) => {
    const r = reader(varint(value));
    expect(r.uint32()).toBe(expected);
    expect(r.pos).toBe(r.end);
  });

  it.each([
    [0n, 0],
    [2n ** 53n - 1n, Number.MAX_SAFE_INTEGER],
    [-(2n ** 53n) + 1n, Number.MIN_SAFE_INTEGER],
    [-42n, -42],
    // Beyond the safe range, the exact decimal string.
    [2n ** 53n, '9007199254740992'],
    [-(2n ** 53n), '-9007199254740992'],
    [2n ** 63n - 1n, '9223372036854775807'],
    [-(2n ** 63n), '-9223372036854775808'],
  ])('int64 reads %s', (value, expected) => {
    expect(reader(varint(value)).int64()).toBe(expected);
  });

  it('int64ToValue covers both halves', () => {
    expect(int64ToValue(0xffffffff, 0x1fffff)).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToValue(1, 0xffe00000)).toBe(Number.MIN_SAFE_INTEGER);
    expect(int64ToValue(0, 0xffe00000)).toBe('-9007199254740992');
  });

  it('uint64Number and sint32', () => {
    expect(reader(varint(2n ** 40n + 5n)).uint64Number()).toBe(2 ** 40 + 5);
    expect(reader(varint(3)).sint32()).toBe(-2);
    expect(reader(varint(4)).sint32()).toBe(2);
    expect(reader(varint(0xffffffff)).sint32()).toBe(-2147483648);
  });

  it('rejects a varint longer than 10 bytes', () => {
    const eleven = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(decodeError(() => reader(eleven).uint32()).message).toBe(
      'Cannot decode OTLP protobuf: varint at byte 0 is longer than 10 bytes',
    );
    expect(() => reader(eleven).varint64()).toThrow(ArgusError);
  });

  it('rejects a varint cut short', () => {
    expect(decodeError(() => reader([0x80, 0x80]).uint32()).message).toBe(
      'Cannot decode OTLP protobuf: input ends inside a varint at byte 0',
    );
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).varint64()).toThrow(ArgusError);
  });
});

describe('ProtobufReader fixed-width and length-delimited values', () => {
  it('reads fixed32, fixed64, sfixed64 and double little-endian', () => {
    const r = reader(
      fixed32(0xdeadbeef),
      fixed64(1795236746042000123n),
      fixed64(-5n),
      double(-0.25),
      fixed64(2n ** 40n),
    );
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.fixed64()).toBe(1795236746042000123n);
    expect(r.sfixed64Number()).toBe(-5);
    expect(r.double()).toBe(-0.25);
    expect(r.fixed64Number()).toBe(2 ** 40);
  });

  it('rejects a fixed64 with fewer than 8 bytes left', () => {
    expect(decodeError(() => reader([1, 2, 3]).fixed64()).message).toBe(
      'Cannot decode OTLP protobuf: fixed64 at byte 0 needs 8 bytes, 3 left',
    );
  });

  it('rejects a length prefix past the end of the message', () => {
    expect(decodeError(() => reader(varint(5), [1, 2]).string()).message).toBe(
      'Cannot decode OTLP protobuf: length 5 at byte 0 exceeds the 2 bytes left',
    );
    expect(decodeError(() => reader(varint(2n ** 40n)).string()).message).toBe(
      'Cannot decode OTLP protobuf: length prefix at byte 0 is over 4 GiB',
    );
  });

  it('keeps a nested message inside its parent', () => {
    // Outer message of 3 bytes whose inner length claims 5: within the buffer, but not the parent.
    const r = reader(varint(3), varint(5), [1, 2], [9, 9, 9, 9]);
    r.enter();
    expect(() => r.enter()).toThrow(/length 5 at byte 1 exceeds the 2 bytes left/);
  });

  it('decodes strings: ASCII, multi-byte, invalid UTF-8, repeated short strings', () => {
    const text = new TextEncoder();
    const r = reader(
      lfield(1, text.encode('gen_ai.request.model')),
      lfield(1, text.encode('héllo ✓ 🦊')),
      lfield(1, [0x61, 0xff, 0x62]),
      lfield(1, text.encode('gen_ai.request.model')),
      lfield(1, text.encode('gen_ai.request.modeL')),
      lfield(1, [0xc3]),
      lfield(1, text.encode('x'.repeat(100))),
    );
    const read = () => {
      r.uint32();
      return r.string();
    };
    expect(read()).toBe('gen_ai.request.model');
    expect(read()).toBe('héllo ✓ 🦊');
    expect(read()).toBe('a\uFFFDb');
    expect(read()).toBe('gen_ai.request.model');
    // Same length and hash inputs as the cached string, one byte different.
    expect(read()).toBe('gen_ai.request.modeL');
    expect(read()).toBe('\uFFFD');
    expect(read()).toBe('x'.repeat(100));
  });

  it('encodes ids as lowercase hex, whatever their length', () => {
    const r = reader(
      lfield(
        1,
        [0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c],
      ),
      lfield(1, [0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31]),
      lfield(1, [0x00, 0xff, 0x10]),
      lfield(1, []),
    );
    const ids: string[] = [];
    while (r.pos < r.end) {
      r.uint32();
      ids.push(r.hex());
    }
    expect(ids).toEqual(['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', '00ff10', '']);
  });

  it('reads packed repeated scalars and rejects a ragged packed fixed64', () => {
    const out: number[] = [];
    readPackedFixed64(reader(varint(16), fixed64(3n), fixed64(2n ** 33n)), out, 'bucket_counts');
    readPackedDouble(reader(varint(8), double(1.5)), out, 'explicit_bounds');
    readPackedUint64(reader(varint(3), varint(1), varint(300)), out);
    expect(out).toEqual([3, 2 ** 33, 1.5, 1, 300]);
    expect(
      decodeError(() => readPackedFixed64(reader(varint(7), [0, 0, 0, 0, 0, 0, 0]), [], 'x')).message,
    ).toBe('Cannot decode OTLP protobuf: packed x has 7 bytes, expected a multiple of 8');
  });
});

describe('ProtobufReader skipping', () => {
  const wires = wireTypesOf([10]);

  it.each([
    ['varint', [...tag(9, 0), ...varint(2n ** 63n)]],
    ['fixed64', [...tag(9, 1), ...fixed64(1n)]],
    ['length-delimited', [...lfield(9, [1, 2, 3])]],
    ['fixed32', [...tag(9, 5), ...fixed32(7)]],
    [
      'group',
      [...tag(9, 3), ...tag(1, 0), 5, ...tag(2, 3), ...tag(1, 1), ...fixed64(1n), ...tag(2, 4), ...tag(9, 4)],
    ],
  ])('skips an unknown %s field', (_name, field) => {
    const r = reader(field, tag(5, 0), [42]);
    r.skipField(r.uint32(), wires, 'Test');
    expect(r.uint32()).toBe(40);
    expect(r.uint32()).toBe(42);
  });

  it('rejects a known field with the wrong wire type', () => {
    const r = reader(tag(1, 3));
    expect(decodeError(() => r.skipField(r.uint32(), wires, 'Span')).message).toBe(
      'Cannot decode OTLP protobuf: field 1 of Span has wire type 3, expected 2',
    );
  });

  it.each([
    ['wire type 6', tag(9, 6), 'wire type 6 at byte 1 is invalid, expected 0 to 5'],
    ['wire type 7', tag(9, 7), 'wire type 7 at byte 1 is invalid, expected 0 to 5'],
    ['a stray end-group', tag(9, 4), 'end-group tag at byte 1 has no matching start-group tag'],
    ['field number 0', tag(0, 0), 'field number 0 at byte 1 is invalid'],
    ['an unterminated group', [...tag(9, 3), ...tag(1, 0), 1], 'input ends inside a group at byte 3'],
  ])('rejects %s', (_name, field, message) => {
    const r = reader(field);
    expect(decodeError(() => r.skipField(r.uint32(), wires, 'Test')).message).toBe(
      `Cannot decode OTLP protobuf: ${message}`,
    );
  });

  it('skips 100,000 nested groups without recursion', () => {
    const depth = 100_000;
    const open = tag(9, 3);
    const close = tag(9, 4);
    const parts: number[] = [];
    for (let i = 0; i < depth; i++) parts.push(...open);
    for (let i = 0; i < depth; i++) parts.push(...close);
    const r = reader(parts);
    r.skipField(r.uint32(), wires, 'Test');
    expect(r.pos).toBe(r.end);
  });
});
