/**
 * `node bench/sdk-overhead.bench.ts [calls]`: the per-call cost of `wrapOpenAI` — a wrapped vs
 * an unwrapped OpenAI client whose `fetch` answers a canned response at once (no network), spans
 * going through a real BasicTracerProvider + SimpleSpanProcessor into a no-op exporter — and the
 * event-loop delay while 200 wrapped calls run concurrently. Results go to stdout.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { wrapOpenAI } from '../packages/sdk/src/instrument/index.ts';

const CALLS = Number(process.argv[2] ?? 10_000);
const ROUNDS = 7;

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Once upon a time, a fox learned to count tokens.' },
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 10,
    total_tokens: 22,
    prompt_tokens_details: { cached_tokens: 0 },
  },
});
const words = 'Once upon a time, a fox learned to count tokens.'.split(' ');
const sse =
  words
    .map(
      (w, i) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: i ? ` ${w}` : w }, finish_reason: null }] })}\n\n`,
    )
    .join('') +
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22 } })}\n\ndata: [DONE]\n\n`;

/** A fetch that answers instantly with a canned body. */
const fakeFetch: typeof fetch = async (_input, init) => {
  const isStream = typeof init?.body === 'string' && init.body.includes('"stream":true');
  return new Response(isStream ? sse : completion, {
    status: 200,
    headers: {
      'content-type': isStream ? 'text/event-stream' : 'application/json',
      'x-request-id': 'req_bench',
    },
  });
};

const noopExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => {},
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(noopExporter)] });

const make = () =>
  new OpenAI({ apiKey: 'bench', baseURL: 'https://api.openai.com/v1', fetch: fakeFetch, maxRetries: 0 });
const plain = make();
const wrapped = wrapOpenAI(make(), { tracerProvider: provider, captureContent: true });
const wrappedNoContent = wrapOpenAI(make(), { tracerProvider: provider, captureContent: false });

const body = {
  model: 'gpt-4o-mini',
  temperature: 0.2,
  messages: [
    { role: 'system' as const, content: 'You are a helpful assistant that answers briefly.' },
    { role: 'user' as const, content: 'Tell me a short story about a fox who counts tokens.' },
  ],
};

type Client = ReturnType<typeof make>;
const callOnce = (client: Client) => client.chat.completions.create(body);
const streamOnce = async (client: Client) => {
  for await (const _chunk of await client.chat.completions.create({
    ...body,
    stream: true,
    stream_options: { include_usage: true },
  })) {
    // drain
  }
};

/** Mean µs per sequential call over `CALLS` calls. */
async function timeCalls(client: Client, fn: (c: Client) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await fn(client);
  return ((performance.now() - start) * 1000) / CALLS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function compare(label: string, fn: (c: Client) => Promise<unknown>): Promise<void> {
  for (const c of [plain, wrapped, wrappedNoContent]) for (let i = 0; i < 2000; i++) await fn(c);
  const base: number[] = [];
  const withContent: number[] = [];
  const withoutContent: number[] = [];
  // Interleaved rounds, so drift (GC, other load) hits all three alike.
  for (let r = 0; r < ROUNDS; r++) {
    base.push(await timeCalls(plain, fn));
    withContent.push(await timeCalls(wrapped, fn));
    withoutContent.push(await timeCalls(wrappedNoContent, fn));
  }
  const b = median(base);
  const overheads = base.map((x, i) => [withContent[i]! - x, withoutContent[i]! - x] as const);
  console.log(
    `${label.padEnd(26)} unwrapped ${b.toFixed(1).padStart(6)} µs/call | wrapped +${median(overheads.map((o) => o[0])).toFixed(1)} µs (content on), +${median(overheads.map((o) => o[1])).toFixed(1)} µs (content off)`,
  );
}

/**
 * Event-loop delay while batches of 200 concurrent calls run, yielding between batches: the loop
 * is sampled every 1 ms, so the delay is how long one batch keeps the thread busy.
 */
async function loopDelay(label: string, client: Client): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const start = performance.now();
  for (let batch = 0; batch < 50; batch++) {
    await Promise.all(Array.from({ length: 200 }, () => callOnce(client)));
    await yieldToLoop();
  }
  const ms = performance.now() - start;
  histogram.disable();
  const p = (q: number) => (histogram.percentile(q) / 1e6).toFixed(2);
  console.log(
    `${label.padEnd(26)} 200 concurrent calls: ${(ms / 50).toFixed(1)} ms/batch; event-loop delay p50 ${p(50)} ms, p99 ${p(99)} ms, max ${(histogram.max / 1e6).toFixed(2)} ms`,
  );
}

const openaiPackage = new URL('../node_modules/openai/package.json', import.meta.url);
const openaiVersion = (JSON.parse(readFileSync(openaiPackage, 'utf8')) as { version: string }).version;
console.log(
  `sdk-overhead: ${CALLS} calls × ${ROUNDS} rounds (median), Node ${process.version}, openai ${openaiVersion}`,
);
await compare('chat (non-streamed)', callOnce);
await compare('chat (streamed, 12 chunks)', streamOnce);
for (let i = 0; i < 2; i++) {
  await loopDelay('unwrapped', plain);
  await loopDelay('wrapped (content on)', wrapped);
}
await provider.shutdown();
