/**
 * Hand-built protobuf messages for what the official JS serializers never send: unpacked repeated
 * scalars, summaries, exemplars, negative buckets, legacy and unknown fields.
 */
import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { decodeLogsProtobuf, decodeMetricsProtobuf, decodeTracesProtobuf } from './decode-protobuf.ts';
import { DEFAULT_DECODE_LIMITS } from './index.ts';
import {
  bytes,
  dfield,
  double,
  f32field,
  f64field,
  fixed64,
  hexBytes,
  lfield,
  sfield,
  stringAttr,
  tag,
  traceRequest,
  varint,
  vfield,
} from './protobuf-writer.test-util.ts';

const limits = DEFAULT_DECODE_LIMITS;
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** A Metric (name + one data field) inside a full ExportMetricsServiceRequest. */
function metricsRequest(...metricParts: (Uint8Array | number[])[]): Uint8Array {
  return lfield(1, lfield(2, lfield(2, sfield(1, 'm'), ...metricParts)));
}

function firstMetric(body: Uint8Array) {
  return decodeMetricsProtobuf(body, limits).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
}

describe('decodeTracesProtobuf', () => {
  it('reads every span field by its opentelemetry-proto number', () => {
    const span = bytes(
      lfield(1, hexBytes(TRACE_ID)),
      lfield(2, hexBytes(SPAN_ID)),
      sfield(3, 'k=v'),
      lfield(4, hexBytes('0102030405060708')),
      sfield(5, 'chat'),
      vfield(6, 3),
      f64field(7, 1795236746042000000n),
      f64field(8, 1795236746065813438n),
      stringAttr(9, 'gen_ai.request.model', 'gpt-4o-mini'),
      vfield(10, 1),
      lfield(11, f64field(1, 5n), sfield(2, 'event'), stringAttr(3, 'a', 'b'), vfield(4, 0)),
      vfield(12, 2),
      lfield(
        13,
        lfield(1, hexBytes(TRACE_ID)),
        lfield(2, hexBytes(SPAN_ID)),
        sfield(3, 'x=y'),
        f32field(6, 0x301),
      ),
      vfield(14, 3),
      lfield(15, sfield(2, 'bad'), vfield(3, 2)),
      f32field(16, 0x101),
    );
    const decoded = decodeTracesProtobuf(traceRequest(span), limits).resourceSpans[0]!.scopeSpans[0]!
      .spans[0]!;
    expect(decoded).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '0102030405060708',
      traceState: 'k=v',
      name: 'chat',
      kind: 3,
      startTimeUnixNano: 1795236746042000000n,
      endTimeUnixNano: 1795236746065813438n,
      attributes: { 'gen_ai.request.model': 'gpt-4o-mini' },
      events: [{ timeUnixNano: 5n, name: 'event', attributes: { a: 'b' } }],
      links: [{ traceId: TRACE_ID, spanId: SPAN_ID, traceState: 'x=y', attributes: {} }],
      status: { code: 2, message: 'bad' },
      flags: 0x101,
    });
  });

  it('skips unknown fields of every wire type at every level', () => {
    const unknown = bytes(
      vfield(90, 7),
      f64field(91, 1n),
      sfield(92, 'x'),
      f32field(93, 1),
      tag(94, 3),
      tag(94, 4),
    );
    const span = bytes(unknown, sfield(5, 'kept'), lfield(15, unknown, vfield(3, 1)));
    const request = lfield(
      1,
      unknown,
      lfield(1, unknown),
      lfield(2, unknown, lfield(1, unknown), lfield(2, span)),
    );
    const decoded = decodeTracesProtobuf(bytes(request, unknown), limits);
    const only = decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(only.name).toBe('kept');
    expect(only.status).toEqual({ code: 1, message: '' });
  });

  it('reads the pre-1.0 instrumentation_library_spans (field 1000) as scope spans', () => {
    const legacy = lfield(
      1000,
      lfield(1, sfield(1, 'old-lib'), sfield(2, '0.9')),
      lfield(2, sfield(5, 'legacy')),
    );
    const decoded = decodeTracesProtobuf(lfield(1, legacy), limits).resourceSpans[0]!.scopeSpans[0]!;
    expect(decoded.scope.name).toBe('old-lib');
    expect(decoded.spans[0]!.name).toBe('legacy');
  });

  it('defaults what a span leaves out and keeps the last of repeated attribute keys', () => {
    const span = bytes(stringAttr(9, 'k', 'first'), stringAttr(9, 'k', 'second'));
    const decoded = decodeTracesProtobuf(traceRequest(span), limits).resourceSpans[0]!.scopeSpans[0]!;
    expect(decoded.scope).toEqual({ name: '', version: '', attributes: {} });
    expect(decoded.spans[0]).toMatchObject({ traceId: '', parentSpanId: '', startTimeUnixNano: 0n, kind: 0 });
    expect(decoded.spans[0]!.attributes).toEqual({ k: 'second' });
    expect(decodeTracesProtobuf(new Uint8Array(0), limits)).toEqual({ resourceSpans: [] });
  });

  it('names the field, message and wire types when a known field has the wrong wire type', () => {
    const span = bytes(vfield(4, 1));
    expect(() => decodeTracesProtobuf(traceRequest(span), limits)).toThrow(
      new ArgusError(
        'OTLP_DECODE',
        'Cannot decode OTLP protobuf: field 4 of Span has wire type 0, expected 2',
      ),
    );
  });

  it('reads every AnyValue kind, including int64 beyond 2^53 and bytes', () => {
    const attr = (key: string, ...valueParts: (Uint8Array | number[])[]) =>
      lfield(9, sfield(1, key), lfield(2, ...valueParts));
    const span = bytes(
      attr('s', sfield(1, 'text')),
      attr('b', vfield(2, 1)),
      attr('i', vfield(3, -7)),
      attr('big', vfield(3, 2n ** 62n)),
      attr('d', dfield(4, Number.NEGATIVE_INFINITY)),
      attr('arr', lfield(5, lfield(1, vfield(3, 1)), lfield(1, sfield(1, 'two')), lfield(1))),
      attr('kv', lfield(6, lfield(1, sfield(1, 'inner'), lfield(2, vfield(2, 0))))),
      attr('bytes', lfield(7, [0, 1, 2, 250])),
      attr('empty'),
    );
    const attributes = decodeTracesProtobuf(traceRequest(span), limits).resourceSpans[0]!.scopeSpans[0]!
      .spans[0]!.attributes;
    expect(attributes).toEqual({
      s: 'text',
      b: true,
      i: -7,
      big: '4611686018427387904',
      d: Number.NEGATIVE_INFINITY,
      arr: [1, 'two', null],
      kv: { inner: false },
      bytes: 'AAEC+g==',
      empty: null,
    });
  });
});

