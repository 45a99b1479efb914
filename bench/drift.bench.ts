/**
 * `node bench/drift.bench.ts [trials] [spans] [scenarios]`: how well the drift tests' default thresholds
 * separate known shifts from none, and what a compare costs.
 *
 * Part 1 (statistics only, no server): synthetic traffic with known shifts — none, a topic shift
 * (30 % of questions on a new topic), a length shift (answers 25 % longer), a model change (half
 * the traffic on a new response model whose answers are 15 % longer) and a gradual topic shift
 * (0 → 30 % across the current window) — at 300 and 2,000 spans per window. Each cell is the
 * share of `trials` comparisons flagged as drifted: on the `none` row that is the false-positive
 * rate, on the others the detection power (a test that the shift does not touch should stay near
 * the false-positive rate).
 *
 * Part 2 (the real server, chDB): the wall time of `POST /api/v1/drift/compare` over windows
 * holding `spans` spans in all (default 100,000), with the default features and sample, and
 * with the embedding feature added.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FEATURES } from '../packages/server/src/behaviour/drift/features.ts';
import { categoricalDrift } from '../packages/server/src/behaviour/drift/stats/categorical.ts';
import { embeddingDrift } from '../packages/server/src/behaviour/drift/stats/embedding.ts';
import { featurise } from '../packages/server/src/behaviour/drift/stats/featurise.ts';
import { numericDrift } from '../packages/server/src/behaviour/drift/stats/numeric.ts';
import { textDrift } from '../packages/server/src/behaviour/drift/stats/text.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { type Random, seededRandom } from '../packages/server/src/quality/stats/random.ts';
import { startServer } from '../packages/server/src/server.ts';
import {
  driftSpan,
  postDriftSpans,
  questions,
  type Topic,
} from '../packages/server/test/support/drift-traffic.ts';

const TRIALS = Number(process.argv[2] ?? 20);
const SPANS = Number(process.argv[3] ?? 100_000);
/** Scenarios to run (comma-separated; default all); `spans` 0 skips part 2. */
const ONLY = process.argv[4]?.split(',');

/** One synthetic span's features. */
interface Row {
  question: string;
  outputTokens: number;
  latencyMs: number;
  model: string;
}

interface Shape {
  /** Share of questions on the new topic at the window's start and end (linear in between). */
  newTopic: [number, number];
  lengthFactor: number;
  /** Share of traffic on the new response model (its answers 15 % longer). */
  newModel: number;
}

const SCENARIOS: Record<string, Shape> = {
  none: { newTopic: [0, 0], lengthFactor: 1, newModel: 0 },
  topic: { newTopic: [0.3, 0.3], lengthFactor: 1, newModel: 0 },
  length: { newTopic: [0, 0], lengthFactor: 1.25, newModel: 0 },
  'model change': { newTopic: [0, 0], lengthFactor: 1, newModel: 0.5 },
  gradual: { newTopic: [0, 0.3], lengthFactor: 1, newModel: 0 },
};
const BASE_TOPICS: Topic[] = ['cooking', 'billing'];

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function sample(shape: Shape, n: number, random: Random): Row[] {
  const seed = Math.floor(random() * 2 ** 31);
  const base = questions(BASE_TOPICS, n, seed);
  const shifted = questions('travel', n, seed + 1);
  return Array.from({ length: n }, (_, i) => {
    const share = shape.newTopic[0] + ((shape.newTopic[1] - shape.newTopic[0]) * i) / Math.max(1, n - 1);
    const onNewModel = random() < shape.newModel;
    const factor = shape.lengthFactor * (onNewModel ? 1.15 : 1);
    const outputTokens = Math.max(1, Math.round(Math.exp(Math.log(200) + 0.5 * normal(random)) * factor));
    return {
      question: random() < share ? shifted[i]! : base[i]!,
      outputTokens,
      latencyMs: 300 + outputTokens * 12 * Math.exp(0.2 * normal(random)),
      model: onNewModel ? 'gpt-4o-2024-11-20' : 'gpt-4o-2024-08-06',
    };
  });
}

