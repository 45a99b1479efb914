/**
 * `argus rules` through the real `argus` binary against a running server: create with flags,
 * list, update, a dry run, runs, backfill, delete; usage mistakes exit 2 with a clear message.
 */
import type { EvaluationRule } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './support/alert-traffic.ts';
import { runArgus } from './support/cli.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let env: NodeJS.ProcessEnv;
let evaluatorId = '';
const argus = (args: string[]) => runArgus(args, env);

beforeAll(async () => {
  server = await startTestServer({ onlineIntervalMs: 0 });
  env = { ARGUS_URL: server.url, ARGUS_API_KEY: '', ARGUS_PROJECT: '' };
  const created = await api<{ data: { id: string } }>(server.url, 'POST', '/api/v1/evaluators', {
    name: 'has-digits',
    type: 'regex',
    config: { pattern: '\\d' },
  });
  evaluatorId = created.body.data.id;
});
afterAll(() => server?.stop());

describe('argus rules', () => {
  it('creates, lists, updates, dry-runs, backfills and deletes a rule', async () => {
    const create = await argus([
      'rules',
      'create',
      '--name',
      'digits',
      '--evaluator',
      evaluatorId,
      '--filter',
      'kind=llm',
      '--filter',
      'model=gpt-4o',
      '--filter',
      'model=gpt-4o-mini',
      '--sampling',
      '0.25',
      '--json',
    ]);
    expect(create.code, create.stderr).toBe(0);
    const rule = JSON.parse(create.stdout) as EvaluationRule;
    expect(rule).toMatchObject({
      name: 'digits',
      samplingRate: 0.25,
      filter: { kind: 'llm', model: ['gpt-4o', 'gpt-4o-mini'] },
      evaluators: [evaluatorId],
    });
    const list = await argus(['rules', 'list']);
    expect(list.stdout).toMatch(/digits\s+true\s+span\s+0\.25/);
    const update = await argus(['rules', 'update', rule.id, '--enabled', 'false']);
    expect(update.stdout).toBe(`Updated rule ${rule.id} (digits, disabled)\n`);
    const dry = await argus(['rules', 'validate', '--evaluator', evaluatorId, '--filter', 'kind=llm']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('0 recent span(s) match; 0 evaluated');
    const runs = await argus(['rules', 'runs', rule.id]);
    expect(runs.stdout).toBe('No failures or skips recorded.\n');
    const backfill = await argus([
      'rules',
      'backfill',
      rule.id,
      '--from',
      '2026-01-01T00:00:00Z',
      '--to',
      '2026-01-02T00:00:00Z',
    ]);
    expect(backfill.stdout).toContain(
      'Backfill started over 2026-01-01T00:00:00.000Z – 2026-01-02T00:00:00.000Z',
    );
    const deleted = await argus(['rules', 'delete', rule.id]);
    expect(deleted.stdout).toBe(`Deleted rule ${rule.id}\n`);
    expect((await argus(['rules', 'list'])).stdout).toContain('No evaluation rules.');
  });

  it.each([
    // No evaluator: nothing to run.
    [['rules', 'create', '--name', 'x'], /Missing --evaluator/],
    [
      ['rules', 'create', '--name', 'x', '--evaluator', 'e', '--filter', 'kind'],
      /Invalid --filter 'kind': expected name=value/,
    ],
    [
      ['rules', 'create', '--name', 'x', '--evaluator', 'e', '--sampling', 'half'],
      /Invalid --sampling 'half'/,
    ],
    [['rules', 'runs'], /Missing the rule id/],
  ])('refuses %j with a clear message', async (args, message) => {
    const run = await argus(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('passes the server’s 400 through for a bad filter', async () => {
    const run = await argus([
      'rules',
      'create',
      '--name',
      'bad',
      '--evaluator',
      evaluatorId,
      '--filter',
      'kind=llama',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Invalid rule field 'filter': Invalid parameter 'kind'");
  });
});
