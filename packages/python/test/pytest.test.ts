/**
 * Runs the Python SDK's pytest suite (packages/python/tests) from `npm test`: in the virtualenv
 * `.venv-sdk-python`, where the SDK is installed as a user installs it (`pip install
 * ./packages/python[dev]`, not the source tree). The suite starts its own Argus server and mock LLM.
 *
 * `scripts/test-all.sh` creates the venv before the tests; this file creates it when missing or
 * stale (marker = the requirements' SHA-256, the same one the script writes) and reinstalls the SDK
 * when its sources changed (marker = their SHA-256).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(pkg, '../..');
const venv = path.join(repo, '.venv-sdk-python');
const python = path.join(venv, 'bin', 'python');
const requirements = path.join(pkg, 'requirements-test.txt');
const INSTALL_TIMEOUT_MS = 600_000;
const PYTEST_TIMEOUT_MS = 300_000;

/** Files whose content decides whether the installed SDK is current. */
function sdkFiles(dir = path.join(pkg, 'src')): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (name === '__pycache__' || name.endsWith('.egg-info')) continue;
    if (statSync(full).isDirectory()) out.push(...sdkFiles(full));
    else out.push(full);
  }
  return out;
}

function sha256(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(pkg, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** The environment of the venv's Python: no PYTHONPATH, so the installed SDK is the one imported. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.PYTHONPATH;
  return env;
}

function run(cmd: string, args: string[], timeout: number) {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', timeout, env: pythonEnv() });
  if (r.error || r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} → ${r.error?.message ?? `exit ${r.status}`}\n${r.stdout}\n${r.stderr}`,
    );
  return r;
}

/** Creates the venv (requirements + SDK) or reinstalls the SDK when either changed. */
function ensureVenv(): void {
  const reqHash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const reqMarker = path.join(venv, '.requirements-sha256');
  const sdkMarker = path.join(venv, '.sdk-sha256');
  const sdkHash = sha256([path.join(pkg, 'pyproject.toml'), ...sdkFiles()]);
  const pip = [python, '-m', 'pip', 'install', '-q', '--disable-pip-version-check'];
  if (!existsSync(python) || !existsSync(reqMarker) || readFileSync(reqMarker, 'utf8').trim() !== reqHash) {
    run('python3', ['-m', 'venv', '--clear', venv], INSTALL_TIMEOUT_MS);
    run(pip[0]!, [...pip.slice(1), '-r', requirements, `${pkg}[dev]`], INSTALL_TIMEOUT_MS);
    writeFileSync(reqMarker, `${reqHash}\n`);
  } else if (!existsSync(sdkMarker) || readFileSync(sdkMarker, 'utf8').trim() !== sdkHash) {
    run(pip[0]!, [...pip.slice(1), '--no-deps', '--force-reinstall', pkg], INSTALL_TIMEOUT_MS);
  }
  writeFileSync(sdkMarker, `${sdkHash}\n`);
}

it(
  'the Python SDK pytest suite passes against a real Argus and the mock LLM',
  () => {
    ensureVenv();
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
    expect(Number(summary?.[1] ?? 0), output).toBeGreaterThanOrEqual(25);
    expect(output).not.toMatch(/\d+ (failed|error)/);
  },
  INSTALL_TIMEOUT_MS + PYTEST_TIMEOUT_MS,
);
