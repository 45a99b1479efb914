/** Builds the console for the e2e tests and the console benchmark when its build is missing or stale. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The UI package folder. */
export const UI_DIR = path.resolve(import.meta.dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Runs `vite build` unless dist/index.html is newer than every source file. Test files run in
 * parallel processes: a lock directory keeps them from building into dist/ at the same time.
 */
export function ensureConsoleBuilt(): void {
  const lock = path.join(UI_DIR, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    buildIfStale();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildIfStale(): void {
  const index = path.join(UI_DIR, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(UI_DIR, 'src')),
    newestMtime(path.join(UI_DIR, 'public')),
    statSync(path.join(UI_DIR, 'index.html')).mtimeMs,
    statSync(path.join(UI_DIR, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // The UI pins vite 7 in its own node_modules (the root's vite belongs to vitest).
  const vitePackage = createRequire(path.join(UI_DIR, 'package.json')).resolve('vite/package.json');
  const vite = path.join(path.dirname(vitePackage), 'bin', 'vite.js');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: UI_DIR, stdio: 'pipe', env });
}

/** Chromium flags for headless runs on CI machines. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
