import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { DETECTOR_IDS } from './detectors.ts';
import { createSpanPipeline } from './pipeline.ts';
import { REDACTION_SETTING } from './policy.ts';
import { createProjectPolicies, type ProjectPolicies } from './project-policies.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-policies-'));
// Two instances sharing one metadata database, as several servers share PostgreSQL.
const stores: MetadataStore[] = [];
let first: ProjectPolicies;
let second: ProjectPolicies;

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
    await store.migrate();
    stores.push(store);
  }
  await stores[0]!.ensureProject('team-a', 'Team A');
  await stores[0]!.ensureProject('team-b', 'Team B');
  const options = {
    hashKey: 'test-hash-key-0123',
    globallyOff: false,
    logger: createLogger('silent'),
    refreshMs: 0,
  };
  first = await createProjectPolicies({ ...options, metadata: stores[0]! });
  second = await createProjectPolicies({ ...options, metadata: stores[1]! });
});
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const redact = (policies: ProjectPolicies, projectId: string, text: string) =>
  policies.redactorFor(projectId)?.redact(text, {}) ?? text;

describe('per-project redaction policies', () => {
  it('uses the default policy for projects that saved none', () => {
    expect(first.policyOf('team-a')).toEqual({ policy: { detectors: {}, custom: [] }, source: 'default' });
    expect(redact(first, 'team-a', 'ada@example.com +1 415 555 2671')).toBe(
      '[REDACTED:email] +1 415 555 2671',
    );
    expect(redact(first, 'no-such-project', 'ada@example.com')).toBe('[REDACTED:email]');
  });

  it('activates a saved policy at once here, and on the other instance at its next refresh', async () => {
    await first.setPolicy('team-a', { detectors: { email: 'off', phone: 'mask' } });
    expect(first.policyOf('team-a').source).toBe('project');
    expect(redact(first, 'team-a', 'ada@example.com +1 415 555 2671')).toBe(
      'ada@example.com [REDACTED:phone]',
    );
    expect(redact(first, 'team-b', 'ada@example.com')).toBe('[REDACTED:email]');

    expect(redact(second, 'team-a', 'ada@example.com')).toBe('[REDACTED:email]');
    await second.refresh();
    expect(redact(second, 'team-a', 'ada@example.com +1 415 555 2671')).toBe(
      'ada@example.com [REDACTED:phone]',
    );
  });

  it('skips redaction entirely when a project turns every detector off', async () => {
    const detectors = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'off']));
    await first.setPolicy('team-b', { detectors });
    expect(first.redactorFor('team-b')).toBeUndefined();
  });

  it('falls back to the default policy when a stored value cannot be read', async () => {
    await stores[1]!.setSetting('team-b', REDACTION_SETTING, { detectors: { nope: 'mask' } });
    await first.refresh();
    expect(first.policyOf('team-b').source).toBe('project');
    expect(redact(first, 'team-b', 'ada@example.com')).toBe('[REDACTED:email]');
  });

  it('picks the redactor by the span’s and the log record’s project in the pipeline', () => {
    const pipeline = createSpanPipeline({ enrich: (span) => span, redactorFor: first.redactorFor });
    const span = (projectId: string) =>
      ({
        projectId,
        statusMessage: 'ada@example.com',
        metadata: {},
        attributes: {},
        events: [],
      }) as unknown as Span;
    expect(pipeline.enrichSpan(span('team-a')).statusMessage).toBe('ada@example.com');
    expect(pipeline.enrichSpan(span('default')).statusMessage).toBe('[REDACTED:email]');
    const log = pipeline.redactLog({
      projectId: 'default',
      body: 'ada@example.com',
      attributes: {},
    } as never);
    expect(log.body).toBe('[REDACTED:email]');
  });
});
