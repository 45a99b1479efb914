/**
 * `@argus/sdk` as users install it: `npm pack` (which builds dist/), the tarball installed into a
 * fresh app outside the repository, and that app run with the system Node (20), the repository's
 * Node 24 and Node 22 (the npm package `node@22`), as ESM and as CommonJS, bundled by esbuild, and
 * type-checked by strict consumers (nodenext, node16, bundler). Every run sends a chain → streamed
 * LLM trace in a session to a real Argus; the test reads it back through the API. An experiment app
 * runs runExperiment() from the tarball on the system Node and Node 24. One npm install
 * serves every check. Figures (tarball size, install time) are printed, never asserted.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import {
  CJS_APP,
  ESM_APP,
  EXPERIMENT_APP,
  type Finished,
  runCommand,
  TYPE_CHECKS,
  writeTypeChecks,
} from './pack-apps.ts';
import { readTrace, spanNamed } from './support.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SDK_DIR = path.join(REPO, 'packages/sdk');
/** Versions the repository installed already (in the SDK's or the root node_modules), so npm finds them in its cache. */
function installedVersion(pkg: string): string {
  const manifest = [SDK_DIR, REPO]
    .map((dir) => path.join(dir, 'node_modules', pkg, 'package.json'))
    .find((file) => existsSync(file));
  if (manifest === undefined) throw new Error(`Cannot find ${pkg} in the repository's node_modules`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
const sdkVersion = (
  JSON.parse(readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

let argus: TestServer;
let mock: MockLlm;
let work: string;
let app: string;
let pack: { size: number; unpackedSize: number; files: { path: string }[] };
/** Node binaries by label; a missing one is the reason it is missing. */
const nodes = new Map<string, { bin: string; version: string } | { missing: string }>();
const figures: string[] = [];

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  figures.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function expectOk(result: Finished, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).toBe(0);
}

/** The first `node` on PATH outside any node_modules/.bin: the machine's own Node. */
function systemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const bin = path.join(dir, 'node');
    if (existsSync(bin) && statSync(bin).isFile()) return bin;
  }
  return undefined;
}

async function addNode(label: string, bin: string | undefined, why: string): Promise<void> {
  const probe = bin === undefined ? undefined : await runCommand(bin, ['--version'], { cwd: work });
  const version = probe?.code === 0 ? probe.output.trim() : undefined;
  if (version === undefined) nodes.set(label, { missing: `${why}\n${probe?.output ?? ''}` });
  // The package supports Node >= 20 (engines); an older system Node is not a failure of it.
  else if (Number(/^v(\d+)/.exec(version)?.[1]) < 20)
    nodes.set(label, { missing: `${bin} is ${version}, before 20` });
  else nodes.set(label, { bin: bin!, version });
}

/** Node 22 from the npm package `node@22` in a temp folder, reused by later runs. */
async function installNode22(): Promise<{ bin?: string; error?: string }> {
  const dir = path.join(os.tmpdir(), 'argus-sdk-node22');
  const bin = path.join(dir, 'node_modules/node/bin/node');
  const probe = existsSync(bin) ? await runCommand(bin, ['--version'], { cwd: dir }) : undefined;
  if (probe?.code === 0 && probe.output.startsWith('v22.')) return { bin };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'node22', private: true, allowScripts: { node: true } }),
  );
  const installed = await timed('node@22 install', () =>
    runCommand('npm', ['install', 'node@22', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      timeoutMs: 120_000,
    }),
  );
  return installed.code === 0 ? { bin } : { error: installed.output };
}

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm({ latencyMs: 20, chunkDelayMs: 2 })]);
  work = mkdtempSync(path.join(os.tmpdir(), 'argus-sdk-pack-'));
  app = path.join(work, 'app');
  mkdirSync(app);

  const packed = await timed('npm pack (build included)', () =>
    runCommand('npm', ['pack', '--json', '--pack-destination', work], { cwd: SDK_DIR, timeoutMs: 120_000 }),
  );
  expectOk(packed, 'npm pack');
  [pack] = JSON.parse(packed.output.slice(packed.output.indexOf('['), packed.output.lastIndexOf(']') + 1));
  figures.push(
    `tarball ${(pack.size / 1024).toFixed(0)} kB, unpacked ${(pack.unpackedSize / 1024).toFixed(0)} kB`,
  );

  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'fresh-app',
      private: true,
      dependencies: {
        '@argus/sdk': `file:${path.join(work, `argus-sdk-${sdkVersion}.tgz`)}`,
        // openai 7 needs Node 22; 6 is the newest that also runs on Node 20.
        openai: installedVersion('openai-v6'),
        '@opentelemetry/api': installedVersion('@opentelemetry/api'),
      },
      devDependencies: { '@types/node': installedVersion('@types/node') },
    }),
  );
  writeFileSync(path.join(app, 'app.mjs'), ESM_APP);
  writeFileSync(path.join(app, 'app.cjs'), CJS_APP);
  writeFileSync(path.join(app, 'experiment.mjs'), EXPERIMENT_APP);
  const [install, node22] = await Promise.all([
    timed('app npm install', () =>
      runCommand('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: app,
        timeoutMs: 120_000,
      }),
    ),
    installNode22(),
  ]);
  expectOk(install, 'npm install of the tarball');

  await addNode('system', systemNode(), 'No node outside node_modules on PATH');
  await addNode(
    '24',
    path.join(REPO, 'node_modules/node/bin/node'),
    "The repository's node@24 is not installed",
  );
  await addNode('22', node22.bin, `Cannot install node@22 from npm: ${node22.error ?? ''}`);
}, 300_000);

