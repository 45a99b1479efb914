/**
 * `argus start` runs itself again with glibc's malloc mapping blocks of 1 MiB and more directly
 * (issue 20, memory: ~180 MB less peak RSS under ingest), in the same process, and keeps a malloc
 * tunable the user set. Linux only: the environment is read from /proc.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from './support/process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The server's own environment, as the kernel holds it (what glibc read at exec). */
function environmentOf(server: ChildServer): Map<string, string> {
  const text = readFileSync(`/proc/${server.child.pid}/environ`, 'utf8');
  return new Map(
    text
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

async function started(env: NodeJS.ProcessEnv): Promise<ChildServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-malloc-'));
  dirs.push(dir);
  return spawnServer(['--data-dir', dir], env);
}

async function stop(server: ChildServer): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

describe.runIf(process.platform === 'linux')('argus start and glibc malloc tunables', () => {
  it('serves from the process it was started as, with the 1 MiB mmap threshold set', async () => {
    const server = await started({ GLIBC_TUNABLES: '' });
    try {
      // The pid spawn() returned answers /health: the exec kept the process (kill -9 still reaches it).
      expect(environmentOf(server).get('GLIBC_TUNABLES')).toBe('glibc.malloc.mmap_threshold=1048576');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  it('keeps a malloc tunable the user set', async () => {
    // (Not asserted: the joined value when the user set other tunables — glibc cuts the string in
    // /proc/<pid>/environ at the first ':' while it parses it, so that view cannot show it.)
    const own = await started({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=7' });
    try {
      expect(environmentOf(own).get('GLIBC_TUNABLES')).toBe('glibc.malloc.tcache_count=7');
    } finally {
      await stop(own);
    }
  });
});
