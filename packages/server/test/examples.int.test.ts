/**
 * The runnable examples, run as a user would (`node src/…` in a child process, against the
 * mock LLM they start themselves) and checked through the API of a real server: the Express
 * chat app streams an answer whose trace carries the request's session and user, and the RAG
 * pipeline's retrieval and LLM steps arrive as one trace per question.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');

type TraceItem = {
  traceId: string;
  rootName: string;
  userId: string;
  sessionId: string;
  serviceName: string;
  outputPreview: string;
};

let argus: TestServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  argus = await startTestServer();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await argus?.stop();
});

/** Runs `node <file>` in an example's folder (as its `npm start` does), provider variables cleared so the mock is used. */
function runExample(folder: string, file: string, env: Record<string, string> = {}) {
  const clean = { ...process.env };
  for (const name of [
    'KIMI_BASE_URL',
    'KIMI_API_KEY',
    'OPENAI_BASE_URL',
    'OPENAI_API_KEY',
    'MODEL',
    'OTEL_SERVICE_NAME',
  ])
    delete clean[name];
  // `--conditions`: in this repository the examples load @argus/sdk from its sources (npm start does the same).
  const child = spawn(process.execPath, ['--conditions=@argus/source', file], {
    cwd: path.join(EXAMPLES, folder),
    env: { ...clean, ARGUS_ENDPOINT: argus.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls the trace list until `query` finds `count` traces. */
async function tracesWhere(query: string, count: number): Promise<TraceItem[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = await argus.get<{ data: TraceItem[] }>(`/api/v1/traces?${query}`);
    if (data.length >= count || Date.now() > deadline) return data;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('examples/express-chat', () => {
  it('streams a chat answer as SSE and its trace has the session and user of the request', async () => {
    const app = runExample('express-chat', 'src/server.ts', { PORT: '0' });
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (url === undefined) {
      url = /listening on (http:\/\/[\d.]+:\d+)/.exec(app.output())?.[1];
      if (Date.now() > deadline || app.child.exitCode !== null)
        throw new Error(`app did not start:\n${app.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const sessionId = `chat-${Date.now()}`;
    const response = await fetch(`${url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': sessionId, 'x-user-id': 'user-42' },
      body: JSON.stringify({ message: 'Tell me a story about foxes' }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)).toBe('data: [DONE]');
    const answer = events
      .slice(0, -1)
      .map((e) => (JSON.parse(e.slice('data: '.length)) as { delta: string }).delta)
      .join('');
    expect(answer).toMatch(/^Once upon a time/);

    const [trace] = await tracesWhere(`sessionId=${sessionId}`, 1);
    expect(trace).toMatchObject({
      serviceName: 'express-chat',
      userId: 'user-42',
      sessionId,
      outputPreview: answer,
    });
    const detail = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${trace!.traceId}`);
    const llm = detail.spans.find((s) => s.kind === 'llm')!;
    expect(llm.params.stream).toBe(true);
    expect(llm.ttftMs).toBeGreaterThan(0);
    expect(llm.outputTokens).toBeGreaterThan(0);
  });
});

describe('examples/rag-pipeline', () => {
  it('answers its questions with traced retrieval and LLM calls', async () => {
    const run = runExample('rag-pipeline', 'src/main.ts');
    expect(await run.exited).toBe(0);
    const session = /in session (\S+):/.exec(run.output())?.[1];
    expect(session, run.output()).toBeDefined();
    expect(run.output()).toContain('Q: How long does Argus keep my data?');

    const traces = await tracesWhere(`sessionId=${session}`, 3);
    expect(traces).toHaveLength(3);
    const detail = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${traces[0]!.traceId}`);
    const kinds = detail.spans.map((s) => s.kind).sort();
    expect(kinds).toEqual(['chain', 'embedding', 'llm', 'retriever']);
    const retriever = detail.spans.find((s) => s.kind === 'retriever')!;
    expect(retriever.retrievalDocuments).toHaveLength(2);
    expect(retriever.retrievalDocuments![0]).toMatchObject({
      content: expect.any(String),
      score: expect.any(Number),
    });
    const all = await tracesWhere('service=rag-pipeline', 4);
    expect(all.map((t) => t.rootName)).toContain('ingest');
  });
});