afterAll(async () => {
  if (figures.length > 0) console.log(`@argus/sdk pack: ${figures.join(' · ')}`);
  await mock?.close();
  await argus?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Polls the trace list until the session's trace is there. */
async function traceOfSession(sessionId: string): Promise<string | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = await argus.get<{ data: { traceId: string }[] }>(
      `/api/v1/traces?sessionId=${sessionId}`,
    );
    if (data.length > 0 || Date.now() > deadline) return data[0]?.traceId;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs an app file with `node`, then checks its chain → llm trace arrived complete. */
async function runApp(bin: string, file: string, service: string, cwd = app) {
  const sessionId = `${service}-${Date.now()}`;
  const run = await runCommand(bin, [file, sessionId], {
    cwd,
    env: { ARGUS_ENDPOINT: argus.url, MOCK_URL: `${mock.url}/v1`, APP_SERVICE: service },
  });
  expectOk(run, `${service} (${file})`);
  // The app's one stdout line (warnings on stderr may follow it).
  const line = run.output.split('\n').find((l) => l.startsWith('{"answer"'));
  expect(line, run.output).toBeDefined();
  const printed = JSON.parse(line!) as { answer: string; node: string };
  expect(printed.answer).toMatch(/^Once upon a time/);

  const traceId = await traceOfSession(sessionId);
  expect(traceId, `no trace of session ${sessionId}`).toBeDefined();
  const trace = await readTrace(argus, traceId!, 2);
  const chain = spanNamed(trace, 'answer');
  expect(chain).toMatchObject({ kind: 'chain', parentSpanId: '', serviceName: service, sessionId });
  // The version the SDK reports is the installed package's (SDK_VERSION kept in step with package.json).
  expect(chain.resourceAttributes).toMatchObject({
    'telemetry.distro.name': '@argus/sdk',
    'telemetry.distro.version': sdkVersion,
  });
  const llm = trace.spans.find((s) => s.kind === 'llm');
  expect(llm).toMatchObject({ parentSpanId: chain.spanId, serviceName: service, sessionId });
  expect(llm!.params.stream).toBe(true);
  expect(llm!.inputTokens).toBeGreaterThan(0);
  expect(llm!.outputTokens).toBeGreaterThan(0);
  expect(llm!.ttftMs).toBeGreaterThan(0);
  return printed;
}

describe('the tarball', () => {
  it('holds dist/, the README and package.json; dist imports exactly its declared packages', () => {
    const paths = pack.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !p.startsWith('dist/'))).toEqual(['README.md', 'package.json']);
    for (const file of [
      'esm/index.js',
      'esm/index.js.map',
      'esm/index.d.ts',
      'cjs/index.js',
      'cjs/index.d.ts',
    ])
      expect(paths).toContain(`dist/${file}`);
    const installed = path.join(app, 'node_modules/@argus/sdk');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    const dependencies = Object.keys(manifest.dependencies);
    const declared = new Set([...dependencies, ...Object.keys(manifest.peerDependencies)]);
    for (const file of ['dist/esm/index.js', 'dist/cjs/index.js']) {
      const code = readFileSync(path.join(installed, file), 'utf8');
      const imported = new Set(
        [...code.matchAll(/(?:from |require\()"([^"]+)"/g)].map((m) => m[1]!).filter((n) => !isBuiltin(n)),
      );
      // Every package it loads is declared (nothing from the monorepo such as @argus/shared) …
      for (const name of imported) expect(declared, `${file} imports ${name}`).toContain(name);
      // … and every runtime dependency is used: none installed for nothing.
      for (const name of dependencies) expect(imported, `${file} never loads ${name}`).toContain(name);
    }
  });
});

describe.each(['system', '22', '24'])('installed into a fresh app, Node %s', (label) => {
  it.for(['app.mjs', 'app.cjs'])(
    '%s sends a chain → llm trace with session, tokens and TTFT',
    async (file, ctx) => {
      const node = nodes.get(label);
      if (node === undefined || 'missing' in node) return ctx.skip(node?.missing ?? 'not probed');
      const printed = await runApp(node.bin, file, `pack-${label}-${file.replace('.', '-')}`);
      expect(printed.node).toBe(node.version);
    },
  );
});

describe.each(['system', '24'])('runExperiment from the tarball, Node %s', (label) => {
  it('runs the app on a dataset it made: a completed experiment with server and function scores, each item a trace', async (ctx) => {
    const node = nodes.get(label);
    if (node === undefined || 'missing' in node) return ctx.skip(node?.missing ?? 'not probed');
    await ensureEvaluator('exact', 'exact_match');
    const dataset = `pack-experiment-${label}`;
    const run = await runCommand(node.bin, ['experiment.mjs', dataset], {
      cwd: app,
      env: { ARGUS_ENDPOINT: argus.url, MOCK_URL: `${mock.url}/v1`, APP_SERVICE: dataset },
    });
    expectOk(run, `experiment.mjs on Node ${label}`);
    const line = run.output.split('\n').find((l) => l.startsWith('{"experiment"'));
    expect(line, run.output).toBeDefined();
    const { experiment, node: version } = JSON.parse(line!) as {
      experiment: {
        id: string;
        status: string;
        scores: Record<string, { mean: number; n: number }>;
        traceIds: string[];
      };
      node: string;
    };
    expect(version).toBe(node.version);
    expect(experiment.status).toBe('completed');
    expect(experiment.scores.exact).toMatchObject({ mean: 1, n: 5 });
    expect(experiment.scores.isShort).toMatchObject({ mean: 1, n: 5 });
    expect(new Set(experiment.traceIds).size).toBe(5);
    const trace = await readTrace(argus, experiment.traceIds[0]!, 2);
    expect(trace.spans.find((s) => s.parentSpanId === '')).toMatchObject({
      name: 'experiment item',
      kind: 'chain',
    });
    expect(trace.spans.some((s) => s.kind === 'llm')).toBe(true);
  });
});

let evaluatorMade: Promise<void> | undefined;
/** Creates the server evaluator the experiment app names, once. */
function ensureEvaluator(name: string, type: string): Promise<void> {
  evaluatorMade ??= fetch(`${argus.url}/api/v1/evaluators`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, type }),
  }).then((response) => expect(response.status).toBe(201));
  return evaluatorMade;
}

