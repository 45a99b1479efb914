/**
 * Side by side with Arize Phoenix: the same OTLP/HTTP protobuf load (bench/load-generator.ts: the
 * same request bytes with fresh ids, the same clients and duration) into `argus start` and into
 * `phoenix serve` (its default SQLite store), one after the other in the same run, counting the
 * spans each has **stored** — not acknowledged: Phoenix answers 200 once a request is decoded and
 * writes its spans later from an in-memory queue. Argus's count comes from its query API (the
 * per-minute rollup, llm + agent spans), Phoenix's from the rows of its SQLite `spans` table; both
 * are sampled every second during the load and every 250 ms after it, until every acknowledged
 * span is stored, the count has not grown for 10 s, or `drainSeconds` have passed. Stored spans/s =
 * stored count / time from the first send to the answer of the first count query that saw the
 * final count. CPU and peak RSS are those of each server's whole process tree.
 *
 * Usage: node bench/phoenix.bench.ts [seconds=20] [concurrency=8] [rounds=1] [drainSeconds=30]
 * (`rounds` = 2 runs a second round in the reverse order). Needs Python 3.11–3.14 with venv and
 * pip access to PyPI the first time (the venv is kept in ~/.cache/argus-bench); without them it
 * prints why and exits 0. `BENCH_PHOENIX=off` skips it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureVenv,
  findPython,
  PHOENIX_REQUIREMENT,
  PhoenixUnavailable,
  phoenixVersion,
  spanTableCounter,
  startPhoenix,
} from './phoenix-server.ts';
import { sampleTreeRss, treeCpuSeconds } from './process-tree.ts';
import { machine, ROOT, startServer } from './support.ts';

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 8);
const rounds = Number(process.argv[4] ?? 1);
const drainSeconds = Number(process.argv[5] ?? 30);
const STABLE_MS = 10_000;
['seconds', 'concurrency', 'rounds', 'drainSeconds'].forEach((name, i) => {
  const value = Number(process.argv[2 + i] ?? 1);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(
      `Cannot run the Phoenix bench: '${name}' is '${process.argv[2 + i]}'; it must be a whole number ≥ 1`,
    );
});

/** A server under test: where to send, how many spans it has stored, how to end it. */
interface Target {
  pid: number;
  url: string;
  stored(): Promise<number>;
  stop(): Promise<void>;
}

interface System {
  name: 'argus' | 'phoenix';
  start(dir: string): Promise<Target>;
}

/** Sync killers of the servers still running, for an interrupted bench. */
const live = new Set<() => void>();
const killAll = () => {
  for (const kill of live) kill();
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });

const argus: System = {
  name: 'argus',
  async start(dir) {
    const server = await startServer(dir);
    const kill = () => server.child.kill('SIGKILL');
    live.add(kill);
    const window = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const countKind = async (kind: string) => {
      const response = await fetch(
        `${server.url}/api/v1/metrics/series?metrics=requests&kind=${kind}&step=1d&${window}`,
      );
      if (!response.ok) return Number.NaN;
      return ((await response.json()) as { totals: { requests: number } }).totals.requests;
    };
    return {
      pid: server.child.pid!,
      url: server.url,
      async stored() {
        const [llm, agent] = await Promise.all([countKind('llm'), countKind('agent')]);
        return Number.isNaN(llm + agent) ? -1 : llm + agent;
      },
      async stop() {
        live.delete(kill);
        await server.stop();
      },
    };
  },
};

