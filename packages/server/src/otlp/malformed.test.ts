/**
 * Hostile and broken input: every failure must be an `OTLP_DECODE` ArgusError (HTTP 400), never a
 * RangeError/TypeError, a hang, a stack overflow or a polluted prototype.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../test/support/fixtures.ts';
import { ArgusError } from '../errors.ts';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeMetrics, decodeTraces } from './index.ts';
import {
  bytes,
  dfield,
  lfield,
  type Part,
  sfield,
  tag,
  traceRequest,
  varint,
  vfield,
} from './protobuf-writer.test-util.ts';
import { sampleLogRecords, sampleMetrics, sampleSpans } from './sdk-samples.test-util.ts';
import type { AttrMap } from './types.ts';

const limits = DEFAULT_DECODE_LIMITS;
type Decode = (body: Uint8Array) => unknown;
const decoders: Record<string, Decode> = {
  traces: (body) => decodeTraces(body, 'protobuf', limits),
  logs: (body) => decodeLogs(body, 'protobuf', limits),
  metrics: (body) => decodeMetrics(body, 'protobuf', limits),
};

/** Runs `decode`; passes if it returns or throws OTLP_DECODE, fails on any other error. */
function expectDecodeOrReject(decode: Decode, body: Uint8Array): 'ok' | 'rejected' {
  try {
    decode(body);
    return 'ok';
  } catch (error) {
    if (error instanceof ArgusError && error.code === 'OTLP_DECODE') return 'rejected';
    throw error;
  }
}

function expectRejected(run: () => unknown, message?: string | RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ArgusError);
  expect((caught as ArgusError).code).toBe('OTLP_DECODE');
  if (message !== undefined) expect((caught as ArgusError).message).toMatch(message);
}

function spanAttributes(body: Uint8Array, decodeLimits = limits): AttrMap {
  return decodeTraces(body, 'protobuf', decodeLimits).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes;
}

describe('truncated and corrupted protobuf', () => {
  it('rejects or decodes a prefix at every truncation offset of real requests', async () => {
    const bodies: [string, Uint8Array][] = [
      ['traces', ProtobufTraceSerializer.serializeRequest(sampleSpans())!],
      ['logs', ProtobufLogsSerializer.serializeRequest(sampleLogRecords())!],
      ['metrics', ProtobufMetricsSerializer.serializeRequest(await sampleMetrics())!],
      ['traces', readFileSync(path.join(FIXTURES_DIR, 'otel-instrumentation-openai.traces.pb'))],
    ];
    for (const [signal, body] of bodies) {
      const outcomes = { ok: 0, rejected: 0 };
      for (let end = 0; end < body.length; end++)
        outcomes[expectDecodeOrReject(decoders[signal]!, body.subarray(0, end))]++;
      // Most cuts land inside a nested message, which must be noticed.
      expect(outcomes.rejected).toBeGreaterThan(body.length * 0.9);
    }
  });

  it('survives every single-byte corruption of a real request', () => {
    const body = readFileSync(path.join(FIXTURES_DIR, 'openinference-openai.3.traces.pb'));
    for (let at = 0; at < body.length; at++) {
      for (const value of [0x00, 0x7f, 0x80, 0xff]) {
        const corrupted = Uint8Array.from(body);
        corrupted[at] = value;
        for (const decode of Object.values(decoders)) expectDecodeOrReject(decode, corrupted);
      }
    }
  });

  it.each([
    [
      'Span.kind as length-delimited',
      traceRequest(lfield(6, [1])),
      'field 6 of Span has wire type 2, expected 0',
    ],
    ['Span.start_time as varint', traceRequest(vfield(7, 1)), 'field 7 of Span has wire type 0, expected 1'],
    [
      'Status.code as fixed64',
      traceRequest(lfield(15, dfield(3, 1))),
      'field 3 of Status has wire type 1, expected 0',
    ],
    [
      'AnyValue.string_value as varint',
      traceRequest(lfield(9, sfield(1, 'k'), lfield(2, vfield(1, 1)))),
      'field 1 of AnyValue has wire type 0, expected 2',
    ],
    [
      'ResourceSpans as varint',
      bytes(vfield(1, 1)),
      'field 1 of ExportTraceServiceRequest has wire type 0, expected 2',
    ],
  ])('rejects %s', (_name, body, message) => {
    expectRejected(() => decodeTraces(body, 'protobuf', limits), `Cannot decode OTLP protobuf: ${message}`);
  });

  it.each([
    ['2^32 - 1', 2 ** 32 - 1],
    ['2^31', 2 ** 31],
    ['2^35', 2 ** 35],
    ['2^63', 2n ** 63n],
  ])('rejects a length prefix of %s at the top and nested', (_name, length) => {
    expectRejected(() => decodeTraces(bytes(tag(1, 2), varint(length)), 'protobuf', limits));
    const nested = bytes(tag(2, 2), varint(length), [1, 2, 3]);
    expectRejected(() => decodeTraces(lfield(1, nested), 'protobuf', limits), /exceeds|over 4 GiB/);
  });

  it('rejects varints longer than 10 bytes as tags and as values', () => {
    const eleven = Array.from({ length: 10 }, () => 0xff).concat([0x01]);
    expectRejected(() => decodeTraces(Uint8Array.from(eleven), 'protobuf', limits), /longer than 10 bytes/);
    expectRejected(
      () => decodeTraces(traceRequest([...tag(6, 0), ...eleven]), 'protobuf', limits),
      /longer than 10/,
    );
  });
});

