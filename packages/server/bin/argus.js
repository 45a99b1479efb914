#!/usr/bin/env node
// The `argus` command. Runs the TypeScript sources directly, which needs Node >= 22.18 (type
// stripping). Under an older Node (a global install run by the system's Node 20, say) it runs
// itself again with the Node 24 that `npm install` brought (the `node` npm dependency).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (!process.features.typescript) {
  let pinned;
  try {
    pinned = path.join(
      path.dirname(createRequire(import.meta.url).resolve('node/package.json')),
      'bin',
      'node',
    );
  } catch {}
  if (!pinned || pinned === process.execPath) {
    process.stderr.write(
      `argus: needs Node 22.18 or newer to run (this is ${process.version}); run 'npm install' in the Argus clone (it brings Node 24), or install Node 24\n`,
    );
    process.exit(1);
  }
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl+C reaches the child from the terminal itself; a SIGTERM sent to this process is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await run();
}

async function run() {
  // The chDB binding runs every insert and query on libuv's thread pool and holds a thread for the
  // engine's whole call; with libuv's default 4 threads, two inserts and two slow queries leave none
  // for the write-ahead log's fsync or any other file or crypto work, and requests stall behind
  // them (issue 19: the gateway's p99 added latency at 50 paced clients fell from ~37 to ~7 ms with
  // 16). Set before anything uses the pool, which reads it once; an explicit value is kept.
  process.env.UV_THREADPOOL_SIZE ??= '16';
  if (process.argv[2] === 'start') execTunedForMemory();
  // A closed pipe (`argus pricing | head -1`) ends a command quietly, as other Unix tools do; a
  // server or agent whose output reader went away keeps running (and keeps its data safe) silently.
  const isLongRunning = ['start', 'agent'].includes(process.argv[2] ?? '');
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (!isLongRunning) process.exit(0);
    });
  }
  const { main } = await import('../src/cli/main.ts');
  main(process.argv.slice(2)).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`argus: ${error?.stack ?? error?.message ?? error}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * Runs this server again, in the same process (same pid, same stdio), tuned for its memory:
 * - glibc's malloc told to map blocks of 1 MiB and more directly (`glibc.malloc.mmap_threshold`), so
 *   their memory goes back to the system when freed. Without it the embedded engine's threads keep
 *   what an insert or a merge freed in their malloc arenas: ~180 MB of peak RSS under sustained
 *   ingest, at no measured cost in CPU per span. glibc reads the setting only at exec, hence the exec.
 * - V8's young generation capped at 16 MiB per semi-space: under ingest V8 grew it to 64 MiB, ~90 MB
 *   more RSS; capped, peak RSS at 32 clients stayed under 1 GB in every run
 *   (883–947 MB against 985–1,138), for 0–18 % more CPU per span at full rate (issue 20,
 *   docs/benchmarks.md "Memory").
 * A `glibc.malloc.*` tunable or a `--max-semi-space-size` the user set is kept as it is; elsewhere
 * than Linux, or where exec fails, the server runs as it is.
 */
function execTunedForMemory() {
  const tunables = process.env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || typeof process.execve !== 'function') return;
  const addTunables = !tunables.includes('glibc.malloc.');
  const addSemiSpace = ![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
    arg.includes('--max-semi-space-size'),
  );
  if (!addTunables && !addSemiSpace) return;
  // (Declared here, not at the top level: this runs before the module's later constants exist.)
  const semiSpace = '--max-semi-space-size=16';
  try {
    process.execve(
      process.execPath,
      [process.execPath, ...(addSemiSpace ? [semiSpace] : []), ...process.execArgv, ...process.argv.slice(1)],
      addTunables
        ? {
            ...process.env,
            GLIBC_TUNABLES: [tunables, 'glibc.malloc.mmap_threshold=1048576'].filter(Boolean).join(':'),
          }
        : process.env,
    );
  } catch {
    // exec refused (a seccomp policy, say): run untuned
  }
}
