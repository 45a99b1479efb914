/**
 * A minimal protobuf wire reader for untrusted input. Every read is checked against the end of
 * the message being read (not just the buffer), so a hostile length prefix can neither read out
 * of range nor make a nested message spill into its parent; malformed input throws an
 * `OTLP_DECODE` {@link ArgusError}.
 */
import { Buffer } from 'node:buffer';
import type { ArgusError } from '../errors.ts';
import { hexString, utf8String } from './protobuf-text.ts';
import { int64ToValue, protobufError, TWO_32, wireTypeError } from './protobuf-wire.ts';

// Wire types of the protobuf encoding.
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/** Reads one protobuf message; nested messages are read in place with {@link enter}/{@link leave}. */
export class ProtobufReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  /** AnyValue nesting allowed before values are replaced (see DecodeLimits). */
  readonly maxDepth: number;
  pos = 0;
  /** End of the message being read; reads never pass it. */
  end: number;
  /** Halves of the last {@link varint64}, as uint32. */
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array, maxDepth: number) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.maxDepth = maxDepth;
    this.end = buf.length;
  }

  /** Reads a varint and keeps its low 32 bits (tags, enums, uint32, bool). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw this.#truncated('a varint');
    let byte = buf[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    for (let shift = 7; shift < 70; shift += 7) {
      if (pos >= this.end) throw this.#truncated('a varint');
      byte = buf[pos++]!;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw protobufError(`varint at byte ${this.pos} is longer than 10 bytes`);
  }

  /** Reads a full 64-bit varint into {@link lo} and {@link hi}. */
  varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let byte = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.#truncated('a varint');
      byte = buf[pos++]!;
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.#setVarint(pos, lo, 0);
        return;
      }
    }
    if (pos >= end) throw this.#truncated('a varint');
    byte = buf[pos++]!;
    lo |= (byte & 0x7f) << 28;
    hi = (byte & 0x7f) >>> 4;
    if (byte < 0x80) {
      this.#setVarint(pos, lo, hi);
      return;
    }
    for (let shift = 3; shift < 38; shift += 7) {
      if (pos >= end) throw this.#truncated('a varint');
      byte = buf[pos++]!;
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.#setVarint(pos, lo, hi);
        return;
      }
    }
    throw protobufError(`varint at byte ${this.pos} is longer than 10 bytes`);
  }

  #setVarint(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** int64 varint: a number when safe, else a decimal string. */
  int64(): number | string {
    this.varint64();
    return int64ToValue(this.lo, this.hi);
  }

  /** uint64 varint as a number (precision is lost above 2^53). */
  uint64Number(): number {
    this.varint64();
    return this.hi * TWO_32 + this.lo;
  }

  /** sint32 (zigzag) varint. */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.varint64();
    return (this.lo | this.hi) !== 0;
  }

  fixed32(): number {
    this.#need(4, 'fixed32');
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** fixed64 as bigint, exact (timestamps). */
  fixed64(): bigint {
    this.#need(8, 'fixed64');
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** fixed64 as a number (counts; precision is lost above 2^53). */
  fixed64Number(): number {
    this.#need(8, 'fixed64');
    const value = this.view.getUint32(this.pos, true) + this.view.getUint32(this.pos + 4, true) * TWO_32;
    this.pos += 8;
    return value;
  }

  /** sfixed64 as a number (precision is lost beyond ±2^53). */
  sfixed64Number(): number {
    this.#need(8, 'sfixed64');
    const value = this.view.getUint32(this.pos, true) + this.view.getInt32(this.pos + 4, true) * TWO_32;
    this.pos += 8;
    return value;
  }

  double(): number {
    this.#need(8, 'double');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and checks that many bytes remain in the current message. */
  length(): number {
    const at = this.pos;
    let len: number;
    if (at < this.end && this.buf[at]! < 0x80) {
      len = this.buf[at]!;
      this.pos = at + 1;
    } else {
      this.varint64();
      if (this.hi !== 0) throw protobufError(`length prefix at byte ${at} is over 4 GiB`);
      len = this.lo;
    }
    if (len > this.end - this.pos) {
      throw protobufError(`length ${len} at byte ${at} exceeds the ${this.end - this.pos} bytes left`);
    }
    return len;
  }

  /** Starts reading a nested message; returns the outer end to hand back to {@link leave}. */
  enter(): number {
    const len = this.length();
    const outer = this.end;
    this.end = this.pos + len;
    return outer;
  }

  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** A UTF-8 string field; invalid UTF-8 becomes U+FFFD. */
  string(): string {
    const len = this.length();
    const start = this.pos;
    this.pos += len;
    return utf8String(this.buf, start, len);
  }

  /** A bytes field as lowercase hex (trace and span ids). */
  hex(): string {
    const len = this.length();
    const start = this.pos;
    this.pos += len;
    return hexString(this.buf, start, len);
  }

  /** A bytes field as base64 (AnyValue bytes_value, as OTLP/JSON carries it). */
  base64(): string {
    const len = this.length();
    const start = this.pos;
    this.pos += len;
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, len).toString('base64');
  }

  /**
   * Skips a field the caller has no case for: rejects a known field (per `wires`) that came with
   * the wrong wire type, skips anything else (unknown fields, known ones the caller drops).
   */
  skipField(tag: number, wires: Int8Array, message: string): void {
    const field = tag >>> 3;
    if (field < wires.length) {
      const expected = wires[field]!;
      if (expected >= 0 && expected !== (tag & 7)) throw wireTypeError(tag, message, expected);
    }
    this.skip(tag);
  }

  /** Skips the value of `tag`, whatever its wire type. */
  skip(tag: number): void {
    if (tag >>> 3 === 0) throw protobufError(`field number 0 at byte ${this.pos} is invalid`);
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
        this.#need(8, 'fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN: {
        // Not `this.pos += this.length()`: that would add to the position before the prefix.
        const len = this.length();
        this.pos += len;
        return;
      }
      case WIRE_START_GROUP:
        this.#skipGroup();
        return;
      case WIRE_FIXED32:
        this.#need(4, 'fixed32');
        this.pos += 4;
        return;
      case WIRE_END_GROUP:
        throw protobufError(`end-group tag at byte ${this.pos} has no matching start-group tag`);
      default:
        throw protobufError(`wire type ${tag & 7} at byte ${this.pos} is invalid, expected 0 to 5`);
    }
  }

  // Iterative, so nested groups cannot exhaust the stack.
  #skipGroup(): void {
    let depth = 1;
    while (depth > 0) {
      if (this.pos >= this.end) throw this.#truncated('a group');
      const tag = this.uint32();
      const wire = tag & 7;
      if (wire === WIRE_START_GROUP) {
        if (tag >>> 3 === 0) throw protobufError(`field number 0 at byte ${this.pos} is invalid`);
        depth++;
      } else if (wire === WIRE_END_GROUP) depth--;
      else this.skip(tag);
    }
  }

  #need(bytes: number, what: string): void {
    if (this.end - this.pos < bytes) {
      throw protobufError(`${what} at byte ${this.pos} needs ${bytes} bytes, ${this.end - this.pos} left`);
    }
  }

  #truncated(what: string): ArgusError {
    return protobufError(`input ends inside ${what} at byte ${this.pos}`);
  }
}
