/**
 * Redaction micro-benchmark: µs per span of `redactSpan` under the default policy, on chat spans
 * of ~1.5 KB of prompt + completion text with numbers (no PII) and with PII in every field.
 *
 * Usage: node bench/redact.bench.ts [spans=20000]
 */

import type { Span } from '@argus/shared';
import { createStringRedactor, redactSpan } from '../packages/server/src/redact/index.ts';
import { createSpanPipeline } from '../packages/server/src/redact/pipeline.ts';

const count = Number(process.argv[2] ?? 20_000);
const PROSE =
  'Summarize the quarterly report: revenue grew 12% to 4.2 million in Q3 2024, 18 new customers ' +
  'signed, churn fell to 2.1%. The team shipped version 3.14.2 on 2024-09-30 and closed 412 tickets. ';

function chatSpan(withPii: boolean): Span {
  const pii = withPii
    ? ' Contact ada@example.com, card 4111 1111 1111 1111, key sk-proj-abcdefghijklmnopqrstuv.'
    : '';
  return {
    input: [
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful analyst.' }] },
      { role: 'user', parts: [{ type: 'text', content: PROSE.repeat(4) + pii }] },
    ],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: PROSE.repeat(3) + pii }] }],
    statusMessage: '',
    metadata: { tenant: 'acme', plan: 'pro' },
    attributes: { 'http.route': '/v1/chat', 'app.request_id': 'req_8Hj2kL9mNpQ4', 'app.retries': 2 },
    events: [],
  } as unknown as Span;
}

const redactor = createStringRedactor();
for (const withPii of [false, true]) {
  const spans = Array.from({ length: count }, () => chatSpan(withPii));
  for (const s of spans.slice(0, 1000)) redactSpan(structuredClone(s), redactor); // warm-up
  const start = process.hrtime.bigint();
  for (const s of spans) redactSpan(s, redactor);
  const us = Number(process.hrtime.bigint() - start) / 1000 / count;
  console.log(
    `${withPii ? 'with PII   ' : 'without PII'}: ${us.toFixed(1)} µs/span (${count} spans, ~1.5 KB text each)`,
  );
}
const letters = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
const n = 200_000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) redactor.redact(letters, {});
console.log(
  `fast path (1.8 KB, no digit/@/key prefix): ${(Number(process.hrtime.bigint() - t0) / 1000 / n).toFixed(2)} µs/string`,
);

// Per-project policies: the ingest path picks the redactor of the span's project (one map lookup
// among compiled redactors), so the cost per span should match the single-policy figure above.
const projects = new Map(Array.from({ length: 100 }, (_, i) => [`p${i}`, createStringRedactor()]));
const pipeline = createSpanPipeline({ enrich: (span) => span, redactorFor: (id) => projects.get(id) });
const perProject = Array.from({ length: count }, (_, i) => ({
  ...chatSpan(false),
  projectId: `p${i % 100}`,
}));
for (const s of perProject.slice(0, 1000)) pipeline.enrichSpan(structuredClone(s)); // warm-up
const t1 = process.hrtime.bigint();
for (const s of perProject) pipeline.enrichSpan(s);
console.log(
  `per-project pipeline (100 projects), without PII: ${(Number(process.hrtime.bigint() - t1) / 1000 / count).toFixed(1)} µs/span`,
);
