/**
 * Group commit: requests hand their rows to the writer; while one insert runs, the next requests
 * queue up and share the following insert. The queue is bounded in bytes; past the bound, writes
 * are refused at once with OVERLOADED (503 + Retry-After) instead of growing memory.
 *
 * Two ways to acknowledge (issue 20):
 * - with a write-ahead log (the default, store/wal.ts): a write resolves once its rows are durable
 *   in the log; inserts then run off the request's path, a batch per table every `lingerMs` or
 *   whenever `maxBatchRows` are queued, so inserts are large whatever the clients' concurrency. A
 *   failed insert is retried with back-off (the rows stay in the log); rows the store cannot read
 *   are set aside in the log's directory. {@link visible} lets a reader see every acknowledged row.
 * - without one: a write resolves only when its rows are in the store.
 */
import { ArgusError } from '../errors.ts';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { classifyEngineError, writeErrorOf } from './clickhouse/engine-errors.ts';
import { TableInserter } from './table-inserter.ts';
import type { WalEntry, WalPosition, WriteAheadLog } from './wal.ts';

/** Tables the writer inserts into. */
export type WriterTable = 'spans' | 'logs' | 'metric_points' | 'scores';

/** What became of one write: the indexes of lines the store could not read (the rest are stored). */
export interface WriteResult {
  /** Ascending indexes into the write's lines; empty when every line was stored (or, with the log, logged). */
  rejected: number[];
}

interface Pending {
  /** The write's TSV lines joined by '\n' (what the log holds and the insert sends). */
  payload: Buffer;
  rows: number;
  /** Where the rows are in the log (the request is answered already); absent without one. */
  position?: WalPosition;
  /** The rows may be stored already (replayed after a crash, retried after a failed insert). */
  mayBeStored?: boolean;
  /** The write's order of acceptance (see settled()). */
  order?: number;
  /** Settles the write (without a log) or, with one, marks its first insert attempt. */
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/** Back-off of a failed insert of logged rows: doubles from the first to the last. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 5_000;

/** Options of {@link GroupCommitWriter}. */
export interface WriterOptions {
  maxQueueBytes: number;
  maxBatchRows: number;
  /**
   * Most TSV bytes in one insert (a single larger write still goes alone); unset = no cap. The
   * engine's working memory for an insert is ~10x its TSV bytes (issue 20), so this bounds it.
   */
  maxBatchBytes?: number;
  /** How long queued rows wait for company before an insert (with a log: the longest wait). */
  lingerMs: number;
  /** Acknowledge once rows are durable here, insert later in batches. */
  wal?: WriteAheadLog;
  /** Of logged rows that may be stored already, those that are not (spans: by their ids). */
  filterStored?: (table: WriterTable, payload: Buffer) => Promise<Buffer>;
  /** Logged rows the store could not read, after they were acknowledged: keep them somewhere; must not throw. */
  setAside?: (table: WriterTable, lines: readonly string[]) => void;
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
  /** Lines refused because the store could not read their values (with a log: set aside). */
  rejectedRows: number;
  /** When the last insert failed for want of disk space (epoch ms); 0 once an insert succeeds. */
  storageFullSince: number;
  /** Rows read back from the log at start and inserted again. */
  replayedRows: number;
}

const noop = () => {};

/** Batches concurrent writes into shared inserts. */
export class GroupCommitWriter {
  readonly #inserter: TableInserter;
  readonly #options: WriterOptions;
  readonly #queues = new Map<WriterTable, Pending[]>();
  /** Rows and bytes in each table's queue, kept with it (every logged write checks for a full batch). */
  readonly #queuedRows = new Map<WriterTable, number>();
  readonly #queuedBytes = new Map<WriterTable, number>();
  readonly #busy = new Set<WriterTable>();
  readonly #timers = new Map<WriterTable, NodeJS.Timeout>();
  /** Back-off of each table whose last insert failed (with a log), until one succeeds. */
  readonly #retries = new Map<WriterTable, number>();
  /** Tables a reader waits for: their next insert starts without the linger. */
  readonly #urgent = new Set<WriterTable>();
  readonly #idleWaiters: (() => void)[] = [];
  /** Writes accepted and not yet settled (one entry per request, not per row), with their order of acceptance. */
  readonly #inFlight = new Map<Promise<unknown>, number>();
  /** Inserts under way. */
  readonly #inserts = new Set<Promise<void>>();
  #accepted = 0;
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
    replayedRows: 0,
  };

