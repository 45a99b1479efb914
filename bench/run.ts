/**
 * `npm run bench`: the ingest benchmark, the query benchmark at 1 M spans and the decoder
 * micro-benchmark. Larger runs: `node bench/query.bench.ts 10000000`. Results go to stdout;
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
run('ingest.bench.ts', [process.env.BENCH_SECONDS ?? '20']);
run('query.bench.ts', [process.env.BENCH_SPANS ?? '1000000']);
