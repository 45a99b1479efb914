/**
 * `node bench/sdk-experiment.bench.ts [items]`: what `runExperiment()` of the TS SDK costs an
 * application. The same task — one wrapped OpenAI call to the mock LLM (`mock-math-right`) — runs
 * over the same items at concurrency 8, each round: as a plain bounded loop (tracing on, as in
 * production), then through `runExperiment` (a root span per item, results posted in batches of
 * 50, the final flush and summary read) with no evaluators, one evaluator function (its score
 * also sent to each trace), the server's exact_match (scored by the server as results arrive),
 * and both. Argus, the mock and the SDK share this process, so the figures include the server's
 * side. Three rounds; medians printed, with the ratio to the plain loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenAI } from 'openai';
import { startMockLlm } from '../packages/mock-llm/src/index.ts';
import {
  addItems,
  createDataset,
  flush,
  init,
  runExperiment,
  shutdown,
  wrapOpenAI,
} from '../packages/sdk/src/index.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { startServer } from '../packages/server/src/server.ts';

const ITEMS = Number(process.argv[2] ?? 400);
const CONCURRENCY = 8;
const ROUNDS = 3;
const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-sdk-exp-bench-'));
const config = loadConfig({ port: 0, grpcPort: 0, dataDir: dir, logLevel: 'error' }, {});
const [server, mock] = await Promise.all([startServer(config, createLogger('error')), startMockLlm()]);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  init({ endpoint: server.url, serviceName: 'sdk-experiment-bench' });
  const openai = wrapOpenAI(new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-bench' }));
  const task = async (input: unknown) => {
    const res = await openai.chat.completions.create({
      model: 'mock-math-right',
      messages: [{ role: 'user', content: String(input) }],
    });
    return res.choices[0]?.message.content ?? '';
  };
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    id: `q${i}`,
    input: `What is ${i}+7?`,
    expectedOutput: String(i + 7),
  }));
  await createDataset({ name: 'sums' });
  await addItems('sums', items);
  const made = await fetch(`${server.url}/api/v1/evaluators`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'exact', type: 'exact_match' }),
  });
  if (!made.ok) throw new Error(`evaluator: ${made.status} ${await made.text()}`);

  const isNumber = function isNumber({ output }: { output: unknown }) {
    return /^\d+$/.test(String(output));
  };
  const variants: [string, (string | typeof isNumber)[]][] = [
    ['runExperiment, no evaluators', []],
    ['runExperiment, 1 function', [isNumber]],
    ['runExperiment, server exact_match', ['exact']],
    ['runExperiment, exact_match + function', ['exact', isNumber]],
  ];
  const rates = new Map<string, number[]>([
    ['plain loop (traced calls)', []],
    ...variants.map(([l]) => [l, []] as [string, number[]]),
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) await task(items[next++]!.input);
      }),
    );
    await flush();
    rates.get('plain loop (traced calls)')!.push(ITEMS / ((performance.now() - started) / 1000));
    for (const [label, evaluators] of variants) {
      started = performance.now();
      const run = await runExperiment({
        dataset: 'sums',
        name: `${label}, round ${round + 1}`,
        task: (item) => task(item.input),
        evaluators,
        concurrency: CONCURRENCY,
      });
      rates.get(label)!.push(ITEMS / ((performance.now() - started) / 1000));
      if (run.status !== 'completed' || run.progress.done !== ITEMS)
        throw new Error(`${label}, round ${round + 1}: ${run.status}, ${run.warnings.join('; ')}`);
    }
  }
  const plain = median(rates.get('plain loop (traced calls)')!);
  console.log(
    `runExperiment throughput, ${ITEMS} items, concurrency ${CONCURRENCY}, Argus + mock + SDK in one process`,
  );
  for (const [label, values] of rates) {
    const m = median(values);
    console.log(
      `${label.padEnd(40)} ${m.toFixed(1).padStart(7)} items/s  ×${(m / plain).toFixed(2)}   rounds ${values.map((v) => v.toFixed(0)).join(', ')}`,
    );
  }
} finally {
  await shutdown();
  await Promise.all([server.close(), mock.close()]);
  rmSync(dir, { recursive: true, force: true });
}
