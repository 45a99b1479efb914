/**
 * Store-path micro-benchmark for issue 11 (findings 3 and 5): what keying the retry filter on the
 * full (project, trace id, span id) and writing times as text cost per span, against the code
 * they replaced, measured in the same run.
 *
 * - retry filter: key + `has` + `add` per span, and heap held by a full 1,000,000-key window;
 *   the baseline is the former key (52 bits of the span id + 32 of the trace id in a Map of
 *   numbers — lossy, but the cost to beat);
 * - time columns: `tsvTime` for start and end against the bare integer strings written before.
 *
 * Run: `node --expose-gc bench/store-path.bench.ts` (single thread).
 */
import { randomBytes } from 'node:crypto';
import { SpanWindow } from '../packages/server/src/store/retry-window.ts';
import { tsvTime } from '../packages/server/src/store/tsv.ts';

const WINDOW = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc;

/** The former retry filter, kept here only as the baseline. */
class FormerKeys {
  #young = new Map<number, number>();
  #old = new Map<number, number>();
  readonly #size: number;
  constructor(capacity: number) {
    this.#size = Math.floor(capacity / 2);
  }
  has(high: number, low: number) {
    return this.#young.get(high) === low || this.#old.get(high) === low;
  }
  add(high: number, low: number) {
    if (this.#young.size >= this.#size) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(high, low);
  }
}
const formerKey = (traceId: string, spanId: string): [number, number] => [
  Number.parseInt(spanId.slice(0, 13), 16) || 0,
  Number.parseInt(traceId.slice(-8), 16) || 0,
];

const ids = Array.from({ length: WINDOW }, () => ({
  traceId: randomBytes(16).toString('hex'),
  spanId: randomBytes(8).toString('hex'),
}));

function heapMb(): number {
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  // SpanWindow's tables are typed arrays: their bytes count under arrayBuffers, not the heap.
  return (heapUsed + arrayBuffers) / 1024 / 1024;
}

function measure(label: string, fill: () => unknown): { nsPerSpan: number; heldMb: number } {
  const before = heapMb();
  const started = performance.now();
  const held = fill();
  const nsPerSpan = ((performance.now() - started) * 1e6) / WINDOW;
  const heldMb = heapMb() - before;
  console.log(
    `${label.padEnd(34)} ${nsPerSpan.toFixed(0).padStart(5)} ns/span   ${heldMb.toFixed(1).padStart(6)} MB held`,
  );
  if (held === undefined) throw new Error('unreachable');
  return { nsPerSpan, heldMb };
}

console.log(`retry filter, ${WINDOW.toLocaleString()} distinct spans (window ${WINDOW.toLocaleString()})`);
if (!gc) console.log('(run with --expose-gc for the memory figures)');
const rounds: { former: number; full: number; formerMb: number; fullMb: number }[] = [];
for (let round = 0; round < 3; round++) {
  const former = measure('former key (lossy)', () => {
    const keys = new FormerKeys(WINDOW);
    for (const { traceId, spanId } of ids) {
      const [h, l] = formerKey(traceId, spanId);
      if (!keys.has(h, l)) keys.add(h, l);
    }
    return keys;
  });
  const full = measure('SpanWindow (project, trace, span)', () => {
    const window = new SpanWindow(WINDOW);
    for (const id of ids) {
      const span = { projectId: 'default', traceId: id.traceId, spanId: id.spanId };
      if (!window.has(span)) window.add(span);
    }
    return window;
  });
  rounds.push({
    former: former.nsPerSpan,
    full: full.nsPerSpan,
    formerMb: former.heldMb,
    fullMb: full.heldMb,
  });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const formerNs = median(rounds.map((r) => r.former));
const fullNs = median(rounds.map((r) => r.full));
console.log(
  `median: former ${formerNs.toFixed(0)} ns, full ${fullNs.toFixed(0)} ns per span (×${(fullNs / formerNs).toFixed(2)}); ` +
    `held ${median(rounds.map((r) => r.formerMb)).toFixed(0)} MB → ${median(rounds.map((r) => r.fullMb)).toFixed(0)} MB ` +
    `(${((median(rounds.map((r) => r.fullMb)) * 1024 * 1024) / WINDOW).toFixed(0)} bytes per key)`,
);

// Time columns.
const now = BigInt(Date.now()) * 1_000_000n;
const start = String(now);
const end = String(now + 850_000_000n);
const N = 300_000;
function perOp(fn: () => string): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < N; i++) sink += fn().length;
  if (sink < 0) console.log(sink);
  return ((performance.now() - started) * 1e6) / N;
}
let textNs = Number.POSITIVE_INFINITY;
let bareNs = Number.POSITIVE_INFINITY;
for (let round = 0; round < 5; round++) {
  textNs = Math.min(
    textNs,
    perOp(() => tsvTime(start) + tsvTime(end)),
  );
  bareNs = Math.min(
    bareNs,
    perOp(() => `${start}\t${end}`),
  );
}
console.log(`time columns per span: text ${textNs.toFixed(0)} ns vs bare integers ${bareNs.toFixed(0)} ns`);