  /** @param columns the column order of each table's TSV lines. */
  constructor(
    driver: ClickhouseDriver,
    columns: Readonly<Record<WriterTable, readonly string[]>>,
    options: WriterOptions,
  ) {
    this.#inserter = new TableInserter(driver, columns, this.stats, options);
    this.#options = options;
  }

  /**
   * Queues TSV lines and resolves once they are durable: in the log, or (without one) in the
   * store, naming the lines the store could not read (their values were at fault; every other
   * line is stored).
   * @throws ArgusError OVERLOADED when the queue is full, SHUTTING_DOWN when closing,
   * STORAGE_FULL when the disk is full, STORE_UNAVAILABLE when the write failed otherwise.
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
    const payload = Buffer.from(lines.join('\n'));
    if (this.stats.queuedBytes + payload.length > this.#options.maxQueueBytes && this.stats.queuedBytes > 0) {
      this.stats.rejectedWrites++;
      return Promise.reject(
        new ArgusError(
          'OVERLOADED',
          `Cannot accept data now: the write queue holds ${this.stats.queuedBytes} bytes, limit ${this.#options.maxQueueBytes}; retry later`,
          { retryAfterSeconds: 2 },
        ),
      );
    }
    const wal = this.#options.wal;
    const order = ++this.#accepted;
    // The closures below keep the count, not the lines: the payload holds the rows from here on.
    const rows = lines.length;
    if (!wal) return this.#enqueue(table, { payload, rows }, order);
    // Reserved while the log writes, so concurrent writes see the queue's real size.
    this.#reserve(payload.length, rows);
    const logged = wal.append(table, payload, rows).then(
      (position) => {
        this.#reserve(-payload.length, -rows);
        void this.#enqueue(table, { payload, rows, position }, order);
        return { rejected: [] };
      },
      (error: unknown) => {
        this.#reserve(-payload.length, -rows);
        // close() may be waiting for this reservation to go (drain() hears only of inserts).
        this.#checkIdle();
        throw writeErrorOf(error, `'${table}' rows`);
      },
    );
    this.#track(logged, order);
    return logged;
  }

  /** Hands rows read back from the log at start to the store; resolves once each was tried. */
  async replay(entries: readonly WalEntry[]): Promise<void> {
    for (const entry of entries) {
      this.stats.replayedRows += entry.rows;
      void this.#enqueue(entry.table, { ...entry, mayBeStored: true }, ++this.#accepted);
    }
    await this.visible();
  }

