/**
 * `argus start` runs itself again with glibc's malloc mapping blocks of 1 MiB and more directly
 * and V8's young generation capped at 16 MiB (issue 20, memory: ~180 and ~90 MB less peak RSS under
 * ingest), in the same process, and keeps a malloc tunable or a semi-space size the user set.
 * Linux only: the environment and the command line are read from /proc.
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

/** The server's command line, as the kernel holds it (what V8 read at exec). */
function argumentsOf(server: ChildServer): string[] {
  return readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
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
      expect(argumentsOf(server)).toContain('--max-semi-space-size=16');
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
      // The young generation is capped all the same (its own exec).
      expect(argumentsOf(own)).toContain('--max-semi-space-size=16');
    } finally {
      await stop(own);
    }
  });

  it('keeps a semi-space size the user set', async () => {
    const own = await started({ GLIBC_TUNABLES: '', NODE_OPTIONS: '--max-semi-space-size=32' });
    try {
      expect(argumentsOf(own).some((arg) => arg.startsWith('--max-semi-space-size'))).toBe(false);
      expect(environmentOf(own).get('NODE_OPTIONS')).toBe('--max-semi-space-size=32');
      expect(environmentOf(own).get('GLIBC_TUNABLES')).toBe('glibc.malloc.mmap_threshold=1048576');
    } finally {
      await stop(own);
    }
  });
});
