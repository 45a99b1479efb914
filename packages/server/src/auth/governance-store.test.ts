/**
 * The governance repositories on both metadata engines (SQLite and a real PostgreSQL): keys are
 * stored hashed and die at revocation, sessions and invites, and the audit log's append-only
 * guarantees — the database refuses edits, the hash chain finds tampering, and two writers
 * (as two server processes would) keep one unbroken chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, startPostgres, type TestPostgres } from '../../test/support/postgres.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openPostgresClient } from '../store/metadata/postgres-client.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { type AuthRepositories, createAuthRepositories } from './repositories.ts';
import { sha256 } from './secrets.ts';

interface Engine {
  name: string;
  open(): Promise<{ sql: SqlClient; second: () => SqlClient; cleanup: () => Promise<void> }>;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-gov-'));
      const sqlite = openSqliteClient(path.join(dir, 'metadata.db'));
      return {
        sql: sqlite,
        // One process holds one SQLite connection; two writers share it (other processes would
        // queue on SQLite's own lock, BEGIN IMMEDIATE).
        second: () => ({ ...sqlite, close: async () => {} }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
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
      const url = pg.url;
      return { sql: openPostgresClient(url), second: () => openPostgresClient(url), cleanup: async () => {} };
    },
  });
}
afterAll(() => pg?.stop());

describe.each(engines)('governance store on $name', (engine) => {
  let sql: SqlClient;
  let other: SqlClient;
  let repos: AuthRepositories;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const opened = await engine.open();
    sql = opened.sql;
    other = opened.second();
    cleanup = opened.cleanup;
    await new MetadataStore(sql).migrate();
    repos = createAuthRepositories(sql);
  });
  afterAll(async () => {
    await other.close();
    await sql.close();
    await cleanup();
  });

  it('stores only the hash of a key secret, finds live keys, and forgets revoked ones', async () => {
    const project = `p${Date.now()}`;
    await repos.projects.create(project, 'Keys');
    const { key, secret } = await repos.keys.create({
      projectId: project,
      name: 'app',
      role: 'ingest',
      createdBy: 'test',
    });
    const rows = await sql.all<Record<string, string>>('SELECT * FROM api_keys WHERE public_key = $1', [
      key.id,
    ]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]!.secret_hash).toBe(sha256(secret));
    expect((await repos.keys.findBySecretHash(sha256(secret)))?.id).toBe(key.id);
    const rotated = await repos.keys.rotate(project, key.id);
    expect(await repos.keys.findBySecretHash(sha256(secret))).toBeUndefined();
    expect((await repos.keys.findBySecretHash(sha256(rotated.secret)))?.id).toBe(key.id);
    await repos.keys.revoke(project, key.id);
    expect(await repos.keys.findBySecretHash(sha256(rotated.secret))).toBeUndefined();
    await expect(repos.keys.revoke(project, key.id)).rejects.toThrow(/no live key/);
    await expect(repos.keys.rotate('default', key.id)).rejects.toThrow(/no live key/);
    await expect(repos.projects.create(project, 'again')).rejects.toThrow(/exists/);
  });

  it('keeps users, memberships, sessions and invites, with unique names', async () => {
    const name = `u${Date.now()}`;
    const user = await repos.users.create({
      username: name,
      displayName: 'U',
      passwordHash: 'scrypt$x',
      isAdmin: false,
    });
    await expect(
      repos.users.create({ username: name, displayName: 'U2', passwordHash: 'scrypt$y', isAdmin: false }),
    ).rejects.toThrow(/taken/);
    await repos.memberships.set(user.id, 'default', 'viewer');
    await repos.memberships.set(user.id, 'default', 'member');
    expect([...(await repos.memberships.rolesOf(user.id))]).toEqual([['default', 'member']]);
    const { token, session } = await repos.sessions.create({
      userId: user.id,
      ttlMs: 60_000,
      ip: '127.0.0.1',
      userAgent: 'test',
    });
    expect((await repos.sessions.find(token))?.idHash).toBe(session.idHash);
    const stored = await sql.all<Record<string, string>>('SELECT * FROM user_sessions WHERE user_id = $1', [
      user.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(token);
    const invite = await repos.invites.create({
      username: `${name}-2`,
      projectId: 'default',
      role: 'viewer',
      createdBy: name,
      ttlMs: 60_000,
    });
    expect((await repos.invites.find(invite.token))?.username).toBe(`${name}-2`);
    expect((await repos.invites.list('default')).map((i) => i.id)).toContain(invite.invite.id);
    await repos.users.delete(user.id);
    expect(await repos.sessions.find(token)).toBeUndefined();
    expect(await repos.memberships.rolesOf(user.id)).toEqual(new Map());
  });

  it('refuses to update or delete audit entries in the database', async () => {
    const audit = new AuditLog(sql);
    await audit.record({
      actor: { type: 'system', id: 't', name: 'test' },
      projectId: '',
      action: 'test.one',
      target: 'x',
    });
    await expect(sql.run("UPDATE audit_log SET action = 'edited'")).rejects.toThrow(/append-only/);
    await expect(sql.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('keeps one chain with two concurrent writers, and finds a tampered entry', async () => {
    const first = new AuditLog(sql);
    const second = new AuditLog(other);
    const actor = { type: 'system' as const, id: 'w', name: 'writer' };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? first : second).record({
          actor,
          projectId: 'default',
          action: 'test.concurrent',
          target: String(i),
        }),
      ),
    );
    const verified = await first.verify();
    expect(verified.ok).toBe(true);
    const page = await first.list({ projects: ['default'], action: 'test.', limit: 100 });
    expect(page.data.filter((e) => e.action === 'test.concurrent')).toHaveLength(40);
    // Tamper below the triggers (as someone with file or superuser access could), then verify.
    if (engine.name === 'sqlite') {
      await sql.run('DROP TRIGGER audit_log_no_update');
      await sql.run("UPDATE audit_log SET target = 'tampered' WHERE seq = 2");
    } else {
      await sql.run('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await sql.run("UPDATE audit_log SET target = 'tampered' WHERE seq = 2");
      await sql.run('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect(await first.verify()).toEqual({ ok: false, checked: 1, brokenAt: 2 });
  });
});