describe('decodeLogsProtobuf', () => {
  it('reads every log record field by its opentelemetry-proto number', () => {
    const record = bytes(
      f64field(1, 10n),
      vfield(2, 17),
      sfield(3, 'ERROR'),
      lfield(5, sfield(1, 'body text')),
      stringAttr(6, 'a', 'b'),
      vfield(7, 0),
      f32field(8, 1),
      lfield(9, hexBytes(TRACE_ID)),
      lfield(10, hexBytes(SPAN_ID)),
      f64field(11, 11n),
      sfield(12, 'gen_ai.choice'),
    );
    const body = lfield(1, lfield(1, stringAttr(1, 'service.name', 'svc')), lfield(2, lfield(2, record)));
    const decoded = decodeLogsProtobuf(body, limits).resourceLogs[0]!;
    expect(decoded.resource.attributes).toEqual({ 'service.name': 'svc' });
    expect(decoded.scopeLogs[0]!.logRecords[0]).toEqual({
      timeUnixNano: 10n,
      observedTimeUnixNano: 11n,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'body text',
      attributes: { a: 'b' },
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'gen_ai.choice',
    });
  });
});

describe('decodeMetricsProtobuf', () => {
  it('accepts histogram bucket counts and bounds packed and unpacked', () => {
    const point = bytes(
      f64field(4, 6n),
      dfield(5, 16.5),
      lfield(6, fixed64(1n), fixed64(2n)),
      f64field(6, 3n),
      dfield(7, 0.5),
      lfield(7, double(1), double(5)),
      vfield(10, 1),
      dfield(11, 0.1),
      dfield(12, 9),
    );
    const metric = firstMetric(metricsRequest(lfield(9, lfield(1, point), vfield(2, 1))));
    expect(metric.type).toBe('histogram');
    expect(metric.temporality).toBe(1);
    expect(metric.points[0]).toMatchObject({
      count: 6,
      sum: 16.5,
      bucketCounts: [1, 2, 3],
      explicitBounds: [0.5, 1, 5],
      flags: 1,
      min: 0.1,
      max: 9,
    });
  });

  it('reads exponential histograms with negative scale, negative buckets and unpacked counts', () => {
    const point = bytes(
      f64field(4, 9n),
      vfield(6, 3), // zigzag 3 = scale -2
      f64field(7, 2n),
      lfield(8, vfield(1, 1), lfield(2, varint(1), varint(2))), // offset -1, packed
      lfield(9, vfield(1, 4), vfield(2, 3), vfield(2, 1)), // offset 2, unpacked
      dfield(14, 0.001),
    );
    const metric = firstMetric(metricsRequest(lfield(10, lfield(1, point), vfield(2, 2))));
    expect(metric.points[0]).toMatchObject({
      count: 9,
      scale: -2,
      zeroCount: 2,
      zeroThreshold: 0.001,
      positive: { offset: -1, bucketCounts: [1, 2] },
      negative: { offset: 2, bucketCounts: [3, 1] },
    });
    expect(metric.points[0]!.sum).toBeUndefined();
  });

  it('reads summaries with quantiles', () => {
    const quantile = (q: number, v: number) => lfield(6, dfield(1, q), dfield(2, v));
    const point = bytes(
      stringAttr(7, 'host', 'a'),
      f64field(4, 10n),
      dfield(5, 42),
      quantile(0.5, 3),
      quantile(0.99, 8),
    );
    const metric = firstMetric(metricsRequest(lfield(11, lfield(1, point))));
    expect(metric.type).toBe('summary');
    expect(metric.points[0]).toMatchObject({
      attributes: { host: 'a' },
      count: 10,
      sum: 42,
      quantiles: [
        { quantile: 0.5, value: 3 },
        { quantile: 0.99, value: 8 },
      ],
    });
  });

  it('reads gauge points with sfixed64 values and exemplars, and skips metadata', () => {
    const exemplar = lfield(
      5,
      stringAttr(7, 'user', 'u1'),
      f64field(2, 99n),
      [...tag(6, 1), ...fixed64(-3n)],
      lfield(4, hexBytes(SPAN_ID)),
      lfield(5, hexBytes(TRACE_ID)),
    );
    const point = bytes(f64field(3, 100n), [...tag(6, 1), ...fixed64(-12n)], exemplar, vfield(8, 1));
    const metric = firstMetric(metricsRequest(lfield(5, lfield(1, point)), stringAttr(12, 'meta', 'x')));
    expect(metric.type).toBe('gauge');
    expect(metric.points[0]).toMatchObject({ timeUnixNano: 100n, value: -12, flags: 1 });
    expect(metric.points[0]!.exemplars).toEqual([
      { timeUnixNano: 99n, value: -3, traceId: TRACE_ID, spanId: SPAN_ID, attributes: { user: 'u1' } },
    ]);
  });

  it('reads sums with monotonicity and leaves value out when none was sent', () => {
    const metric = firstMetric(
      metricsRequest(lfield(7, lfield(1, f64field(3, 1n)), vfield(2, 2), vfield(3, 1))),
    );
    expect(metric).toMatchObject({ type: 'sum', temporality: 2, isMonotonic: true });
    expect('value' in metric.points[0]!).toBe(false);
  });
});
