/**
 * The scale-out metadata path: a server whose metadata lives in a real PostgreSQL (started on
 * loopback by the test) keeps project settings there across restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresClient } from '../src/store/metadata/postgres-client.ts';
import { hasPostgres, startPostgres, type TestPostgres } from './support/postgres.ts';
import { startTestServer } from './support/server.ts';

const enabled = hasPostgres() || Boolean(process.env.CI);
let pg: TestPostgres;
beforeAll(async () => {
  if (enabled) pg = await startPostgres();
});
afterAll(() => pg?.stop());

describe.runIf(enabled)('server with ARGUS_DATABASE_URL', () => {
  it('stores price overrides in PostgreSQL and prices new spans with them', async () => {
    // Instances sharing one PostgreSQL share the key that seals stored secrets.
    const secretKey = 'a secret key shared by every instance, 32+ chars';
    const first = await startTestServer({ databaseUrl: pg.url, secretKey });
    const put = await fetch(`${first.url}/api/v1/pricing/overrides`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ model: 'acme-tuned-7b', inputPerMTok: 2, outputPerMTok: 8 }] }),
    });
    expect(put.status).toBe(200);
    const bad = await fetch(`${first.url}/api/v1/pricing/overrides`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ model: 'x', inputPerMTok: -1, outputPerMTok: 1 }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "'0.inputPerMTok'",
    );
    await first.server.close();

    const sql = openPostgresClient(pg.url);
    const rows = await sql.all<{ value: string }>(
      "SELECT value FROM settings WHERE project_id = 'default' AND key = 'priceOverrides'",
    );
    await sql.close();
    expect(JSON.parse(rows[0]!.value)).toEqual([
      { model: 'acme-tuned-7b', inputPerMTok: 2, outputPerMTok: 8 },
    ]);

    // A new server (new data dir, same PostgreSQL) prices with the stored override.
    await expect(startTestServer({ databaseUrl: pg.url })).rejects.toThrow(/same ARGUS_SECRET_KEY/);
    const second = await startTestServer({ databaseUrl: pg.url, secretKey });
    try {
      const price = await second.get<{ inputPerMTok: number }>('/api/v1/pricing?model=acme-tuned-7b');
      expect(price.inputPerMTok).toBe(2);
    } finally {
      await second.stop();
    }
  });
});
