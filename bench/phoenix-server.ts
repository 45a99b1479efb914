/**
 * Arize Phoenix for the side-by-side ingest benchmark: a Python venv with a pinned
 * `arize-phoenix` (created once in the user's cache dir, reused while its requirements hash
 * matches), a `phoenix serve` on loopback with its default SQLite store in a temp working dir,
 * and a reader of that store's `spans` table (Python's sqlite3, read-only) to count what is
 * really written — Phoenix answers 200 once a request is decoded and queues its spans in memory.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../packages/server/test/support/process.ts';

/** The Phoenix release measured in docs/benchmarks.md (the newest on PyPI on 2026-12-06). */
export const PHOENIX_REQUIREMENT = 'arize-phoenix==20.26.1';

/** Phoenix 20.26.1 asks for Python >= 3.11, < 3.15. */
const PYTHON_CANDIDATES = ['python3.11', 'python3.12', 'python3.13', 'python3.14', 'python3'];

/** Why the Phoenix side cannot run here, said to the person running the bench. */
export class PhoenixUnavailable extends Error {}

/** A Python interpreter that can make a venv for Phoenix: its path and `major.minor`. */
export interface Python {
  exe: string;
  version: string;
}

/** The first interpreter on PATH in Phoenix's supported range with `venv` and `ensurepip`. */
export function findPython(): Python {
  const tried: string[] = [];
  for (const name of PYTHON_CANDIDATES) {
    const probe = spawnSync(
      name,
      ['-c', 'import sys, venv, ensurepip; print(sys.executable, "%d.%d" % sys.version_info[:2])'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    const [exe, version] = (probe.stdout ?? '').trim().split(' ');
    if (probe.status !== 0 || !exe || !version) {
      tried.push(
        `${name}: ${probe.error?.message ?? (probe.stderr || 'no answer').trim().split('\n').at(-1)}`,
      );
      continue;
    }
    const minor = Number(version.split('.')[1]);
    if (version.startsWith('3.') && minor >= 11 && minor < 15) return { exe, version };
    tried.push(`${name}: Python ${version} is outside 3.11–3.14`);
  }
  throw new PhoenixUnavailable(`no Python 3.11–3.14 with venv + ensurepip found (${tried.join('; ')})`);
}

function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'argus-bench');
}

/**
 * The venv's directory: `<cache>/argus-bench/phoenix-<hash>`, the hash over the requirement and
 * the interpreter, so a new pin or another Python makes a new venv and an unchanged one is reused.
 */
export async function ensureVenv(python: Python): Promise<string> {
  const hash = createHash('sha256')
    .update(`${PHOENIX_REQUIREMENT}\n${python.exe}\n${python.version}\n`)
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(cacheRoot(), `phoenix-${hash}`);
  const marker = path.join(dir, '.argus-requirements');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === PHOENIX_REQUIREMENT) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  process.stderr.write(`  creating ${dir} and installing ${PHOENIX_REQUIREMENT} (a few minutes, once)\n`);
  await runLogged(python.exe, ['-m', 'venv', dir]);
  await runLogged(path.join(dir, 'bin/pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    PHOENIX_REQUIREMENT,
  ]);
  writeFileSync(marker, PHOENIX_REQUIREMENT);
  return dir;
}

/** Runs a command; a failure becomes PhoenixUnavailable with the end of its output. */
function runLogged(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
    child.on('error', (error) => reject(new PhoenixUnavailable(`${command}: ${error.message}`)));
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new PhoenixUnavailable(`${path.basename(command)} ${args.join(' ')} exited ${code}:\n${output}`),
          ),
    );
  });
}

/** The installed Phoenix version, read from the venv. */
export function phoenixVersion(venv: string): string {
  return execFileSync(
    path.join(venv, 'bin/python'),
    ['-c', 'from importlib.metadata import version; print(version("arize-phoenix"))'],
    { encoding: 'utf8' },
  ).trim();
}

/** A running `phoenix serve`. */
export interface PhoenixServer {
  child: ChildProcess;
  url: string;
  dbPath: string;
  /** Kills the whole process group at once (queued spans are lost, as on a crash). */
  kill(): Promise<void>;
}

/**
 * Starts `phoenix serve` in its own process group on free loopback ports, SQLite in `workDir`,
 * telemetry and every outside request off, and waits for /healthz (migrations run first).
 */
export async function startPhoenix(venv: string, workDir: string): Promise<PhoenixServer> {
  const [port, grpcPort] = [await freePort(), await freePort()];
  const child = spawn(path.join(venv, 'bin/phoenix'), ['serve'], {
    cwd: workDir,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PHOENIX_WORKING_DIR: workDir,
      PHOENIX_HOST: '127.0.0.1',
      PHOENIX_PORT: String(port),
      // Phoenix binds its OTLP/gRPC receiver on all interfaces (no host setting); nothing is sent to it.
      PHOENIX_GRPC_PORT: String(grpcPort),
      PHOENIX_TELEMETRY_ENABLED: 'false',
      PHOENIX_ALLOW_EXTERNAL_RESOURCES: 'false',
    },
  });
  let tail = '';
  child.stderr!.on('data', (d) => (tail = (tail + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const server: PhoenixServer = {
    child,
    url: `http://127.0.0.1:${port}`,
    dbPath: path.join(workDir, 'phoenix.db'),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
    },
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new PhoenixUnavailable(`phoenix serve exited early:\n${tail}`);
    try {
      if ((await fetch(`${server.url}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new PhoenixUnavailable(`phoenix serve did not answer /healthz in 180 s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Counts rows of a SQLite table from a long-lived read-only Python reader. */
const COUNTER = `
import sqlite3, sys
db = sys.argv[1]
for _ in sys.stdin:
    try:
        con = sqlite3.connect("file:" + db + "?mode=ro", uri=True, timeout=5)
        n = con.execute("SELECT count(*) FROM spans").fetchone()[0]
        con.close()
    except sqlite3.Error:
        n = -1
    print(n, flush=True)
`;

/** Rows in Phoenix's `spans` table on demand (-1 while the store cannot be read). */
export function spanTableCounter(venv: string, dbPath: string): { count(): Promise<number>; close(): void } {
  const reader = spawn(path.join(venv, 'bin/python'), ['-c', COUNTER, dbPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: reader.stdout! });
  const waiting: ((n: number) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(Number(line)));
  reader.on('exit', () => {
    for (const resolve of waiting.splice(0)) resolve(-1);
  });
  return {
    count() {
      if (reader.exitCode !== null || reader.signalCode !== null) return Promise.resolve(-1);
      return new Promise((resolve) => {
        waiting.push(resolve);
        reader.stdin!.write('\n');
      });
    },
    close() {
      reader.stdin!.end();
      reader.kill();
    },
  };
}
