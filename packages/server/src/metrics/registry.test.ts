import { describe, expect, it } from 'vitest';
import { negotiateFormat, renderExposition } from './exposition.ts';
import { MetricsRegistry } from './registry.ts';

describe('MetricsRegistry exposition', () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter({
    name: 'demo_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'],
  });
  const latency = registry.histogram({
    name: 'demo_latency_seconds',
    help: 'Latency.',
    labelNames: ['route'],
    unit: 'seconds',
    buckets: [0.1, 1],
  });
  registry.gauge({ name: 'demo_queue_bytes', help: 'Queue "bytes"\nnow.', unit: 'bytes' }).child([]).set(1.5);
  registry
    .info({ name: 'demo_build_info', help: 'Build.', labelNames: ['version'] })
    .child(['1.0'])
    .set(1);
  registry.gauge({ name: 'demo_unused', help: 'Never set.' });
  requests.labels('/a"b\\c\nd', '200').inc(2);
  requests.labels('', '500').inc();
  for (const v of [0.05, 0.1, 0.5, 3]) latency.labels('/x').observe(v);

  it('writes the text format 0.0.4 (empty labels left out, values escaped, cumulative buckets)', () => {
    expect(renderExposition(registry.families(), 'prometheus')).toBe(`# HELP demo_requests_total Requests.
# TYPE demo_requests_total counter
demo_requests_total{route="/a\\"b\\\\c\\nd",code="200"} 2
demo_requests_total{code="500"} 1
# HELP demo_latency_seconds Latency.
# TYPE demo_latency_seconds histogram
demo_latency_seconds_bucket{route="/x",le="0.1"} 2
demo_latency_seconds_bucket{route="/x",le="1"} 3
demo_latency_seconds_bucket{route="/x",le="+Inf"} 4
demo_latency_seconds_sum{route="/x"} 3.65
demo_latency_seconds_count{route="/x"} 4
# HELP demo_queue_bytes Queue "bytes"\\nnow.
# TYPE demo_queue_bytes gauge
demo_queue_bytes 1.5
# HELP demo_build_info Build.
# TYPE demo_build_info gauge
demo_build_info{version="1.0"} 1
`);
  });

  it('writes OpenMetrics: family names without _total/_info, units, canonical le, # EOF', () => {
    const text = renderExposition(registry.families(), 'openmetrics');
    expect(text).toContain('# TYPE demo_requests counter\ndemo_requests_total{');
    expect(text).toContain('# TYPE demo_latency_seconds histogram\n# UNIT demo_latency_seconds seconds\n');
    expect(text).toContain('demo_latency_seconds_bucket{route="/x",le="1.0"} 3');
    expect(text).toContain('# HELP demo_queue_bytes Queue \\"bytes\\"\\nnow.');
    expect(text).toContain('# TYPE demo_build info\ndemo_build_info{version="1.0"} 1');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('refuses names that break the format', () => {
    expect(() => registry.counter({ name: 'demo_requests', help: '' })).toThrow(/_total/);
    expect(() => registry.gauge({ name: 'demo_unused', help: '' })).toThrow(/twice/);
    expect(() => registry.histogram({ name: 'h', help: '', buckets: [1, 1] })).toThrow(/ascending/);
  });
});

describe('label-set bound', () => {
  it('folds new label sets into other, keeps bounded labels, and counts what it folded', () => {
    const registry = new MetricsRegistry({ maxLabelSets: 2 });
    const tokens = registry.counter({
      name: 'tokens_total',
      help: 'Tokens.',
      labelNames: ['model', 'type'],
      boundedLabels: ['type'],
    });
    tokens.labels('a', 'input').inc(1);
    tokens.labels('b', 'input').inc(2);
    tokens.labels('c', 'input').inc(4);
    tokens.labels('d', 'output').inc(8);
    tokens.labels('a', 'input').inc(16);
    const text = renderExposition(registry.families(), 'prometheus');
    expect(text).toContain('tokens_total{model="a",type="input"} 17\n');
    expect(text).toContain('tokens_total{model="other",type="input"} 4\n');
    expect(text).toContain('tokens_total{model="other",type="output"} 8\n');
    expect(text).toContain('argus_metrics_dropped_label_sets_total{metric="tokens_total"} 2\n');
  });

  it('cuts long label values', () => {
    const registry = new MetricsRegistry();
    registry
      .counter({ name: 'x_total', help: '', labelNames: ['v'] })
      .labels('m'.repeat(500))
      .inc();
    expect(renderExposition(registry.families(), 'prometheus')).toContain(
      `x_total{v="${'m'.repeat(200)}"} 1`,
    );
  });
});

describe('negotiateFormat', () => {
  // Each case is an Accept header a real scraper sends.
  it.each([
    [undefined, 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain;version=0.0.4;q=1,*/*;q=0.1', 'prometheus'],
    // Prometheus 2.x
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['application/openmetrics-text;version=1.0.0;q=0.2,text/plain;q=0.5', 'prometheus'],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics'],
  ])('%s → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