const TESTS: Record<string, (r: Row[], c: Row[], random: Random) => boolean> = {
  'input (text)': (r, c, random) =>
    textDrift(
      r.map((x) => x.question),
      c.map((x) => x.question),
      { seed: Math.floor(random() * 1e9) },
    ).drifted,
  'input (embedding)': (r, c, random) =>
    embeddingDrift(
      r.slice(0, 300).map((x) => featurise(x.question)),
      c.slice(0, 300).map((x) => featurise(x.question)),
      random,
    ).drifted,
  outputTokens: (r, c) =>
    numericDrift(
      r.map((x) => x.outputTokens),
      c.map((x) => x.outputTokens),
    ).drifted,
  latency: (r, c) =>
    numericDrift(
      r.map((x) => x.latencyMs),
      c.map((x) => x.latencyMs),
    ).drifted,
  model: (r, c) =>
    categoricalDrift(
      r.map((x) => x.model),
      c.map((x) => x.model),
    ).drifted,
};

function part1(): string[] {
  const lines: string[] = [];
  for (const size of [300, 2000]) {
    const names = Object.keys(TESTS);
    lines.push(`\n${size} spans per window, ${TRIALS} trials each (share flagged as drifted):\n`);
    lines.push(`| shift | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---').join(' | ')} |`);
    for (const [scenario, shape] of Object.entries(SCENARIOS)) {
      if (ONLY && !ONLY.includes(scenario)) continue;
      const random = seededRandom(size * 7 + scenario.length);
      const flagged = Object.fromEntries(names.map((n) => [n, 0]));
      const started = performance.now();
      for (let t = 0; t < TRIALS; t++) {
        const reference = sample(SCENARIOS.none!, size, random);
        const current = sample(shape, size, random);
        for (const name of names) if (TESTS[name]!(reference, current, random)) flagged[name]!++;
      }
      const cells = names.map((n) => `${((100 * flagged[n]!) / TRIALS).toFixed(0)} %`);
      lines.push(`| ${scenario} | ${cells.join(' | ')} |`);
      process.stderr.write(`  ${size} ${scenario}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
  }
  return lines;
}

async function part2(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-drift-bench-'));
  const config = loadConfig({ port: 0, grpcPort: 0, dataDir: dir, logLevel: 'error' }, {});
  const server = await startServer(config, createLogger('error'));
  try {
    const now = Date.now();
    const half = Math.floor(SPANS / 2);
    const random = seededRandom(99);
    for (const [window, startMs] of [
      ['reference', now - 4 * 3600_000],
      ['current', now - 2 * 3600_000],
    ] as const) {
      const rows = sample(window === 'current' ? SCENARIOS.topic! : SCENARIOS.none!, half, random);
      const spans = rows.map((row, i) =>
        driftSpan({
          atMs: startMs + (i * 100 * 60_000) / half,
          question: row.question,
          requestModel: 'gpt-4o',
          responseModel: row.model,
          outputTokens: row.outputTokens,
          durationMs: row.latencyMs,
        }),
      );
      await postDriftSpans(server.url, 'drift-bench', spans);
    }
    const body = (features?: string[]) => ({
      reference: { from: now - 4 * 3600_000, to: now - 2 * 3600_000 - 1 },
      current: { from: now - 2 * 3600_000, to: now },
      ...(features ? { features } : {}),
    });
    const lines = [
      `\nCompare over ${SPANS.toLocaleString('en')} spans (${half.toLocaleString('en')} per window):\n`,
    ];
    lines.push('| features | sample per window | wall time (ms) | drifted |', '| --- | --- | --- | --- |');
    const cases: [string, Record<string, unknown>][] = [
      ['defaults (input, output, tokens, latency, cost, model, finishReason)', body()],
      ['defaults + inputEmbedding', body([...DEFAULT_FEATURES, 'inputEmbedding'])],
      ['defaults, sample 10,000', { ...body(), sampleSize: 10_000 }],
    ];
    for (const [label, request] of cases) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/v1/drift/compare`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
        const json = (await response.json()) as { data: { drifted: boolean } };
        if (!response.ok) throw new Error(JSON.stringify(json));
        const ms = performance.now() - started;
        // The first call warms the query; the second is reported.
        if (attempt === 1)
          lines.push(
            `| ${label} | ${request.sampleSize ?? 2000} | ${ms.toFixed(0)} | ${json.data.drifted} |`,
          );
      }
    }
    return lines;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
const lines = [...part1(), ...(SPANS > 0 ? await part2() : [])];
console.log(lines.join('\n'));
console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
