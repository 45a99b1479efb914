/**
 * observe() against a real Argus server: span tree, kinds, captured input/output, retrieval
 * documents, errors re-thrown unchanged, and (async) generators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { flush, init, observe, shutdown } from '../src/index.ts';
import { readTrace, spanNamed } from './support.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
  init({ endpoint: argus.url, serviceName: 'sdk-observe-test', diagnostics: 'warn' });
});
afterAll(async () => {
  await shutdown();
  await argus?.stop();
});

describe('observe', () => {
  it('records a tree of chain, agent, retriever and tool spans with inputs and outputs', async () => {
    const search = observe.wrap(
      'search-docs',
      async (_query: string) => [
        {
          id: 'd1',
          pageContent: 'Paris is the capital of France.',
          score: 0.91,
          metadata: { source: 'wiki' },
        },
        { id: 'd2', pageContent: 'France is in Europe.', score: 0.5 },
      ],
      { kind: 'retriever' },
    );
    const weather = observe.wrap('get-weather', (city: string) => ({ city, tempC: 21 }), { kind: 'tool' });
    let traceId = '';
    const answer = await observe(
      'answer',
      async (span) => {
        traceId = span.spanContext().traceId;
        return observe(
          'plan',
          async () => {
            const docs = await search('capital of France');
            const forecast = weather('Paris');
            return `${docs.length} docs, ${forecast.tempC}°C`;
          },
          { kind: 'agent' },
        );
      },
      { input: 'What is the capital of France?' },
    );
    expect(answer).toBe('2 docs, 21°C');
    await flush();
    const trace = await readTrace(argus, traceId, 4);
    const root = spanNamed(trace, 'answer');
    const plan = spanNamed(trace, 'plan');
    const retriever = spanNamed(trace, 'search-docs');
    const tool = spanNamed(trace, 'get-weather');

    expect(root).toMatchObject({ parentSpanId: '', kind: 'chain', serviceName: 'sdk-observe-test' });
    expect(root.input).toBe('What is the capital of France?');
    expect(root.output).toBe('2 docs, 21°C');
    expect(plan).toMatchObject({ parentSpanId: root.spanId, kind: 'agent', operation: 'invoke_agent' });
    expect(retriever).toMatchObject({
      parentSpanId: plan.spanId,
      kind: 'retriever',
      input: 'capital of France',
    });
    expect(retriever.retrievalDocuments).toEqual([
      { id: 'd1', content: 'Paris is the capital of France.', score: 0.91, metadata: { source: 'wiki' } },
      { id: 'd2', content: 'France is in Europe.', score: 0.5 },
    ]);
    expect(tool).toMatchObject({
      parentSpanId: plan.spanId,
      kind: 'tool',
      toolName: 'get-weather',
      input: 'Paris',
    });
    expect(tool.output).toEqual({ city: 'Paris', tempC: 21 });
    expect(trace.spans.every((s) => s.status !== 'error')).toBe(true);
  });

  it.each([
    // Each kind must land on the canonical kind the normalizer derives from the emitted attributes.
    ['chain', 'chain'],
    ['workflow', 'workflow'],
    ['embedding', 'embedding'],
    ['llm', 'llm'],
    ['guardrail', 'guardrail'],
    ['evaluator', 'evaluator'],
  ] as const)('kind %s becomes %s', async (kind, expected) => {
    const traceId = observe(`step-${kind}`, (span) => span.spanContext().traceId, { kind });
    await flush();
    expect(spanNamed(await readTrace(argus, traceId), `step-${kind}`).kind).toBe(expected);
  });

  it('records errors and re-throws the very same object (sync and async)', async () => {
    class QuotaError extends Error {}
    const syncError = new QuotaError('quota exceeded');
    const asyncError = new TypeError('bad input');
    let traceId = '';
    let caughtSync: unknown;
    try {
      observe('sync-fail', (span) => {
        traceId = span.spanContext().traceId;
        throw syncError;
      });
    } catch (error) {
      caughtSync = error;
    }
    expect(caughtSync).toBe(syncError);
    const failing = observe.wrap('async-fail', async () => {
      throw asyncError;
    });
    await expect(failing()).rejects.toBe(asyncError);
    const nonError = { code: 42 };
    expect(() =>
      observe('throws-object', () => {
        throw nonError;
      }),
    ).toThrow(expect.objectContaining({ code: 42 }));
    await flush();
    const span = spanNamed(await readTrace(argus, traceId), 'sync-fail');
    expect(span).toMatchObject({ status: 'error', statusMessage: 'quota exceeded', errorType: 'QuotaError' });
    expect(span.events.map((e) => e.name)).toContain('exception');
    expect(span.events[0]?.attributes['exception.message']).toBe('quota exceeded');
  });

  it('returns the very promise the function returned', async () => {
    const promise = Promise.resolve(7);
    expect(observe('same-promise', () => promise)).toBe(promise);
    await expect(promise).resolves.toBe(7);
  });

  it('wrap keeps this, arguments and the function name', () => {
    const counter = {
      base: 10,
      add: observe.wrap('add', function add(this: { base: number }, a: number, b: number) {
        return this.base + a + b;
      }),
    };
    expect(counter.add(1, 2)).toBe(13);
    expect(counter.add.name).toBe('add');
  });

  it('traces an async generator until it finishes, with children inside it', async () => {
    let traceId = '';
    const stream = observe.wrap('stream-tokens', async function* (prompt: string) {
      traceId = observe('inside-generator', (span) => span.spanContext().traceId);
      for (const token of ['Hel', 'lo ', prompt]) {
        await new Promise((r) => setTimeout(r, 1));
        yield token;
      }
    });
    const received: string[] = [];
    for await (const token of stream('world')) received.push(token);
    expect(received).toEqual(['Hel', 'lo ', 'world']);
    await flush();
    const trace = await readTrace(argus, traceId, 2);
    const generator = spanNamed(trace, 'stream-tokens');
    expect(spanNamed(trace, 'inside-generator').parentSpanId).toBe(generator.spanId);
    expect(generator).toMatchObject({ input: 'world', output: 'Hello world', status: 'unset' });
  });

  it('records an async generator that fails mid-way and re-throws its error', async () => {
    const boom = new RangeError('stream broke');
    let traceId = '';
    const stream = observe.wrap('broken-stream', async function* () {
      traceId = observe('marker', (span) => span.spanContext().traceId);
      yield 1;
      throw boom;
    });
    const received: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream()) received.push(n);
      })(),
    ).rejects.toBe(boom);
    expect(received).toEqual([1]);
    await flush();
    const span = spanNamed(await readTrace(argus, traceId, 2), 'broken-stream');
    expect(span).toMatchObject({ status: 'error', errorType: 'RangeError' });
  });

  it('ends a generator span when the consumer stops early, and traces sync generators', async () => {
    let traceId = '';
    const numbers = observe.wrap('numbers', function* () {
      traceId = observe('marker-sync', (span) => span.spanContext().traceId);
      for (let i = 0; ; i++) yield i;
    });
    const taken: number[] = [];
    for (const n of numbers()) {
      if (n === 3) break;
      taken.push(n);
    }
    expect(taken).toEqual([0, 1, 2]);
    await flush();
    const span = spanNamed(await readTrace(argus, traceId, 2), 'numbers');
    expect(span.output).toEqual([0, 1, 2, 3]);
    expect(span.status).toBe('unset');
  });
});
