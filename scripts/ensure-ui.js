#!/usr/bin/env node
// Builds the web console (packages/ui/dist) when it is missing, so `npm start` always serves
// a console. A build already there is kept: `npm run build` rebuilds it on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'packages', 'ui', 'dist', 'index.html'))) {
  process.stderr.write('argus: building the web console (packages/ui/dist is missing)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', 'packages/ui'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('argus: the console build failed; the server will say how to build it at /\n');
  }
}
