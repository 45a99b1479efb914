/**
 * The pip half of the compatibility matrix: REAL Python instrumentation libraries, each in its
 * own program (`python/*.py`, run with the project virtualenv `.venv-compat`), run the same
 * scenario as the npm cases (`python/scenario.py` mirrors `runChatScenario`) against the mock
 * provider and export to this file's Argus server; the API must show the common core.
 *
 * The virtualenv holds the pinned `python/requirements.txt`; `.ci/run` creates it before the
 * tests, and this file creates it when missing or stale (marker = the requirements' SHA-256).
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallTruth,
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  MODEL,
  type ScenarioTruth,
  SYSTEM,
  startCompatEnv,
  textOf,
  waitForSpans,
} from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');
const venv = path.join(repo, '.venv-compat');
const python = path.join(venv, 'bin', 'python');
const requirements = path.join(here, 'python', 'requirements.txt');
const marker = path.join(venv, '.requirements-sha256');
const INSTALL_TIMEOUT_MS = 600_000;

/** Creates (or refreshes) the virtualenv unless its marker matches the requirements. */
function ensureVenv(): void {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) return;
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', '--clear', venv]],
    [python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirements]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
    if (r.error || r.status !== 0) {
      throw new Error(
        `compat venv setup failed: ${cmd} ${args.join(' ')} → ${r.error?.message ?? `exit ${r.status}`}\n${r.stderr ?? ''}`,
      );
    }
  }
  writeFileSync(marker, `${hash}\n`);
}

