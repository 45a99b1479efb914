/**
 * Property-based tests: arbitrary input never escapes as anything but an `OTLP_DECODE` error, and
 * arbitrary span trees from the real SDK survive both official serializers exactly.
 */
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeMetrics, decodeTraces } from './index.ts';
import { createTestTracer, expectedTraceRequest, sampleSpans } from './sdk-samples.test-util.ts';

const limits = DEFAULT_DECODE_LIMITS;
const decoders = [decodeTraces, decodeLogs, decodeMetrics];

/** True when `run` returns or throws OTLP_DECODE; anything else fails the property. */
function onlyDecodeErrors(run: () => unknown): boolean {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ArgusError) || error.code !== 'OTLP_DECODE') throw error;
  }
  return true;
}

describe('arbitrary protobuf bytes', () => {
  it('never throw anything but OTLP_DECODE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (body) =>
        decoders.every((decode) => onlyDecodeErrors(() => decode(body, 'protobuf', limits))),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throw anything but OTLP_DECODE when splicing into a real request', () => {
    // Random bytes alone rarely get past the first tag; splicing into a valid request reaches
    // every nested message.
    const valid = ProtobufTraceSerializer.serializeRequest(sampleSpans())!;
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        fc.nat({ max: 16 }),
        (at, insert, remove) => {
          const body = new Uint8Array([...valid.subarray(0, at), ...insert, ...valid.subarray(at + remove)]);
          return decoders.every((decode) => onlyDecodeErrors(() => decode(body, 'protobuf', limits)));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('arbitrary JSON', () => {
  it('never throws anything but OTLP_DECODE', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const body = new TextEncoder().encode(JSON.stringify(value));
        return decoders.every((decode) => onlyDecodeErrors(() => decode(body, 'json', limits)));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but OTLP_DECODE when any value of a real request is replaced', () => {
    const valid = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sampleSpans())!));
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value))
          walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
      }
    };
    walk(valid, []);
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }), (index, replacement) => {
        const copy = structuredClone(valid);
        const path = paths[index]!;
        if (path.length === 0) return true;
        let parent = copy;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path.at(-1)!] = replacement;
        const body = new TextEncoder().encode(JSON.stringify(copy));
        return decoders.every((decode) => onlyDecodeErrors(() => decode(body, 'json', limits)));
      }),
      { numRuns: 2000 },
    );
  });
});

// Values the SDK accepts and both official serializers can carry: the JS JSON serializer writes
// any integral number as intValue, so integral doubles stay inside int64; JSON has no NaN/Infinity.
const text = fc.string({ unit: 'binary', maxLength: 24 });
const int64 = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.constantFrom(2 ** 53, 2 ** 60, -(2 ** 62), 2 ** 63 - 1024, -(2 ** 63)),
);
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => Math.abs(x) < 2 ** 63);
const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  text,
  int64,
  double,
  fc.boolean(),
  fc.array(fc.option(text, { nil: null }), { maxLength: 4 }),
  fc.array(int64, { maxLength: 4 }),
  fc.array(double, { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
);
// `__proto__` cannot be an SDK attribute key, and toStrictEqual compares an own `constructor` key
// as a type tag; malformed.test.ts covers both keys explicitly.
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 16 })
    .filter((key) => key !== '__proto__' && key !== 'constructor'),
  attributeValue,
  { maxKeys: 6 },
);
const hrTime: fc.Arbitrary<HrTime> = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);
const spanSpec = fc.record({
  name: text,
  kind: fc.integer({ min: 0, max: 4 }),
  start: hrTime,
  durationSeconds: fc.integer({ min: 0, max: 1000 }),
  attributes,
  events: fc.array(fc.record({ name: text, attributes, time: hrTime }), { maxLength: 3 }),
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.option(text, { nil: undefined }) }),
  parent: fc.nat(),
});

describe('arbitrary span trees from the SDK', () => {
  it('decode to exactly what the SDK held, from protobuf and from JSON', () => {
    fc.assert(
      fc.property(fc.array(spanSpec, { minLength: 1, maxLength: 8 }), (specs) => {
        const { exporter, tracer } = createTestTracer();
        const started: ReturnType<typeof tracer.startSpan>[] = [];
        specs.forEach((spec, i) => {
          // Each span's parent is an earlier span, or none.
          const parentIndex = (spec.parent % (i + 1)) - 1;
          const parent =
            parentIndex < 0 ? context.active() : trace.setSpan(context.active(), started[parentIndex]!);
          const span = tracer.startSpan(
            spec.name,
            { kind: spec.kind, startTime: spec.start, attributes: spec.attributes },
            parent,
          );
          for (const event of spec.events) span.addEvent(event.name, event.attributes, event.time);
          span.setStatus({ code: spec.status.code, message: spec.status.message });
          span.end([spec.start[0] + spec.durationSeconds, spec.start[1]]);
          started.push(span);
        });
        const spans = exporter.getFinishedSpans();
        const expected = expectedTraceRequest(spans);
        const protobuf = decodeTraces(ProtobufTraceSerializer.serializeRequest(spans)!, 'protobuf', limits);
        const json = decodeTraces(JsonTraceSerializer.serializeRequest(spans)!, 'json', limits);
        expect(protobuf).toStrictEqual(expected);
        expect(json).toStrictEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
