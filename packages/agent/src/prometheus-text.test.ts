import { readFileSync } from 'node:fs';
import { MetricsRegistry, renderExposition } from '@argus/server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumber, parsePrometheusText } from './prometheus-text.ts';

const VLLM = readFileSync(new URL('./fixtures/vllm-metrics.txt', import.meta.url), 'utf8');

describe('parsePrometheusText', () => {
  it('reads a vLLM-style exposition: types, help, labels and every sample', () => {
    const { families, errors } = parsePrometheusText(VLLM);
    expect(errors).toEqual([]);
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get('vllm:num_requests_running')).toEqual({
      name: 'vllm:num_requests_running',
      type: 'gauge',
      help: 'Number of requests in model execution batches.',
      unit: '',
      samples: [
        {
          name: 'vllm:num_requests_running',
          labels: { engine: '0', model_name: 'meta-llama/Llama-3.1-8B-Instruct' },
          value: 3,
        },
      ],
    });
    const ttft = byName.get('vllm:time_to_first_token_seconds')!;
    expect(ttft.type).toBe('histogram');
    expect(ttft.samples).toHaveLength(13);
    expect(ttft.samples.find((s) => s.labels.le === '+Inf')?.value).toBe(430);
    expect(byName.get('vllm:request_success_total')?.samples.map((s) => s.labels.finished_reason)).toEqual([
      'stop',
      'length',
    ]);
    expect(byName.get('rpc_duration_seconds')?.samples).toHaveLength(4);
  });

  it('groups OpenMetrics samples under their family and stops at # EOF', () => {
    const text = [
      '# TYPE requests counter',
      '# UNIT requests_seconds seconds',
      '# HELP requests Requests \\"served\\"\\nin all.',
      'requests_total{path="/a"} 7 1700000000.5 # {trace_id="abc"} 1.0 1700000000.1',
      'requests_created{path="/a"} 1.7e9',
      '# TYPE build info',
      'build_info{version="1.2"} 1',
      '# EOF',
      'after_eof 1',
    ].join('\n');
    const { families, errors } = parsePrometheusText(text);
    expect(errors).toEqual([]);
    expect(families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ['requests', 'counter', ['requests_total', 'requests_created']],
      ['build', 'info', ['build_info']],
    ]);
    expect(families[0]!.help).toBe('Requests "served"\nin all.');
    expect(families[0]!.samples[0]).toEqual({
      name: 'requests_total',
      labels: { path: '/a' },
      value: 7,
      timestamp: 1700000000.5,
    });
  });

  // Each case is a line a real exporter writes that a naive split would get wrong.
  it.each([
    ['escapes in label values', 'm{a="x\\"y\\\\z\\nw"} 1', { a: 'x"y\\z\nw' }, 1],
    ['a comma and braces inside a value', 'm{a="1,2}",b="{"} 2', { a: '1,2}', b: '{' }, 2],
    ['a trailing comma', 'm{a="1",} 3', { a: '1' }, 3],
    ['spaces around = and ,', 'm{ a = "1" , b="2" } 4', { a: '1', b: '2' }, 4],
    ['a quoted UTF-8 name', '{"gpu.util", node="a"} 0.5', { node: 'a' }, 0.5],
    ['+Inf', 'm +Inf', {}, Number.POSITIVE_INFINITY],
    ['NaN', 'm NaN', {}, Number.NaN],
    ['exponent', 'm 1.5e-3', {}, 0.0015],
    ['a CRLF ending', 'm 5\r', {}, 5],
  ])('reads %s', (_, line, labels, value) => {
    const { families, errors } = parsePrometheusText(line);
    expect(errors).toEqual([]);
    expect(families[0]!.samples[0]!.labels).toEqual(labels);
    expect(families[0]!.samples[0]!.value).toBe(value);
  });

  it.each([
    ['no value', 'm{a="1"}'],
    ['an unterminated label value', 'm{a="1} 2'],
    ['a bad number', 'm 12abc'],
    ['an unquoted label value', 'm{a=1} 2'],
    ['a bad label name', 'm{1a="x"} 2'],
    ['text after the timestamp', 'm 1 2 3'],
  ])('skips a line with %s and keeps its neighbours', (_, bad) => {
    const { families, errors, skipped } = parsePrometheusText(`good 1\n${bad}\nalso_good 2`);
    expect(families.map((f) => f.name)).toEqual(['good', 'also_good']);
    expect(skipped).toBe(1);
    expect(errors[0]).toMatch(/^line 2: /);
  });

  it('keeps at most maxSamples samples', () => {
    const text = Array.from({ length: 10 }, (_, i) => `m{i="${i}"} ${i}`).join('\n');
    const result = parsePrometheusText(text, { maxSamples: 4 });
    expect(result.families[0]!.samples).toHaveLength(4);
    expect(result.skipped).toBe(6);
    expect(result.errors).toHaveLength(6);
  });

  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ['.5', 0.5],
    ['Inf', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['0x10', undefined],
    ['', undefined],
    ['1e', undefined],
  ])('parseNumber(%j) = %s', (raw, expected) => {
    expect(parseNumber(raw)).toBe(expected);
  });
});