  /**
   * Resolves once every write accepted before this call is inserted or failed — unlike
   * {@link drain}, later writes do not hold it up (erasure uses it under sustained ingest).
   * Queued rows are inserted at once rather than after the linger.
   * @throws ArgusError STORE_UNAVAILABLE when, with a log, some of those rows wait for the retry
   * of a failed insert: they would reach the store after whatever the caller does next (an erasure).
   */
  async settled(): Promise<void> {
    const last = await this.#waitFor(this.#accepted);
    for (const [table, queue] of this.#queues) {
      if (!this.#retries.has(table) || !queue.some((p) => (p.order ?? 0) <= last)) continue;
      throw new ArgusError(
        'STORE_UNAVAILABLE',
        `Rows acknowledged before this request are not in the store yet: its inserts into '${table}' are failing and are being retried; retry later`,
        { retryAfterSeconds: 10 },
      );
    }
  }

  /**
   * Starts a new log segment, so the rows logged so far leave the disk once they are committed
   * (after {@link settled}: at once). Erasure calls it; without a log it does nothing.
   */
  async sealLog(): Promise<void> {
    await this.#options.wal?.rotate();
  }

  /** Whether writes are acknowledged once logged (nothing reaches the store before a write resolves). */
  get logged(): boolean {
    return this.#options.wal !== undefined;
  }

  /**
   * Before a read: every write acknowledged so far is in the store, or its insert failed (with a
   * log: or waits for a retry — a read never waits out the back-off of a store that is down).
   */
  async visible(): Promise<void> {
    await this.#waitFor(this.#accepted);
  }

  /**
   * Before a read that pages by insert time behind a settle delay (the online feed): every insert
   * under way has ended. Queued rows are not hurried into an insert as {@link visible} does —
   * their insert time will be later than such a read's bound — so these readers do not break the
   * linger's large inserts into small ones.
   */
  async insertsSettled(): Promise<void> {
    await Promise.allSettled([...this.#inserts]);
  }

  /** Waits for the writes accepted up to `last` (see settled()); returns `last`. */
  async #waitFor(last: number): Promise<number> {
    // With a log a write is in flight twice: while it is logged, then while it is inserted.
    for (;;) {
      const waiting = [...this.#inFlight].filter(([, order]) => order <= last).map(([promise]) => promise);
      if (waiting.length === 0) return last;
      for (const [table, queue] of this.#queues) {
        // A table backing off after a failed insert (the store is down) holds no reader up: its
        // queued rows count as failed for now (they stay queued and logged, and are retried).
        if (this.#retries.has(table)) for (const p of queue) p.resolve({ rejected: [] });
        this.#urgent.add(table);
        this.#schedule(table, true);
      }
      await Promise.allSettled(waiting);
    }
  }

  #reserve(bytes: number, rows: number): void {
    this.stats.queuedBytes += bytes;
    this.stats.queuedRows += rows;
  }

  #track(promise: Promise<unknown>, order: number): void {
    this.#inFlight.set(promise, order);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
  }

  #enqueue(
    table: WriterTable,
    entry: Omit<Pending, 'resolve' | 'reject'>,
    order: number,
  ): Promise<WriteResult> {
    const settled = new Promise<WriteResult>((resolve, reject) => {
      const queue = this.#queues.get(table) ?? [];
      queue.push({ ...entry, order, resolve, reject });
      this.#queues.set(table, queue);
      this.#countQueued(table, entry.rows, entry.payload.length);
      this.#reserve(entry.payload.length, entry.rows);
    });
    if (entry.position) settled.catch(noop);
    this.#track(settled, order);
    this.#schedule(table);
    return settled;
  }

  /** Starts the table's next insert after the linger, or now when `now` or a full batch is queued. */
  #schedule(table: WriterTable, now = false): void {
    if (this.#busy.has(table) || this.#retries.has(table)) return;
    const full =
      this.#options.wal !== undefined &&
      ((this.#queuedRows.get(table) ?? 0) >= this.#options.maxBatchRows ||
        (this.#queuedBytes.get(table) ?? 0) >= this.#maxBatchBytes);
    const linger = this.#closing || now || full ? 0 : this.#options.lingerMs;
    const timer = this.#timers.get(table);
    if (timer && linger > 0) return;
    clearTimeout(timer);
    this.#timers.set(
      table,
      setTimeout(() => {
        this.#timers.delete(table);
        void this.#flush(table);
      }, linger),
    );
  }

  #countQueued(table: WriterTable, rows: number, bytes: number): void {
    this.#queuedRows.set(table, (this.#queuedRows.get(table) ?? 0) + rows);
    this.#queuedBytes.set(table, (this.#queuedBytes.get(table) ?? 0) + bytes);
  }

  get #maxBatchBytes(): number {
    return this.#options.maxBatchBytes ?? Number.POSITIVE_INFINITY;
  }

  async #flush(table: WriterTable): Promise<void> {
    const queue = this.#queues.get(table);
    if (!queue || queue.length === 0) return this.#checkIdle();
    this.#busy.add(table);
    const group: Pending[] = [];
    let rows = 0;
    let bytes = 0;
    while (queue.length > 0 && (group.length === 0 || this.#fits(queue[0]!, rows, bytes))) {
      const next = queue.shift()!;
      group.push(next);
      rows += next.rows;
      bytes += next.payload.length;
    }
    this.#countQueued(table, -rows, -bytes);
    let retry = false;
    const inserting = this.#insertGroup(table, group);
    this.#inserts.add(inserting);
    try {
      await inserting;
      this.#retries.delete(table);
    } catch (error) {
      retry = this.#failGroup(table, group, queue, error);
    } finally {
      this.#inserts.delete(inserting);
      if (!retry) for (const p of group) this.#reserve(-p.payload.length, -p.rows);
      this.#busy.delete(table);
      const urgent = this.#urgent.delete(table);
      if (!retry && queue.length > 0) this.#schedule(table, urgent);
      else if (!retry) this.#checkIdle();
    }
  }

  /** Whether a queued write joins a group of `rows` and `bytes` without passing either cap. */
  #fits(next: Pending, rows: number, bytes: number): boolean {
    return (
      rows + next.rows <= this.#options.maxBatchRows && bytes + next.payload.length <= this.#maxBatchBytes
    );
  }

