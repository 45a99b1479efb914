import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json.ts';
import { DEFAULT_DECODE_LIMITS } from './index.ts';

const limits = DEFAULT_DECODE_LIMITS;

function spansOf(spans: unknown[]) {
  const text = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
  return decodeTracesJson(text, limits).resourceSpans[0]!.scopeSpans[0]!.spans;
}

function attributesOf(attributes: unknown[]) {
  return spansOf([{ attributes }])[0]!.attributes;
}

function decodeMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ArgusError);
    expect((error as ArgusError).code).toBe('OTLP_DECODE');
    return (error as ArgusError).message;
  }
  throw new Error('expected an OTLP_DECODE error');
}

describe('decodeTracesJson ids', () => {
  it.each([
    // The spec's form: case-insensitive hex.
    ['uppercase hex', '5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
    // Generic proto3 JSON encoders send bytes as base64: 24 chars for 16 bytes, 12 for 8.
    ['base64 trace id', 'W47/95gDgQPSabYzgT/GDA==', '5b8efff798038103d269b633813fc60c'],
    ['base64 span id', '7uGbfsPBsXQ=', 'eee19b7ec3c1b174'],
    ['url-safe base64', 'W47_95gDgQPSabYzgT_GDA==', '5b8efff798038103d269b633813fc60c'],
    // Neither: kept as given so validation rejects just this span.
    ['garbage', 'not-an-id!', 'not-an-id!'],
    ['absent', undefined, ''],
    ['null', null, ''],
  ])('reads %s', (_name, id, expected) => {
    expect(spansOf([{ traceId: id }])[0]!.traceId).toBe(expected);
  });
});

describe('decodeTracesJson values', () => {
  it('reads int64 as string or number and keeps beyond-2^53 values exact', () => {
    expect(
      attributesOf([
        { key: 'n', value: { intValue: 443 } },
        { key: 's', value: { intValue: '-12' } },
        { key: 'big', value: { intValue: '9223372036854775807' } },
        { key: 'wrap', value: { intValue: '18446744073709551615' } }, // beyond int64: kept, not wrapped
        { key: 'bigNumber', value: { intValue: 2 ** 60 } },
      ]),
    ).toEqual({
      n: 443,
      s: -12,
      big: '9223372036854775807',
      wrap: '18446744073709551615',
      bigNumber: '1152921504606846976',
    });
  });

  it('reads doubles as numbers or the special strings', () => {
    const attributes = attributesOf([
      { key: 'a', value: { doubleValue: 0.3 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: 'Infinity' } },
      { key: 'ninf', value: { doubleValue: '-Infinity' } },
      { key: 'str', value: { doubleValue: '1.5' } },
    ]);
    expect(attributes).toEqual({ a: 0.3, nan: Number.NaN, inf: Infinity, ninf: -Infinity, str: 1.5 });
  });

  it('reads arrays, kvlists, bytes (kept base64), empty values and unknown fields', () => {
    const attributes = attributesOf([
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }, {}] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { intValue: '1' } }] } } },
      { key: 'bytes', value: { bytesValue: 'AAEC+g==' } },
      { key: 'empty', value: {} },
      { key: 'missing' },
      { key: 'extra', value: { stringValue: 'v', futureField: 1 }, futureField: 2 },
    ]);
    expect(attributes).toEqual({
      arr: ['a', true, null],
      kv: { x: 1 },
      bytes: 'AAEC+g==',
      empty: null,
      missing: null,
      extra: 'v',
    });
  });

  it('accepts snake_case keys and enum names leniently', () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '5b8efff798038103d269b633813fc60c',
                  parent_span_id: 'EEE19B7EC3C1B174',
                  start_time_unix_nano: 5,
                  kind: 'SPAN_KIND_CLIENT',
                  status: { code: 'STATUS_CODE_ERROR' },
                  attributes: [{ key: 'k', value: { string_value: 'v', int_value: 1 } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const span = decodeTracesJson(text, limits).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      parentSpanId: 'eee19b7ec3c1b174',
      startTimeUnixNano: 5n,
      kind: 3,
      status: { code: 2, message: '' },
      attributes: { k: 'v' },
    });
  });

  it('treats null as absent, as proto3 JSON does', () => {
    const span = spansOf([
      { name: null, events: null, status: null, startTimeUnixNano: null, flags: null },
    ])[0]!;
    expect(span).toMatchObject({
      name: '',
      events: [],
      status: { code: 0, message: '' },
      startTimeUnixNano: 0n,
    });
  });
});

