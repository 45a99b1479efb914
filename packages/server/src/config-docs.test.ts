import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES, kebab } from './config.ts';

const DOC = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/configuration.md'),
  'utf8',
);

describe('docs/configuration.md', () => {
  it.each(Object.entries(ENV_NAMES))('documents %s with its flag and environment variable', (key, env) => {
    expect(DOC).toContain(`\`--${kebab(key)}\``);
    expect(DOC).toContain(`\`${env}\``);
  });
});
