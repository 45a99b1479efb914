/**
 * The REAL `langsmith` SDK (traceable + wrapOpenAI around the real `openai` client) traces to
 * Argus's LangSmith run API, exactly as a user would set it up: LANGSMITH_ENDPOINT = the Argus
 * URL. Creates and updates travel as multipart (gzip, per /info); the API must show one span
 * per run, the tree, kinds, model, messages, tokens, TTFT and the error.
 */

import type { Span } from '@argus/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  runChatScenario,
  type ScenarioTruth,
  startCompatEnv,
  waitForSpans,
} from './support.ts';

let env: CompatEnv;
let truth: ScenarioTruth;
let spans: Span[];

beforeAll(async () => {
  env = await startCompatEnv();
  process.env.LANGSMITH_ENDPOINT = env.argus.url;
  process.env.LANGSMITH_API_KEY = 'any-key';
  process.env.LANGSMITH_TRACING = 'true';
  process.env.LANGSMITH_PROJECT = 'fable-service';
  const { Client } = await import('langsmith');
  const { traceable } = await import('langsmith/traceable');
  const { wrapOpenAI } = await import('langsmith/wrappers');
  const client = new Client();
  const openai = wrapOpenAI(new OpenAI({ apiKey: 'test', baseURL: env.openaiUrl, maxRetries: 0 }), {
    client,
  });
  const lookup = traceable(async (topic: string) => `facts about ${topic}`, {
    name: 'lookup',
    run_type: 'tool',
    client,
  });
  const pipeline = traceable(
    async (topic: string) => {
      await lookup(topic);
      return runChatScenario(openai, topic);
    },
    { name: 'pipeline', client, metadata: { session_id: 'sess-ls', user_id: 'user-ls' }, tags: ['compat'] },
  );
  truth = await pipeline('langsmith');
  await client.awaitPendingTraceBatches();
  // Five runs: pipeline, lookup and three llm calls (the failing one completes with its update).
  spans = await waitForSpans(env.argus, (all) => all.length >= 5);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('langsmith (traceable + wrapOpenAI)', () => {
  it('one span per run, in one tree', () => {
    expect(spans).toHaveLength(5);
    const root = spans.find((s) => s.parentSpanId === '')!;
    expect(root).toMatchObject({
      name: 'pipeline',
      kind: 'chain',
      serviceName: 'fable-service',
      tags: ['compat'],
    });
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
    expect(spans.filter((s) => s !== root).every((s) => s.parentSpanId === root.spanId)).toBe(true);
    expect(spans.find((s) => s.name === 'lookup')).toMatchObject({ kind: 'tool', toolName: 'lookup' });
    expect(spans.every((s) => s.convention === 'langsmith' && !s.attributes['argus.incomplete'])).toBe(true);
  });

  it('the chat call carries the common core, parameters, system prompt, session and user', () => {
    const chat = llmSpanFor(spans, truth.chat.prompt);
    expectCommonCore(chat, truth.chat);
    expect(chat.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(chat.systemInstructions).toEqual([{ type: 'text', content: 'You are a terse storyteller.' }]);
    expect(chat).toMatchObject({ sessionId: 'sess-ls', userId: 'user-ls', status: 'unset' });
  });

  it('the streamed call has its text, tokens and a TTFT', () => {
    const stream = llmSpanFor(spans, truth.stream.prompt);
    expectCommonCore(stream, truth.stream);
    expect(stream.ttftMs).toBeGreaterThanOrEqual(0); // defined: the time is known (0 ms is possible on loopback)
    expect(stream.ttftMs).toBeLessThan(stream.durationMs);
  });

  it('the failing call is an error span', () => {
    const failed = llmSpanFor(spans, truth.failingPrompt);
    expect(failed).toMatchObject({ status: 'error', provider: 'openai', requestModel: 'gpt-4o-mini' });
    expect(failed!.statusMessage).toContain('429');
  });
});
