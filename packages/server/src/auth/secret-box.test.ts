import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertRepository } from '../alerts/alert-repository.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { loadSecretBox, secretBox } from './secret-box.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-box-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function metadataIn(dir: string): Promise<MetadataStore> {
  const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
  await store.migrate();
  return store;
}

describe('secretBox', () => {
  it('seals with a fresh IV each time and opens only with the same key', () => {
    const box = secretBox(randomBytes(32));
    const a = box.seal('hooks.slack.com/services/T000/B000/XXXX');
    const b = box.seal('hooks.slack.com/services/T000/B000/XXXX');
    expect(a).toMatch(/^enc:v1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('slack');
    expect(box.open(a)).toBe('hooks.slack.com/services/T000/B000/XXXX');
    expect(box.open('{"plain":true}')).toBe('{"plain":true}');
    expect(() => secretBox(randomBytes(32)).open(a)).toThrow(/Cannot decrypt/);
    const tampered = `${a.slice(0, -2)}${a.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => box.open(tampered)).toThrow(/Cannot decrypt/);
  });
});

describe('loadSecretBox', () => {
  it('creates a 0600 key file, then refuses another key for the same metadata store', async () => {
    const dir = tempDir();
    const metadata = await metadataIn(dir);
    const box = await loadSecretBox({ configured: undefined, dataDir: dir, metadata });
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const again = await loadSecretBox({ configured: undefined, dataDir: dir, metadata });
    expect(again.open(box.seal('x'))).toBe('x');
    await expect(
      loadSecretBox({ configured: 'a different key of at least thirty-two chars', dataDir: dir, metadata }),
    ).rejects.toThrow(/not the one this metadata store was used with/);
    await metadata.close();
  });

  it('seals alert channel configs at rest, reads them back, and seals older plain rows', async () => {
    const dir = tempDir();
    const metadata = await metadataIn(dir);
    const box = await loadSecretBox({
      configured: 'operator secret key, thirty-two chars+',
      dataDir: dir,
      metadata,
    });
    const plainRepo = new AlertRepository(metadata.sql);
    const old = await plainRepo.createChannel('default', {
      name: 'old',
      type: 'slack',
      config: { url: 'https://hooks.slack.com/services/OLD/PLAIN/secret' },
    });
    const repo = new AlertRepository(metadata.sql, box);
    expect(await repo.sealPlaintextChannels()).toBe(1);
    const created = await repo.createChannel('default', {
      name: 'hook',
      type: 'webhook',
      config: {
        url: 'https://example.test/hook',
        secret: 'signing-secret-123',
        headers: { authorization: 'Bearer t0ken' },
      },
    });
    const rows = await metadata.sql.all<{ config: string }>('SELECT config FROM notification_channels');
    const raw = JSON.stringify(rows);
    for (const secret of ['signing-secret-123', 't0ken', 'OLD/PLAIN/secret'])
      expect(raw).not.toContain(secret);
    expect((await repo.getChannel('default', created.id))?.config).toMatchObject({
      secret: 'signing-secret-123',
    });
    expect((await repo.getChannel('default', old.id))?.config).toMatchObject({
      url: 'https://hooks.slack.com/services/OLD/PLAIN/secret',
    });
    await metadata.close();
  });
});
