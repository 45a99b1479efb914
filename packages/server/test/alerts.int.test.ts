/**
 * Alerting end to end: a real server evaluating every 200 ms, traffic posted as OTLP/JSON, and
 * notifications received by a loopback webhook (HMAC checked), a Slack-format receiver and a
 * real SMTP server with authentication. Each scenario uses its own service name, so rules
 * only see their own traffic.
 */

import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator, AlertRepository, NotificationDispatcher } from '../src/alerts/index.ts';
import { loadSecretBox } from '../src/auth/secret-box.ts';
import { createLogger } from '../src/logger.ts';
import { seededRandom } from '../src/quality/stats/random.ts';
import { makeSpan } from '../src/query/test-helpers.ts';
import { MetadataStore } from '../src/store/metadata/metadata-store.ts';
import { openSqliteClient } from '../src/store/metadata/sqlite-client.ts';
import { api, llmSpan, postSpans, times, waitFor } from './support/alert-traffic.ts';
import { runMain } from './support/cli.ts';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from './support/receivers.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const SECRET = 'webhook-signing-secret';
let server: TestServer;
let webhook: HttpReceiver;
let slack: HttpReceiver;
let smtp: SmtpReceiver;
const channel: Record<'webhook' | 'slack' | 'email', string> = { webhook: '', slack: '', email: '' };

