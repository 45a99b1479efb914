/**
 * Starts a throw-away PostgreSQL server on loopback for tests (Debian's `postgresql` package,
 * installed by .ci/run). As root, the server runs as the `postgres` user, which initdb requires.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './process.ts';

/** A running test PostgreSQL. */
export interface TestPostgres {
  url: string;
  stop(): void;
}

function findBin(name: string): string | undefined {
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  for (const version of readdirSync(root).sort().reverse()) {
    const candidate = path.join(root, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** True when PostgreSQL server binaries are installed. */
export function hasPostgres(): boolean {
  return findBin('initdb') !== undefined && findBin('pg_ctl') !== undefined;
}

/** Initialises and starts a temporary cluster; `stop()` removes it. */
export async function startPostgres(): Promise<TestPostgres> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl)
    throw new Error('PostgreSQL server binaries not found; install Debian package postgresql');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  run(initdb, ['-D', data, '-A', 'trust', '-U', 'argus', '--no-sync']);
  run(pgCtl, [
    '-D',
    data,
    '-w',
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -h 127.0.0.1 -F`,
    'start',
  ]);
  return {
    url: `postgres://argus@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
