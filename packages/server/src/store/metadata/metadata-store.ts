/**
 * Projects, settings and other small mutable records, in SQLite (embedded) or PostgreSQL
 * (scale-out) through one repository. Migrations are numbered and each runs in a transaction
 * (both engines have transactional DDL), so a failure leaves the previous version intact.
 */
import { ArgusError } from '../../errors.ts';
import { openPostgresClient } from './postgres-client.ts';
import { camelRow } from './rows.ts';
import type { SqlClient } from './sql-client.ts';
import { openSqliteClient } from './sqlite-client.ts';

/** A project: every row of telemetry belongs to one. */
export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

/** A numbered migration; `sql` may differ per dialect (triggers). */
interface MetadataMigration {
  version: number;
  name: string;
  sql: string[] | ((dialect: 'sqlite' | 'postgres') => string[]);
}

const MIGRATIONS: readonly MetadataMigration[] = [
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
  {
    // Governance (src/auth, src/audit, src/governance). Secrets are never stored: keys and session
    // ids as SHA-256 (high-entropy random values), passwords as scrypt. Times in epoch ms where
    // they are compared (sessions, invites, rate windows), ISO text where they are only shown.
    version: 3,
    name: 'governance',
    sql: (dialect) => [
      `CREATE TABLE api_keys (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, role TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL UNIQUE,
         secret_prefix TEXT NOT NULL, rate_limits TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
         rotated_at TEXT, last_used_at TEXT, revoked_at TEXT)`,
      'CREATE INDEX api_keys_project ON api_keys (project_id, created_at)',
      `CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
         password_hash TEXT NOT NULL, is_admin INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE memberships (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, role TEXT NOT NULL,
         created_at TEXT NOT NULL, PRIMARY KEY (user_id, project_id))`,
      `CREATE TABLE user_sessions (id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
         ip TEXT NOT NULL, user_agent TEXT NOT NULL)`,
      'CREATE INDEX user_sessions_user ON user_sessions (user_id)',
      `CREATE TABLE invites (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL,
         project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, role TEXT NOT NULL,
         created_by TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, accepted_at BIGINT)`,
      // Append-only: seq is assigned under a table lock and each row carries the SHA-256 of the
      // previous row's hash and its own fields, so an edit or a removed row breaks the chain.
      `CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, time TEXT NOT NULL, actor_type TEXT NOT NULL,
         actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, project_id TEXT NOT NULL, action TEXT NOT NULL,
         target TEXT NOT NULL, details TEXT NOT NULL, ip TEXT NOT NULL, outcome TEXT NOT NULL,
         prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
      'CREATE INDEX audit_log_project_time ON audit_log (project_id, time)',
      `CREATE TABLE erasures (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, subject_kind TEXT NOT NULL,
         subject_hash TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,
         completed_at TEXT, status TEXT NOT NULL, receipt TEXT NOT NULL)`,
      'CREATE INDEX erasures_project_time ON erasures (project_id, requested_at)',
      ...(dialect === 'sqlite'
        ? [
            `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
               BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
            `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
               BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
          ]
        : [
            `CREATE FUNCTION argus_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
            `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
               FOR EACH STATEMENT EXECUTE FUNCTION argus_audit_log_append_only()`,
          ]),
    ],
  },
  {
    // Single sign-on (src/auth/oidc-*.ts): who a provider's account is here. One row per provider
    // account (issuer + subject, the only stable pair an OpenID provider promises); a user may
    // have several. The e-mail is the provider's at the last sign-in, kept to show and audit.
    version: 4,
    name: 'oidc identities',
    sql: [
      `CREATE TABLE user_identities (issuer TEXT NOT NULL, subject TEXT NOT NULL,
         user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, email TEXT,
         created_at TEXT NOT NULL, last_login_at TEXT NOT NULL, PRIMARY KEY (issuer, subject))`,
      'CREATE INDEX user_identities_user ON user_identities (user_id)',
    ],
  },
  {
    // Offline evaluation (src/quality): LLM connections, datasets and evaluators. A connection's
    // key and headers are sealed (auth/secret-box.ts). Dataset items are versioned rows: a change
    // closes the current row (`valid_to`) and adds one from the same instant, so "the items as of
    // T" is `valid_from <= T AND (valid_to IS NULL OR valid_to > T)`; a dataset's `version_at` is
    // its latest change, strictly increasing (ISO 8601 UTC with ms, which sorts as time).
    // Experiments (number 6) pin a dataset version.
    version: 5,
    name: 'quality: connections, datasets, evaluators',
    sql: [
      `CREATE TABLE llm_connections (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, provider TEXT NOT NULL, base_url TEXT, api_key TEXT NOT NULL, headers TEXT NOT NULL,
         models TEXT NOT NULL, embedding_model TEXT, api_version TEXT, created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
      `CREATE TABLE datasets (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, description TEXT NOT NULL, metadata TEXT NOT NULL, version_at TEXT NOT NULL,
         created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
      `CREATE TABLE dataset_items (dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
         item_id TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, input TEXT NOT NULL,
         expected_output TEXT, metadata TEXT NOT NULL, source_trace_id TEXT, source_span_id TEXT,
         PRIMARY KEY (dataset_id, item_id, valid_from))`,
      'CREATE INDEX dataset_items_current ON dataset_items (dataset_id, valid_to, item_id)',
      `CREATE TABLE evaluators (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, type TEXT NOT NULL, config TEXT NOT NULL, created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
    ],
  },
  {
    // Experiments (src/quality/experiments): the definition, the pinned dataset version, the
    // status of the background job and its progress counter. Per-item results live in
    // ClickHouse (experiment_results), which is also what a resumed job reads to skip items
    // already run. `summary` is the statistics frozen when the experiment ends (JSON).
    version: 6,
    name: 'quality: experiments',
    sql: [
      `CREATE TABLE experiments (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, dataset_id TEXT NOT NULL, dataset_version TEXT NOT NULL, target TEXT NOT NULL,
         evaluators TEXT NOT NULL, repetitions INTEGER NOT NULL, concurrency INTEGER NOT NULL, metadata TEXT NOT NULL,
         status TEXT NOT NULL, error TEXT, done INTEGER NOT NULL, total INTEGER NOT NULL, summary TEXT,
         created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, updated_at TEXT NOT NULL)`,
      'CREATE INDEX experiments_project ON experiments (project_id, created_at)',
      'CREATE INDEX experiments_status ON experiments (status)',
    ],
  },
  {
    // Online evaluation (src/online): rules, the worker's cursors (one per rule and one per
    // project for the output-health checks, keyed by name; a cursor is the insert time and key of
    // the last span passed), recorded failures and skips, per-day usage (evaluations, spend) and
    // backfills. Times compared by the worker are epoch ms; shown times ISO text.
    version: 7,
    name: 'online evaluation',
    sql: [
      `CREATE TABLE evaluation_rules (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, enabled INTEGER NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
      `CREATE TABLE online_cursors (name TEXT PRIMARY KEY, project_id TEXT NOT NULL, inserted_ms BIGINT NOT NULL,
         trace_id TEXT NOT NULL, span_id TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE evaluation_rule_runs (id TEXT PRIMARY KEY, rule_id TEXT NOT NULL REFERENCES evaluation_rules(id) ON DELETE CASCADE,
         project_id TEXT NOT NULL, kind TEXT NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL,
         evaluator_id TEXT NOT NULL, reason TEXT NOT NULL, time TEXT NOT NULL)`,
      'CREATE INDEX evaluation_rule_runs_rule_time ON evaluation_rule_runs (rule_id, time)',
      `CREATE TABLE evaluation_rule_usage (rule_id TEXT NOT NULL REFERENCES evaluation_rules(id) ON DELETE CASCADE,
         day TEXT NOT NULL, evaluated BIGINT NOT NULL, failed BIGINT NOT NULL, skipped BIGINT NOT NULL,
         spend_usd DOUBLE PRECISION NOT NULL, PRIMARY KEY (rule_id, day))`,
      `CREATE TABLE evaluation_rule_backfills (rule_id TEXT PRIMARY KEY REFERENCES evaluation_rules(id) ON DELETE CASCADE,
         from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL, cursor_ns TEXT NOT NULL, cursor_key TEXT NOT NULL,
         status TEXT NOT NULL, scanned BIGINT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, error TEXT)`,
    ],
  },
  {
    // Human review (src/annotation): score configs (what a score of a name may hold), annotation
    // queues, their items (one row per object; status recomputed as reviews land) and reviews (one
    // row per item and reviewer: a lock while `locked`, the scores given once `completed`). Lock
    // expiry is epoch ms; shown times ISO text.
    version: 8,
    name: 'score configs and annotation queues',
    sql: [
      `CREATE TABLE score_configs (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, data_type TEXT NOT NULL, min_value DOUBLE PRECISION, max_value DOUBLE PRECISION,
         categories TEXT, description TEXT NOT NULL, archived INTEGER NOT NULL, created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
      `CREATE TABLE annotation_queues (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, description TEXT NOT NULL, score_config_ids TEXT NOT NULL, assignees TEXT NOT NULL,
         reviews_per_item INTEGER NOT NULL, lock_seconds INTEGER NOT NULL, created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL, UNIQUE (project_id, name))`,
      `CREATE TABLE annotation_items (id TEXT PRIMARY KEY, queue_id TEXT NOT NULL REFERENCES annotation_queues(id) ON DELETE CASCADE,
         project_id TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL, trace_id TEXT,
         status TEXT NOT NULL, created_at TEXT NOT NULL, completed_at TEXT, UNIQUE (queue_id, object_type, object_id))`,
      'CREATE INDEX annotation_items_queue ON annotation_items (queue_id, status, created_at)',
      `CREATE TABLE annotation_reviews (item_id TEXT NOT NULL REFERENCES annotation_items(id) ON DELETE CASCADE,
         queue_id TEXT NOT NULL, reviewer TEXT NOT NULL, status TEXT NOT NULL, locked_until BIGINT NOT NULL,
         scores TEXT NOT NULL, comment TEXT, corrected_output TEXT, started_at TEXT NOT NULL, completed_at TEXT,
         PRIMARY KEY (item_id, reviewer))`,
      'CREATE INDEX annotation_reviews_queue ON annotation_reviews (queue_id, reviewer)',
    ],
  },
  {
    // Drift monitors (src/behaviour/drift): the definition (filter, features and reference as
    // JSON), the schedule and the last run's state; one row per run in drift_results with its
    // per-feature verdicts (JSON), the series `GET /api/v1/drift-monitors/{id}/results` reads.
    // model_changes: the first time a request model answered with a new response model.
    version: 9,
    name: 'drift monitors, results and model change points',
    sql: [
      `CREATE TABLE drift_monitors (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, filter TEXT NOT NULL, features TEXT NOT NULL, reference TEXT NOT NULL,
         window_length TEXT NOT NULL, schedule TEXT NOT NULL, enabled INTEGER NOT NULL, embedding_connection_id TEXT,
         sample_size INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_run_at TEXT,
         last_error TEXT, last_drifted INTEGER, UNIQUE (project_id, name))`,
      `CREATE TABLE drift_results (monitor_id TEXT NOT NULL REFERENCES drift_monitors(id) ON DELETE CASCADE,
         project_id TEXT NOT NULL, time TEXT NOT NULL, drifted INTEGER NOT NULL, result TEXT NOT NULL,
         PRIMARY KEY (monitor_id, time))`,
      `CREATE TABLE model_changes (project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         request_model TEXT NOT NULL, previous_model TEXT NOT NULL, new_model TEXT NOT NULL, changed_at TEXT NOT NULL,
         detected_at TEXT NOT NULL, PRIMARY KEY (project_id, request_model, new_model))`,
    ],
  },
  {
    // Gateway (src/gateway): per-project settings (JSON), model aliases with weighted targets,
    // per-key limits, and spend per key and period (a UTC day `2026-01-31` or month `2026-01`),
    // written from memory every few seconds so budgets survive a restart.
    version: 10,
    name: 'gateway: settings, aliases, key limits, spend',
    sql: [
      `CREATE TABLE gateway_settings (project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
         settings TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE gateway_aliases (project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, targets TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project_id, name))`,
      `CREATE TABLE gateway_key_limits (key_id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id)
         ON DELETE CASCADE, limits TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE gateway_spend (project_id TEXT NOT NULL, key_id TEXT NOT NULL, period TEXT NOT NULL,
         requests INTEGER NOT NULL, tokens INTEGER NOT NULL, usd DOUBLE PRECISION NOT NULL,
         PRIMARY KEY (project_id, key_id, period))`,
    ],
  },
  {
    // Explainability (src/behaviour/explain): attribution, counterfactual and bias jobs with their
    // plan, progress and result (JSON), kept with the span they explain; concept activation
    // vectors (the classifier's weights as JSON, its held-out accuracy and what it was learned from).
    version: 11,
    name: 'explain jobs and concepts',
    sql: [
      `CREATE TABLE explain_jobs (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         kind TEXT NOT NULL, status TEXT NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, request TEXT NOT NULL,
         plan TEXT NOT NULL, done INTEGER NOT NULL, total INTEGER NOT NULL, result TEXT, error TEXT,
         created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      'CREATE INDEX explain_jobs_span ON explain_jobs (project_id, trace_id, span_id, created_at)',
      `CREATE TABLE explain_concepts (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, field TEXT NOT NULL, summary TEXT NOT NULL, model TEXT NOT NULL, created_at TEXT NOT NULL,
         UNIQUE (project_id, name))`,
    ],
  },
  {
    // Gateway shadows (src/gateway/shadow-*.ts): a share of the calls for a model sent again to a
    // candidate; the config (JSON) and the dataset and two experiments its pairs are recorded in.
    version: 12,
    name: 'gateway shadows',
    sql: [
      `CREATE TABLE gateway_shadows (project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
         name TEXT NOT NULL, config TEXT NOT NULL, dataset_id TEXT NOT NULL, primary_experiment_id TEXT NOT NULL,
         candidate_experiment_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
         PRIMARY KEY (project_id, name))`,
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
          const statements =
            typeof migration.sql === 'function' ? migration.sql(this.#sql.dialect) : migration.sql;
          for (const statement of statements) await tx.run(statement);
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
    return selectProjects(this.#sql);
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

/** Every project, by id (for the store and the access-control repository). */
export async function selectProjects(sql: SqlClient): Promise<Project[]> {
  const rows = await sql.all<{ id: string; name: string; created_at: string }>(
    'SELECT id, name, created_at FROM projects ORDER BY id',
  );
  return rows.map(camelRow);
}
