/**
 * A tiny protobuf encoder for hand-built test messages (shapes the official serializers never
 * produce: unpacked scalars, groups, exemplars, hostile nesting). Test-only.
 */

export type Part = Uint8Array | number[];

/** Concatenates encoded parts. */
export function bytes(...parts: Part[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A varint of any uint64 / int64 value (negative numbers as 10-byte two's complement). */
export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function tag(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

/** A varint field. */
export function vfield(field: number, value: number | bigint): number[] {
  return [...tag(field, 0), ...varint(value)];
}

/** A length-delimited field holding `parts`. */
export function lfield(field: number, ...parts: Part[]): Uint8Array {
  const body = bytes(...parts);
  return bytes(tag(field, 2), varint(body.length), body);
}

export function sfield(field: number, text: string): Uint8Array {
  return lfield(field, new TextEncoder().encode(text));
}

export function fixed64(value: bigint): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt.asUintN(64, value), true);
  return [...new Uint8Array(view.buffer)];
}

export function double(value: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...new Uint8Array(view.buffer)];
}

export function fixed32(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, value >>> 0, true);
  return [...new Uint8Array(view.buffer)];
}

/** A fixed64 field (wire type 1). */
export function f64field(field: number, value: bigint): number[] {
  return [...tag(field, 1), ...fixed64(value)];
}

/** A double field (wire type 1). */
export function dfield(field: number, value: number): number[] {
  return [...tag(field, 1), ...double(value)];
}

/** A fixed32 field (wire type 5). */
export function f32field(field: number, value: number): number[] {
  return [...tag(field, 5), ...fixed32(value)];
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** A KeyValue (as attribute field `field`) with a string value. */
export function stringAttr(field: number, key: string, value: string): Uint8Array {
  return lfield(field, sfield(1, key), lfield(2, sfield(1, value)));
}

/** An ExportTraceServiceRequest with one resource, one scope and one span per argument (span bodies). */
export function traceRequest(...spans: Part[]): Uint8Array {
  return lfield(1, lfield(2, ...spans.map((span) => lfield(2, span))));
}