describe('decodeTracesJson errors', () => {
  it.each([
    // Each case is a different kind of wrongness, with the path the user needs to find it.
    [
      '{"resourceSpans": [{"scopeSpans": "x"}]}',
      "'resourceSpans[0].scopeSpans' is a string, expected an array",
    ],
    ['{"resourceSpans": {}}', "'resourceSpans' is an object, expected an array"],
    ['{"resourceSpans": [5]}', "'resourceSpans[0]' is a number, expected an object"],
    [
      '{"resourceSpans": [{"resource": {"attributes": {"service.name": "x"}}}]}',
      "'resourceSpans[0].resource.attributes' is an object, expected an array",
    ],
    [
      '{"resourceSpans": [{"scopeSpans": [{"scope": {"name": ["x"]}}]}]}',
      "'resourceSpans[0].scopeSpans[0].scope.name' is an array, expected a string",
    ],
  ])('rejects %s', (text, message) => {
    expect(decodeMessage(() => decodeTracesJson(text, limits))).toBe(`Cannot decode OTLP JSON: ${message}`);
  });

  it.each([
    ['[]', 'the body is an array, expected an object'],
    ['"text"', 'the body is a string, expected an object'],
    ['null', 'the body is null, expected an object'],
  ])('rejects the body %s', (text, message) => {
    expect(decodeMessage(() => decodeTracesJson(text, limits))).toBe(`Cannot decode OTLP JSON: ${message}`);
  });

  it('describes a deeply nested container in a scalar field without stringifying it', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"flags":${deep}}]}]}]}`;
    expect(unreadableOf(decodeTracesJson(text, limits))).toEqual([
      "Cannot accept span: 'resourceSpans[0].scopeSpans[0].spans[0].flags' is an array, expected an integer",
    ]);
  });

  // A malformed field of one span rejects that span alone (OTLP partial success, issue 20): the
  // request decodes, the span carries the reason with its path, and normalization rejects it.
  it.each([
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{}, {"name": 1}]}]}]}',
      "'resourceSpans[0].scopeSpans[0].spans[1].name' is a number, expected a string",
    ],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": "12abc"}]}]}]}',
      '\'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano\' is "12abc", expected a non-negative integer',
    ],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": [{"key": "k", "value": {"arrayValue": {"values": [{"intValue": 1.5}]}}}]}]}]}]}',
      "'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0].intValue' is 1.5, expected an integer",
    ],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"status": {"code": true}}]}]}]}',
      "'resourceSpans[0].scopeSpans[0].spans[0].status.code' is true, expected an integer",
    ],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{}, {"startTimeUnixNano": "NaN"}]}]}]}',
      '\'resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano\' is "NaN", expected a non-negative integer',
    ],
  ])('reads %s with only the malformed span marked unreadable', (text, message) => {
    expect(unreadableOf(decodeTracesJson(text, limits))).toEqual([`Cannot accept span: ${message}`]);
  });

  it('rejects text that is not JSON', () => {
    expect(decodeMessage(() => decodeTracesJson('{"resourceSpans": [', limits))).toMatch(
      /^Cannot decode OTLP JSON: /,
    );
    expect(decodeMessage(() => decodeTracesJson('', limits))).toMatch(/^Cannot decode OTLP JSON: /);
  });
});

describe('decodeLogsJson and decodeMetricsJson', () => {
  it('reads log records with enum names and a kvlist body', () => {
    const text = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              scope: { name: 'openlit' },
              logRecords: [
                {
                  timeUnixNano: '1795236746065000000',
                  severityNumber: 'SEVERITY_NUMBER_WARN2',
                  body: { kvlistValue: { values: [{ key: 'role', value: { stringValue: 'user' } }] } },
                  event_name: 'gen_ai.user.message',
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                },
              ],
            },
          ],
        },
      ],
    });
    const record = decodeLogsJson(text, limits).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record).toMatchObject({
      timeUnixNano: 1795236746065000000n,
      severityNumber: 14,
      body: { role: 'user' },
      eventName: 'gen_ai.user.message',
      traceId: '5b8efff798038103d269b633813fc60c',
    });
  });

  it('reads every metric type, with counts as strings or numbers', () => {
    const points = { dataPoints: [{ timeUnixNano: '7', asInt: '-3', exemplars: [{ asDouble: 1.5 }] }] };
    const text = JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'g', gauge: points },
                {
                  name: 's',
                  sum: {
                    ...points,
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    isMonotonic: true,
                  },
                },
                {
                  name: 'h',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      { count: '3', sum: 'NaN', bucketCounts: ['1', 2], explicitBounds: [1], min: 0 },
                    ],
                  },
                },
                {
                  name: 'e',
                  exponential_histogram: {
                    data_points: [{ count: 2, scale: -1, positive: { offset: -2, bucketCounts: ['2'] } }],
                  },
                },
                {
                  name: 'q',
                  summary: {
                    dataPoints: [{ count: 1, sum: 2, quantileValues: [{ quantile: 0.5, value: 2 }] }],
                  },
                },
                { name: 'none' },
              ],
            },
          ],
        },
      ],
    });
    const metrics = decodeMetricsJson(text, limits).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(metrics.map((m) => [m.name, m.type, m.temporality, m.isMonotonic, m.points.length])).toEqual([
      ['g', 'gauge', 0, false, 1],
      ['s', 'sum', 1, true, 1],
      ['h', 'histogram', 2, false, 1],
      ['e', 'exponential_histogram', 0, false, 1],
      ['q', 'summary', 0, false, 1],
      ['none', 'gauge', 0, false, 0],
    ]);
    expect(metrics[0]!.points[0]).toMatchObject({ timeUnixNano: 7n, value: -3 });
    expect(metrics[0]!.points[0]!.exemplars[0]!.value).toBe(1.5);
    expect(metrics[2]!.points[0]).toMatchObject({ count: 3, sum: Number.NaN, bucketCounts: [1, 2], min: 0 });
    expect(metrics[3]!.points[0]).toMatchObject({ scale: -1, positive: { offset: -2, bucketCounts: [2] } });
    expect(metrics[4]!.points[0]!.quantiles).toEqual([{ quantile: 0.5, value: 2 }]);
  });

  it('names the path of a bad metric value', () => {
    const text =
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[1,"x"]}]}}]}]}]}';
    expect(decodeMessage(() => decodeMetricsJson(text, limits))).toBe(
      'Cannot decode OTLP JSON: \'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts[1]\' is "x", expected an integer',
    );
  });
});

/** The reasons of the spans the decoder could not read, in request order. */
function unreadableOf(request: ReturnType<typeof decodeTracesJson>): string[] {
  return request.resourceSpans
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .flatMap((span) => (span.unreadable === undefined ? [] : [span.unreadable]));
}
