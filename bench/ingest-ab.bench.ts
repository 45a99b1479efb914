/**
 * End-to-end before/after of a code change on the ingest path, in one run: two copies of the
 * committed tree (HEAD) that differ only in `paths`, taken from `<rev>` in the "before" copy,
 * each running `bench/ingest.bench.ts` (a server, the load generator in another process) in
 * alternating order. Prints, per copy, the medians of the server's CPU per stored span — all
 * threads and the JavaScript main thread alone — spans/s and peak RSS, and the after/before ratios.
 *
 * Usage: node bench/ingest-ab.bench.ts <rev> <pairs> <seconds> <path>...
 * e.g.   node bench/ingest-ab.bench.ts a07e9eb 3 12 packages/server/src/normalize/span.ts …
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine, ROOT } from './support.ts';

const [rev, pairsArg = '3', secondsArg = '12', ...paths] = process.argv.slice(2);
if (!rev || paths.length === 0)
  throw new Error('usage: ingest-ab.bench.ts <rev> <pairs> <seconds> <path>...');
const pairs = Number(pairsArg);

interface Phase {
  spansPerSecond: number;
  serverCpuMsPer1kSpans: number;
  threadCpuMsPer1kSpans: Record<string, number>;
  peakRssMb: number;
}
interface Result {
  max: Phase;
  half: Phase;
}

/** A copy of HEAD's packages and bench; with `from`, `paths` are taken from that revision. */
function tree(from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-ab-'));
  execSync(`git -C ${JSON.stringify(ROOT)} archive HEAD packages bench | tar -x -C ${JSON.stringify(dir)}`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  rmSync(path.join(dir, 'packages/ui/dist'), { recursive: true, force: true });
  symlinkSync(path.join(ROOT, 'packages/ui/dist'), path.join(dir, 'packages/ui/dist'));
  if (from) {
    for (const file of paths) {
      const text = execFileSync('git', ['-C', ROOT, 'show', `${from}:${file}`]);
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  }
  return dir;
}

function run(dir: string): Result {
  const out = execFileSync(process.execPath, [path.join(dir, 'bench/ingest.bench.ts'), secondsArg, '8'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.slice(out.indexOf('{'))) as Result;
}

const before = tree(rev);
const after = tree();
try {
  console.log(
    `${new Date().toISOString()} ${machine()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const results: { before: Result[]; after: Result[] } = { before: [], after: [] };
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    for (const which of order) results[which].push(run(which === 'before' ? before : after));
    process.stderr.write(`  pair ${i + 1}/${pairs} done (load ${os.loadavg()[0]!.toFixed(2)})\n`);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const pick = {
    'server CPU µs/span (all threads)': (p: Phase) => p.serverCpuMsPer1kSpans,
    'main thread CPU µs/span': (p: Phase) => p.threadCpuMsPer1kSpans.MainThread ?? 0,
    'spans/s': (p: Phase) => p.spansPerSecond,
    'peak RSS MB': (p: Phase) => p.peakRssMb,
  };
  console.log(
    `before = HEAD with ${paths.length} paths from ${rev}; after = HEAD; ${pairs} alternating pairs, ${secondsArg} s phases`,
  );
  console.log(['phase', 'figure', 'before', 'after', 'after/before'].join('\t'));
  for (const phase of ['max', 'half'] as const) {
    for (const [name, of] of Object.entries(pick)) {
      const b = median(results.before.map((r) => of(r[phase])));
      const a = median(results.after.map((r) => of(r[phase])));
      console.log([phase, name, b, a, (a / b).toFixed(2)].join('\t'));
    }
  }
  console.log(`runs: ${JSON.stringify(results)}`);
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  rmSync(before, { recursive: true, force: true });
  rmSync(after, { recursive: true, force: true });
}
