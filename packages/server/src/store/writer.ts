/**
 * Group commit: requests hand their rows to the writer and wait; while one insert runs, the
 * next requests queue up and share the following insert. A request is answered only when its
 * rows are in the store (an acknowledged span is never lost). The queue is bounded in bytes;
 * past the bound, writes are refused at once with OVERLOADED (503 + Retry-After) instead of
 * growing memory.
 */
import { ArgusError } from '../errors.ts';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { classifyEngineError, writeErrorOf } from './clickhouse/engine-errors.ts';

/** Tables the writer inserts into. */
export type WriterTable = 'spans' | 'logs' | 'metric_points' | 'scores';

/** What became of one write: the indexes of lines the store could not read (the rest are stored). */
export interface WriteResult {
  /** Ascending indexes into the write's lines; empty when every line was stored. */
  rejected: number[];
}

interface Pending {
  lines: string[];
  bytes: number;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/** Most inserts spent finding the unreadable lines of one write before the rest are refused too. */
const MAX_BISECT_INSERTS = 64;

/** Options of {@link GroupCommitWriter}. */
export interface WriterOptions {
  maxQueueBytes: number;
  maxBatchRows: number;
  /** How long the first write of an idle writer waits for company before inserting. */
  lingerMs: number;
  /** Called after each successful insert (metrics); must not throw. */
  onInsert?: (table: WriterTable, elapsedMs: number, rows: number) => void;
  /** Called with each failed insert's engine error (the log); must not throw. */
  onInsertError?: (table: WriterTable, error: unknown, rows: number) => void;
}

/** Writer counters for health and metrics. */
export interface WriterStats {
  queuedBytes: number;
  queuedRows: number;
  inserts: number;
  insertedRows: number;
  failedInserts: number;
  rejectedWrites: number;
  lastInsertMs: number;
  insertMsTotal: number;
  /** Lines refused because the store could not read their values. */
  rejectedRows: number;
  /** When the last insert failed for want of disk space (epoch ms); 0 once an insert succeeds. */
  storageFullSince: number;
}

/** Batches concurrent writes into shared inserts. */
export class GroupCommitWriter {
  readonly #driver: ClickhouseDriver;
  readonly #options: WriterOptions;
  readonly #queues = new Map<WriterTable, Pending[]>();
  readonly #busy = new Set<WriterTable>();
  readonly #timers = new Map<WriterTable, NodeJS.Timeout>();
  readonly #idleWaiters: (() => void)[] = [];
  /** Writes accepted and not yet settled (one entry per request, not per row). */
  readonly #inFlight = new Set<Promise<WriteResult>>();
  #closing = false;
  readonly stats: WriterStats = {
    queuedBytes: 0,
    queuedRows: 0,
    inserts: 0,
    insertedRows: 0,
    failedInserts: 0,
    rejectedWrites: 0,
    lastInsertMs: 0,
    insertMsTotal: 0,
    rejectedRows: 0,
    storageFullSince: 0,
  };

  readonly #columns: Readonly<Record<WriterTable, readonly string[]>>;

  /** @param columns the column order of each table's TSV lines. */
  constructor(
    driver: ClickhouseDriver,
    columns: Readonly<Record<WriterTable, readonly string[]>>,
    options: WriterOptions,
  ) {
    this.#columns = columns;
    this.#driver = driver;
    this.#options = options;
  }

  /**
   * Queues TSV lines and resolves once they are inserted, naming the lines the store could not
   * read (their values, not the store, were at fault; every other line is stored).
   * @throws ArgusError OVERLOADED when the queue is full, SHUTTING_DOWN when closing,
   * STORAGE_FULL when the disk is full, STORE_UNAVAILABLE when the insert failed otherwise.
   */
  write(table: WriterTable, lines: string[]): Promise<WriteResult> {
    if (lines.length === 0) return Promise.resolve({ rejected: [] });
    if (this.#closing) {
      return Promise.reject(
        new ArgusError('SHUTTING_DOWN', 'Cannot accept data: the server is shutting down', {
          retryAfterSeconds: 5,
        }),
      );
    }
    let bytes = lines.length;
    for (const line of lines) bytes += line.length;
    if (this.stats.queuedBytes + bytes > this.#options.maxQueueBytes && this.stats.queuedBytes > 0) {
      this.stats.rejectedWrites++;
      return Promise.reject(
        new ArgusError(
          'OVERLOADED',
          `Cannot accept data now: the write queue holds ${this.stats.queuedBytes} bytes, limit ${this.#options.maxQueueBytes}; retry later`,
          { retryAfterSeconds: 2 },
        ),
      );
    }
    const written = new Promise<WriteResult>((resolve, reject) => {
      const queue = this.#queues.get(table) ?? [];
      queue.push({ lines, bytes, resolve, reject });
      this.#queues.set(table, queue);
      this.stats.queuedBytes += bytes;
      this.stats.queuedRows += lines.length;
      this.#schedule(table);
    });
    this.#inFlight.add(written);
    const forget = () => this.#inFlight.delete(written);
    written.then(forget, forget);
    return written;
  }

