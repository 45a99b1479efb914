/**
 * Runs argus-explain's pytest suite (packages/python-explain/tests) from `npm test`: in the
 * virtualenv `.venv-explain`, where the package is installed as a user installs it (`pip install
 * ./packages/python-explain[dev]`). The suite builds a tiny random GPT-2 on the CPU (no download)
 * and starts its own Argus server for the end-to-end case.
 *
 * The venv holds torch (~5 GB), so this file does not create it: `scripts/test-all.sh` does (CI
 * runs it first). On a machine without the venv the test is skipped with a message, except under
 * CI, where a missing venv fails. When the requirements changed since the venv was made (marker =
 * their SHA-256, the one the script writes) they are installed over it; when the package's sources
 * changed (marker = their SHA-256) the package is reinstalled.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(pkg, '../..');
const venv = path.join(repo, '.venv-explain');
const python = path.join(venv, 'bin', 'python');
const requirements = path.join(pkg, 'requirements-test.txt');
const INSTALL_TIMEOUT_MS = 900_000;
const PYTEST_TIMEOUT_MS = 300_000;
const hasVenv = existsSync(python);

if (!hasVenv && !process.env.CI)
  console.warn(
    'Skipping the argus-explain pytest suite: .venv-explain is missing (torch, ~5 GB). ' +
      'Create it with scripts/test-all.sh --no-test.',
  );

/** Files whose content decides whether the installed package is current. */
function packageFiles(dir = path.join(pkg, 'src')): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (name === '__pycache__' || name.endsWith('.egg-info')) continue;
    if (statSync(full).isDirectory()) out.push(...packageFiles(full));
    else out.push(full);
  }
  return out;
}

function sha256(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(pkg, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** The venv's Python environment: no PYTHONPATH, so the installed package is the one imported. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.PYTHONPATH;
  return env;
}

function pip(args: string[]): void {
  const r = spawnSync(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    env: pythonEnv(),
  });
  if (r.error || r.status !== 0)
    throw new Error(`pip install ${args.join(' ')} → ${r.error?.message ?? `exit ${r.status}`}\n${r.stderr}`);
}

/** Brings the venv's requirements and package up to date with the working tree. */
function refreshVenv(): void {
  const reqHash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const reqMarker = path.join(venv, '.requirements-sha256');
  const pkgMarker = path.join(venv, '.package-sha256');
  const pkgHash = sha256([path.join(pkg, 'pyproject.toml'), ...packageFiles()]);
  if (!existsSync(reqMarker) || readFileSync(reqMarker, 'utf8').trim() !== reqHash) {
    pip(['-r', requirements, `${pkg}[dev]`]);
    writeFileSync(reqMarker, `${reqHash}\n`);
  }
  if (!existsSync(pkgMarker) || readFileSync(pkgMarker, 'utf8').trim() !== pkgHash) {
    pip(['--no-deps', '--force-reinstall', pkg]);
    writeFileSync(pkgMarker, `${pkgHash}\n`);
  }
}

it.skipIf(!hasVenv && !process.env.CI)(
  'the argus-explain pytest suite passes on a tiny GPT-2 and against a real Argus',
  () => {
    expect(hasVenv, '.venv-explain is missing: scripts/test-all.sh creates it before the tests').toBe(true);
    refreshVenv();
    const r = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', path.join(pkg, 'tests')], {
      cwd: repo,
      encoding: 'utf8',
      timeout: PYTEST_TIMEOUT_MS,
      env: pythonEnv(),
    });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.error, output).toBeUndefined();
    expect(r.status, output).toBe(0);
    const summary = /(\d+) passed/.exec(output);
    expect(Number(summary?.[1] ?? 0), output).toBeGreaterThanOrEqual(45);
    expect(output).not.toMatch(/\d+ (failed|error|skipped)/);
  },
  INSTALL_TIMEOUT_MS + PYTEST_TIMEOUT_MS,
);
