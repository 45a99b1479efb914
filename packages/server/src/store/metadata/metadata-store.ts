/**
 * Projects, settings and other small mutable records, in SQLite (embedded) or PostgreSQL
 * (scale-out) through one repository. Migrations are numbered and each runs in a transaction
 * (both engines have transactional DDL), so a failure leaves the previous version intact.
 */
import { ArgusError } from '../../errors.ts';
import { openPostgresClient } from './postgres-client.ts';
import type { SqlClient } from './sql-client.ts';
import { openSqliteClient } from './sqlite-client.ts';

/** A project: every row of telemetry belongs to one. */
export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

const MIGRATIONS: readonly { version: number; name: string; sql: string[] }[] = [
  {
    version: 1,
    name: 'projects and settings',
    sql: [
      `CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS settings (project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         key TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project_id, key))`,
    ],
  },
  {
    // Alerting (src/alerts/alert-repository.ts). Times are ISO 8601 UTC text (sorts as time),
    // lease expiry is epoch ms; rule and channel definitions are JSON validated by the API.
    version: 2,
    name: 'alerts',
    sql: [
      `CREATE TABLE alert_rules (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, enabled INTEGER NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      'CREATE INDEX alert_rules_project ON alert_rules (project_id, name)',
      `CREATE TABLE alert_states (rule_id TEXT PRIMARY KEY REFERENCES alert_rules(id) ON DELETE CASCADE,
         project_id TEXT NOT NULL, state TEXT NOT NULL, since TEXT NOT NULL, active_since TEXT,
         value DOUBLE PRECISION, threshold DOUBLE PRECISION, lower DOUBLE PRECISION, upper DOUBLE PRECISION,
         level DOUBLE PRECISION, period_key TEXT, last_evaluated_at TEXT, last_notified_at TEXT, last_error TEXT)`,
      `CREATE TABLE alert_events (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, rule_id TEXT NOT NULL,
         rule_name TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, value DOUBLE PRECISION,
         threshold DOUBLE PRECISION, lower DOUBLE PRECISION, upper DOUBLE PRECISION, details TEXT NOT NULL,
         delivery TEXT NOT NULL, time TEXT NOT NULL)`,
      'CREATE INDEX alert_events_rule_time ON alert_events (project_id, rule_id, time)',
      'CREATE INDEX alert_events_time ON alert_events (project_id, time)',
      `CREATE TABLE silences (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         matcher TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, comment TEXT NOT NULL,
         created_by TEXT NOT NULL, created_at TEXT NOT NULL)`,
      'CREATE INDEX silences_project_end ON silences (project_id, ends_at)',
      `CREATE TABLE notification_channels (id TEXT PRIMARY KEY,
         project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, name TEXT NOT NULL, type TEXT NOT NULL,
         config TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL,
         acquired_at BIGINT NOT NULL)`,
    ],
  },
];

/** The metadata repository. */
export class MetadataStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.#sql.dialect;
  }

  /** The SQL client, for repositories of other features (alerts) that share these migrations. */
  get sql(): SqlClient {
    return this.#sql;
  }

  /** Applies pending migrations and makes sure the `default` project exists. */
  async migrate(): Promise<number[]> {
    await this.#sql.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = new Set(
      (await this.#sql.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      try {
        await this.#sql.transaction(async (tx) => {
          for (const statement of migration.sql) await tx.run(statement);
          await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            new Date().toISOString(),
          ]);
        });
      } catch (error) {
        throw new ArgusError(
          'MIGRATION_FAILED',
          `Cannot apply metadata migration ${migration.version} '${migration.name}': ${(error as Error).message}; it was rolled back`,
          { cause: error },
        );
      }
      applied.push(migration.version);
    }
    await this.ensureProject('default', 'Default project');
    return applied;
  }

  /** Creates a project if it does not exist. */
  async ensureProject(id: string, name: string): Promise<void> {
    await this.#sql.run(
      'INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [id, name, new Date().toISOString()],
    );
  }

  async listProjects(): Promise<Project[]> {
    const rows = await this.#sql.all<{ id: string; name: string; created_at: string }>(
      'SELECT id, name, created_at FROM projects ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  /** A JSON setting of a project, or undefined. */
  async getSetting<T>(projectId: string, key: string): Promise<T | undefined> {
    const rows = await this.#sql.all<{ value: string }>(
      'SELECT value FROM settings WHERE project_id = $1 AND key = $2',
      [projectId, key],
    );
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  /** Stores a JSON setting of a project. */
  async setSetting(projectId: string, key: string, value: unknown): Promise<void> {
    await this.#sql.run(
      `INSERT INTO settings (project_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [projectId, key, JSON.stringify(value), new Date().toISOString()],
    );
  }

  async close(): Promise<void> {
    await this.#sql.close();
  }
}

/** Opens the metadata store: PostgreSQL when a URL is given, else SQLite in the data directory. */
export function openMetadataStore(options: { databaseUrl?: string; sqliteFile: string }): MetadataStore {
  const sql = options.databaseUrl
    ? openPostgresClient(options.databaseUrl)
    : openSqliteClient(options.sqliteFile);
  return new MetadataStore(sql);
}
