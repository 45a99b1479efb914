/**
 * OTLP/HTTP protobuf load generator, run as its own process by bench/ingest.bench.ts.
 * Builds one realistic request with the official OTel JS SDK and serializer (an agent root and
 * chat children with ~1.5 KB of prompt + completion each), then sends copies with fresh trace
 * and span ids patched into the bytes, from `concurrency` keep-alive clients, either as fast as
 * the server acknowledges or paced to a target rate. Loopback only; stops after `seconds`.
 *
 * Usage: node bench/load-generator.ts <url> <concurrency> <seconds> <spansPerSecond|0> [spansPerRequest] [logprobs]
 * `logprobs` = `logprobs` gives every chat span a `gen_ai.choice.logprobs` event as the Argus SDK
 * sends it (one token per answer word, 5 alternatives each), to measure the confidence step.
 * Prints one JSON line: { spans, requests, seconds, spansPerSecond, ackP50Ms, ackP99Ms, failures }.
 */
import { randomFillSync } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { loadRequest } from './load-request.ts';

const [
  url = 'http://127.0.0.1:4318',
  concurrencyArg = '8',
  secondsArg = '20',
  rateArg = '0',
  perRequestArg = '100',
  logprobsArg = '',
] = process.argv.slice(2);
const withLogprobs = logprobsArg === 'logprobs';
const target = new URL('/v1/traces', url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname))
  throw new Error('load goes to loopback only');
const concurrency = Number(concurrencyArg);
const seconds = Number(secondsArg);
const rate = Number(rateArg);
const perRequest = Number(perRequestArg);

const { bytes, traceOffsets, spanOffsets } = loadRequest({ perRequest, logprobs: withLogprobs });
const idBuffer = Buffer.alloc(16 + 8 * spanOffsets.size);
function nextBody(): Buffer {
  const body = Buffer.from(bytes);
  randomFillSync(idBuffer);
  for (const at of traceOffsets) idBuffer.copy(body, at, 0, 16);
  let k = 16;
  for (const offsets of spanOffsets.values()) {
    for (const at of offsets) idBuffer.copy(body, at, k, k + 8);
    k += 8;
  }
  return body;
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
function post(body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const latencies: number[] = [];
let spans = 0;
let requests = 0;
let failures = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
const intervalMs = rate > 0 ? (perRequest / rate) * 1000 * concurrency : 0;

async function client(index: number): Promise<void> {
  let next = started + (intervalMs / concurrency) * index;
  while (performance.now() < deadline) {
    if (intervalMs > 0) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      next += intervalMs;
    }
    const body = nextBody();
    const t0 = performance.now();
    const status = await post(body);
    requests++;
    if (status === 200) {
      latencies.push(performance.now() - t0);
      spans += perRequest;
    } else {
      failures++;
      if (status === 0) await new Promise((r) => setTimeout(r, 100));
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    spans,
    requests,
    seconds: Number(elapsed.toFixed(2)),
    spansPerSecond: Math.round(spans / elapsed),
    ackP50Ms: Number(pct(0.5).toFixed(1)),
    ackP99Ms: Number(pct(0.99).toFixed(1)),
    failures,
    bodyBytes: bytes.length,
  })}\n`,
);
agent.destroy();
