/**
 * Alert rules, channels, silences, states and history in the metadata store (SQLite or
 * PostgreSQL, tables of metadata migration 2). Every read and write of a project's records is
 * scoped by `project_id`; the evaluator alone lists rules across projects.
 */
import { randomUUID } from 'node:crypto';
import type { AlertEvent, Delivery } from '@argus/shared';
import type { SecretBox } from '../auth/secret-box.ts';
import type { SqlClient, SqlValue } from '../store/metadata/sql-client.ts';
import { type Row, toChannel, toEvent, toRule, toSilence, toState } from './alert-rows.ts';
import type { AlertRule, Channel, ChannelInput, RuleInput, Silence, SilenceInput } from './schemas.ts';
import type { RuleState } from './state.ts';

export type { AlertEvent, Delivery };

const nullable = (v: number | string | undefined): SqlValue => (v === undefined ? null : v);
const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

/** The most events one history query answers. */
export const MAX_EVENTS = 1000;

/** Reads and writes alert records through a {@link SqlClient}. */
export class AlertRepository {
  readonly #sql: SqlClient;

  /** Seals channel configs at rest (they hold webhook keys, Slack URLs, SMTP passwords). */
  readonly #box: SecretBox | undefined;

  constructor(sql: SqlClient, box?: SecretBox) {
    this.#sql = sql;
    this.#box = box;
  }

