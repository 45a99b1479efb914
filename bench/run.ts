/**
 * `npm run bench`: the decoder micro-benchmark, the per-stage ingest CPU benchmark, the ingest benchmark, the query benchmark at
 * 1 M spans, the SDK overhead, authentication, token-estimate, confidence (logprobs) and gateway benchmarks, and the
 * side-by-side ingest run against Arize Phoenix (skipped with a message where no Python 3.11+ or
 * PyPI is at hand, or with BENCH_PHOENIX=off; the console benchmark needs Chromium and runs on its
 * own: `node bench/console.bench.ts`). Larger runs: `node bench/query.bench.ts 10000000`. Results go to stdout;
 * copy them with the date and machine into docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const here = import.meta.dirname;
const run = (script: string, args: string[] = []) => {
  process.stderr.write(`\n▶ ${script} ${args.join(' ')}\n`);
  execFileSync(process.execPath, [path.join(here, script), ...args], { stdio: 'inherit' });
};
run('decode.bench.ts');
run('ingest-stages.bench.ts');
run('ingest.bench.ts', [process.env.BENCH_SECONDS ?? '20']);
run('query.bench.ts', [process.env.BENCH_SPANS ?? '1000000']);
run('sdk-overhead.bench.ts');
run('auth.bench.ts');
run('tokens.bench.ts');
run('confidence.bench.ts');
run('gateway.bench.ts', [process.env.BENCH_GATEWAY_SCALE ?? '0.2']);
run('phoenix.bench.ts', [process.env.BENCH_SECONDS ?? '20']);
// Needs Debian's Chromium: node bench/console.bench.ts