/**
 * An attribute `k` whose value nests `depth` kvlists (each holding key `k`) or arrays around the
 * string "bottom". Built from the inside out as prefixes, so 10,000 levels stay linear.
 */
function nestedKvlist(depth: number, container: 'kvlist' | 'array'): Uint8Array {
  const bottom = sfield(1, 'bottom');
  const prefixes: Part[] = [];
  let length = bottom.length;
  for (let level = 0; level < depth; level++) {
    let prefix: number[];
    if (container === 'kvlist') {
      // AnyValue{kvlist_value: KeyValueList{values: KeyValue{key: "k", value: <inner>}}}
      const keyValue = [...sfield(1, 'k'), ...tag(2, 2), ...varint(length)];
      const list = [...tag(1, 2), ...varint(keyValue.length + length)];
      prefix = [...tag(6, 2), ...varint(list.length + keyValue.length + length), ...list, ...keyValue];
    } else {
      // AnyValue{array_value: ArrayValue{values: <inner>}}
      const values = [...tag(1, 2), ...varint(length)];
      prefix = [...tag(5, 2), ...varint(values.length + length), ...values];
    }
    prefixes.push(prefix);
    length += prefix.length;
  }
  const anyValue = bytes(...prefixes.reverse(), bottom);
  return traceRequest(lfield(9, sfield(1, 'k'), lfield(2, anyValue)));
}

describe('hostile nesting', () => {
  it.each(['kvlist', 'array'] as const)('cuts a 10,000-level %s at maxAttributeDepth', (container) => {
    const body = nestedKvlist(10_000, container);
    let value = spanAttributes(body).k;
    let depth = 1;
    while (typeof value === 'object' && value !== null) {
      value = Array.isArray(value) ? value[0]! : (value as AttrMap).k!;
      depth++;
    }
    expect(value).toBe('[argus: truncated, depth > 16]');
    expect(depth).toBe(17);
  });

  it('keeps values exactly at the limit and applies a configured limit', () => {
    expect(JSON.stringify(spanAttributes(nestedKvlist(15, 'kvlist')))).toContain('bottom');
    expect(spanAttributes(nestedKvlist(2, 'array'), { maxAttributeDepth: 2 }).k).toEqual([
      ['[argus: truncated, depth > 2]'],
    ]);
    expect(spanAttributes(nestedKvlist(0, 'array'), { maxAttributeDepth: 0 }).k).toBe(
      '[argus: truncated, depth > 0]',
    );
  });

  it('cuts 10,000-level JSON nesting the same way', () => {
    let value = '{"stringValue":"bottom"}';
    for (let i = 0; i < 10_000; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":${value}}]}]}]}]}`;
    const json = decodeTraces(new TextEncoder().encode(text), 'json', limits);
    expect(json).toStrictEqual(decodeTraces(nestedKvlist(10_000, 'kvlist'), 'protobuf', limits));
  });
});

describe('hostile strings and keys', () => {
  it('turns invalid UTF-8 into U+FFFD in keys, values and names, protobuf and JSON', () => {
    const bad = [0x6f, 0xc3, 0x28, 0xff, 0x6b];
    const body = traceRequest(bytes(lfield(5, bad), lfield(9, lfield(1, bad), lfield(2, lfield(1, bad)))));
    const span = decodeTraces(body, 'protobuf', limits).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.name).toBe('o\uFFFD(\uFFFDk');
    expect(span.attributes).toEqual({ 'o\uFFFD(\uFFFDk': 'o\uFFFD(\uFFFDk' });
    const text = new TextEncoder();
    const json = bytes(
      text.encode('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"'),
      bad,
      text.encode('"}]}]}]}'),
    );
    expect(decodeTraces(json, 'json', limits).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(
      'o\uFFFD(\uFFFDk',
    );
  });

  it('keeps __proto__, constructor and toString as plain keys', () => {
    const kv = (key: string, value: Part) => lfield(9, sfield(1, key), lfield(2, value));
    const body = traceRequest(
      bytes(
        kv('__proto__', lfield(6, lfield(1, sfield(1, 'polluted'), lfield(2, sfield(1, 'yes'))))),
        kv('constructor', sfield(1, 'c')),
        kv('toString', sfield(1, 't')),
      ),
    );
    const attributes = spanAttributes(body);
    const json = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[
      {"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"stringValue":"yes"}}]}}},
      {"key":"constructor","value":{"stringValue":"c"}},{"key":"toString","value":{"stringValue":"t"}}]}]}]}]}`;
    const fromJson = decodeTraces(new TextEncoder().encode(json), 'json', limits).resourceSpans[0]!
      .scopeSpans[0]!.spans[0]!.attributes;
    for (const map of [attributes, fromJson]) {
      expect(Object.getPrototypeOf(map)).toBeNull();
      expect(Object.keys(map)).toEqual(['__proto__', 'constructor', 'toString']);
      const proto = Object.getOwnPropertyDescriptor(map, '__proto__')?.value as AttrMap;
      expect(Object.getPrototypeOf(proto)).toBeNull();
      expect(proto.polluted).toBe('yes');
      expect(map.constructor).toBe('c');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
