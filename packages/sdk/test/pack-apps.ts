/**
 * The fresh applications of the pack test (pack.int.test.ts), written the way a user would write
 * them: an ESM app and a CommonJS app that trace a chain → streamed LLM call in a session, and
 * strict TypeScript consumers for each module resolution a user may have. Plus the child-process
 * helper the test runs npm, node and tsc with.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the ESM and CommonJS apps do, the same in both: a session → chain → streamed LLM call, then
 * the answer printed. Run as `node <app> <sessionId>`, env ARGUS_ENDPOINT, MOCK_URL and APP_SERVICE.
 */
const APP_BODY = `const sessionId = process.argv[2];
init({ serviceName: process.env.APP_SERVICE });
const openai = wrapOpenAI(new OpenAI({ baseURL: process.env.MOCK_URL, apiKey: 'test-key' }));

const answer = await withSession(sessionId, () =>
  observe('answer', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Tell me a story about foxes' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  }, { input: 'Tell me a story about foxes' }),
);
await shutdown();
console.log(JSON.stringify({ answer, node: process.version }));
`;

/** The ESM app (`import`, top-level await): `node app.mjs <sessionId>`. */
export const ESM_APP = `import { init, observe, shutdown, withSession, wrapOpenAI } from '@argus/sdk';
import { OpenAI } from 'openai';

${APP_BODY}`;

/** The same app as CommonJS (`require`), its body in an async function (no top-level await). */
export const CJS_APP = `const { init, observe, shutdown, withSession, wrapOpenAI } = require('@argus/sdk');
const { OpenAI } = require('openai');

async function main() {
${APP_BODY}}
main();
`;

/**
 * The experiment app: \`node experiment.mjs <datasetName>\`, env as the others. It creates a dataset
 * of five sums, runs its own model call on each item with runExperiment (the server's \`exact\`
 * evaluator and an evaluator function) and prints the run.
 */
export const EXPERIMENT_APP = `import { addItems, createDataset, init, runExperiment, shutdown, wrapOpenAI } from '@argus/sdk';
import { OpenAI } from 'openai';

const name = process.argv[2];
init({ serviceName: process.env.APP_SERVICE });
const openai = wrapOpenAI(new OpenAI({ baseURL: process.env.MOCK_URL, apiKey: 'test-key' }));
await createDataset({ name });
await addItems(name, [1, 2, 3, 4, 5].map((n) => ({ id: 'q' + n, input: 'What is ' + n + '+1?', expectedOutput: String(n + 1) })));
const run = await runExperiment({
  dataset: name,
  name: name + ' run',
  concurrency: 2,
  task: async (item) => {
    const res = await openai.chat.completions.create({
      model: 'mock-math-right',
      messages: [{ role: 'user', content: String(item.input) }],
    });
    return res.choices[0]?.message.content;
  },
  evaluators: ['exact', function isShort({ output }) { return String(output).length <= 2; }],
});
await shutdown();
console.log(JSON.stringify({ experiment: { id: run.id, status: run.status, scores: run.summary.scores, traceIds: run.items.map((i) => i.traceId) }, node: process.version }));
`;

/**
 * A typed consumer: uses the public API with the types a user relies on, and two misuses that
 * must be type errors (`@ts-expect-error` fails the check if the SDK's types were missing or `any`).
 */
const TYPED_APP = `import { type ArgusHandle, type ExperimentRun, init, observe, runExperiment, type ScoreInput, withSession, wrapOpenAI } from '@argus/sdk';
import { OpenAI } from 'openai';

export const handle: ArgusHandle = init({ serviceName: 'typed-app', sampleRate: 1, diagnostics: 'warn' });
const client: OpenAI = wrapOpenAI(new OpenAI({ apiKey: 'test-key' }));

export const answer: Promise<string | undefined> = withSession('s-1', () =>
  observe(
    'answer',
    async () => {
      const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      return res.choices[0]?.message.content ?? undefined;
    },
    { kind: 'chain' },
  ),
);
export const feedback: ScoreInput = { traceId: '0'.repeat(32), name: 'helpful', value: 1 };
export const run: Promise<ExperimentRun> = runExperiment({
  dataset: 'arithmetic',
  task: (item) => String(item.input),
  evaluators: ['exact', function short({ output }) { return output.length < 5; }],
});

// @ts-expect-error concurrency is a number
runExperiment({ dataset: 'd', task: () => 1, concurrency: 'many' });

// @ts-expect-error sampleRate is a number
init({ sampleRate: 'all' });
// @ts-expect-error 'banana' is not an observe kind
observe('x', () => 1, { kind: 'banana' });
`;

const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  // Check the SDK's declarations (and what they import) too, not only the consumer's code.
  skipLibCheck: false,
  target: 'es2022',
  types: ['node'],
  noEmit: true,
};

/** A consumer project: its compiler options, its files, and the SDK declarations it must read. */
interface TypeCheck {
  compilerOptions: object;
  files: Record<string, string>;
  declarations: string[];
}

/** Consumer projects by module resolution. */
export const TYPE_CHECKS: Record<string, TypeCheck> = {
  // Node's own resolution: an ESM file (import condition) and a CommonJS file (require condition).
  nodenext: {
    compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' },
    files: { 'nodenext.mts': TYPED_APP, 'nodenext.cts': TYPED_APP },
    declarations: ['dist/esm/index.d.ts', 'dist/cjs/index.d.ts'],
  },
  node16: {
    compilerOptions: { ...STRICT, module: 'node16', moduleResolution: 'node16' },
    files: { 'node16.mts': TYPED_APP, 'node16.cts': TYPED_APP },
    declarations: ['dist/esm/index.d.ts', 'dist/cjs/index.d.ts'],
  },
  // Bundler projects (Vite, esbuild, webpack) with ESM sources.
  bundler: {
    compilerOptions: { ...STRICT, module: 'preserve', moduleResolution: 'bundler' },
    files: { 'bundler.ts': TYPED_APP },
    declarations: ['dist/esm/index.d.ts'],
  },
};

/** Writes the consumer projects into `dir`; returns their tsconfig file names. */
export function writeTypeChecks(dir: string): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const [name, check] of Object.entries(TYPE_CHECKS)) {
    for (const [file, text] of Object.entries(check.files)) writeFileSync(path.join(dir, file), text);
    const config = `tsconfig.${name}.json`;
    writeFileSync(
      path.join(dir, config),
      JSON.stringify({ compilerOptions: check.compilerOptions, files: Object.keys(check.files) }, null, 2),
    );
    configs[name] = config;
  }
  return configs;
}

/** What a finished child process left. */
export interface Finished {
  code: number;
  output: string;
}

/**
 * npm settings a child npm keeps: where and how to reach the registry. The rest of the `npm_*`
 * variables an `npm test` run exports describe the repository (`npm_config_prefix`,
 * `npm_config_local_prefix`, workspaces, the package) and would point installs back at it.
 */
const KEPT_NPM_SETTINGS =
  /^npm_config_(registry|cache|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|http_proxy|noproxy|no_proxy|@[^:]+:registry|\/\/.*)$/i;

/** Runs a command to completion (never rejects; a start failure or timeout is a non-zero code). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<Finished> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^npm_/i.test(name) || KEPT_NPM_SETTINGS.test(name)) env[name] = value;
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}${error && code === 1 ? `\n${error.message}` : ''}` });
      },
    );
  });
}