/** Runs one program with the venv's python; returns the truth it printed. */
async function runProgram(script: string, env: Record<string, string>): Promise<ScenarioTruth> {
  const { stdout } = await promisify(execFile)(python, [path.join(here, 'python', script)], {
    env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 60_000,
  }).catch((e: Error & { stderr?: string }) => {
    throw new Error(`${script} failed: ${e.message}\n${e.stderr ?? ''}`);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('TRUTH '));
  if (!line) throw new Error(`${script} printed no truth:\n${stdout}`);
  return JSON.parse(line.slice('TRUTH '.length)) as ScenarioTruth;
}

/** A free loopback port. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const KIMI = 'moonshot-v1-8k';

/** What the Flask app's routes answered. */
interface FlaskTruth {
  chat: CallTruth;
  stream: CallTruth;
  failingPrompt: string;
  failStatus: number;
}

/** Starts the Flask + OpenLIT app, requests its routes (the stream route streams), stops it. */
async function runFlaskKimi(base: Record<string, string>): Promise<FlaskTruth> {
  const port = await freePort();
  const app: ChildProcess = spawn(python, [path.join(here, 'python', 'flask_kimi_app.py')], {
    env: { ...process.env, ...base, PORT: String(port), PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  app.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`flask app exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`flask app did not start: ${stderr}`);
      const ok = await fetch(`${url}/stream-truth`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const q = (p: string) => `?prompt=${encodeURIComponent(p)}`;
    const chat = (await (await fetch(`${url}/chat${q('Tell a fable about kimi')}`)).json()) as CallTruth;
    const streamPrompt = 'Stream a fable about kimi';
    const response = await fetch(`${url}/stream${q(streamPrompt)}`);
    let answer = '';
    let chunks = 0;
    for await (const piece of response.body as AsyncIterable<Uint8Array>) {
      answer += Buffer.from(piece).toString('utf8');
      chunks++;
    }
    expect(chunks).toBeGreaterThan(0);
    const streamTruth = (await (await fetch(`${url}/stream-truth`)).json()) as Omit<
      CallTruth,
      'prompt' | 'answer'
    >;
    const failingPrompt = '[[fail:429]] kimi';
    const failStatus = (await fetch(`${url}/fail${q(failingPrompt)}`)).status;
    return {
      chat: { ...chat, requestModel: KIMI },
      stream: { ...streamTruth, prompt: streamPrompt, answer, requestModel: KIMI },
      failingPrompt,
      failStatus,
    };
  } finally {
    // SIGTERM: the app flushes and shuts its tracer provider down, then exits.
    const exited = new Promise((r) => app.once('exit', r));
    app.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (app.exitCode === null) app.kill('SIGKILL');
  }
}

let env: CompatEnv;
let flask: FlaskTruth;
let spans: Span[];
const truth: Record<'openinference' | 'langsmith' | 'otel', ScenarioTruth> = {} as never;
const of = (convention: string) => spans.filter((s) => s.convention === convention);

beforeAll(async () => {
  ensureVenv();
  env = await startCompatEnv();
  const base = { MOCK_OPENAI_URL: env.openaiUrl, ARGUS_URL: env.argus.url };
  [truth.openinference, truth.otel, flask, truth.langsmith] = await Promise.all([
    runProgram('openinference_app.py', base),
    runProgram('otel_v2_app.py', { ...base, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }),
    runFlaskKimi(base),
    runProgram('langsmith_app.py', {
      ...base,
      LANGSMITH_ENDPOINT: env.argus.url,
      LANGSMITH_API_KEY: 'x',
      LANGSMITH_TRACING: 'true',
      LANGSMITH_PROJECT: 'fable-service-py',
    }),
  ]);
  spans = await waitForSpans(
    env.argus,
    (all) =>
      all.filter((s) => s.convention === 'openinference').length >= 3 &&
      all.filter((s) => s.convention === 'openlit').length >= 3 &&
      all.filter((s) => s.convention === 'otel_genai' && s.output !== undefined).length >= 2 &&
      all.filter((s) => s.convention === 'langsmith').length >= 5,
  );
}, INSTALL_TIMEOUT_MS + 120_000);

afterAll(async () => {
  await env?.close();
});

describe('Python: openinference-instrumentation-openai (arize-phoenix-otel register)', () => {
  it('the chat call carries the common core and the parameters', () => {
    const span = llmSpanFor(of('openinference'), truth.openinference.chat.prompt);
    expectCommonCore(span, truth.openinference.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(span.systemInstructions).toEqual([{ type: 'text', content: SYSTEM }]);
    // register(project_name=…) names the resource; no session/user was set (OpenInference has
    // `using_session`/`using_user` context managers, not exercised here).
    expect(span).toMatchObject({
      serviceName: 'openinference-py',
      operation: 'chat',
      finishReasons: ['stop'],
    });
  });

  it('the streamed call carries the common core', () => {
    const span = llmSpanFor(of('openinference'), truth.openinference.stream.prompt);
    expectCommonCore(span, truth.openinference.stream);
    // Python OpenInference (unlike its JS sibling) records usage, the response model and the first token.
    expect(span.ttftMs).toBeGreaterThanOrEqual(0); // defined: the library sends it
    expect(span.ttftMs).toBeLessThan(span.durationMs);
  });

  it('the failing call is an error span', () => {
    const failed = llmSpanFor(of('openinference'), truth.openinference.failingPrompt);
    expect(failed).toMatchObject({ status: 'error', requestModel: MODEL });
  });
});

describe('Python: langsmith (@traceable + wrap_openai)', () => {
  it('one span per run, in one tree', () => {
    const runs = of('langsmith');
    expect(runs).toHaveLength(5);
    const root = runs.find((s) => s.parentSpanId === '')!;
    expect(root).toMatchObject({
      name: 'pipeline',
      kind: 'chain',
      serviceName: 'fable-service-py',
      tags: ['compat'],
    });
    expect(runs.every((s) => s.traceId === root.traceId)).toBe(true);
    expect(runs.filter((s) => s !== root).every((s) => s.parentSpanId === root.spanId)).toBe(true);
    expect(runs.find((s) => s.name === 'lookup')).toMatchObject({ kind: 'tool' });
  });

  it('the chat call carries the common core, parameters, system prompt, session and user', () => {
    const chat = llmSpanFor(of('langsmith'), truth.langsmith.chat.prompt);
    expectCommonCore(chat, truth.langsmith.chat);
    expect(chat.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(chat.systemInstructions).toEqual([{ type: 'text', content: SYSTEM }]);
    expect(chat).toMatchObject({ sessionId: 'sess-ls-py', userId: 'user-ls-py' });
  });

  it('the streamed call carries the common core and a TTFT', () => {
    const stream = llmSpanFor(of('langsmith'), truth.langsmith.stream.prompt);
    expectCommonCore(stream, truth.langsmith.stream);
    expect(stream.ttftMs).toBeGreaterThanOrEqual(0);
    expect(stream.ttftMs).toBeLessThan(stream.durationMs);
  });

  it('the failing call is an error span', () => {
    const failed = llmSpanFor(of('langsmith'), truth.langsmith.failingPrompt);
    expect(failed).toMatchObject({ status: 'error', requestModel: MODEL });
    expect(failed!.statusMessage).toContain('429');
  });

  // client.create_feedback(run_id, …) posts to /feedback; the score lands on the run's trace.
  it('feedback from create_feedback is a score on the root run', async () => {
    const root = of('langsmith').find((s) => s.parentSpanId === '')!;
    const trace = await env.argus.get<{ scores: Array<Record<string, unknown>> }>(
      `/api/v1/traces/${root.traceId}`,
    );
    expect(trace.scores).toEqual([
      expect.objectContaining({ name: 'helpful', value: 1, comment: 'from python', spanId: root.spanId }),
    ]);
    expect((truth.langsmith as ScenarioTruth & { rootRunId?: string }).rootRunId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Python: Flask + OpenLIT + Kimi (openlit.init, openai package, streamed route)', () => {
  const kimiSpans = () => of('openlit').filter((s) => s.kind === 'llm');

  it('the chat call carries the common core and the parameters', () => {
    const span = llmSpanFor(kimiSpans(), flask.chat.prompt);
    expectCommonCore(span, flask.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(textOf(span.input, 'system')).toBe('You are a terse storyteller.');
    expect(span).toMatchObject({ serviceName: 'flask-kimi', environment: 'compat' });
  });

  it('the answer streamed from the Flask route carries the common core', () => {
    expect(flask.stream.answer.length).toBeGreaterThan(0);
    expectCommonCore(llmSpanFor(kimiSpans(), flask.stream.prompt), flask.stream);
  });

  it('the failing call is an error span', () => {
    expect(flask.failStatus).toBe(502);
    const failed = kimiSpans().find((s) => s.status === 'error');
    expect(failed).toMatchObject({ requestModel: KIMI, provider: 'openai' });
    expect(failed!.statusMessage).toContain('429');
    // OpenLIT also instruments Flask itself: one http span per request (4, the readiness polls too).
    expect(of('openlit').filter((s) => s.kind === 'http').length).toBeGreaterThanOrEqual(3);
  });
});

describe('Python: opentelemetry-instrumentation-openai-v2 (OTel SDK, traces + logs)', () => {
  it('the chat call carries the common core (content joined from log events) and the parameters', () => {
    const span = llmSpanFor(of('otel_genai'), truth.otel.chat.prompt);
    expectCommonCore(span, truth.otel.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(textOf(span.input, 'system')).toBe(SYSTEM);
    expect(span).toMatchObject({ serviceName: 'otel-openai-v2-py', operation: 'chat' });
  });

  it('the streamed call carries the common core', () => {
    const span = llmSpanFor(of('otel_genai'), truth.otel.stream.prompt);
    expectCommonCore(span, truth.otel.stream);
    expect(span.ttftMs).toBeUndefined(); // the library records no first-token time
  });

  it('the failing call is an error span', () => {
    const failed = of('otel_genai').find((s) => s.status === 'error');
    expect(failed).toMatchObject({ kind: 'llm', requestModel: MODEL });
  });
});
