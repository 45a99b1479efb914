/**
 * The gateway's metadata (migration 10): per-project settings, model aliases, per-key limits and
 * spend per key and period. Reads are cached by the gateway (routing.ts, limits.ts); every write
 * goes through here.
 */
import type { GatewayAlias, GatewayAliasTarget, GatewayKeyLimits, GatewaySettings } from '@argus/shared';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { DEFAULT_GATEWAY_SETTINGS } from './schemas.ts';

/** A settings change: `defaultConnectionId: null` clears it; `cache` may be partial. */
export type SettingsPatch = Partial<Omit<GatewaySettings, 'cache' | 'defaultConnectionId'>> & {
  defaultConnectionId?: string | null;
  cache?: Partial<GatewaySettings['cache']>;
};

/** Limits as stored (the key and time apart). */
export type KeyLimits = Omit<GatewayKeyLimits, 'keyId' | 'updatedAt'>;

/** Spend of a key in one period (a UTC day `YYYY-MM-DD` or month `YYYY-MM`). */
export interface SpendRow {
  projectId: string;
  keyId: string;
  period: string;
  requests: number;
  tokens: number;
  usd: number;
}

/** Settings with every default filled in. */
export function withDefaults(stored: Partial<GatewaySettings> | undefined): GatewaySettings {
  return {
    ...DEFAULT_GATEWAY_SETTINGS,
    ...stored,
    cache: { ...DEFAULT_GATEWAY_SETTINGS.cache, ...stored?.cache },
  };
}

/** The gateway tables. */
export class GatewayRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async settings(projectId: string): Promise<GatewaySettings> {
    const rows = await this.#sql.all<{ settings: string }>(
      'SELECT settings FROM gateway_settings WHERE project_id = $1',
      [projectId],
    );
    return withDefaults(rows[0] ? (JSON.parse(rows[0].settings) as Partial<GatewaySettings>) : undefined);
  }

  async updateSettings(projectId: string, patch: SettingsPatch): Promise<GatewaySettings> {
    const current = await this.settings(projectId);
    const { defaultConnectionId, cache, ...rest } = patch;
    const next: GatewaySettings = { ...current, ...rest, cache: { ...current.cache, ...cache } };
    if (defaultConnectionId === null) delete next.defaultConnectionId;
    else if (defaultConnectionId !== undefined) next.defaultConnectionId = defaultConnectionId;
    await this.#sql.run(
      `INSERT INTO gateway_settings (project_id, settings, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [projectId, JSON.stringify(next), new Date().toISOString()],
    );
    return next;
  }

  async aliases(projectId: string): Promise<GatewayAlias[]> {
    const rows = await this.#sql.all<{ name: string; targets: string; updated_at: string }>(
      'SELECT name, targets, updated_at FROM gateway_aliases WHERE project_id = $1 ORDER BY name',
      [projectId],
    );
    return rows.map((r) => ({
      name: r.name,
      targets: JSON.parse(r.targets) as GatewayAliasTarget[],
      updatedAt: r.updated_at,
    }));
  }

  async putAlias(projectId: string, name: string, targets: GatewayAliasTarget[]): Promise<GatewayAlias> {
    const updatedAt = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO gateway_aliases (project_id, name, targets, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, name) DO UPDATE SET targets = excluded.targets, updated_at = excluded.updated_at`,
      [projectId, name, JSON.stringify(targets), updatedAt],
    );
    return { name, targets, updatedAt };
  }

  async deleteAlias(projectId: string, name: string): Promise<boolean> {
    const { changes } = await this.#sql.run(
      'DELETE FROM gateway_aliases WHERE project_id = $1 AND name = $2',
      [projectId, name],
    );
    return changes > 0;
  }

  /** Limits of every key of a project that has some. */
  async keyLimits(projectId: string): Promise<GatewayKeyLimits[]> {
    const rows = await this.#sql.all<{ key_id: string; limits: string; updated_at: string }>(
      'SELECT key_id, limits, updated_at FROM gateway_key_limits WHERE project_id = $1 ORDER BY key_id',
      [projectId],
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      ...(JSON.parse(r.limits) as KeyLimits),
      updatedAt: r.updated_at,
    }));
  }

  async putKeyLimits(projectId: string, keyId: string, limits: KeyLimits): Promise<GatewayKeyLimits> {
    const updatedAt = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO gateway_key_limits (key_id, project_id, limits, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key_id) DO UPDATE SET project_id = excluded.project_id, limits = excluded.limits,
       updated_at = excluded.updated_at`,
      [keyId, projectId, JSON.stringify(limits), updatedAt],
    );
    return { keyId, ...limits, updatedAt };
  }

  async deleteKeyLimits(projectId: string, keyId: string): Promise<boolean> {
    const { changes } = await this.#sql.run(
      'DELETE FROM gateway_key_limits WHERE project_id = $1 AND key_id = $2',
      [projectId, keyId],
    );
    return changes > 0;
  }

  /** Spend rows of the given periods (today and this month, say). */
  async spend(periods: readonly string[]): Promise<SpendRow[]> {
    if (periods.length === 0) return [];
    const marks = periods.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await this.#sql.all<{
      project_id: string;
      key_id: string;
      period: string;
      requests: number;
      tokens: number;
      usd: number;
    }>(
      `SELECT project_id, key_id, period, requests, tokens, usd FROM gateway_spend WHERE period IN (${marks})`,
      [...periods],
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      keyId: r.key_id,
      period: r.period,
      requests: Number(r.requests),
      tokens: Number(r.tokens),
      usd: Number(r.usd),
    }));
  }

  /**
   * Writes spend totals (absolute values, not increments), in one transaction — not flushed to
   * the disk at commit: it runs every few seconds during traffic, and a power cut loses at most
   * the totals of the last few seconds (a crash of the process loses only what was not saved yet).
   */
  async saveSpend(rows: readonly SpendRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#sql.transaction(
      async (tx) => {
        for (const r of rows)
          await tx.run(
            `INSERT INTO gateway_spend (project_id, key_id, period, requests, tokens, usd) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (project_id, key_id, period) DO UPDATE SET requests = excluded.requests,
             tokens = excluded.tokens, usd = excluded.usd`,
            [r.projectId, r.keyId, r.period, r.requests, r.tokens, r.usd],
          );
      },
      { durable: false },
    );
  }
}