  /** Inserts a group; bisects to the unreadable lines on a data error. */
  async #insertGroup(table: WriterTable, group: Pending[]): Promise<void> {
    const payloads = group.some((p) => p.mayBeStored)
      ? await Promise.all(group.map((p) => this.#unstored(table, p)))
      : group.map((p) => p.payload);
    try {
      await this.#inserter.insert(table, payloads);
      for (const p of group) p.resolve({ rejected: [] });
    } catch (error) {
      if (classifyEngineError(error) !== 'data') throw error;
      // Unreadable values: nothing was written (one insert is one part, parsed before it is
      // written), so each request is retried alone and a bad line never fails its neighbours.
      for (const [i, p] of group.entries()) await this.#insertAlone(table, p, payloads[i]!);
    }
    this.#commit(table, group);
  }

  async #unstored(table: WriterTable, p: Pending): Promise<Buffer> {
    if (!p.mayBeStored || !this.#options.filterStored) return p.payload;
    return this.#options.filterStored(table, p.payload);
  }

  #commit(table: WriterTable, group: readonly Pending[]): void {
    const positions = group.flatMap((p) => (p.position ? [p.position] : []));
    if (positions.length > 0) this.#options.wal?.commit(table, positions);
  }

  /**
   * A group's insert failed in the store itself (disk full, unreachable). Without a log each
   * request is failed: the same insert would fail again, and retrying could store rows twice when
   * the failure came after the table's part was written (a full disk failing a rollup view); the
   * store checks what was kept (deduped-insert.ts). With a log the group goes back to the head of
   * the queue and is tried again later, skipping the rows the store holds.
   * @returns whether the group was put back.
   */
  #failGroup(table: WriterTable, group: Pending[], queue: Pending[], error: unknown): boolean {
    const failure = writeErrorOf(error, `'${table}' rows`);
    if (!this.#options.wal || this.#closing) {
      for (const p of group) p.reject(failure);
      return false;
    }
    for (const p of group) p.mayBeStored = true;
    queue.unshift(...group);
    for (const p of group) this.#countQueued(table, p.rows, p.payload.length);
    // Readers stop waiting for this table until an insert succeeds again (see settled()).
    for (const p of queue) p.resolve({ rejected: [] });
    const delay = Math.min(RETRY_MAX_MS, (this.#retries.get(table) ?? RETRY_FIRST_MS / 2) * 2);
    this.#retries.set(table, delay);
    clearTimeout(this.#timers.get(table));
    this.#timers.set(
      table,
      setTimeout(() => {
        this.#timers.delete(table);
        void this.#flush(table);
      }, delay),
    );
    return true;
  }

  /** Inserts one request's lines; when some cannot be read, stores the others and names those. */
  async #insertAlone(table: WriterTable, p: Pending, payload: Buffer): Promise<void> {
    const { rejected, lines } = await this.#inserter.insertReadable(table, payload);
    if (rejected.length > 0) {
      this.stats.rejectedRows += rejected.length;
      if (p.position)
        this.#options.setAside?.(
          table,
          rejected.map((index) => lines[index]!),
        );
    }
    p.resolve({ rejected });
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

  /**
   * Refuses new writes, inserts the queued ones (once: with a log, what fails stays in it for the
   * next start), and resolves when done.
   */
  async close(): Promise<void> {
    this.#closing = true;
    for (const table of this.#queues.keys()) {
      clearTimeout(this.#timers.get(table));
      this.#timers.delete(table);
      this.#retries.delete(table);
      if (!this.#busy.has(table)) void this.#flush(table);
    }
    await this.drain();
  }
}