  #sealConfig(config: unknown): string {
    const json = JSON.stringify(config);
    return this.#box ? this.#box.seal(json) : json;
  }

  #openChannel(row: Row): Channel {
    return toChannel(this.#box ? { ...row, config: this.#box.open(String(row.config)) } : row);
  }

  /** The SQL client (the evaluator lease shares it). */
  get sql(): SqlClient {
    return this.#sql;
  }

  /** Rules of a project, or of every project when `projectId` is undefined. */
  async listRules(
    projectId: string | undefined,
    options: { enabledOnly?: boolean } = {},
  ): Promise<AlertRule[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (projectId !== undefined) where.push(`project_id = $${params.push(projectId)}`);
    if (options.enabledOnly) where.push('enabled = 1');
    const rows = await this.#sql.all<Row>(
      `SELECT * FROM alert_rules ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY project_id, name, id`,
      params,
    );
    return rows.map(toRule);
  }

  async getRule(projectId: string, id: string): Promise<AlertRule | undefined> {
    const rows = await this.#sql.all<Row>('SELECT * FROM alert_rules WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return rows[0] ? toRule(rows[0]) : undefined;
  }

  async createRule(projectId: string, input: RuleInput): Promise<AlertRule> {
    const now = new Date().toISOString();
    const id = newId('rule');
    await this.#sql.run(
      `INSERT INTO alert_rules (id, project_id, name, enabled, definition, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, projectId, input.name, input.enabled ? 1 : 0, JSON.stringify(input), now],
    );
    return { ...input, id, projectId, createdAt: now, updatedAt: now };
  }

  /** Replaces a rule's definition; its state starts over (the condition may have changed). */
  async updateRule(projectId: string, id: string, input: RuleInput): Promise<AlertRule | undefined> {
    const now = new Date().toISOString();
    return this.#sql.transaction(async (tx) => {
      const { changes } = await tx.run(
        'UPDATE alert_rules SET name = $3, enabled = $4, definition = $5, updated_at = $6 WHERE project_id = $1 AND id = $2',
        [projectId, id, input.name, input.enabled ? 1 : 0, JSON.stringify(input), now],
      );
      if (changes === 0) return undefined;
      await tx.run('DELETE FROM alert_states WHERE rule_id = $1', [id]);
      const rows = await tx.all<Row>('SELECT * FROM alert_rules WHERE id = $1', [id]);
      return toRule(rows[0]!);
    });
  }

  /** Deletes a rule and its state; its history stays. */
  async deleteRule(projectId: string, id: string): Promise<boolean> {
    return this.#sql.transaction(async (tx) => {
      await tx.run('DELETE FROM alert_states WHERE rule_id = $1 AND project_id = $2', [id, projectId]);
      const { changes } = await tx.run('DELETE FROM alert_rules WHERE project_id = $1 AND id = $2', [
        projectId,
        id,
      ]);
      return changes > 0;
    });
  }

  /** Seals channel configs stored before encryption at rest existed; answers how many. */
  async sealPlaintextChannels(): Promise<number> {
    if (!this.#box) return 0;
    const rows = await this.#sql.all<{ id: string; config: string }>(
      "SELECT id, config FROM notification_channels WHERE config NOT LIKE 'enc:v1:%'",
    );
    for (const row of rows) {
      await this.#sql.run('UPDATE notification_channels SET config = $2 WHERE id = $1', [
        row.id,
        this.#box.seal(row.config),
      ]);
    }
    return rows.length;
  }

  async listChannels(projectId: string): Promise<Channel[]> {
    const rows = await this.#sql.all<Row>(
      'SELECT * FROM notification_channels WHERE project_id = $1 ORDER BY name, id',
      [projectId],
    );
    return rows.map((row) => this.#openChannel(row));
  }

  async getChannel(projectId: string, id: string): Promise<Channel | undefined> {
    const rows = await this.#sql.all<Row>(
      'SELECT * FROM notification_channels WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? this.#openChannel(rows[0]) : undefined;
  }

  async createChannel(projectId: string, input: ChannelInput): Promise<Channel> {
    const now = new Date().toISOString();
    const id = newId('ch');
    await this.#sql.run(
      `INSERT INTO notification_channels (id, project_id, name, type, config, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, projectId, input.name, input.type, this.#sealConfig(input.config), now],
    );
    return { ...input, id, projectId, createdAt: now, updatedAt: now } as Channel;
  }

  async updateChannel(projectId: string, id: string, input: ChannelInput): Promise<Channel | undefined> {
    const now = new Date().toISOString();
    const { changes } = await this.#sql.run(
      'UPDATE notification_channels SET name = $3, type = $4, config = $5, updated_at = $6 WHERE project_id = $1 AND id = $2',
      [projectId, id, input.name, input.type, this.#sealConfig(input.config), now],
    );
    return changes > 0 ? this.getChannel(projectId, id) : undefined;
  }

  async deleteChannel(projectId: string, id: string): Promise<boolean> {
    const result = await this.#sql.run(
      'DELETE FROM notification_channels WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return result.changes > 0;
  }

  /** Silences of a project; `activeAt` keeps those in force then, else those not yet ended at `now`. */
  async listSilences(projectId: string, options: { activeAt?: string; includeExpired?: boolean } = {}) {
    const params: SqlValue[] = [projectId];
    let where = 'project_id = $1';
    if (options.activeAt) where += ` AND starts_at <= $${params.push(options.activeAt)} AND ends_at > $2`;
    else if (!options.includeExpired) where += ` AND ends_at > $${params.push(new Date().toISOString())}`;
    const rows = await this.#sql.all<Row>(
      `SELECT * FROM silences WHERE ${where} ORDER BY ends_at DESC LIMIT 1000`,
      params,
    );
    return rows.map(toSilence);
  }

  async createSilence(projectId: string, input: SilenceInput): Promise<Silence> {
    const now = new Date().toISOString();
    const silence: Silence = {
      id: newId('sil'),
      projectId,
      matcher: {
        ...(input.matcher.ruleId ? { ruleId: input.matcher.ruleId } : {}),
        labels: input.matcher.labels,
      },
      startsAt: new Date(input.startsAt ?? now).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      comment: input.comment,
      createdBy: input.createdBy,
      createdAt: now,
    };
    await this.#sql.run(
      `INSERT INTO silences (id, project_id, matcher, starts_at, ends_at, comment, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        silence.id,
        projectId,
        JSON.stringify(silence.matcher),
        silence.startsAt,
        silence.endsAt,
        silence.comment,
        silence.createdBy,
        now,
      ],
    );
    return silence;
  }

  async deleteSilence(projectId: string, id: string): Promise<boolean> {
    const result = await this.#sql.run('DELETE FROM silences WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return result.changes > 0;
  }

  /** Current states, of a project or of all. */
  async listStates(projectId?: string): Promise<RuleState[]> {
    const rows = await this.#sql.all<Row>(
      `SELECT * FROM alert_states ${projectId === undefined ? '' : 'WHERE project_id = $1'} ORDER BY rule_id`,
      projectId === undefined ? [] : [projectId],
    );
    return rows.map(toState);
  }

  /** Writes a rule's state and its new events in one transaction (skipped if the rule was deleted). */
  async saveEvaluation(state: RuleState, events: AlertEvent[]): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      const exists = await tx.all('SELECT id FROM alert_rules WHERE id = $1', [state.ruleId]);
      if (exists.length === 0) return;
      await tx.run(
        `INSERT INTO alert_states (rule_id, project_id, state, since, active_since, value, threshold, lower, upper,
           level, period_key, last_evaluated_at, last_notified_at, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (rule_id) DO UPDATE SET state = excluded.state, since = excluded.since,
           active_since = excluded.active_since, value = excluded.value, threshold = excluded.threshold,
           lower = excluded.lower, upper = excluded.upper, level = excluded.level, period_key = excluded.period_key,
           last_evaluated_at = excluded.last_evaluated_at, last_notified_at = excluded.last_notified_at,
           last_error = excluded.last_error`,
        [
          state.ruleId,
          state.projectId,
          state.state,
          state.since,
          nullable(state.activeSince),
          nullable(state.value),
          nullable(state.threshold),
          nullable(state.lower),
          nullable(state.upper),
          nullable(state.level),
          nullable(state.periodKey),
          nullable(state.lastEvaluatedAt),
          nullable(state.lastNotifiedAt),
          nullable(state.lastError),
        ],
      );
      for (const e of events) {
        await tx.run(
          `INSERT INTO alert_events (id, project_id, rule_id, rule_name, kind, state, value, threshold, lower, upper,
             details, delivery, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            e.id,
            e.projectId,
            e.ruleId,
            e.ruleName,
            e.kind,
            e.state,
            nullable(e.value),
            nullable(e.threshold),
            nullable(e.lower),
            nullable(e.upper),
            JSON.stringify(e.details),
            JSON.stringify(e.delivery),
            e.time,
          ],
        );
      }
    });
  }

  /** Records how notifications of an event went. */
  async updateDelivery(eventId: string, delivery: Delivery[]): Promise<void> {
    await this.#sql.run('UPDATE alert_events SET delivery = $2 WHERE id = $1', [
      eventId,
      JSON.stringify(delivery),
    ]);
  }

  /** History, newest first, within [fromIso, toIso]. */
  async listEvents(
    projectId: string,
    options: { ruleId?: string; fromIso: string; toIso: string; limit?: number },
  ): Promise<AlertEvent[]> {
    const params: SqlValue[] = [projectId, options.fromIso, options.toIso];
    const rule = options.ruleId === undefined ? '' : ` AND rule_id = $${params.push(options.ruleId)}`;
    const limit = Math.min(options.limit ?? MAX_EVENTS, MAX_EVENTS);
    const rows = await this.#sql.all<Row>(
      `SELECT * FROM alert_events WHERE project_id = $1 AND time >= $2 AND time <= $3${rule}
       ORDER BY time DESC, id DESC LIMIT ${limit}`,
      params,
    );
    return rows.map(toEvent);
  }
}
