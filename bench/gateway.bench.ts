/**
 * `node bench/gateway.bench.ts [scale]`: the latency the Argus gateway adds, against calling the
 * mock LLM directly in the same run. The mock and Argus each run in their own process (Argus with
 * its defaults: embedded chDB + SQLite, every call recorded as a span); this process is the load
 * generator (node:http, keep-alive, one socket per client). Phases: 1, 50 and 500 concurrent
 * clients sending non-streamed chat completions, then 1,000 concurrent streams (chat,
 * `stream: true`, 20 ms between the mock's events). Added latency = the gateway's percentile
 * minus the direct percentile of the same phase. Also: the gateway's own `x-argus-overhead-ms`
 * per call, the Argus process's RSS (sampled every 100 ms) and that every call was recorded.
 * A floor for the added latency is measured beside it in every phase: `bench/bare-proxy.ts`, the
 * least a Node.js proxy can do (forward and pipe back, nothing else), in its own process — what it
 * adds is the extra hop on this machine; what the gateway adds beyond it is the gateway's own.
 * The paced phase runs its targets in alternating rounds, samples pooled per target.
 * `SHADOW=0` leaves the shadow phases out, `SHADOW=only` runs only them.
 * `LITELLM=1` also measures LiteLLM's proxy against the same mock in the same run (from a venv
 * the bench creates, `pip install 'litellm[proxy]'`; see startLitellm). `scale` (default 1)
 * multiplies the request counts. `MOCK_LATENCY_MS` (default 0) delays each answer of the mock, like
 * a real provider's time to first byte: with 0, every phase with many clients is a closed loop that
 * saturates the machine, and the added latency is queueing.
 * Last, the shadow phases: 1 and 50 clients through the gateway with no shadow, then with a shadow
 * of share 1 (every call also sent to a candidate model on the same mock, off the caller's path),
 * alternately in the same run; the difference is what shadow traffic costs the callers, with the
 * Argus process's CPU time per call and the shadow's sent / dropped counters.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../packages/server/test/support/process.ts';
import { cpuSeconds, machine, percentile, ROOT, sampleRss, startServer } from './support.ts';

const SCALE = Number(process.argv[2] ?? 1);
const MOCK_LATENCY_MS = Number(process.env.MOCK_LATENCY_MS ?? 0);
/** LiteLLM's master key; every target gets it as a Bearer key (the mock and Argus in open mode ignore it). */
const BENCH_KEY = 'sk-argus-bench-0123456789abcdef';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-gateway-bench-'));
const children: ChildProcess[] = [];
/** Servers to stop at the end (Argus, stopped gracefully). */
const stops: (() => Promise<void>)[] = [];

