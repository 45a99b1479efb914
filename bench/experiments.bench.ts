/**
 * `node bench/experiments.bench.ts [items]`: experiment throughput — items per second of a
 * prompt experiment (mock-math-right, exact_match) against the mock LLM, at concurrency 1, 4
 * and 8, and at 8 with an llm_judge evaluator (a second model call per item), measured from the
 * create request to `completed` through the REST API. Argus and the mock run in this process
 * (one event loop; the mock answers at once), so the figures are Argus's own cost per item run:
 * render, call, trace (2 spans through the ingest path), evaluate, score, result row, progress.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockLlm } from '../packages/mock-llm/src/index.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { startServer } from '../packages/server/src/server.ts';

const ITEMS = Number(process.argv[2] ?? 400);
const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-exp-bench-'));
const config = loadConfig({ port: 0, grpcPort: 0, dataDir: dir, logLevel: 'error' }, {});
const [server, mock] = await Promise.all([startServer(config, createLogger('error')), startMockLlm()]);

async function post(route: string, body: unknown): Promise<{ id: string; status: string }> {
  const response = await fetch(server.url + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data: { id: string; status: string } };
  if (!response.ok) throw new Error(`${route} → ${response.status} ${JSON.stringify(json)}`);
  return json.data;
}

try {
  const connection = await post('/api/v1/llm-connections', {
    name: 'mock',
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    apiKey: 'sk-bench',
  });
  const dataset = await post('/api/v1/datasets', { name: 'sums' });
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    id: `q${i}`,
    input: `What is ${i}+7?`,
    expectedOutput: String(i + 7),
  }));
  await post(`/api/v1/datasets/${dataset.id}/items`, { items });
  const exact = await post('/api/v1/evaluators', { name: 'exact', type: 'exact_match', config: {} });
  const judge = await post('/api/v1/evaluators', {
    name: 'judge',
    type: 'llm_judge',
    config: { connectionId: connection.id, model: 'mock-judge', template: 'correctness' },
  });
  const runs: [string, number, string[]][] = [
    ['exact_match, concurrency 1', 1, [exact.id]],
    ['exact_match, concurrency 4', 4, [exact.id]],
    ['exact_match, concurrency 8', 8, [exact.id]],
    ['exact_match + llm_judge, concurrency 8', 8, [exact.id, judge.id]],
  ];
  console.log(`experiment throughput, ${ITEMS} items, Argus + mock LLM in one process`);
  for (const [label, concurrency, evaluators] of runs) {
    const started = performance.now();
    const experiment = await post('/api/v1/experiments', {
      name: label,
      datasetId: dataset.id,
      target: {
        type: 'prompt',
        connectionId: connection.id,
        model: 'mock-math-right',
        messages: [{ role: 'user', content: '{{input}}' }],
      },
      evaluators,
      concurrency,
    });
    let status = experiment.status;
    while (status === 'queued' || status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      const answer = (await (await fetch(`${server.url}/api/v1/experiments/${experiment.id}`)).json()) as {
        data: { status: string };
      };
      status = answer.data.status;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label.padEnd(42)} ${status}  ${(ITEMS / seconds).toFixed(1).padStart(7)} items/s  (${seconds.toFixed(2)} s)`,
    );
  }
} finally {
  await Promise.all([server.close(), mock.close()]);
  rmSync(dir, { recursive: true, force: true });
}
