/**
 * CPU per ingested span, stage by stage, on the load generator's real request (bench/load-request.ts:
 * an agent root and 99 chat spans with ~1.5 KB of prompt and completion): protobuf decode →
 * normalize → redact (default policy) → enrich (nested usage, price, cost) → retry-window dedupe →
 * `spanToRow` (the TSV line); then, for reference only and outside the total, the writer's hand-off
 * (join + Buffer) and the online worker's output-health checks (`checkOutput`, which the worker
 * runs later on each stored LLM span).
 * Each stage is timed with the thread's CPU clock (`process.threadCpuUsage`), request by request,
 * over fresh copies of the request with new ids; figures are µs of CPU per span, the median of
 * `rounds` blocks.
 *
 * Usage:
 *   node bench/ingest-stages.bench.ts [requests=300] [rounds=7]
 *   node bench/ingest-stages.bench.ts --baseline <git-rev> [requests] [pairs=5]
 * The second form exports `packages/` of `<git-rev>` into a temporary directory and runs this same
 * bench against both trees in alternating child processes (before, after, before, …), printing
 * each stage's median per tree and the ratio after/before — same run, same machine.
 */
import { execFileSync, execSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRequest } from './load-request.ts';
import { machine, ROOT } from './support.ts';

type Otlp = typeof import('../packages/server/src/otlp/index.ts');
type Normalize = typeof import('../packages/server/src/normalize/index.ts');
type Enrich = typeof import('../packages/server/src/enrich/index.ts');
type Redact = typeof import('../packages/server/src/redact/index.ts');
type Rows = typeof import('../packages/server/src/store/rows.ts');
type Window = typeof import('../packages/server/src/store/retry-window.ts');
type Ingest = typeof import('../packages/server/src/ingest/ingest-signal.ts');
type Health = typeof import('../packages/server/src/online/health/checks.ts');

const STAGES = [
  'decode',
  'normalize',
  'redact',
  'enrich',
  'dedupe',
  'spanToRow',
  'handOff',
  'healthChecks',
] as const;
/** Stages outside the request's own work: the writer's hand-off and the online worker's checks. */
const ASIDE: readonly string[] = ['handOff', 'healthChecks'];
type Stage = (typeof STAGES)[number];
type Figures = Record<Stage | 'total', number>;

const args = process.argv.slice(2);

/** µs of this thread's CPU so far. */
function cpuUs(): number {
  const { user, system } = process.threadCpuUsage();
  return user + system;
}

async function modulesOf(root: string) {
  const load = <T>(file: string) =>
    import(pathToFileURL(path.join(root, 'packages/server/src', file)).href) as Promise<T>;
  return {
    otlp: await load<Otlp>('otlp/index.ts'),
    normalize: await load<Normalize>('normalize/index.ts'),
    enrich: await load<Enrich>('enrich/index.ts'),
    redact: await load<Redact>('redact/index.ts'),
    rows: await load<Rows>('store/rows.ts'),
    window: await load<Window>('store/retry-window.ts'),
    ingest: await load<Ingest>('ingest/ingest-signal.ts'),
    health: await load<Health>('online/health/checks.ts'),
  };
}

