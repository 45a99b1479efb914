/**
 * Stored rows, byte for byte (issue 20: cutting ingest CPU must not change what is stored). Each
 * case runs the ingest path's pure stages — decode → normalize → redact (default policy) →
 * nested usage + enrich (price, cost, token estimates) → `spanToRow` — and compares the SHA-256 of
 * the TSV lines with the digest recorded in test/golden/stored-rows.json when the rows were
 * produced by the code before the CPU work (commit ef33e1e). Cases: the load generator's request
 * (bench/load-request.ts with fixed ids and times, gzipped in test/golden), the same with logprob
 * events, the captured requests in test/fixtures/otlp, every dialect of conventions.md Appendix A,
 * the redaction corpus as message text and attributes, and 400 seeded random spans with hostile
 * values (tabs, newlines, backslashes, quotes, NUL, lone surrogates, NaN, nested maps).
 *
 * `ARGUS_UPDATE_GOLDEN=1 npx vitest run packages/server/src/store/rows-golden.test.ts` rewrites
 * the digests — only ever on purpose, when a stored column is meant to change; with
 * `ARGUS_GOLDEN_DUMP=<dir>` each case's lines are written there, to diff against another tree's.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnricher, loadPricingCatalog } from '../enrich/index.ts';
import { markNestedUsage } from '../ingest/ingest-signal.ts';
import { DIALECT_CASES } from '../normalize/appendix-a.test-util.ts';
import { attrs, CTX, event, spanInput, tracesRequest } from '../normalize/builders.test-util.ts';
import { normalizeLogs, normalizeTraces } from '../normalize/index.ts';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeTraces } from '../otlp/index.ts';
import type { AttrValue, TracesRequest } from '../otlp/types.ts';
import { CORPUS } from '../redact/corpus.test-data.ts';
import { createStringRedactor, redactLog, redactSpan } from '../redact/index.ts';
import { previewOf, spanToRow } from './rows.ts';
import { logToRow } from './signal-rows.ts';

const GOLDEN = new URL('../../test/golden/', import.meta.url);
const FIXTURES = new URL('../../test/fixtures/otlp/', import.meta.url);
const DIGESTS = new URL('stored-rows.json', GOLDEN);
const UPDATE = process.env.ARGUS_UPDATE_GOLDEN === '1';
/** A directory to write each case's lines into (to diff two trees' rows when a digest differs). */
const DUMP = process.env.ARGUS_GOLDEN_DUMP;

const redactor = createStringRedactor({ hashKey: 'golden-rows' });
const enricher = createEnricher({ catalog: loadPricingCatalog() });

/** The TSV lines the ingest path stores for a traces request. */
function rowsOf(request: TracesRequest): string[] {
  const { spans } = normalizeTraces(request, CTX);
  for (const span of spans) redactSpan(span, redactor);
  markNestedUsage(spans);
  for (const span of spans) enricher.enrichSpan(span);
  return spans.map(spanToRow);
}

function digest(lines: string[]): { rows: number; sha256: string } {
  return { rows: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('a\tb\nc\\d\re\0f', "it's 'quoted'", '\uD800 lone', 'é ü 漢字 🙂', '', ' '.repeat(5)),
  fc.string({ unit: fc.constantFrom('a', ' ', '\t', '\n', '\\', "'", '"', '\0', '\r', 'é'), maxLength: 30 }),
);
const leaf: fc.Arbitrary<AttrValue> = fc.oneof(
  hostileText,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 0.1 + 0.2),
);
const { value: anyValue } = fc.letrec<{ value: AttrValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .dictionary(hostileText, tie('value'), { maxKeys: 3 })
      .map((d) => attrs(d as Record<string, AttrValue>)),
  ),
}));
const messages = fc
  .array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant', 'tool'), content: hostileText }), {
    maxLength: 3,
  })
  .map((list) => JSON.stringify(list));
const KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.request.temperature',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.response.finish_reasons',
  'gen_ai.tool.name',
  'session.id',
  'user.id',
  'tag.tags',
  'metadata',
  'input.value',
  'output.value',
  'openinference.span.kind',
  'traceloop.entity.input',
  'langfuse.trace.metadata.k',
];
const randomSpan = fc
  .record({
    name: hostileText,
    attributes: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), hostileText), anyValue, { maxKeys: 8 }),
    resource: fc.dictionary(fc.oneof(fc.constant('service.name'), hostileText), anyValue, { maxKeys: 3 }),
    input: messages,
    output: messages,
    events: fc.array(
      fc.tuple(hostileText, fc.dictionary(hostileText, anyValue, { maxKeys: 2 }), fc.nat(5000)),
      { maxLength: 2 },
    ),
    statusCode: fc.constantFrom(0, 1, 2),
    statusMessage: hostileText,
    durationMs: fc.nat(100_000),
  })
  .map((r) =>
    spanInput(
      { ...r.attributes, 'gen_ai.input.messages': r.input, 'gen_ai.output.messages': r.output },
      {
        name: r.name,
        resource: r.resource,
        durationMs: r.durationMs,
        status: { code: r.statusCode, message: r.statusMessage },
        events: r.events.map(([name, values, offset]) => event(name, values, offset)),
      },
    ),
  );