async function start(args: string[], readyUrl: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(args[0]!, args.slice(1), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
    try {
      if ((await fetch(readyUrl)).status < 500) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${args.join(' ')} did not start`);
}

interface Sample {
  ms: number;
  overheadMs?: number;
  firstByteMs: number;
  /** Not 200 (or the connection failed): counted, left out of the latencies. */
  failed?: boolean;
}

/** One request; resolves once the whole body has arrived. */
function request(
  agent: http.Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Sample> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let firstByteMs = -1;
        res.on('data', () => {
          if (firstByteMs < 0) firstByteMs = performance.now() - started;
        });
        res.on('end', () => {
          const overhead = res.headers['x-argus-overhead-ms'];
          resolve({
            ms: performance.now() - started,
            firstByteMs,
            ...(overhead ? { overheadMs: Number(overhead) } : {}),
            ...(res.statusCode === 200 ? {} : { failed: true }),
          });
        });
        res.on('error', () => resolve({ ms: performance.now() - started, firstByteMs: -1, failed: true }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, firstByteMs: -1, failed: true }));
    req.end(body);
  });
}

/** `clients` clients, each sending `perClient` requests one after another. */
async function phase(
  url: string,
  clients: number,
  perClient: number,
  body: string,
  headers: Record<string, string> = { authorization: `Bearer ${BENCH_KEY}` },
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) samples.push(await request(agent, url, body, headers));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const failed = samples.filter((s) => s.failed).length;
  if (failed > 0) process.stderr.write(`${url}: ${failed} of ${samples.length} calls failed\n`);
  return { samples: samples.filter((s) => !s.failed), seconds, failed };
}

/**
 * `clients` concurrent clients, each sending one request every `intervalMs` (the first after a
 * random part of it, so they do not arrive together): a load below saturation, where the added
 * latency is the gateway's per-call cost rather than queueing for the two cores.
 */
async function pacedPhase(url: string, clients: number, perClient: number, intervalMs: number, body: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const samples: Sample[] = [];
  const headers = { authorization: `Bearer ${BENCH_KEY}` };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  await Promise.all(
    Array.from({ length: clients }, async () => {
      await sleep(Math.random() * intervalMs);
      for (let i = 0; i < perClient; i++) {
        const started = performance.now();
        samples.push(await request(agent, url, body, headers));
        await sleep(intervalMs - (performance.now() - started));
      }
    }),
  );
  agent.destroy();
  return { samples: samples.filter((s) => !s.failed), failed: samples.filter((s) => s.failed).length };
}

const fmt = (n: number) => n.toFixed(2);

/** PUTs a JSON body to Argus; throws on an error answer. */
async function put(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PUT ${url} → ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The shadow phases: per client count, the gateway with no shadow and then with a share-1 shadow
 * (candidate gpt-4o on the same mock), as markdown rows with the Argus process's CPU per call.
 */
async function shadowPhases(
  argusUrl: string,
  pid: number,
  chat: string,
): Promise<{ rows: string[]; calls: number }> {
  const gateway = `${argusUrl}/gateway/v1/chat/completions`;
  const shadow = `${argusUrl}/api/v1/gateway/shadows/bench`;
  const config = { model: 'gpt-4o-mini', candidate: { model: 'gpt-4o' }, maxPairs: 100_000 };
  const rows: string[] = [];
  let calls = 0;
  const counters = async () => {
    const answer = await (await fetch(`${argusUrl}/api/v1/gateway/shadows`)).json();
    const s = (answer as { data: { sent: number; dropped: number; failed: number }[] }).data[0];
    return s ?? { sent: 0, dropped: 0, failed: 0 };
  };
  for (const [clients, perClient] of [
    [1, Math.round(500 * SCALE)],
    [50, Math.round(100 * SCALE)],
  ] as const) {
    const measured: Record<string, { samples: Sample[]; cpuMsPerCall: number }> = {};
    for (const share of [0, 1]) {
      await put(shadow, { ...config, share });
      const before = await counters();
      const cpu = cpuSeconds(pid);
      const { samples } = await phase(gateway, clients, perClient, chat);
      // A pair is handed over once its call's span is written (the writer's flush interval): wait
      // until every call of the phase was sent or dropped, then for the writer's last flush, before
      // the CPU time is read.
      for (let i = 0; share === 1 && i < 150; i++) {
        const now = await counters();
        if (now.sent + now.dropped - before.sent - before.dropped >= samples.length) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 2000));
      const cpuMsPerCall = ((cpuSeconds(pid) - cpu) * 1000) / Math.max(1, samples.length);
      measured[share] = { samples, cpuMsPerCall };
      calls += samples.length;
      if (share === 1) {
        const after = await counters();
        const sent = after.sent - before.sent;
        const dropped = after.dropped - before.dropped;
        const p = (share: number, q: number, pick: (s: Sample) => number) =>
          percentile(measured[share]!.samples.map(pick), q);
        const ms = (s: Sample) => s.ms;
        const own = (s: Sample) => s.overheadMs ?? Number.NaN;
        rows.push(
          `| ${clients} client${clients === 1 ? '' : 's'} × ${perClient} | ${fmt(p(0, 0.5, ms))} / ${fmt(p(0, 0.99, ms))} | ${fmt(p(1, 0.5, ms))} / ${fmt(p(1, 0.99, ms))} | **${fmt(p(1, 0.5, ms) - p(0, 0.5, ms))} / ${fmt(p(1, 0.99, ms) - p(0, 0.99, ms))}** | ${fmt(p(0, 0.5, own))} / ${fmt(p(1, 0.5, own))} | ${fmt(measured[0]!.cpuMsPerCall)} / ${fmt(cpuMsPerCall)} | ${sent} / ${dropped} / ${after.failed - before.failed} |`,
        );
        process.stderr.write(`${rows.at(-1)}\n`);
      }
    }
  }
  await put(shadow, { ...config, share: 0 });
  return { rows, calls };
}

/**
 * LiteLLM's proxy in front of the same mock (no database: it records nothing), from the venv
 * `.venv-litellm` (created here with `pip install 'litellm[proxy]'` unless `LITELLM_VENV` names one).
 */
async function startLitellm(mockUrl: string): Promise<string> {
  const venv = process.env.LITELLM_VENV ?? path.join(ROOT, '.venv-litellm');
  const bin = path.join(venv, 'bin', 'litellm');
  if (!existsSync(bin)) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(path.join(venv, 'bin', 'pip'), ['install', '-q', 'litellm[proxy]'], { stdio: 'inherit' });
  }
  const config = path.join(dataDir, 'litellm.yaml');
  writeFileSync(
    config,
    `model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: ${mockUrl}/v1\n      api_key: unused\n`,
  );
  const port = await freePort();
  await start(
    [bin, '--config', config, '--host', '127.0.0.1', '--port', String(port)],
    `http://127.0.0.1:${port}/health/liveliness`,
    { LITELLM_MASTER_KEY: BENCH_KEY },
  );
  return `http://127.0.0.1:${port}/v1/chat/completions`;
}

async function main(): Promise<void> {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  await start(
    [
      process.execPath,
      path.join(ROOT, 'packages/mock-llm/src/cli.ts'),
      '--port',
      String(mockPort),
      '--chunk-delay-ms',
      '20',
      '--latency-ms',
      String(MOCK_LATENCY_MS),
    ],
    `${mockUrl}/v1/models`,
  );
  const argus = await startServer(dataDir);
  stops.push(() => argus.stop());
  const argusUrl = argus.url;
  const created = await fetch(`${argusUrl}/api/v1/llm-connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'mock',
      provider: 'openai-compatible',
      baseUrl: `${mockUrl}/v1`,
      models: ['gpt-4o*'],
    }),
  });
  if (!created.ok) throw new Error(`cannot create the connection: ${await created.text()}`);
  const rss = sampleRss(argus.child.pid!, 100);
  const chat = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
  });
  const stream = JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'Tell me about Paris.' }],
  });
  const barePort = await freePort();
  await start(
    [process.execPath, path.join(ROOT, 'bench/bare-proxy.ts'), String(barePort), mockUrl],
    `http://127.0.0.1:${barePort}/v1/models`,
  );
  const targets: Record<string, string> = {
    direct: `${mockUrl}/v1/chat/completions`,
    gateway: `${argusUrl}/gateway/v1/chat/completions`,
    bare: `http://127.0.0.1:${barePort}/v1/chat/completions`,
  };
  if (process.env.LITELLM === '1') targets.litellm = await startLitellm(mockUrl);
  // Warm-up: connections, JIT, the gateway's route table.
  for (const url of Object.values(targets)) await phase(url, 20, 20, chat);
  const rows: string[] = [];
  let calls = 40 * 10;
  /** Failed calls of the phase being printed, per target. */
  let failures: Record<string, number> = {};
  const row = (name: string, results: Record<string, Sample[]>, pick: (s: Sample) => number) => {
    const p = (name: string, q: number) => percentile(results[name]!.map(pick), q);
    const pair = (name: string) =>
      `${fmt(p(name, 0.5))} / ${fmt(p(name, 0.99))}${failures[name] ? ` (${failures[name]} failed)` : ''}`;
    const added = (name: string) =>
      `${fmt(p(name, 0.5) - p('direct', 0.5))} / ${fmt(p(name, 0.99) - p('direct', 0.99))}`;
    const own = results.gateway!.map((s) => s.overheadMs ?? Number.NaN);
    const litellm = results.litellm ? ` ${pair('litellm')} | ${added('litellm')} |` : '';
    return `| ${name} | ${pair('direct')} | ${pair('gateway')} | **${added('gateway')}** | ${fmt(percentile(own, 0.5))} / ${fmt(percentile(own, 0.99))} | ${added('bare')} |${litellm}`;
  };
  // SHADOW=only skips to the shadow phases.
  if (process.env.SHADOW !== 'only') {
    for (const [clients, perClient] of [
      [1, Math.round(500 * SCALE)],
      [50, Math.round(100 * SCALE)],
      [500, Math.round(20 * SCALE)],
    ] as const) {
      const results: Record<string, Sample[]> = {};
      failures = {};
      for (const [name, url] of Object.entries(targets)) {
        const { samples, seconds, failed } = await phase(url, clients, perClient, chat);
        results[name] = samples;
        failures[name] = failed;
        process.stderr.write(`${clients} clients, ${name}: ${Math.round(samples.length / seconds)} req/s\n`);
      }
      calls += results.gateway!.length;
      rows.push(row(`${clients} clients × ${perClient}`, results, (s) => s.ms));
      process.stderr.write(`${rows.at(-1)}\n`);
    }
    // 50 clients below saturation: 50 × one call per 200 ms = 250 calls/s in all.
    {
      // In alternating rounds (direct, gateway, bare, direct, …) so that a swing of the shared
      // machine's load lands on every target alike; samples pooled per target.
      const perClient = Math.max(5, Math.round(100 * SCALE));
      const rounds = Math.min(4, perClient);
      const results: Record<string, Sample[]> = {};
      failures = {};
      for (let round = 0; round < rounds; round++) {
        for (const [name, url] of Object.entries(targets)) {
          const share =
            Math.round((perClient * (round + 1)) / rounds) - Math.round((perClient * round) / rounds);
          const { samples, failed } = await pacedPhase(url, 50, share, 200, chat);
          results[name] = [...(results[name] ?? []), ...samples];
          failures[name] = (failures[name] ?? 0) + failed;
        }
      }
      calls += results.gateway!.length;
      rows.push(row(`50 clients paced, 250 calls/s in all, × ${perClient}`, results, (s) => s.ms));
      process.stderr.write(`${rows.at(-1)}\n`);
    }
    const streams = Math.round(1000 * SCALE);
    const results: Record<string, Sample[]> = {};
    failures = {};
    for (const [name, url] of Object.entries(targets)) {
      const { samples, failed } = await phase(url, streams, 1, stream);
      results[name] = samples;
      failures[name] = failed;
    }
    calls += streams;
    rows.push(
      row(`${streams} concurrent streams, first byte`, results, (s) => s.firstByteMs),
      row(`${streams} concurrent streams, whole stream`, results, (s) => s.ms),
    );
  }
  const shadow =
    process.env.SHADOW === '0'
      ? { rows: [], calls: 0 }
      : await shadowPhases(argusUrl, argus.child.pid!, chat);
  const shadowRows = shadow.rows;
  calls += shadow.calls;
  const peakRss = rss.stop();
  // Every call must be recorded: count the gateway's stored spans (the GenAI request counter of
  // /metrics counts spans the store accepted) once the writer has flushed.
  await new Promise((r) => setTimeout(r, 3000));
  const exposition = await (await fetch(`${argusUrl}/metrics`)).text();
  const recorded = exposition
    .split('\n')
    .filter((l) => l.startsWith('argus_gen_ai_requests_total{') && l.includes('service_name="argus-gateway"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  console.log(
    `\nGateway added latency, ms (p50 / p99), mock latency ${MOCK_LATENCY_MS} ms, ${machine()}, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  const litellmHead = targets.litellm ? ' through LiteLLM | LiteLLM added |' : '';
  console.log(
    `| phase | direct to the mock | through the gateway | Argus added | x-argus-overhead-ms | bare Node proxy added |${litellmHead}`,
  );
  console.log(`|---|---|---|---|---|---|${targets.litellm ? '---|---|' : ''}`);
  for (const row of rows) console.log(row);
  if (shadowRows.length > 0) {
    console.log(
      '\nShadow traffic: the gateway with no shadow and with a share-1 shadow (every call also sent to gpt-4o), ms (p50 / p99)\n',
    );
    console.log(
      '| phase | gateway, no shadow | gateway, shadow share 1 | shadow added | x-argus-overhead-ms p50, off / on | Argus CPU ms per call, off / on | candidate calls sent / dropped / failed |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const row of shadowRows) console.log(row);
  }
  console.log(`\nArgus RSS: peak ${peakRss} MB; gateway calls made: ${calls}`);
  console.log(`Spans recorded by the gateway: ${recorded} of ${calls} calls`);
}

try {
  await main();
} finally {
  for (const stop of stops) await stop().catch(() => {});
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
}
