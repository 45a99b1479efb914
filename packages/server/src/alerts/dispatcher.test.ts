import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/alert-traffic.ts';
import { type HttpReceiver, startHttpReceiver } from '../../test/support/receivers.ts';
import { createLogger } from '../logger.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { type AlertEvent, AlertRepository } from './alert-repository.ts';
import { NotificationDispatcher } from './notify/dispatcher.ts';
import { buildMessage, summary } from './notify/message.ts';
import { signBody, slackBody } from './notify/senders.ts';
import { type Channel, ruleInputSchema } from './schemas.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-notify-'));
const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
const repo = new AlertRepository(store.sql);
let receiver: HttpReceiver;
beforeAll(async () => {
  await store.migrate();
  receiver = await startHttpReceiver();
});
afterAll(async () => {
  await receiver.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rule = {
  ...ruleInputSchema.parse({
    name: 'Cost spike',
    type: 'threshold',
    source: { kind: 'series', metric: 'costUsd', filters: {} },
    threshold: 5,
  }),
  id: 'rule_1',
  projectId: 'default',
  createdAt: '',
  updatedAt: '',
};

describe('notifications', () => {
  it('signs the body with HMAC-SHA256', () => {
    // Known vector: HMAC-SHA256(key "secret", "hello").
    expect(signBody('secret', 'hello')).toBe(
      'sha256=88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b',
    );
  });

  it('renders a summary and a Slack body', () => {
    const event = {
      id: 'e1',
      kind: 'firing',
      state: 'firing',
      value: 7.5,
      threshold: 5,
      details: {},
      time: '2025-01-01T00:00:00.000Z',
    } as unknown as AlertEvent;
    const message = buildMessage(rule, event, 'http://argus.test');
    expect(summary(message)).toBe('[FIRING] Cost spike: 7.5 > 5 (warning)');
    const slack = slackBody(message);
    expect(slack.text).toBe(summary(message));
    expect(JSON.stringify(slack.blocks)).toContain('http://argus.test/api/v1/alerts/rules/rule_1');
  });

  it('retries with backoff and records attempts, error and delivery time on the event', async () => {
    const channel = await repo.createChannel('default', {
      name: 'hook',
      type: 'webhook',
      config: { url: receiver.url, secret: '', headers: {} },
    });
    const created = await repo.createRule('default', rule);
    const dispatcher = new NotificationDispatcher({
      repo,
      logger: createLogger('silent'),
      retry: { baseDelayMs: 20, attempts: 4 },
    });
    const channels = new Map<string, Channel>([[channel.id, channel]]);
    const event: AlertEvent = {
      id: 'evt_retry',
      projectId: 'default',
      ruleId: created.id,
      ruleName: rule.name,
      kind: 'firing',
      state: 'firing',
      value: 9,
      threshold: 5,
      details: {},
      time: new Date().toISOString(),
      delivery: dispatcher.plan([channel.id, 'ch_gone'], channels, false),
    };
    await repo.saveEvaluation(
      { ruleId: created.id, projectId: 'default', state: 'firing', since: event.time },
      [event],
    );
    receiver.failNext(2);
    const started = Date.now();
    dispatcher.deliver(event, channels, buildMessage(created, event, 'http://argus.test'));
    const stored = await waitFor('delivery recorded', async () => {
      const [e] = await repo.listEvents('default', { fromIso: '2000-01-01', toIso: '2100-01-01' });
      return e?.delivery[0]?.status === 'pending' ? undefined : e;
    });
    // Waits of 20 and 40 ms before the second and third attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(stored.delivery).toEqual([
      expect.objectContaining({
        channelId: channel.id,
        status: 'delivered',
        attempts: 3,
        deliveredAt: expect.any(String),
      }),
      { channelId: 'ch_gone', status: 'missing', attempts: 0, lastError: 'no such channel' },
    ]);
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    const dispatcher = new NotificationDispatcher({
      repo,
      logger: createLogger('silent'),
      retry: { baseDelayMs: 1, attempts: 3 },
    });
    receiver.failNext(5);
    const delivery = await dispatcher.send(
      {
        id: 'c',
        projectId: 'default',
        name: 'x',
        type: 'slack',
        config: { url: receiver.url },
        createdAt: '',
        updatedAt: '',
      },
      buildMessage(
        rule,
        { id: 'e', kind: 'firing', state: 'firing', details: {}, time: '' } as unknown as AlertEvent,
        '',
      ),
    );
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: expect.stringContaining('HTTP 500'),
    });
    receiver.failNext(0);
  });
});
