/**
 * `argus alerts list | create --file rule.json | delete <id> | silence <ruleId> --for 1h |
 * test-channel <id>`: manages alert rules through a running server's API.
 */
import { readFileSync } from 'node:fs';
import { parseDurationMs } from '../alerts/duration.ts';
import { unknownAction, usageError, usageRequested } from './action-command.ts';
import { parseCommandLine, UsageError } from './flags.ts';
import { formatTime, table } from './format.ts';
import { apiCall, apiTarget, TARGET_FLAGS } from './http.ts';

const FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  file: { type: 'string' },
  for: { type: 'string' },
  comment: { type: 'string' },
} as const;

/** Usage of `argus alerts`. */
export const ALERTS_USAGE = `Usage: argus alerts <list | create --file rule.json | delete <ruleId> | silence <ruleId> --for 1h [--comment text] | test-channel <channelId>> [--url URL] [--api-key KEY] [--json]`;

/** Runs `argus alerts …`; resolves to the exit code. */
export async function runAlertsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine(
    { name: 'alerts', usage: ALERTS_USAGE, flags: FLAGS },
    args,
  );
  const [action, id] = positionals;
  const requested = usageRequested(action, ALERTS_USAGE);
  if (requested !== undefined) return requested;
  const base = apiTarget(values, env);
  const call = (method: string, path: string, body?: unknown) =>
    apiCall(base, method, path, { body, accept: path.endsWith('/test') ? [502] : [] });
  const out = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  const need = (what: string) => {
    if (!id) throw new UsageError('alerts', `Missing ${what}. ${ALERTS_USAGE}`);
    return encodeURIComponent(id);
  };
  switch (action) {
    case 'list': {
      const rules = (await call('GET', '/api/v1/alerts/rules')).data as Record<string, unknown>[];
      const states = (await call('GET', '/api/v1/alerts/states')).data as Record<string, unknown>[];
      const rows = rules.map((r) => {
        const s = states.find((st) => st.ruleId === r.id);
        return { ...r, state: r.enabled ? (s?.state ?? 'ok') : 'disabled', value: s?.value ?? '' };
      });
      out(
        rows,
        rows.length ? table(rows, ['id', 'name', 'type', 'severity', 'state', 'value']) : 'No alert rules.',
      );
      return 0;
    }
    case 'create': {
      if (!values.file) throw new UsageError('alerts', `Missing --file. ${ALERTS_USAGE}`);
      const rule = JSON.parse(readFileSync(values.file, 'utf8'));
      const created = (await call('POST', '/api/v1/alerts/rules', rule)).data as {
        id: string;
        name: string;
      };
      out(created, `Created rule ${created.id} (${created.name})`);
      return 0;
    }
    case 'delete':
      await call('DELETE', `/api/v1/alerts/rules/${need('rule id')}`);
      out({ deleted: id }, `Deleted rule ${id}`);
      return 0;
    case 'silence': {
      const ruleId = need('rule id');
      const forMs = parseDurationMs(values.for ?? '');
      if (!forMs)
        throw new UsageError('alerts', `Missing or invalid --for (e.g. 30m, 1h, 2d). ${ALERTS_USAGE}`);
      const silence = (
        await call('POST', '/api/v1/alerts/silences', {
          matcher: { ruleId: decodeURIComponent(ruleId) },
          endsAt: new Date(Date.now() + forMs).toISOString(),
          comment: values.comment ?? '',
          createdBy: 'cli',
        })
      ).data as { id: string; endsAt: string };
      out(silence, `Silenced rule ${id} until ${formatTime(silence.endsAt)} (silence ${silence.id})`);
      return 0;
    }
    case 'test-channel': {
      const delivery = (await call('POST', `/api/v1/alerts/channels/${need('channel id')}/test`)).data as {
        status: string;
        attempts: number;
        lastError?: string;
      };
      out(
        delivery,
        delivery.status === 'delivered'
          ? `Test message delivered to channel ${id} (${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'})`
          : `Test message NOT delivered to channel ${id} after ${delivery.attempts} attempts: ${delivery.lastError ?? 'unknown error'}`,
      );
      return delivery.status === 'delivered' ? 0 : 1;
    }
    default:
      return usageError(
        'alerts',
        unknownAction(String(action), ['list', 'create', 'delete', 'silence', 'test-channel']),
        ALERTS_USAGE,
      );
  }
}