/** Every case's stored lines, by name. */
function cases(): Record<string, () => string[]> {
  const gz = (file: string) => gunzipSync(readFileSync(new URL(file, GOLDEN)));
  const out: Record<string, () => string[]> = {
    'load generator request': () =>
      rowsOf(decodeTraces(gz('load-generator.traces.pb.gz'), 'protobuf', DEFAULT_DECODE_LIMITS)),
    'load generator request with logprobs': () =>
      rowsOf(decodeTraces(gz('load-generator-logprobs.traces.pb.gz'), 'protobuf', DEFAULT_DECODE_LIMITS)),
  };
  for (const file of [
    'openlit-ts.traces.json',
    'otel-instrumentation-openai.traces.pb',
    'openinference-openai.1.traces.pb',
    'openinference-openai.2.traces.pb',
    'openinference-openai.3.traces.pb',
  ]) {
    const format = file.endsWith('.json') ? 'json' : 'protobuf';
    out[`fixture ${file}`] = () =>
      rowsOf(decodeTraces(readFileSync(new URL(file, FIXTURES)), format, DEFAULT_DECODE_LIMITS));
  }
  out['fixture openlit-ts.logs.json'] = () => {
    const body = readFileSync(new URL('openlit-ts.logs.json', FIXTURES));
    const { logs } = normalizeLogs(decodeLogs(body, 'json', DEFAULT_DECODE_LIMITS), CTX);
    return logs.map((row) => logToRow(redactLog(row, redactor)));
  };
  out['Appendix A dialects'] = () =>
    rowsOf(tracesRequest(...DIALECT_CASES.map((c) => spanInput(c.attributes, c.options))));
  out['redaction corpus'] = () =>
    rowsOf(
      tracesRequest(
        ...CORPUS.map((line, i) =>
          spanInput(
            {
              'gen_ai.operation.name': 'chat',
              'gen_ai.request.model': 'gpt-4o',
              'gen_ai.input.messages': JSON.stringify([{ role: 'user', content: line.text }]),
              'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', content: line.text }]),
              'app.note': line.text,
              metadata: JSON.stringify({ note: line.text }),
            },
            { spanId: (i + 1).toString(16).padStart(16, '0'), status: { code: 2, message: line.text } },
          ),
        ),
      ),
    );
  out['seeded random spans'] = () => {
    const inputs = fc.sample(randomSpan, { seed: 20, numRuns: 400 });
    return inputs.flatMap((input, i) =>
      rowsOf(
        tracesRequest({ ...input, span: { ...input.span, spanId: (i + 1).toString(16).padStart(16, '0') } }),
      ),
    );
  };
  return out;
}

describe('stored rows stay byte-identical (issue 20)', () => {
  const recorded = UPDATE ? {} : (JSON.parse(readFileSync(DIGESTS, 'utf8')) as Record<string, unknown>);
  const produced: Record<string, { rows: number; sha256: string }> = {};
  for (const [name, run] of Object.entries(cases())) {
    it(name, () => {
      const lines = run();
      if (DUMP) writeFileSync(path.join(DUMP, `${name.replaceAll(/\W+/g, '-')}.tsv`), lines.join('\n'));
      const result = digest(lines);
      expect(result.rows).toBeGreaterThan(0);
      produced[name] = result;
      if (UPDATE) writeFileSync(DIGESTS, `${JSON.stringify(produced, null, 2)}\n`);
      else expect(result).toEqual(recorded[name]);
    });
  }
});

/** The preview as it was computed before the fast paths (commit ef33e1e), for plain text. */
function referencePreview(text: string): string {
  const cut = text
    .slice(0, 240 * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return cut.length > 240 ? `${cut.slice(0, 239)}…` : cut;
}

describe('previews match the straightforward collapse-and-cut', () => {
  const spacey = fc.string({
    unit: fc.constantFrom('a', 'b', ' ', ' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u3000', 'é'),
    minLength: 200,
    maxLength: 1200,
  });
  it('for any text around the 240-character cut', () => {
    fc.assert(
      fc.property(fc.oneof(spacey, fc.string({ maxLength: 1200 })), (text) => {
        expect(previewOf(text, 'first')).toBe(referencePreview(text));
        const message = [{ role: 'user', parts: [{ type: 'text', content: text }] }];
        expect(previewOf(message, 'last-user')).toBe(referencePreview(text));
      }),
      { numRuns: 2000 },
    );
  });
});