function phoenixSystem(venv: string): System {
  return {
    name: 'phoenix',
    async start(dir) {
      const server = await startPhoenix(venv, dir);
      const kill = () => {
        try {
          process.kill(-server.child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      live.add(kill);
      const counter = spanTableCounter(venv, server.dbPath);
      return {
        pid: server.child.pid!,
        url: server.url,
        stored: () => counter.count(),
        async stop() {
          counter.close();
          live.delete(kill);
          await server.kill();
        },
      };
    },
  };
}

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

/** One closed-loop load phase; `firstSendAt` is when the generator's clients started (epoch ms). */
function sendLoad(url: string): Promise<LoadResult & { firstSendAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bench/load-generator.ts'), url, String(concurrency), String(seconds), '0', '100'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
      resolve({ ...result, firstSendAt: Date.now() - result.seconds * 1000 });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One reading of the stored count: when its query began and when it answered. */
interface Sample {
  startedAt: number;
  at: number;
  stored: number;
}

/**
 * Samples `stored()` every second while the load runs and every 250 ms once `afterLoad()` is
 * called, so the moment the count stops growing is known to a quarter second plus one count query.
 */
function sampleStored(target: Target) {
  const samples: Sample[] = [];
  let running = true;
  let intervalMs = 1000;
  let wake = () => {};
  const take = async () => {
    const startedAt = Date.now();
    const stored = await target.stored();
    if (stored >= 0) samples.push({ startedAt, at: Date.now(), stored });
  };
  const loop = (async () => {
    while (running) {
      await take();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    samples,
    /**
     * Counts at once with a query of its own (one begun during the load may still be running,
     * slowly on a busy machine), then every 250 ms.
     */
    afterLoad() {
      intervalMs = 250;
      void take();
      wake();
    },
    async stop() {
      running = false;
      wake();
      await loop;
    },
  };
}

/**
 * After the load: until everything acknowledged is stored, or the count has grown and then not
 * grown for STABLE_MS (a store that has not started writing yet is waited for), or the cap.
 */
async function drain(samples: Sample[], acked: number, loadEnd: number) {
  const cap = loadEnd + drainSeconds * 1000;
  for (;;) {
    const last = samples.at(-1);
    if (last && last.at > loadEnd && last.stored >= acked) return 'all stored';
    const grewAt = samples.find((s) => s.stored === last?.stored)?.at ?? loadEnd;
    if (last && last.stored > 0 && last.at > loadEnd + STABLE_MS && last.at - grewAt >= STABLE_MS)
      return 'stopped growing';
    if (Date.now() > cap) return `cut at ${drainSeconds} s`;
    await sleep(250);
  }
}

async function measure(system: System) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `argus-bench-vs-${system.name}-`));
  const target = await system.start(dir);
  try {
    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = treeCpuSeconds(target.pid);
    const rss = sampleTreeRss(target.pid);
    const sampler = sampleStored(target);
    const load = await sendLoad(target.url);
    const loadEnd = Date.now();
    const cpuAtLoadEnd = treeCpuSeconds(target.pid);
    sampler.afterLoad();
    const drained = await drain(sampler.samples, load.spans, loadEnd);
    await sampler.stop();
    const cpuEnd = treeCpuSeconds(target.pid);
    const cpu = cpuEnd - cpuBefore;
    const peakRssMb = rss.stop();
    const stored = Math.max(0, ...sampler.samples.map((s) => s.stored));
    // The first answer with the final count bounds the last write from above (nothing stored:
    // the rate is 0 over the whole watch).
    const finalSample = stored > 0 ? sampler.samples.find((s) => s.stored === stored) : undefined;
    const lastStoredAt = finalSample?.at ?? Date.now();
    const storedSeconds = (lastStoredAt - load.firstSendAt) / 1000;
    // What the store took in once the load had stopped — its insert rate with the cores to
    // itself — where it was still writing 5 s after the load (not a slow count query's delay).
    const atLoadEnd = Math.max(0, ...sampler.samples.filter((s) => s.at <= loadEnd).map((s) => s.stored));
    const afterLoadSeconds = (lastStoredAt - loadEnd) / 1000;
    const storedAfterLoad = afterLoadSeconds >= 5 ? stored - atLoadEnd : 0;
    const every5s = sampler.samples.filter((_, i) => i % 5 === 4 || i === sampler.samples.length - 1);
    return {
      system: system.name,
      acknowledgedSpans: load.spans,
      acknowledgedPerSecond: load.spansPerSecond,
      refusedRequests: load.failures,
      ackP50Ms: load.ackP50Ms,
      ackP99Ms: load.ackP99Ms,
      storedSpans: stored,
      storedPerSecond: Math.round(stored / storedSeconds),
      storedSeconds: Number(storedSeconds.toFixed(1)),
      drain: drained,
      finalCountQueryMs: finalSample ? finalSample.at - finalSample.startedAt : undefined,
      storedAfterLoadPerSecond:
        storedAfterLoad > 0 ? Math.round(storedAfterLoad / afterLoadSeconds) : undefined,
      // The insert path's own cost: CPU after the load over the spans stored after it.
      cpuUsPerSpanStoredAfterLoad:
        storedAfterLoad > 0 ? Math.round(((cpuEnd - cpuAtLoadEnd) * 1e6) / storedAfterLoad) : undefined,
      notStoredWhenKilled: Math.max(0, load.spans - stored),
      cpuSeconds: Number(cpu.toFixed(1)),
      cpuUsPerStoredSpan: stored > 0 ? Math.round((cpu * 1e6) / stored) : undefined,
      peakRssMb,
      loadAverage: [Number(loadBefore.toFixed(1)), Number(os.loadavg()[0]!.toFixed(1))],
      storedOverTime: every5s.map((s) => [Number(((s.at - load.firstSendAt) / 1000).toFixed(0)), s.stored]),
    };
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** Argus's stored spans/s over Phoenix's in one round. */
function storedRatio(round: Measured[]): number {
  const rate = (name: string) => round.find((m) => m.system === name)?.storedPerSecond ?? Number.NaN;
  return rate('phoenix') > 0 ? Number((rate('argus') / rate('phoenix')).toFixed(1)) : Number.NaN;
}

function summary(round: Measured[]): string {
  const line = (m: Measured) =>
    `  ${m.system.padEnd(8)} acked ${m.acknowledgedPerSecond}/s (ack p50 ${m.ackP50Ms} / p99 ${m.ackP99Ms} ms, ${m.refusedRequests} refused) · ` +
    `stored ${m.storedSpans} in ${m.storedSeconds} s = ${m.storedPerSecond}/s (${m.drain}; final count query ${m.finalCountQueryMs ?? '–'} ms; ${m.storedAfterLoadPerSecond ?? '–'}/s after the load) · ` +
    `${m.cpuUsPerStoredSpan ?? '–'} µs CPU per stored span · peak RSS ${m.peakRssMb} MB · load ${m.loadAverage.join('→')}`;
  const ratio = storedRatio(round);
  return `${round.map(line).join('\n')}\n  ratio argus/phoenix stored spans/s: ${Number.isNaN(ratio) ? 'none (Phoenix stored nothing while watched)' : `${ratio}×`}\n`;
}

async function main() {
  if (process.env.BENCH_PHOENIX === 'off') {
    process.stderr.write('phoenix bench skipped: BENCH_PHOENIX=off\n');
    return;
  }
  let venv: string;
  let python: ReturnType<typeof findPython>;
  try {
    python = findPython();
    venv = await ensureVenv(python);
  } catch (error) {
    if (!(error instanceof PhoenixUnavailable)) throw error;
    process.stderr.write(`phoenix bench skipped: cannot install ${PHOENIX_REQUIREMENT}: ${error.message}\n`);
    return;
  }
  const versions = {
    phoenix: phoenixVersion(venv),
    python: python.version,
    argusCommit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim(),
  };
  process.stderr.write(
    `phoenix bench: ${seconds}s per phase, ${concurrency} clients, ${rounds} round(s), Phoenix ${versions.phoenix} (Python ${versions.python}), ${machine()}\n`,
  );
  const phoenix = phoenixSystem(venv);
  const results: Measured[][] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [argus, phoenix] : [phoenix, argus];
    const measured: Measured[] = [];
    for (const system of order) measured.push(await measure(system));
    process.stderr.write(`round ${round + 1}:\n${summary(measured)}`);
    results.push(measured);
  }
  const output = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    ...versions,
    seconds,
    concurrency,
    spansPerRequest: 100,
    rounds: results,
    storedRatioArgusOverPhoenix: results.map((round) => storedRatio(round) || null),
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof PhoenixUnavailable)) throw error;
  process.stderr.write(`phoenix bench stopped: ${error.message}\n`);
}
