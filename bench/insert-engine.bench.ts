/**
 * Engine-side cost of inserting span rows (issue 20): CPU time of this whole process (all threads,
 * the engine's included, from process.cpuUsage) per stored row, for insert variants interleaved
 * in the same run so a busy machine shifts them alike. Rows are realistic chat spans (~1.5 KB of
 * prompt and completion, the load generator's shape) serialized by the store's own spanToRow.
 *
 * Usage: node bench/insert-engine.bench.ts [rounds=3] [rowsPerVariantRound=8000]
 * Variants: batch size (rows per insert) and insert settings; each round runs every variant once,
 * in an order that rotates from round to round. Compare figures from the same run only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../packages/server/src/config.ts';
import { makeSpan } from '../packages/server/src/query/test-helpers.ts';
import { INSERT_SETTINGS } from '../packages/server/src/store/clickhouse/driver.ts';
import { SPANS_1H_MV, SPANS_1M_MV, TRACE_INDEX_MV } from '../packages/server/src/store/clickhouse/tables.ts';
import { openStore } from '../packages/server/src/store/index.ts';
import { SPAN_INSERT_COLUMNS, spanToRow } from '../packages/server/src/store/rows.ts';
import { machine } from './support.ts';

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 8000);

const WORDS =
  'the customer asked about the refund policy for annual plans and whether the invoice could be split across two cost centers while the assistant checked the knowledge base retrieved three passages and answered with a concise summary citing the relevant clauses'.split(
    ' ',
  );
const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed) % WORDS.length]).join(' ');

function row(i: number): string {
  return spanToRow(
    makeSpan({
      input: [
        { role: 'system', parts: [{ type: 'text', content: words(40, i) }] },
        { role: 'user', parts: [{ type: 'text', content: words(90, i + 3) }] },
      ],
      output: [
        { role: 'assistant', parts: [{ type: 'text', content: words(120, i + 5) }], finishReason: 'stop' },
      ],
      sessionId: `s${i % 500}`,
      userId: `u${i % 50}`,
      attributes: { 'gen_ai.request.max_tokens': 512 },
      resourceAttributes: { 'service.name': 'bench-chat', 'deployment.environment.name': 'bench' },
    }),
  );
}

type Settings = Record<string, string | number>;
interface Variant {
  name: string;
  batch: number;
  settings?: Settings;
  /** Another table of the same columns (default `spans`, with its views). */
  table?: string;
}
const variants: Variant[] = [
  { name: '800 rows/insert', batch: 800 },
  { name: '100 rows/insert (one request)', batch: 100 },
  { name: '3,200 rows/insert', batch: 3200 },
  { name: '12,800 rows/insert', batch: 12800 },
  { name: '3,200 rows/insert, no views', batch: 3200, table: 'spans_no_views' },
  { name: '3,200 rows/insert, no views, no text index', batch: 3200, table: 'spans_no_text' },
  { name: '3,200 rows/insert, trace index view only', batch: 3200, table: 'spans_trace_view' },
  { name: '3,200 rows/insert, minute + hour rollup views only', batch: 3200, table: 'spans_rollup_views' },
  {
    name: '3,200 rows/insert, parallel_view_processing=0',
    batch: 3200,
    settings: { parallel_view_processing: 0 },
  },
  {
    name: '3,200 rows/insert, text indexes built at insert',
    batch: 3200,
    settings: { exclude_materialize_skip_indexes_on_insert: '' },
  },
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-bench-insert-'));
const store = await openStore(
  loadConfig({ dataDir: dir, writerFlushIntervalMs: 0, dedupeWindowSpans: 0 }, {}),
);
const mutable = INSERT_SETTINGS as Settings;
const original = { ...mutable };
const results = new Map<string, number[]>();
try {
  process.stderr.write(
    `insert-engine bench: ${rounds} rounds × ${perRound} rows per variant, ${machine()}\n`,
  );
  // The same columns, indexes and codecs, without the materialized views that read `spans`.
  await store.driver.exec('CREATE TABLE spans_no_views AS spans');
  // …and without the two full-text indexes of input and output.
  await store.driver.exec('CREATE TABLE spans_no_text AS spans');
  await store.driver.exec('ALTER TABLE spans_no_text DROP INDEX idx_fts_input, DROP INDEX idx_fts_output');
  // One view each: what the trace index costs, and what the minute rollup (and its hour cascade) costs.
  await store.driver.exec('CREATE TABLE spans_trace_view AS spans');
  await store.driver.exec('CREATE TABLE trace_index_copy AS trace_index');
  await store.driver.exec(
    `CREATE MATERIALIZED VIEW trace_view_copy TO trace_index_copy AS ${TRACE_INDEX_MV.select.replace('FROM spans ', 'FROM spans_trace_view ')}`,
  );
  await store.driver.exec('CREATE TABLE spans_rollup_views AS spans');
  await store.driver.exec('CREATE TABLE spans_1m_copy AS spans_1m');
  await store.driver.exec(
    `CREATE MATERIALIZED VIEW rollup_view_copy TO spans_1m_copy AS ${SPANS_1M_MV.select.replace('FROM spans ', 'FROM spans_rollup_views ')}`,
  );
  await store.driver.exec('CREATE TABLE spans_1h_copy AS spans_1h');
  await store.driver.exec(
    `CREATE MATERIALIZED VIEW rollup_hour_copy TO spans_1h_copy AS ${SPANS_1H_MV.select.replace('FROM spans_1m AS src', 'FROM spans_1m_copy AS src')}`,
  );
  const lines = Array.from({ length: Math.max(...variants.map((v) => v.batch)) }, (_, i) => row(i));
  for (let round = 0; round < rounds; round++) {
    // The order rotates each round: background merges of earlier inserts land on later variants.
    for (const v of [
      ...variants.slice(round % variants.length),
      ...variants.slice(0, round % variants.length),
    ]) {
      Object.assign(mutable, original, v.settings ?? {});
      const cpu = process.cpuUsage();
      for (let done = 0; done < perRound; done += v.batch) {
        const body = Buffer.from(lines.slice(0, v.batch).join('\n'));
        await store.driver.insertTsv(v.table ?? 'spans', SPAN_INSERT_COLUMNS, body);
      }
      const used = process.cpuUsage(cpu);
      const us = (used.user + used.system) / perRound;
      results.set(v.name, [...(results.get(v.name) ?? []), us]);
      process.stderr.write(`  round ${round + 1} ${v.name}: ${us.toFixed(1)} µs CPU/row\n`);
    }
  }
  Object.assign(mutable, original);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.get(variants[0]!.name)!);
  for (const v of variants) {
    const xs = results.get(v.name)!;
    console.log(
      `${v.name.padEnd(34)} median ${median(xs).toFixed(1).padStart(6)} µs/row (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ×${(median(xs) / base).toFixed(2)}`,
    );
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
