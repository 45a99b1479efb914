import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, startPostgres, type TestPostgres } from '../../test/support/postgres.ts';
import { createLogger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openPostgresClient } from '../store/metadata/postgres-client.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { AlertRepository } from './alert-repository.ts';
import { AlertEvaluator } from './evaluator.ts';
import { Lease } from './lease.ts';
import { NotificationDispatcher } from './notify/dispatcher.ts';
import { ruleInputSchema } from './schemas.ts';

// One contract suite over both metadata engines; each opens TWO clients on one database, as two
// servers would.
const engines: {
  name: string;
  open: () => Promise<{ clients: [SqlClient, SqlClient]; cleanup: () => void }>;
}[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-alerts-'));
      const file = path.join(dir, 'metadata.db');
      return {
        clients: [openSqliteClient(file), openSqliteClient(file)],
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];
let pg: TestPostgres | undefined;
if (hasPostgres() || process.env.CI) {
  engines.push({
    name: 'postgres',
    async open() {
      pg ??= await startPostgres();
      return { clients: [openPostgresClient(pg.url), openPostgresClient(pg.url)], cleanup: () => {} };
    },
  });
}
afterAll(() => pg?.stop());

describe.each(engines)('alert store on $name', (engine) => {
  let a: MetadataStore;
  let b: MetadataStore;
  let repo: AlertRepository;
  let cleanup: () => void;
  beforeAll(async () => {
    const opened = await engine.open();
    [a, b] = opened.clients.map((c) => new MetadataStore(c)) as [MetadataStore, MetadataStore];
    cleanup = opened.cleanup;
    await a.migrate();
    repo = new AlertRepository(a.sql);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    cleanup();
  });

  it('grants the lease to one holder, renews it, and hands it over on expiry or release', async () => {
    const t = 1_000_000;
    const one = new Lease(a.sql, { name: 'test-lease', holder: 'one', ttlMs: 1000 });
    const two = new Lease(b.sql, { name: 'test-lease', holder: 'two', ttlMs: 1000 });
    expect(await one.acquire(t)).toBe(true);
    expect(await two.acquire(t + 10)).toBe(false);
    expect(await one.acquire(t + 900)).toBe(true); // renewed until t + 1900
    expect(await two.acquire(t + 1500)).toBe(false);
    expect(await two.acquire(t + 1901)).toBe(true); // expired: taken over
    expect(await one.acquire(t + 1950)).toBe(false);
    expect(await one.current()).toEqual({ holder: 'two', expiresAtMs: t + 2901 });
    await one.release(); // not the holder: no effect
    expect(await one.acquire(t + 2000)).toBe(false);
    await two.release();
    expect(await one.acquire(t + 2001)).toBe(true);
  });

  it('lets only one of two evaluators on the same database evaluate', async () => {
    const logger = createLogger('silent');
    const evaluators = [a, b].map((store, i) => {
      const r = new AlertRepository(store.sql);
      return new AlertEvaluator({
        repo: r,
        driver: {} as ClickhouseDriver, // no rules: nothing is read
        dispatcher: new NotificationDispatcher({ repo: r, logger }),
        logger,
        intervalMs: 20,
        holderId: `server-${i}`,
        baseUrl: 'http://argus.test',
      });
    });
    for (const evaluator of evaluators) evaluator.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Counted while both run: once the first stops it gives up the lease, and the second may then
    // take it over before its own stop (that hand-over is the lease doing its job, not a second leader).
    const ticks = evaluators.map((e) => e.leaderTicks);
    for (const evaluator of evaluators) await evaluator.stop();
    expect(ticks.filter((n) => n > 0)).toHaveLength(1);
    expect(Math.max(...ticks)).toBeGreaterThan(3);
  });

  it('stores rules, channels, silences, states and history, scoped by project', async () => {
    const input = ruleInputSchema.parse({
      name: 'Errors',
      type: 'threshold',
      source: { kind: 'series', metric: 'errors', filters: { service: "x'); DROP TABLE alert_rules; --" } },
      threshold: 1,
    });
    const rule = await repo.createRule('default', input);
    expect(await repo.getRule('default', rule.id)).toEqual(rule);
    expect(await repo.getRule('other', rule.id)).toBeUndefined();
    const updated = await repo.updateRule('default', rule.id, { ...input, enabled: false, threshold: 3 });
    expect(updated).toMatchObject({ enabled: false, threshold: 3 });
    expect(await repo.listRules(undefined, { enabledOnly: true })).toEqual([]);

    const now = new Date().toISOString();
    await repo.saveEvaluation(
      { ruleId: rule.id, projectId: 'default', state: 'firing', since: now, value: 4.5 },
      [
        {
          id: 'evt_1',
          projectId: 'default',
          ruleId: rule.id,
          ruleName: 'Errors',
          kind: 'firing',
          state: 'firing',
          value: 4.5,
          threshold: 3,
          details: { a: 1 },
          delivery: [],
          time: now,
        },
      ],
    );
    expect(await repo.listStates('default')).toEqual([
      expect.objectContaining({ ruleId: rule.id, state: 'firing', value: 4.5, activeSince: undefined }),
    ]);
    const events = await repo.listEvents('default', {
      ruleId: rule.id,
      fromIso: '2000-01-01',
      toIso: '2100-01-01',
    });
    expect(events).toEqual([
      expect.objectContaining({ id: 'evt_1', value: 4.5, threshold: 3, details: { a: 1 } }),
    ]);

    const channel = await repo.createChannel('default', {
      name: 'hook',
      type: 'slack',
      config: { url: 'http://h.test/x' },
    });
    expect((await repo.listChannels('default')).map((c) => c.id)).toEqual([channel.id]);
    expect(await repo.listChannels('other')).toEqual([]);

    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const active = await repo.createSilence('default', {
      matcher: { ruleId: rule.id, labels: {} },
      endsAt: new Date(Date.now() + 60_000).toISOString(),
      comment: '',
      createdBy: '',
    });
    await repo.createSilence('default', {
      matcher: { labels: { team: 'a' } },
      startsAt: hourAgo,
      endsAt: new Date(Date.now() - 60_000).toISOString(),
      comment: '',
      createdBy: '',
    });
    expect((await repo.listSilences('default')).map((s) => s.id)).toEqual([active.id]);
    expect(await repo.listSilences('default', { includeExpired: true })).toHaveLength(2);

    expect(await repo.deleteRule('default', rule.id)).toBe(true);
    expect(await repo.listStates('default')).toEqual([]);
    // History outlives its rule.
    expect(await repo.listEvents('default', { fromIso: '2000-01-01', toIso: '2100-01-01' })).toHaveLength(1);
  });
});
