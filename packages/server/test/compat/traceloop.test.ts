/**
 * The REAL Traceloop OpenLLMetry SDK (`@traceloop/node-server-sdk`) instrumenting the real
 * `openai` client (its `instrumentModules` option, the documented way for ESM apps) inside a
 * workflow with association properties, exporting to Argus with `baseUrl` = the Argus URL.
 */

import type { Span } from '@argus/shared';
import * as traceloop from '@traceloop/node-server-sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  runChatScenario,
  type ScenarioTruth,
  SYSTEM,
  startCompatEnv,
  textOf,
  waitForSpans,
} from './support.ts';

let env: CompatEnv;
let truth: ScenarioTruth;
let spans: Span[];

beforeAll(async () => {
  env = await startCompatEnv();
  traceloop.initialize({
    appName: 'traceloop-app',
    baseUrl: env.argus.url,
    apiKey: 'tl-test',
    disableBatch: true,
    traceloopSyncEnabled: false,
    silenceInitializationMessage: true,
    // Its types name the hoisted `openai` (7.x); at run time it patches the class it is given.
    instrumentModules: { openAI: OpenAI as never },
  });
  const openai = new OpenAI({ apiKey: 'test', baseURL: env.openaiUrl, maxRetries: 0 });
  truth = await traceloop.withAssociationProperties({ session_id: 'sess-tl', user_id: 'user-tl' }, () =>
    traceloop.withWorkflow({ name: 'fable_workflow' }, () => runChatScenario(openai, 'traceloop')),
  );
  await traceloop.forceFlush();
  spans = await waitForSpans(
    env.argus,
    (all) => all.filter((s) => s.kind === 'llm').length >= 2 && all.length >= 3,
  );
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('Traceloop OpenLLMetry (@traceloop/node-server-sdk)', () => {
  it('the chat call carries the common core, parameters, session and user under the workflow', () => {
    const span = llmSpanFor(spans, truth.chat.prompt);
    expectCommonCore(span, truth.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(textOf(span.input, 'system')).toBe(SYSTEM);
    expect(span).toMatchObject({
      convention: 'openllmetry',
      sessionId: 'sess-tl',
      userId: 'user-tl',
      serviceName: 'traceloop-app',
    });
    const parent = spans.find((s) => s.spanId === span.parentSpanId);
    expect(parent).toMatchObject({ name: 'fable_workflow.workflow', kind: 'workflow' });
  });

  it('the streamed call carries the text; its tokens are the library tiktoken count', () => {
    // OpenLLMetry counts streamed tokens itself and ignores the stream's usage chunk.
    expectCommonCore(llmSpanFor(spans, truth.stream.prompt), truth.stream, { estimatedTokens: 'library' });
  });

  it('the failing call leaves no span (library gap: a rejected promise never ends its span)', () => {
    // If this starts failing, the library now records errors: update docs/compatibility.md.
    expect(llmSpanFor(spans, truth.failingPrompt)).toBeUndefined();
    expect(spans.filter((s) => s.kind === 'llm')).toHaveLength(2);
  });
});
