/**
 * The REAL OpenLIT JS SDK (`openlit.init` with `otlpEndpoint` = the Argus URL) instrumenting the
 * real `openai` client (its `instrumentations` option, the documented way for ESM apps).
 */

import type { Span } from '@argus/shared';
import { trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { Openlit } from 'openlit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  MODEL,
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
  Openlit.init({
    applicationName: 'openlit-app',
    environment: 'compat',
    otlpEndpoint: env.argus.url,
    disableBatch: true,
    disableMetrics: true,
    // An inline (empty) price list: the default fetches one from the internet. OpenLIT then
    // reports cost 0, which Argus reads as "unknown" and prices itself.
    pricingJson: { chat: {} },
    instrumentations: { openai: OpenAI },
  });
  const openai = new OpenAI({ apiKey: 'test', baseURL: env.openaiUrl, maxRetries: 0 });
  truth = await runChatScenario(openai, 'openlit');
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  await provider.getDelegate?.().forceFlush?.();
  spans = await waitForSpans(env.argus, (all) => all.filter((s) => s.kind === 'llm').length >= 3);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('OpenLIT (openlit)', () => {
  it('the chat call carries the common core and the parameters', () => {
    const span = llmSpanFor(spans, truth.chat.prompt);
    expectCommonCore(span, truth.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(textOf(span.input, 'system')).toBe(SYSTEM);
    expect(span).toMatchObject({
      convention: 'openlit',
      serviceName: 'openlit-app',
      environment: 'compat',
      costSource: 'computed',
    });
  });

  it('the streamed call carries the common core', () => {
    // No TTFT check: OpenLIT JS times the first chunk from the start of iteration, not from the
    // request, so against a loopback mock it is 0 ms and left out (docs/compatibility.md).
    expectCommonCore(llmSpanFor(spans, truth.stream.prompt), truth.stream);
  });

  it('the failing call is an error', () => {
    const failed = spans.find((s) => s.status === 'error');
    expect(failed).toMatchObject({ kind: 'llm', requestModel: MODEL, provider: 'openai' });
  });
});
