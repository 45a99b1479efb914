/**
 * The metadata engines a repository contract suite runs against: SQLite in a temp dir always,
 * and a throw-away PostgreSQL where its binaries are installed (always in CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { MetadataStore } from '../../src/store/metadata/metadata-store.ts';
import { openPostgresClient } from '../../src/store/metadata/postgres-client.ts';
import { openSqliteClient } from '../../src/store/metadata/sqlite-client.ts';
import { hasPostgres, startPostgres, type TestPostgres } from './postgres.ts';

/** One engine of a contract suite: `open()` gives a fresh store and how to remove it. */
export interface MetadataEngine {
  name: string;
  open(): Promise<{ store: MetadataStore; cleanup: () => Promise<void> }>;
}

/**
 * The engines for `describe.each`; `prefix` names the SQLite temp dir (`argus-quality-`). Call it
 * at a test file's top level: the PostgreSQL server, started on first use, stops after the file.
 */
export function metadataEngines(prefix: string): MetadataEngine[] {
  const engines: MetadataEngine[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
        const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
        return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  if (!hasPostgres() && !process.env.CI) return engines;
  let pg: TestPostgres | undefined;
  engines.push({
    name: 'postgres',
    async open() {
      pg ??= await startPostgres();
      return { store: new MetadataStore(openPostgresClient(pg.url)), cleanup: async () => {} };
    },
  });
  afterAll(() => pg?.stop());
  return engines;
}