describe('parser properties', () => {
  it('never throws on arbitrary text, and accounts for every non-comment line', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.stringMatching(
        /^[a-z_:]{1,8}(\{[a-z]{1,3}="[^"\n]{0,5}"(,[a-z]{1,3}="[^"\n]{0,5}")*\})? [-+.\deEInfa]{1,8}$/,
      ),
      fc.constantFrom('# TYPE x histogram', '# HELP x \\', '# EOF', 'x_bucket{le="+Inf"} 1', '{"a"} 1', '{'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n');
        const result = parsePrometheusText(text);
        const samples = result.families.reduce((n, f) => n + f.samples.length, 0);
        const eof = lines.findIndex((l) => l.startsWith('#') && l.trim() === '# EOF');
        const considered = (eof >= 0 ? lines.slice(0, eof) : lines)
          .flatMap((l) => l.split('\n'))
          .map((l) => l.replace(/\r$/, ''))
          .filter((l) => l.trim() !== '' && !l.startsWith('#'));
        return samples + result.skipped === considered.length && result.errors.length <= 10;
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back exactly what the /metrics renderer writes, in both formats', () => {
    const labelValue = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(labelValue, fc.double({ noNaN: true, min: 0, max: 1e12 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 20 }),
        fc.constantFrom('prometheus' as const, 'openmetrics' as const),
        (counts, observations, format) => {
          const registry = new MetricsRegistry();
          const counter = registry.counter({
            name: 'c_total',
            help: 'a "counter"\nwith \\ help',
            labelNames: ['k'],
          });
          const histogram = registry.histogram({ name: 'h_seconds', help: 'h', buckets: [0, 1, 10] });
          const expected = new Map<string, number>();
          for (const [k, v] of counts) {
            counter.child([k]).inc(v);
            expected.set(k, (expected.get(k) ?? 0) + v);
          }
          for (const o of observations) histogram.child([]).observe(o);
          const parsed = parsePrometheusText(renderExposition(registry.families(), format));
          expect(parsed.errors).toEqual([]);
          const c = parsed.families.find((f) => f.name === (format === 'openmetrics' ? 'c' : 'c_total'))!;
          expect(c.type).toBe('counter');
          expect(c.help).toBe('a "counter"\nwith \\ help');
          expect(new Map(c.samples.map((s) => [s.labels.k ?? '', s.value]))).toEqual(expected);
          const h = parsed.families.find((f) => f.name === 'h_seconds');
          if (observations.length === 0) return h === undefined;
          const count = h!.samples.find((s) => s.name === 'h_seconds_count')!.value;
          const inf = h!.samples.find((s) => s.labels.le === '+Inf')!.value;
          return count === observations.length && inf === observations.length;
        },
      ),
      { numRuns: 300 },
    );
  });
});
