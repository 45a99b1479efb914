/**
 * `node bench/auth.bench.ts [calls]`: what authentication adds to each request — the
 * dispatcher's `authenticate()` for an API key (Bearer, ingest and read), a console session
 * (cookie; an unsafe method also checks CSRF) and open mode, against a real SQLite metadata
 * store. Also the cost of one scrypt password hash (sign-in). Results go to stdout.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../packages/server/src/audit/audit-log.ts';
import { createAuthRepositories } from '../packages/server/src/auth/repositories.ts';
import { hashPassword } from '../packages/server/src/auth/secrets.ts';
import { AuthService } from '../packages/server/src/auth/service.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { canonicalUrl } from '../packages/server/src/http/request-target.ts';
import { Router } from '../packages/server/src/http/router.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { MetadataStore } from '../packages/server/src/store/metadata/metadata-store.ts';
import { openSqliteClient } from '../packages/server/src/store/metadata/sqlite-client.ts';

const CALLS = Number(process.argv[2] ?? 20_000);
// The dispatcher's steps: canonical path → matched route → its declared level → authenticate.
const none = () => ({ status: 204 });
const router = new Router()
  .on('POST', '/v1/traces', 'ingest', none)
  .on('GET', '/api/v1/traces', 'read', none)
  .on('POST', '/api/v1/alerts/rules', 'write', none);
const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-auth-bench-'));
const metadata = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
await metadata.migrate();
const repos = createAuthRepositories(metadata.sql);
const audit = new AuditLog(metadata.sql);
const logger = createLogger('silent');
const service = (auth: 'on' | 'off') =>
  new AuthService({
    repos,
    audit,
    logger,
    config: loadConfig({ auth, rateLimitIngest: '0', rateLimitApi: '0', dataDir: dir }, {}),
  });
const on = service('on');
const off = service('off');
const { secret } = await repos.keys.create({
  projectId: 'default',
  name: 'bench',
  role: 'member',
  createdBy: 'bench',
});
const user = await repos.users.create({
  username: 'bench',
  displayName: 'Bench',
  passwordHash: await hashPassword('bench password 123'),
  isAdmin: false,
});
await repos.memberships.set(user.id, 'default', 'member');
const { token, session } = await repos.sessions.create({
  userId: user.id,
  ttlMs: 3_600_000,
  ip: '127.0.0.1',
  userAgent: 'b',
});

function request(method: string, url: string, headers: Record<string, string>): IncomingMessage {
  return { method, url, headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

async function measure(name: string, auth: AuthService, make: () => IncomingMessage): Promise<void> {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const req = make();
      const url = canonicalUrl(req.url);
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (match === undefined || match === 'method') throw new Error(`No route for ${req.url}`);
      await auth.authenticate(req, url, match.access);
    }
    rounds.push(((performance.now() - started) * 1000) / CALLS);
  }
  rounds.sort((a, b) => a - b);
  process.stdout.write(`${name.padEnd(50)} ${rounds[2]!.toFixed(1)} µs/request (median of 5 × ${CALLS})\n`);
}

await measure('open mode (auth off, no credentials)', off, () => request('POST', '/v1/traces', {}));
await measure('API key, Bearer, POST /v1/traces (ingest)', on, () =>
  request('POST', '/v1/traces', { authorization: `Bearer ${secret}` }),
);
await measure('API key, x-api-key, GET /api/v1/traces (read)', on, () =>
  request('GET', '/api/v1/traces', { 'x-api-key': secret }),
);
await measure('session cookie, GET /api/v1/traces', on, () =>
  request('GET', '/api/v1/traces', { cookie: `argus_session=${token}` }),
);
await measure('session cookie + CSRF, POST /api/v1/alerts/rules', on, () =>
  request('POST', '/api/v1/alerts/rules', {
    cookie: `argus_session=${token}`,
    'x-argus-csrf': session.csrfToken,
  }),
);
const hashes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  await hashPassword('a password for timing');
  hashes.push(performance.now() - started);
}
hashes.sort((a, b) => a - b);
process.stdout.write(`${'scrypt password hash (N=2^15, r=8, p=1)'.padEnd(50)} ${hashes[2]!.toFixed(0)} ms\n`);
await metadata.close();
rmSync(dir, { recursive: true, force: true });
