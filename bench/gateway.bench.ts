/**
 * `node bench/gateway.bench.ts [scale]`: the latency the Argus gateway adds, against calling the
 * mock LLM directly in the same run. The mock and Argus each run in their own process (Argus with
 * its defaults: embedded chDB + SQLite, every call recorded as a span); this process is the load
 * generator (node:http, keep-alive, one socket per client). Phases: 1, 50 and 500 concurrent
 * clients sending non-streamed chat completions, then 1,000 concurrent streams (chat,
 * `stream: true`, 20 ms between the mock's events). Added latency = the gateway's percentile
 * minus the direct percentile of the same phase. Also: the gateway's own `x-argus-overhead-ms`
 * per call, the Argus process's RSS (sampled every 100 ms) and that every call was recorded.
 * `scale` (default 1) multiplies the request counts. `LITELLM=1` also runs LiteLLM's proxy
 * (from a venv the bench creates, `pip install 'litellm[proxy]'`) against the same mock.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCALE = Number(process.argv[2] ?? 1);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-gateway-bench-'));
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

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

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Sample {
  ms: number;
  overheadMs?: number;
  firstByteMs: number;
}

/** One request; resolves once the whole body has arrived. */
function request(
  agent: http.Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Sample> {
  return new Promise((resolve, reject) => {
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
          if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
          const overhead = res.headers['x-argus-overhead-ms'];
          resolve({
            ms: performance.now() - started,
            firstByteMs,
            ...(overhead ? { overheadMs: Number(overhead) } : {}),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `clients` clients, each sending `perClient` requests one after another. */
async function phase(
  url: string,
  clients: number,
  perClient: number,
  body: string,
  headers: Record<string, string> = {},
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
  return { samples, seconds };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

const fmt = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  const mockPort = await freePort();
  const argusPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const argusUrl = `http://127.0.0.1:${argusPort}`;
  await start(
    [
      process.execPath,
      path.join(ROOT, 'packages/mock-llm/src/cli.ts'),
      '--port',
      String(mockPort),
      '--chunk-delay-ms',
      '20',
    ],
    `${mockUrl}/v1/models`,
  );
  const argus = await start(
    [
      process.execPath,
      path.join(ROOT, 'packages/server/bin/argus.js'),
      'start',
      '--port',
      String(argusPort),
      '--data-dir',
      dataDir,
      '--grpc-port',
      '0',
    ],
    `${argusUrl}/health`,
    { ARGUS_LOG_LEVEL: 'warn' },
  );
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
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(argus.pid!));
  }, 100);
  const chat = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
  });
  const stream = JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'Tell me about Paris.' }],
  });
  const targets = {
    direct: `${mockUrl}/v1/chat/completions`,
    gateway: `${argusUrl}/gateway/v1/chat/completions`,
  };
  // Warm-up: connections, JIT, the gateway's route table.
  await phase(targets.direct, 20, 20, chat);
  await phase(targets.gateway, 20, 20, chat);
  const rows: string[] = [];
  let calls = 40 * 10;
  for (const [clients, perClient] of [
    [1, Math.round(500 * SCALE)],
    [50, Math.round(100 * SCALE)],
    [500, Math.round(20 * SCALE)],
  ] as const) {
    const direct = await phase(targets.direct, clients, perClient, chat);
    const gateway = await phase(targets.gateway, clients, perClient, chat);
    calls += gateway.samples.length;
    const d = direct.samples.map((s) => s.ms);
    const g = gateway.samples.map((s) => s.ms);
    const own = gateway.samples.map((s) => s.overheadMs ?? Number.NaN);
    rows.push(
      `| ${clients} clients × ${perClient} | ${fmt(quantile(d, 0.5))} / ${fmt(quantile(d, 0.99))} | ${fmt(quantile(g, 0.5))} / ${fmt(quantile(g, 0.99))} | **${fmt(quantile(g, 0.5) - quantile(d, 0.5))} / ${fmt(quantile(g, 0.99) - quantile(d, 0.99))}** | ${fmt(quantile(own, 0.5))} / ${fmt(quantile(own, 0.99))} | ${Math.round(d.length / direct.seconds)} / ${Math.round(g.length / gateway.seconds)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  const streams = Math.round(1000 * SCALE);
  const direct = await phase(targets.direct, streams, 1, stream);
  const gateway = await phase(targets.gateway, streams, 1, stream);
  calls += streams;
  const df = direct.samples.map((s) => s.firstByteMs);
  const gf = gateway.samples.map((s) => s.firstByteMs);
  const dt = direct.samples.map((s) => s.ms);
  const gt = gateway.samples.map((s) => s.ms);
  const own = gateway.samples.map((s) => s.overheadMs ?? Number.NaN);
  rows.push(
    `| ${streams} concurrent streams, first byte | ${fmt(quantile(df, 0.5))} / ${fmt(quantile(df, 0.99))} | ${fmt(quantile(gf, 0.5))} / ${fmt(quantile(gf, 0.99))} | **${fmt(quantile(gf, 0.5) - quantile(df, 0.5))} / ${fmt(quantile(gf, 0.99) - quantile(df, 0.99))}** | ${fmt(quantile(own, 0.5))} / ${fmt(quantile(own, 0.99))} | |`,
    `| ${streams} concurrent streams, whole stream | ${fmt(quantile(dt, 0.5))} / ${fmt(quantile(dt, 0.99))} | ${fmt(quantile(gt, 0.5))} / ${fmt(quantile(gt, 0.99))} | **${fmt(quantile(gt, 0.5) - quantile(dt, 0.5))} / ${fmt(quantile(gt, 0.99) - quantile(dt, 0.99))}** | | |`,
  );
  clearInterval(sampler);
  // Every call must be recorded: count the gateway's stored spans (the GenAI request counter of
  // /metrics counts spans the store accepted) once the writer has flushed.
  await new Promise((r) => setTimeout(r, 3000));
  const exposition = await (await fetch(`${argusUrl}/metrics`)).text();
  const recorded = exposition
    .split('\n')
    .filter((l) => l.startsWith('argus_gen_ai_requests_total{') && l.includes('service_name="argus-gateway"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  console.log(
    `\nGateway added latency, ms (p50 / p99), ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}\n`,
  );
  console.log(
    '| phase | direct to the mock | through the gateway | added | x-argus-overhead-ms | req/s direct / gateway |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(
    `\nArgus RSS: peak ${Math.round(peakRss)} MB, at the end ${Math.round(rssMb(argus.pid!))} MB; gateway calls made: ${calls}`,
  );
  console.log(`Spans recorded by the gateway: ${recorded} of ${calls} calls`);
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
}
