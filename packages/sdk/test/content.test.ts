/**
 * Content options: captureContent=false records no inputs, outputs or document texts;
 * `redact` is applied to everything captured; a throwing `redact` hides the text and breaks
 * nothing. Each case re-initializes the SDK (shutdown, then init with new options).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { flush, type InitOptions, init, observe, shutdown } from '../src/index.ts';
import { readTrace, spanNamed } from './support.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
});
afterEach(async () => {
  await shutdown();
});
afterAll(async () => {
  await argus?.stop();
});

const docs = [{ id: 'doc-1', text: 'Contact ann@example.com for refunds', score: 0.7 }];

/** Runs a chain with a retriever and a tool child under `options`; returns the stored trace. */
async function runPipeline(options: InitOptions) {
  init({ endpoint: argus.url, ...options });
  let traceId = '';
  const out = await observe(
    'pipeline',
    async (span) => {
      traceId = span.spanContext().traceId;
      await observe.wrap('retrieve', async (_q: string) => docs, { kind: 'retriever' })(
        'mail of ann@example.com',
      );
      observe.wrap('send', (to: string) => `sent to ${to}`, { kind: 'tool' })('ann@example.com');
      return 'answer for ann@example.com';
    },
    { input: { question: 'who is ann@example.com?' } },
  );
  expect(out).toBe('answer for ann@example.com');
  await flush();
  return readTrace(argus, traceId, 3);
}

describe('content capture', () => {
  it('records no content when captureContent is false', async () => {
    const t = await runPipeline({ captureContent: false });
    for (const span of t.spans) {
      expect(span.input, span.name).toBeUndefined();
      expect(span.output, span.name).toBeUndefined();
    }
    // Documents keep their ids and scores, not their text.
    expect(spanNamed(t, 'retrieve').retrievalDocuments).toEqual([{ id: 'doc-1', score: 0.7 }]);
    expect(spanNamed(t, 'send').toolName).toBe('send');
    expect(JSON.stringify(t)).not.toContain('ann@example.com');
  });

  it('applies redact to inputs, outputs, tool arguments and documents', async () => {
    const t = await runPipeline({ redact: (text) => text.replaceAll(/[\w.]+@[\w.]+/g, '[email]') });
    expect(JSON.stringify(t)).not.toContain('ann@example.com');
    expect(spanNamed(t, 'pipeline').input).toEqual({ question: 'who is [email]?' });
    expect(spanNamed(t, 'pipeline').output).toBe('answer for [email]');
    expect(spanNamed(t, 'retrieve').input).toBe('mail of [email]');
    expect(spanNamed(t, 'retrieve').retrievalDocuments?.[0]?.content).toBe('Contact [email] for refunds');
    expect(spanNamed(t, 'send')).toMatchObject({ input: '[email]', output: 'sent to [email]' });
  });

  it('replaces content when redact throws, and the application keeps running', async () => {
    const messages: string[] = [];
    const t = await runPipeline({
      redact: () => {
        throw new Error('redactor down');
      },
      diagnostics: (message) => messages.push(message),
    });
    expect(JSON.stringify(t)).not.toContain('ann@example.com');
    expect(spanNamed(t, 'pipeline').output).toBe('[redaction failed]');
    expect(messages.some((m) => m.includes('redactor down'))).toBe(true);
  });

  it('respects per-call captureInput/captureOutput', async () => {
    init({ endpoint: argus.url });
    const traceId = observe('secret-step', (span) => span.spanContext().traceId, {
      input: 'visible input',
      captureOutput: false,
    });
    const otherId = observe('no-input', (span) => span.spanContext().traceId, {
      input: 'hidden',
      captureInput: false,
    });
    await flush();
    const span = spanNamed(await readTrace(argus, traceId), 'secret-step');
    expect(span.input).toBe('visible input');
    expect(span.output).toBeUndefined();
    const other = spanNamed(await readTrace(argus, otherId), 'no-input');
    expect(other.input).toBeUndefined();
    expect(other.output).toBe(otherId);
  });
});
