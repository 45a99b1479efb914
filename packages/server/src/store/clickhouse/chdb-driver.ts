import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { ArgusError } from '../../errors.ts';
import {
  type ClickhouseDriver,
  EMBEDDED_INSERT_SETTINGS,
  INSERT_SETTINGS,
  parseRowsYielding,
  type QueryParams,
  querySettings,
  type ReadOptions,
} from './driver.ts';
import { lowerEngineBackgroundPriority } from './engine-priority.ts';
import { findLockHolder, type LockHolder } from './lock-holder.ts';

/** Options of {@link openChdbDriver}. */
export interface ChdbDriverOptions {
  /** Directory chDB owns; only one process may hold it. */
  path: string;
  /** Cap on the engine's tracked memory. */
  maxMemoryBytes: number;
  queryTimeoutMs: number;
}

/**
 * Opens chDB on a data directory.
 * @throws ArgusError DATA_DIR_LOCKED when another process holds the directory.
 */
export function openChdbDriver(options: ChdbDriverOptions): ClickhouseDriver {
  mkdirSync(options.path, { recursive: true });
  // Asked first so the engine does not print its own lock error to stderr.
  const holder = findLockHolder(options.path);
  if (holder) throw lockedError(options.path, holder);
  let session: Session;
  try {
    session = new Session(options.path, {
      connectionArgs: [
        `--max_server_memory_usage=${options.maxMemoryBytes}`,
        '--output_format_json_quote_64bit_integers=1',
        // Small caches: the embedded engine shares the process with the server.
        '--mark_cache_size=67108864',
        '--uncompressed_cache_size=0',
      ],
    });
  } catch (error) {
    const message = String((error as Error).message ?? error);
    // The engine reports a held lock as a generic connection failure (the detail goes to stderr).
    if (/Cannot lock file|already running|Failed to create connection/.test(message)) {
      throw lockedError(options.path, findLockHolder(options.path), error);
    }
    throw new ArgusError('STORE_UNAVAILABLE', `Cannot open chDB in '${options.path}': ${message}`, {
      cause: error,
    });
  }
  const stopPriority = lowerEngineBackgroundPriority();
  const settings = querySettings(options.queryTimeoutMs);
  const settingsClause = ` SETTINGS ${Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
  let closed = false;
  return {
    kind: 'chdb',
    async query<T>(sql: string, params: QueryParams = {}, options: ReadOptions = {}): Promise<T[]> {
      const every = options.yieldEveryRows;
      const format = every === undefined ? 'JSON' : 'JSONEachRow';
      const result = await session.queryBindAsync(sql + settingsClause, params, { format });
      return every === undefined
        ? result.json<{ data: T[] }>().data
        : parseRowsYielding<T>(result.bytes(), every);
    },
    async exec(sql: string, params: QueryParams = {}): Promise<void> {
      await session.queryBindAsync(sql, params, { format: 'Null' });
    },
    async insertTsv(table: string, columns: readonly string[], body: Buffer): Promise<void> {
      if (body.length === 0) return;
      await session.insert({
        table,
        format: 'TabSeparated',
        columns,
        values: body,
        settings: { ...EMBEDDED_INSERT_SETTINGS, ...INSERT_SETTINGS },
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopPriority();
      session.close();
    },
  };
}

/** The one sentence for a data directory another process holds. */
function lockedError(dir: string, holder: LockHolder | undefined, cause?: unknown): ArgusError {
  const who = holder
    ? `another Argus process holds it (pid ${holder.pid}${holder.command ? `: ${holder.command}` : ''})`
    : 'another Argus process most likely holds it';
  return new ArgusError(
    'DATA_DIR_LOCKED',
    `Cannot open data directory '${dir}': ${who}; stop that process, query it through its API (argus traces --url …), or start this one with another --data-dir`,
    { cause },
  );
}
