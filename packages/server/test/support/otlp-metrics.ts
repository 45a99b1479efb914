/** Builds OTLP/JSON metric requests by hand (host, GPU and inference-server shapes) for tests. */

type Attrs = Record<string, string | number>;

const kv = (attrs: Attrs) =>
  Object.entries(attrs).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { doubleValue: value } : { stringValue: value },
  }));

const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** One number point: time (epoch ms), value, attributes; `startMs` for cumulative sums. */
export interface NumberPoint {
  atMs: number;
  value: number;
  attrs?: Attrs;
  startMs?: number;
}

/** One explicit-bucket histogram point (counts per bucket, +Inf last). */
export interface HistogramPoint {
  atMs: number;
  startMs: number;
  count: number;
  sum: number;
  buckets: number[];
  bounds: number[];
  attrs?: Attrs;
}

const numberPoint = (p: NumberPoint) => ({
  attributes: kv(p.attrs ?? {}),
  startTimeUnixNano: ns(p.startMs ?? p.atMs),
  timeUnixNano: ns(p.atMs),
  asDouble: p.value,
});

/** A gauge metric. */
export function gauge(name: string, unit: string, points: NumberPoint[]) {
  return { name, unit, gauge: { dataPoints: points.map(numberPoint) } };
}

/** A cumulative sum metric (monotonic: a counter; not: an up-down counter). */
export function sum(name: string, unit: string, monotonic: boolean, points: NumberPoint[]) {
  return {
    name,
    unit,
    sum: { aggregationTemporality: 2, isMonotonic: monotonic, dataPoints: points.map(numberPoint) },
  };
}

/** A cumulative explicit-bucket histogram metric. */
export function histogram(name: string, unit: string, points: HistogramPoint[]) {
  return {
    name,
    unit,
    histogram: {
      aggregationTemporality: 2,
      dataPoints: points.map((p) => ({
        attributes: kv(p.attrs ?? {}),
        startTimeUnixNano: ns(p.startMs),
        timeUnixNano: ns(p.atMs),
        count: String(p.count),
        sum: p.sum,
        bucketCounts: p.buckets.map(String),
        explicitBounds: p.bounds,
      })),
    },
  };
}

/** An ExportMetricsServiceRequest (JSON text) with one resource. */
export function metricsRequest(resource: Attrs, metrics: unknown[]): string {
  return JSON.stringify({
    resourceMetrics: [
      { resource: { attributes: kv(resource) }, scopeMetrics: [{ scope: { name: 'test' }, metrics }] },
    ],
  });
}
