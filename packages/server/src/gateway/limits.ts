/**
 * Per-key limits of the gateway: requests and tokens per minute (a sliding 60-second window) and
 * USD budgets per UTC day and month, answered with a provider-style 429 and a message that says
 * which limit and when it frees. Spend is kept in memory and written to the metadata store every
 * few seconds (and at shutdown), so budgets survive a restart; limits are re-read every 2 seconds.
 */
import type { GatewayKeySpend } from '@argus/shared';
import type { Logger } from '../logger.ts';
import type { GatewayRepository, KeyLimits, SpendRow } from './repository.ts';

/** A refusal: the message and when to retry. */
export interface LimitRefusal {
  message: string;
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;
const LIMITS_TTL_MS = 2_000;

interface Window {
  requests: number[];
  tokens: { at: number; n: number }[];
}

/** The UTC day and month of a time. */
export function periodsOf(ms: number): { day: string; month: string } {
  const iso = new Date(ms).toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

function secondsUntilNextDay(ms: number): number {
  const next = new Date(ms);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - ms) / 1000));
}

function secondsUntilNextMonth(ms: number): number {
  const d = new Date(ms);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - ms) / 1000));
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

/** Limits and spend of every key. */
export class KeyLimiter {
  readonly #repo: GatewayRepository;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #limits = new Map<string, { at: number; byKey: Map<string, KeyLimits> }>();
  readonly #windows = new Map<string, Window>();
  readonly #spend = new Map<string, SpendRow>();
  readonly #dirty = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(repo: GatewayRepository, logger: Logger, now: () => number = Date.now) {
    this.#repo = repo;
    this.#logger = logger;
    this.#now = now;
  }

  /** Loads today's and this month's spend and starts the periodic write. */
  async start(flushMs = 5_000): Promise<void> {
    const { day, month } = periodsOf(this.#now());
    for (const row of await this.#repo.spend([day, month])) this.#spend.set(spendKey(row), row);
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  /** Writes changed spend rows. */
  async flush(): Promise<void> {
    if (this.#dirty.size === 0) return;
    const rows = [...this.#dirty].map((k) => ({ ...this.#spend.get(k)! }));
    this.#dirty.clear();
    await this.#repo.saveSpend(rows).catch((error: unknown) => {
      for (const row of rows) this.#dirty.add(spendKey(row));
      this.#logger.warn('gateway: cannot save spend', { error: String(error) });
    });
  }

  /** Forgets the cached limits of a project (after a change). */
  invalidate(projectId: string): void {
    this.#limits.delete(projectId);
  }

  /** The limits of a key (undefined = none). */
  async limitsOf(projectId: string, keyId: string): Promise<KeyLimits | undefined> {
    const now = this.#now();
    let cached = this.#limits.get(projectId);
    if (!cached || now - cached.at > LIMITS_TTL_MS) {
      const rows = await this.#repo.keyLimits(projectId);
      cached = { at: now, byKey: new Map(rows.map(({ keyId: id, updatedAt: _, ...l }) => [id, l])) };
      this.#limits.set(projectId, cached);
    }
    return cached.byKey.get(keyId);
  }

  #window(keyId: string, now: number): Window {
    let w = this.#windows.get(keyId);
    if (!w) {
      w = { requests: [], tokens: [] };
      this.#windows.set(keyId, w);
    }
    while (w.requests.length > 0 && w.requests[0]! <= now - WINDOW_MS) w.requests.shift();
    while (w.tokens.length > 0 && w.tokens[0]!.at <= now - WINDOW_MS) w.tokens.shift();
    return w;
  }

  #spent(projectId: string, keyId: string, period: string): SpendRow | undefined {
    return this.#spend.get(`${projectId}\u0001${keyId}\u0001${period}`);
  }

  /** Admits a call of a key, or says which limit refuses it; an admitted call counts as a request. */
  async admit(projectId: string, keyId: string): Promise<LimitRefusal | undefined> {
    const limits = await this.limitsOf(projectId, keyId);
    const now = this.#now();
    const w = this.#window(keyId, now);
    if (limits) {
      const refusal = this.#check(projectId, keyId, limits, w, now);
      if (refusal) return refusal;
    }
    w.requests.push(now);
    return undefined;
  }

  #check(projectId: string, keyId: string, l: KeyLimits, w: Window, now: number): LimitRefusal | undefined {
    const untilFree = (at: number | undefined) =>
      Math.max(1, Math.ceil(((at ?? now) + WINDOW_MS - now) / 1000));
    if (l.requestsPerMinute !== undefined && w.requests.length >= l.requestsPerMinute)
      return {
        message: `Rate limit reached for this key: ${l.requestsPerMinute} requests per minute; retry in ${untilFree(w.requests[0])} s`,
        retryAfterSeconds: untilFree(w.requests[0]),
      };
    const tokens = w.tokens.reduce((sum, t) => sum + t.n, 0);
    if (l.tokensPerMinute !== undefined && tokens >= l.tokensPerMinute)
      return {
        message: `Rate limit reached for this key: ${l.tokensPerMinute} tokens per minute (${tokens} used); retry in ${untilFree(w.tokens[0]?.at)} s`,
        retryAfterSeconds: untilFree(w.tokens[0]?.at),
      };
    const { day, month } = periodsOf(now);
    const today = this.#spent(projectId, keyId, day)?.usd ?? 0;
    if (l.usdPerDay !== undefined && today >= l.usdPerDay)
      return {
        message: `Budget reached for this key: ${usd(l.usdPerDay)} per day (${usd(today)} spent today, UTC)`,
        retryAfterSeconds: secondsUntilNextDay(now),
      };
    const thisMonth = this.#spent(projectId, keyId, month)?.usd ?? 0;
    if (l.usdPerMonth !== undefined && thisMonth >= l.usdPerMonth)
      return {
        message: `Budget reached for this key: ${usd(l.usdPerMonth)} per month (${usd(thisMonth)} spent this month, UTC)`,
        retryAfterSeconds: secondsUntilNextMonth(now),
      };
    return undefined;
  }

  /** Counts what a finished call used. */
  record(projectId: string, keyId: string, tokens: number, costUsd: number): void {
    const now = this.#now();
    if (tokens > 0) this.#window(keyId, now).tokens.push({ at: now, n: tokens });
    const { day, month } = periodsOf(now);
    for (const period of [day, month]) {
      const key = `${projectId}\u0001${keyId}\u0001${period}`;
      const row = this.#spend.get(key) ?? { projectId, keyId, period, requests: 0, tokens: 0, usd: 0 };
      row.requests++;
      row.tokens += tokens;
      row.usd += costUsd;
      this.#spend.set(key, row);
      this.#dirty.add(key);
    }
  }

  /** Spend per key of a project today and this month (every project's when `projectId` is undefined). */
  spendOf(projectId: string | undefined): (GatewayKeySpend & { projectId: string })[] {
    const { day, month } = periodsOf(this.#now());
    const out = new Map<string, GatewayKeySpend & { projectId: string }>();
    for (const row of this.#spend.values()) {
      if (
        (projectId !== undefined && row.projectId !== projectId) ||
        (row.period !== day && row.period !== month)
      )
        continue;
      const id = `${row.projectId}\u0001${row.keyId}`;
      const entry = out.get(id) ?? {
        projectId: row.projectId,
        keyId: row.keyId,
        requestsToday: 0,
        tokensToday: 0,
        usdToday: 0,
        usdMonth: 0,
      };
      if (row.period === day) {
        entry.requestsToday = row.requests;
        entry.tokensToday = row.tokens;
        entry.usdToday = row.usd;
      } else entry.usdMonth = row.usd;
      out.set(id, entry);
    }
    return [...out.values()];
  }
}

function spendKey(row: Pick<SpendRow, 'projectId' | 'keyId' | 'period'>): string {
  return `${row.projectId}\u0001${row.keyId}\u0001${row.period}`;
}