beforeAll(async () => {
  [server, webhook, slack, smtp] = await Promise.all([
    startTestServer({ alertsIntervalMs: 200 }),
    startHttpReceiver(),
    startHttpReceiver(),
    startSmtpReceiver('alerts@example.test', 'smtp-pass'),
  ]);
  const create = async (body: unknown) => {
    const reply = await api<{ data: { id: string } }>(server.url, 'POST', '/api/v1/alerts/channels', body);
    expect(reply.status).toBe(201);
    return reply.body.data.id;
  };
  channel.webhook = await create({
    name: 'hook',
    type: 'webhook',
    config: { url: webhook.url, secret: SECRET },
  });
  channel.slack = await create({ name: 'slack', type: 'slack', config: { url: slack.url } });
  channel.email = await create({
    name: 'oncall mail',
    type: 'email',
    config: {
      host: '127.0.0.1',
      port: smtp.port,
      requireTls: true,
      tlsRejectUnauthorized: false,
      user: 'alerts@example.test',
      pass: 'smtp-pass',
      from: 'argus@example.test',
      to: ['oncall@example.test'],
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([webhook?.close(), slack?.close(), smtp?.close()]);
});

async function createRule(rule: Record<string, unknown>): Promise<string> {
  const reply = await api<{ data: { id: string } }>(server.url, 'POST', '/api/v1/alerts/rules', rule);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.data.id;
}
const hooksFor = (ruleId: string) =>
  webhook.received.filter((r) => (r.json.rule as { id: string }).id === ruleId);
const hookOf = (ruleId: string, kind: string) => hooksFor(ruleId).find((r) => r.json.kind === kind);
async function stateOf(ruleId: string): Promise<string | undefined> {
  const { body } = await api<{ data: { ruleId: string; state: string }[] }>(
    server.url,
    'GET',
    '/api/v1/alerts/states',
  );
  return body.data.find((s) => s.ruleId === ruleId)?.state;
}
async function eventsOf(ruleId: string) {
  const { body } = await api<{ data: { kind: string; delivery: { status: string; attempts: number }[] }[] }>(
    server.url,
    'GET',
    `/api/v1/alerts/events?ruleId=${ruleId}`,
  );
  return body.data;
}
/** Posts a batch of normal traffic every 300 ms until `done` holds (bounded). */
async function trafficUntil(service: string, make: () => unknown[], label: string, done: () => boolean) {
  await waitFor(
    label,
    async () => {
      await postSpans(server.url, service, make());
      await new Promise((resolve) => setTimeout(resolve, 200));
      return done();
    },
    25_000,
  );
}

describe('alerts end to end', () => {
  it('fires on a latency spike and an error burst, notifies every channel, then resolves', async () => {
    const latencyRule = await createRule({
      name: 'Chat p95 latency',
      type: 'threshold',
      source: { kind: 'series', metric: 'latencyP95', filters: { service: 'chat' } },
      window: '5s',
      comparison: '>',
      threshold: 3000,
      for: '400ms',
      severity: 'critical',
      channels: [channel.webhook, channel.slack, channel.email],
    });
    const errorRule = await createRule({
      name: 'Checkout error rate',
      type: 'threshold',
      source: { kind: 'series', metric: 'errorRate', filters: { service: 'checkout' } },
      window: '5s',
      threshold: 0.5,
      channels: [channel.webhook],
    });
    await postSpans(
      server.url,
      'chat',
      times(10, () => llmSpan({ durationMs: 200 })),
    );
    await postSpans(
      server.url,
      'chat',
      times(20, () => llmSpan({ durationMs: 9000 })),
    );
    const firing = await waitFor('latency firing webhook', () => hookOf(latencyRule, 'firing'));
    const signature = createHmac('sha256', SECRET).update(firing.body).digest('hex');
    expect(firing.headers['x-argus-signature']).toBe(`sha256=${signature}`);
    expect(Number(firing.headers['x-argus-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(firing.json).toMatchObject({
      version: 1,
      state: 'firing',
      threshold: 3000,
      comparison: '>',
      rule: { name: 'Chat p95 latency', severity: 'critical' },
      links: { rule: `${server.url}/api/v1/alerts/rules/${latencyRule}` },
    });
    expect(firing.json.value as number).toBeGreaterThan(3000);
    const slackMessage = await waitFor('slack firing', () =>
      slack.received.find((r) => String(r.json.text).startsWith('[FIRING] Chat p95 latency')),
    );
    expect(slackMessage.json.blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'header' })]),
    );
    const mail = await waitFor('firing mail', () =>
      smtp.mails.find((m) => m.raw.includes('[FIRING] Chat p95 latency')),
    );
    expect(mail).toMatchObject({
      authUser: 'alerts@example.test',
      secure: true,
      to: ['oncall@example.test'],
    });
    expect(mail.raw).toContain('Content-Type: text/html');
    expect(mail.raw).toContain('Threshold: > 3000');

    await postSpans(server.url, 'checkout', [
      ...times(8, () => llmSpan({ durationMs: 300, error: true })),
      llmSpan({ durationMs: 300 }),
    ]);
    const errorFiring = await waitFor('error-rate firing', () => hookOf(errorRule, 'firing'));
    expect(errorFiring.json.value as number).toBeGreaterThan(0.5);

    await trafficUntil(
      'chat',
      () => times(5, () => llmSpan({ durationMs: 200 })),
      'latency resolved',
      () => hookOf(latencyRule, 'resolved') !== undefined,
    );
    await trafficUntil(
      'checkout',
      () => times(5, () => llmSpan({ durationMs: 200 })),
      'error rate resolved',
      () => hookOf(errorRule, 'resolved') !== undefined,
    );
    await waitFor('resolved mail', () =>
      smtp.mails.find((m) => m.raw.includes('[RESOLVED] Chat p95 latency')),
    );
    await waitFor('resolved slack', () =>
      slack.received.find((r) => String(r.json.text).startsWith('[RESOLVED]')),
    );
    const history = await eventsOf(latencyRule);
    expect(history.map((e) => e.kind).reverse()).toEqual(['pending', 'firing', 'resolved']);
    const fired = history.find((e) => e.kind === 'firing')!;
    expect(fired.delivery.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect(await stateOf(latencyRule)).toBe('resolved');
  });

  it('silences suppress notifications while the state still changes', async () => {
    const ruleId = await createRule({
      name: 'Silenced errors',
      type: 'threshold',
      source: { kind: 'series', metric: 'errors', filters: { service: 'quiet' } },
      window: '5s',
      threshold: 2,
      channels: [channel.webhook],
      labels: { team: 'search' },
    });
    const silence = await api(server.url, 'POST', '/api/v1/alerts/silences', {
      matcher: { labels: { team: 'search' } },
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      comment: 'maintenance',
    });
    expect(silence.status).toBe(201);
    await postSpans(
      server.url,
      'quiet',
      times(5, () => llmSpan({ durationMs: 100, error: true })),
    );
    await waitFor('silenced rule firing', async () => (await stateOf(ruleId)) === 'firing');
    await waitFor('silenced rule resolved', async () => (await stateOf(ruleId)) === 'resolved', 15_000);
    const history = await eventsOf(ruleId);
    expect(history.map((e) => e.kind).reverse()).toEqual(['firing', 'resolved']);
    expect(history.every((e) => e.delivery.every((d) => d.status === 'silenced'))).toBe(true);
    expect(hooksFor(ruleId)).toEqual([]);
  });

  it('re-notifies at the interval while firing', async () => {
    const ruleId = await createRule({
      name: 'Persistent errors',
      type: 'threshold',
      source: { kind: 'series', metric: 'errorRate', filters: { service: 'flaky' } },
      window: '20s',
      threshold: 0.5,
      renotifyInterval: '1s',
      channels: [channel.webhook],
    });
    await postSpans(
      server.url,
      'flaky',
      times(4, () => llmSpan({ durationMs: 100, error: true })),
    );
    await waitFor(
      'two re-notifications',
      () => hooksFor(ruleId).filter((r) => r.json.kind === 'renotified').length >= 2,
    );
    const kinds = hooksFor(ruleId).map((r) => r.json.kind);
    expect(kinds[0]).toBe('firing');
    const times_ = hooksFor(ruleId).map((r) => Date.parse(r.json.time as string));
    expect(times_[1]! - times_[0]!).toBeGreaterThanOrEqual(1000);
  });

  it('fires a budget rule at 80 % and escalates at 100 %', async () => {
    const ruleId = await createRule({
      name: 'Daily spend',
      type: 'budget',
      source: { kind: 'series', metric: 'costUsd', filters: { service: 'billing' } },
      budget: { period: 'day', amountUsd: 1, percentages: [80, 100] },
      channels: [channel.webhook],
    });
    await postSpans(server.url, 'billing', [
      llmSpan({ durationMs: 100, costUsd: 0.45 }),
      llmSpan({ durationMs: 100, costUsd: 0.4 }),
    ]);
    const at80 = await waitFor('budget 80 %', () => hookOf(ruleId, 'firing'));
    expect(at80.json).toMatchObject({
      threshold: 0.8,
      details: { percentage: 80, amountUsd: 1, period: 'day' },
    });
    expect(at80.json.value as number).toBeCloseTo(0.85, 5);
    await postSpans(server.url, 'billing', [llmSpan({ durationMs: 100, costUsd: 0.2 })]);
    const at100 = await waitFor('budget 100 %', () => hookOf(ruleId, 'escalated'));
    expect(at100.json).toMatchObject({ threshold: 1, details: { percentage: 100 } });
  });

  it('fires an anomaly rule on a spike over a seeded seasonal history', async () => {
    const random = seededRandom(42);
    const stepMs = 5 * 60_000;
    const start = Math.floor((Date.now() - 3 * 86_400_000) / stepMs) * stepMs;
    const history = [];
    for (let at = start; at < Date.now() - 1000; at += stepMs) {
      const hour = (at % 86_400_000) / 3600_000;
      history.push(
        makeSpan({
          at,
          serviceName: 'seasonal',
          durationMs: 1000 * (1 + 0.2 * Math.sin((hour / 24) * 2 * Math.PI)) * (0.95 + 0.1 * random()),
        }),
      );
    }
    await server.server.store.insertSpans(history);
    const ruleId = await createRule({
      name: 'Seasonal latency',
      type: 'anomaly',
      source: { kind: 'series', metric: 'latencyP95', filters: { service: 'seasonal' } },
      window: '5m',
      for: '0s',
      anomaly: { historyDays: 3, direction: 'above' },
      channels: [channel.webhook],
    });
    await waitFor('anomaly rule evaluated', async () => (await stateOf(ruleId)) !== undefined);
    expect(await stateOf(ruleId)).toBe('ok');
    const band = await api<{
      points: { value: number | null; lower: number | null; upper: number | null; anomalous: boolean }[];
    }>(server.url, 'GET', `/api/v1/alerts/rules/${ruleId}/band?from=${Date.now() - 6 * 3600_000}`);
    expect(band.status).toBe(200);
    expect(band.body.points.length).toBeGreaterThanOrEqual(70);
    const banded = band.body.points.filter((p) => p.value !== null && p.upper !== null);
    expect(banded.length).toBeGreaterThanOrEqual(70);
    expect(banded.filter((p) => p.anomalous).length).toBeLessThanOrEqual(2);
    expect(banded.every((p) => p.lower! < p.upper!)).toBe(true);

    await postSpans(
      server.url,
      'seasonal',
      times(20, () => llmSpan({ durationMs: 8000 })),
    );
    const fired = await waitFor('anomaly firing', () => hookOf(ruleId, 'firing'));
    const firedBand = fired.json.band as { lower: number; upper: number };
    expect(firedBand.upper).toBeGreaterThan(900);
    expect(firedBand.upper).toBeLessThan(2000);
    expect(fired.json.value as number).toBeGreaterThan(firedBand.upper);
    expect(fired.json.details).toMatchObject({ method: 'daily' });
  });

  it('is managed from the CLI: create, list, silence, test a channel, delete', async () => {
    const file = path.join(server.dataDir, 'rule.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'CLI rule',
        type: 'threshold',
        source: { kind: 'score', name: 'thumbs', aggregation: 'avg' },
        comparison: '<',
        threshold: 0.5,
      }),
    );
    const argus = async (...args: string[]) => {
      const { code, out } = await runMain(['alerts', ...args, '--url', server.url], process.env);
      return { code, out };
    };
    const created = await argus('create', '--file', file);
    expect(created.code).toBe(0);
    const id = /Created rule (\S+)/.exec(created.out)![1]!;
    expect((await argus('list')).out).toMatch(new RegExp(`${id}\\s+CLI rule\\s+threshold`));
    const silenced = await argus('silence', id, '--for', '2h', '--comment', 'cli test');
    expect(silenced.out).toContain(`Silenced rule ${id} until`);
    const test = await argus('test-channel', channel.webhook);
    expect(test).toEqual({
      code: 0,
      out: `Test message delivered to channel ${channel.webhook} (1 attempt)\n`,
    });
    expect(webhook.received.at(-1)!.json).toMatchObject({
      kind: 'test',
      rule: { name: 'Argus test notification' },
    });
    expect((await argus('delete', id)).code).toBe(0);
    expect((await argus('list', '--json')).out).not.toContain(id);
  });

  it('lets only one of two evaluators sharing the metadata store evaluate', async () => {
    const metadata = new MetadataStore(openSqliteClient(path.join(server.dataDir, 'metadata.db')));
    // The second server reads the same sealed channels, so it has the same secret key.
    const box = await loadSecretBox({ configured: undefined, dataDir: server.dataDir, metadata });
    const repo = new AlertRepository(metadata.sql, box);
    const logger = createLogger('silent');
    const second = new AlertEvaluator({
      repo,
      driver: server.server.store.driver,
      dispatcher: new NotificationDispatcher({ repo, logger }),
      logger,
      intervalMs: 200,
      holderId: 'second-server',
      baseUrl: server.url,
    });
    try {
      const first = server.server.alerting.evaluator!;
      const before = first.leaderTicks;
      for (let i = 0; i < 5; i++) {
        expect(await second.tick()).toEqual({ isLeader: false, evaluated: 0, failed: 0 });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(first.leaderTicks).toBeGreaterThan(before);
      await first.stop();
      const ticksAtStop = first.leaderTicks;
      const taken = await second.tick();
      expect(taken.isLeader).toBe(true);
      expect(taken.evaluated).toBeGreaterThanOrEqual(5);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(first.leaderTicks).toBe(ticksAtStop);
    } finally {
      await second.stop();
      await metadata.close();
    }
  });
});