  /**
   * Resolves once every write accepted before this call is inserted or failed — unlike
   * {@link drain}, later writes do not hold it up (erasure uses it under sustained ingest).
   */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  #schedule(table: WriterTable): void {
    if (this.#busy.has(table) || this.#timers.has(table)) return;
    const linger = this.#closing ? 0 : this.#options.lingerMs;
    this.#timers.set(
      table,
      setTimeout(() => {
        this.#timers.delete(table);
        void this.#flush(table);
      }, linger),
    );
  }

  async #flush(table: WriterTable): Promise<void> {
    const queue = this.#queues.get(table);
    if (!queue || queue.length === 0) return this.#checkIdle();
    this.#busy.add(table);
    const group: Pending[] = [];
    let rows = 0;
    while (
      queue.length > 0 &&
      (group.length === 0 || rows + queue[0]!.lines.length <= this.#options.maxBatchRows)
    ) {
      const next = queue.shift()!;
      group.push(next);
      rows += next.lines.length;
    }
    try {
      await this.#insert(
        table,
        group.map((p) => p.lines),
      );
      for (const p of group) p.resolve({ rejected: [] });
    } catch (error) {
      if (classifyEngineError(error) === 'data') {
        // Unreadable values: nothing was written (one insert is one part, parsed before it is
        // written), so each request is retried alone and a bad line never fails its neighbours.
        if (group.length === 1) await this.#storeReadable(table, group[0]!);
        else for (const p of group) await this.#insertAlone(table, p);
      } else {
        // The store itself failed (disk full, unreachable): the same insert would fail again, and
        // retrying could store rows twice when the failure came after the table's part was written
        // (a full disk failing a rollup view). The store checks what was kept (index.ts).
        const failure = writeErrorOf(error, `'${table}' rows`);
        for (const p of group) p.reject(failure);
      }
    } finally {
      for (const p of group) {
        this.stats.queuedBytes -= p.bytes;
        this.stats.queuedRows -= p.lines.length;
      }
      this.#busy.delete(table);
      if (queue.length > 0) this.#schedule(table);
      else this.#checkIdle();
    }
  }

  /** Inserts one request's lines; when some cannot be read, stores the others and names those. */
  async #insertAlone(table: WriterTable, p: Pending): Promise<void> {
    try {
      await this.#insert(table, [p.lines]);
      p.resolve({ rejected: [] });
    } catch (error) {
      if (classifyEngineError(error) !== 'data') return p.reject(writeErrorOf(error, `'${table}' rows`));
      await this.#storeReadable(table, p);
    }
  }

  /** Stores the lines of a request the store can read and resolves naming the others. */
  async #storeReadable(table: WriterTable, p: Pending): Promise<void> {
    try {
      const rejected: number[] = [];
      await this.#bisect(table, p.lines, 0, p.lines.length, rejected, { inserts: MAX_BISECT_INSERTS });
      this.stats.rejectedRows += rejected.length;
      p.resolve({ rejected });
    } catch (failure) {
      p.reject(writeErrorOf(failure, `'${table}' rows`));
    }
  }

  /**
   * Stores lines [from, to) that the store can read and collects the indexes of those it cannot,
   * halving the range on each data error (a few bad lines cost about 2·log2(n) inserts).
   */
  async #bisect(
    table: WriterTable,
    lines: string[],
    from: number,
    to: number,
    rejected: number[],
    budget: { inserts: number },
  ): Promise<void> {
    if (from >= to) return;
    if (to - from > 1 && budget.inserts > 0) {
      const middle = from + Math.floor((to - from) / 2);
      for (const [a, b] of [
        [from, middle],
        [middle, to],
      ] as const) {
        budget.inserts--;
        try {
          await this.#insert(table, [lines.slice(a, b)]);
        } catch (error) {
          if (classifyEngineError(error) !== 'data') throw error;
          await this.#bisect(table, lines, a, b, rejected, budget);
        }
      }
      return;
    }
    // One line that failed (or the budget is spent): refuse the range.
    for (let i = from; i < to; i++) rejected.push(i);
  }

  /** Inserts the lines of one or more writes as one insert. */
  async #insert(table: WriterTable, writes: readonly (readonly string[])[]): Promise<void> {
    const chunks: string[] = [];
    let rows = 0;
    for (const lines of writes) {
      chunks.push(lines.join('\n'));
      rows += lines.length;
    }
    const started = performance.now();
    try {
      await this.#driver.insertTsv(table, this.#columns[table], Buffer.from(chunks.join('\n')));
    } catch (error) {
      this.stats.failedInserts++;
      if (classifyEngineError(error) === 'full' && this.stats.storageFullSince === 0) {
        this.stats.storageFullSince = Date.now();
      }
      this.#options.onInsertError?.(table, error, rows);
      throw error;
    }
    this.stats.storageFullSince = 0;
    const elapsed = performance.now() - started;
    this.stats.inserts++;
    this.stats.insertedRows += rows;
    this.stats.lastInsertMs = elapsed;
    this.stats.insertMsTotal += elapsed;
    this.#options.onInsert?.(table, elapsed, rows);
  }

  #checkIdle(): void {
    if (this.stats.queuedRows > 0 || this.#busy.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Resolves when every queued write has been inserted (or failed). */
  drain(): Promise<void> {
    if (this.stats.queuedRows === 0 && this.#busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Refuses new writes, flushes the queued ones, and resolves when they are written. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const [table, timer] of this.#timers) {
      clearTimeout(timer);
      this.#timers.delete(table);
      void this.#flush(table);
    }
    await this.drain();
  }
}
