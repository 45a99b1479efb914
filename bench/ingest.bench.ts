/**
 * Ingest benchmark: a server in one process, the load generator in another, OTLP protobuf over
 * loopback. Phase 1 finds the sustained throughput; phase 2 runs at half of it and reports the
 * acknowledgement latency. Server RSS is sampled throughout.
 *
 * Usage: node bench/ingest.bench.ts [seconds=20] [concurrency=8] [redaction=default|off] [logprobs]
 * (`off` starts the server with `--redaction off`, to measure what PII redaction costs;
 * `logprobs` gives every chat span the SDK's logprob event, to measure the confidence step).
 * Besides throughput, each phase reports the server's CPU time per 1,000 spans (all its threads,
 * the engine's included), which moves far less than throughput when other work shares the cores,
 * and the same per thread name (`threadCpuMsPer1kSpans`: the JavaScript main thread, the engine's
 * insert pool, V8's GC workers, libuv's workers, the engine's merges).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine, ROOT, sampleRss, startServer } from './support.ts';

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 8);
const redaction = process.argv[4] ?? 'default';
const logprobs = process.argv[5] === 'logprobs';
if (redaction !== 'default' && redaction !== 'off')
  throw new Error(`redaction must be default or off, not '${redaction}'`);

interface LoadResult {
  spans: number;
  requests: number;
  seconds: number;
  spansPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  failures: number;
  bodyBytes: number;
}

function load(url: string, rate: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bench/load-generator.ts'),
        url,
        String(concurrency),
        String(seconds),
        String(rate),
        '100',
        logprobs ? 'logprobs' : '',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** User + system CPU seconds of a process so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds per thread name (`MainThread`, the engine's `ThreadPool`, `V8Worker` …) so far. */
function cpuSecondsByThread(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byName;
}

/**
 * A load phase with the server's CPU time per 1,000 acknowledged spans, in all and per thread
 * name (threads that ended during the phase are missing from the split, not from the total).
 */
async function phase(url: string, pid: number, rate: number) {
  const cpuBefore = cpuSeconds(pid);
  const threadsBefore = cpuSecondsByThread(pid);
  const result = await load(url, rate);
  const spans = Math.max(1, result.spans);
  const cpuMsPer1kSpans = Math.round(((cpuSeconds(pid) - cpuBefore) * 1e6) / spans);
  const threadCpuMsPer1kSpans: Record<string, number> = {};
  for (const [name, seconds] of cpuSecondsByThread(pid)) {
    const used = seconds - (threadsBefore.get(name) ?? 0);
    if (used > 0) threadCpuMsPer1kSpans[name] = Math.round((used * 1e6) / spans);
  }
  return { ...result, serverCpuMsPer1kSpans: cpuMsPer1kSpans, threadCpuMsPer1kSpans };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-bench-ingest-'));
const server = await startServer(dataDir, ['--redaction', redaction]);
try {
  process.stderr.write(
    `ingest bench: ${seconds}s per phase, ${concurrency} clients, redaction ${redaction}, logprobs ${logprobs}, ${machine()}\n`,
  );
  const rss = sampleRss(server.child.pid!);
  const pid = server.child.pid!;
  const max = await phase(server.url, pid, 0);
  const peakMax = rss.stop();
  process.stderr.write(`  max: ${JSON.stringify(max)} peak RSS ${peakMax} MB\n`);
  const rss2 = sampleRss(server.child.pid!);
  const half = await phase(server.url, pid, Math.round(max.spansPerSecond / 2));
  const peakHalf = rss2.stop();
  process.stderr.write(`  half: ${JSON.stringify(half)} peak RSS ${peakHalf} MB\n`);
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    spansPerRequest: 100,
    requestBytes: max.bodyBytes,
    concurrency,
    redaction,
    logprobs,
    max: { ...max, peakRssMb: peakMax },
    half: { ...half, peakRssMb: peakHalf },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
