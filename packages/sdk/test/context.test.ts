/**
 * withSession / withUser / withMetadata / withTags / withContext: every span started below
 * them, Argus' own and the application's, carries the values the server maps to sessionId,
 * userId, metadata and tags.
 */
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import {
  flush,
  init,
  observe,
  shutdown,
  withContext,
  withMetadata,
  withSession,
  withTags,
  withUser,
} from '../src/index.ts';
import { readTrace, spanNamed } from './support.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
  init({ endpoint: argus.url, serviceName: 'sdk-context-test', diagnostics: 'warn' });
});
afterAll(async () => {
  await shutdown();
  await argus?.stop();
});

describe('context', () => {
  it('puts session, user, metadata and tags on every span below, nested values merged', async () => {
    let traceId = '';
    const result = await withSession('chat-1', () =>
      withUser('u-9', () =>
        withMetadata({ plan: 'pro', attempt: 2 }, () =>
          withTags(['beta'], () =>
            observe('turn', async (span) => {
              traceId = span.spanContext().traceId;
              await new Promise((r) => setTimeout(r, 2));
              // The application's own spans get the values too (context span processor).
              trace.getTracer('app').startSpan('app-span').end();
              return withContext({ metadata: { attempt: 3, step: 'retrieve' }, tags: ['rag', 'beta'] }, () =>
                observe('child', async () => {
                  await new Promise((r) => setTimeout(r, 2));
                  return 'done';
                }),
              );
            }),
          ),
        ),
      ),
    );
    expect(result).toBe('done');
    observe('outside', () => 'no context');
    await flush();
    const t = await readTrace(argus, traceId, 3);
    for (const name of ['turn', 'app-span']) {
      expect(spanNamed(t, name), name).toMatchObject({
        sessionId: 'chat-1',
        userId: 'u-9',
        metadata: { plan: 'pro', attempt: '2' },
        tags: ['beta'],
      });
    }
    expect(spanNamed(t, 'child')).toMatchObject({
      sessionId: 'chat-1',
      userId: 'u-9',
      metadata: { plan: 'pro', attempt: '3', step: 'retrieve' },
      tags: ['beta', 'rag'],
    });
    const session = await argus.get<{ traces?: unknown[]; data?: unknown[] }>('/api/v1/sessions/chat-1');
    expect(JSON.stringify(session)).toContain(traceId);
  });

  it('returns the result of sync functions as is, and leaves spans outside untouched', async () => {
    const traceId = withSession('s-sync', () =>
      observe('sync-in-session', (span) => span.spanContext().traceId),
    );
    expect(typeof traceId).toBe('string');
    const outsideId = observe('sync-outside', (span) => span.spanContext().traceId);
    await flush();
    expect(spanNamed(await readTrace(argus, traceId), 'sync-in-session').sessionId).toBe('s-sync');
    const outside = spanNamed(await readTrace(argus, outsideId), 'sync-outside');
    expect(outside).toMatchObject({ sessionId: '', userId: '', tags: [], metadata: {} });
  });

  it('lets attributes set on the span win over the context', async () => {
    const traceId = withUser('context-user', () =>
      observe('explicit', (span) => span.spanContext().traceId, {
        attributes: { 'user.id': 'explicit-user' },
      }),
    );
    await flush();
    expect(spanNamed(await readTrace(argus, traceId), 'explicit').userId).toBe('explicit-user');
  });

  it('ignores invalid values instead of throwing', () => {
    expect(withSession(42 as unknown as string, () => 'ran')).toBe('ran');
    expect(withTags('not-a-list' as unknown as string[], () => 'ran')).toBe('ran');
    expect(withMetadata(null as unknown as Record<string, unknown>, () => 'ran')).toBe('ran');
  });
});
