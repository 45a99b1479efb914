#!/usr/bin/env node
/**
 * Builds the publishable package into dist/ (run by `npm run build` and by `npm pack` through
 * `prepack`):
 *
 *   dist/esm/index.js   ESM bundle of the SDK's own code + source map
 *   dist/cjs/index.js   CommonJS bundle of the same + source map (dist/cjs/package.json says commonjs)
 *   dist/{esm,cjs}/*.d.ts  declarations, one copy per format so each is read as that format
 *
 * esbuild bundles (it is in the tree already, and it can turn the ESM sources into CommonJS, which
 * tsc cannot under `verbatimModuleSyntax`); dependencies stay external `import`/`require` calls
 * so the application's single `@opentelemetry/api` is the one used. tsc writes the declarations.
 * `@argus/shared` (the wire types the server, console and SDK share) is not published: what the
 * SDK uses of it is bundled into dist/ — its constants into the JS, its declarations into
 * dist/{esm,cjs}/shared/ with the SDK's `'@argus/shared'` specifiers pointing there.
 * Plain JavaScript so it runs on every supported Node, from a clone or from CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The oldest Node the package supports (engines), as an esbuild target. */
const target = `node${/\d+/.exec(pkg.engines.node)?.[0] ?? '20'}`;

rmSync(dist, { recursive: true, force: true });

/** The workspace package bundled in rather than imported (it is never published). */
const SHARED = '@argus/shared';
/** Every bare import stays external (installed with the application) except {@link SHARED}. */
const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path: name }) =>
      name === SHARED || name.startsWith(`${SHARED}/`) ? undefined : { path: name, external: true },
    );
  },
};

for (const format of /** @type {const} */ (['esm', 'cjs'])) {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    outfile: `dist/${format}/index.js`,
    bundle: true,
    format,
    platform: 'node',
    target,
    plugins: [externalPackages],
    sourcemap: true,
    // The sources are not shipped; the map carries them so stack traces and debuggers show them.
    sourcesContent: true,
    logLevel: 'warning',
  });
}
writeFileSync(path.join(dist, 'cjs/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// Declarations: emitted once into a scratch folder (sdk/src and shared/src, tsconfig.build.json),
// relative specifiers rewritten from the sources' `.ts` to `.js` (what a consumer's resolver
// expects) and `@argus/shared` to the copy in shared/, then copied into both formats.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'argus-sdk-types-'));
try {
  const typescript = path.dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
  const tsc = path.join(
    typescript,
    JSON.parse(readFileSync(path.join(typescript, 'package.json'), 'utf8')).bin.tsc,
  );
  execFileSync(
    process.execPath,
    [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--declarationDir', scratch],
    { stdio: 'inherit' },
  );
  const sources = { 'sdk/src': '.', 'shared/src': 'shared' };
  for (const [from, to] of Object.entries(sources)) {
    for (const file of listFiles(path.join(scratch, from))) {
      if (!file.endsWith('.d.ts')) continue;
      const target = path.join(to, file);
      const shared = path.relative(path.dirname(target), 'shared/index.js').replaceAll(path.sep, '/');
      const text = readFileSync(path.join(scratch, from, file), 'utf8')
        .replace(/(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2')
        .replace(
          /(from\s+|import\s*\(\s*)(['"])@argus\/shared\2/g,
          `$1$2${shared.startsWith('.') ? shared : `./${shared}`}$2`,
        );
      writeDeclaration(target, text);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** Writes one declaration file into both formats. */
function writeDeclaration(file, text) {
  for (const format of ['esm', 'cjs']) {
    const out = path.join(dist, format, file);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
}

/** Paths of the files under `dir`, relative to it. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}