/** Measures the stages of the tree at `root`; returns the median µs per span of each. */
async function measure(root: string, requests: number, rounds: number): Promise<Figures> {
  const m = await modulesOf(root);
  const { bytes, traceOffsets, spanOffsets } = loadRequest({ perRequest: 100 });
  const ids = Buffer.alloc(16 + 8 * spanOffsets.size);
  const fresh = (): Buffer => {
    const body = Buffer.from(bytes);
    randomFillSync(ids);
    for (const at of traceOffsets) ids.copy(body, at, 0, 16);
    let k = 16;
    for (const offsets of spanOffsets.values()) {
      for (const at of offsets) ids.copy(body, at, k, k + 8);
      k += 8;
    }
    return body;
  };
  const limits = { maxAttributeDepth: 8 };
  const ctx = { projectId: 'default', limits: { ...m.normalize.DEFAULT_NORMALIZE_LIMITS } };
  const redactor = m.redact.createStringRedactor({ hashKey: 'bench' });
  const enricher = m.enrich.createEnricher({ catalog: m.enrich.loadPricingCatalog() });
  const window = new m.window.SpanWindow(200_000);
  const blocks: Figures[] = [];
  for (let round = -1; round < rounds; round++) {
    const used = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    let spans = 0;
    for (let r = 0; r < requests; r++) {
      const body = fresh();
      let t = cpuUs();
      const lap = (stage: Stage) => {
        const now = cpuUs();
        used[stage] += now - t;
        t = now;
      };
      const decoded = m.otlp.decodeTraces(body, 'protobuf', limits);
      lap('decode');
      const normalized = m.normalize.normalizeTraces(decoded, ctx).spans;
      lap('normalize');
      for (const span of normalized) m.redact.redactSpan(span, redactor);
      lap('redact');
      m.ingest.markNestedUsage(normalized);
      for (const span of normalized) enricher.enrichSpan(span);
      lap('enrich');
      const kept = normalized.filter((span) => {
        if (window.has(span)) return false;
        window.add(span);
        return true;
      });
      lap('dedupe');
      const lines = kept.map(m.rows.spanToRow);
      lap('spanToRow');
      Buffer.from(lines.join('\n'));
      lap('handOff');
      for (const span of kept) if (span.kind === 'llm') m.health.checkOutput(span);
      lap('healthChecks');
      spans += normalized.length;
    }
    if (round < 0) continue; // warm-up
    const figures = { total: 0 } as Figures;
    for (const stage of STAGES) {
      figures[stage] = used[stage] / spans;
      if (!ASIDE.includes(stage)) figures.total += figures[stage];
    }
    blocks.push(figures);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const out = {} as Figures;
  for (const key of [...STAGES, 'total'] as const) out[key] = median(blocks.map((b) => b[key]));
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function table(rows: { label: string; figures: Figures }[]): void {
  const header = ['stage (µs CPU per span)', ...rows.map((r) => r.label)];
  console.log(header.join('\t'));
  for (const key of [...STAGES, 'total'] as const)
    console.log([key, ...rows.map((r) => round2(r.figures[key]))].join('\t'));
}

/** Runs this bench in a child process against the tree at `root`. */
function child(root: string, requests: number): Figures {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'bench/ingest-stages.bench.ts'), '--child', root, String(requests)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Figures;
}

async function compare(rev: string, requests: number, pairs: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-stages-baseline-'));
  try {
    execSync(`git -C ${JSON.stringify(ROOT)} archive ${rev} packages | tar -x -C ${JSON.stringify(dir)}`);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const before: Figures[] = [];
    const after: Figures[] = [];
    for (let i = 0; i < pairs; i++) {
      // Alternate which goes first, so a drift in machine load hits both alike.
      if (i % 2 === 0) {
        before.push(child(dir, requests));
        after.push(child(ROOT, requests));
      } else {
        after.push(child(ROOT, requests));
        before.push(child(dir, requests));
      }
      process.stderr.write(`  pair ${i + 1}/${pairs} done (load ${os.loadavg()[0]!.toFixed(2)})\n`);
    }
    const median = (list: Figures[], key: keyof Figures) =>
      list.map((f) => f[key]).sort((a, b) => a - b)[list.length >> 1]!;
    const summarize = (list: Figures[]) =>
      Object.fromEntries([...STAGES, 'total'].map((k) => [k, median(list, k as keyof Figures)])) as Figures;
    const b = summarize(before);
    const a = summarize(after);
    const ratio = Object.fromEntries(
      [...STAGES, 'total'].map((k) => [k, a[k as keyof Figures] / b[k as keyof Figures]]),
    ) as Figures;
    console.log(
      `before = ${rev}, after = working tree; ${pairs} alternating pairs × ${requests} requests of 100 spans`,
    );
    table([
      { label: `before (${rev})`, figures: b },
      { label: 'after', figures: a },
      { label: 'after/before', figures: ratio },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === '--child') {
  const figures = await measure(args[1]!, Number(args[2] ?? 300), 5);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  console.log(
    `${new Date().toISOString()} ${machine()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (args[0] === '--baseline') {
    await compare(args[1]!, Number(args[2] ?? 200), Number(args[3] ?? 5));
  } else {
    const figures = await measure(ROOT, Number(args[0] ?? 300), Number(args[1] ?? 7));
    table([{ label: 'working tree', figures }]);
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