describe('bundled by esbuild', () => {
  // The ESM bundle needs the usual banner for packages that call require() (OTel's CJS builds do).
  const ESM_BANNER =
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
  it.for([
    { file: 'app.mjs', format: 'esm' as const },
    { file: 'app.cjs', format: 'cjs' as const },
  ])('$file as one $format file runs without node_modules and sends the trace', async ({ file, format }) => {
    const out = path.join(work, `bundled-${format}`);
    const result = await build({
      absWorkingDir: app,
      entryPoints: [file],
      outfile: path.join(out, file),
      bundle: true,
      platform: 'node',
      format,
      banner: format === 'esm' ? { js: ESM_BANNER } : {},
      metafile: true,
      logLevel: 'silent',
    });
    // The bundler took the package's `import` / `require` export, not its sources.
    expect(Object.keys(result.metafile?.inputs ?? {})).toContain(
      `node_modules/@argus/sdk/dist/${format}/index.js`,
    );
    // On the oldest Node there is (the system's, else the repository's).
    const system = nodes.get('system');
    const bin = system !== undefined && 'bin' in system ? system.bin : process.execPath;
    await runApp(bin, file, `pack-bundled-${format}`, out);
  });
});

describe('type-checked by a strict consumer', () => {
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  it.each(Object.keys(TYPE_CHECKS))('moduleResolution %s', async (resolution) => {
    const configs = writeTypeChecks(app);
    const checked = await runCommand(process.execPath, [tsc, '-p', configs[resolution]!, '--explainFiles'], {
      cwd: app,
    });
    expectOk(checked, `tsc (${resolution})`);
    // The ESM files read the `import` declarations, the CommonJS ones the `require` declarations.
    for (const declarations of TYPE_CHECKS[resolution]!.declarations)
      expect(checked.output).toContain(`node_modules/@argus/sdk/${declarations}`);
  });
});
