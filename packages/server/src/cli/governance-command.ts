/**
 * `argus erase --trace-id <id> | --user-id <id> | --session-id <id>` and `argus retention [show | set
 * --telemetry-days N --content-days N | sweep]`: erasure requests and retention policy of a
 * running server, through its API (admin only).
 */
import { countsText, printer, unknownAction, usageError } from './action-command.ts';
import { parseCommandLine } from './flags.ts';
import { formatTime } from './format.ts';
import { apiCall, apiTarget, TARGET_FLAGS } from './http.ts';

/** Usage of `argus erase`. */
export const ERASE_USAGE =
  'Usage: argus erase --trace-id <traceId> | --user-id <userId> | --session-id <sessionId> [--url URL] [--api-key KEY] [--json]';

/** Usage of `argus retention`. */
export const RETENTION_USAGE =
  'Usage: argus retention [show | set --telemetry-days N --content-days N | sweep] [--url URL] [--api-key KEY] [--json]';

const ERASE_FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  // Named like the query filters (--user-id …); `--user` means "sign in as" elsewhere in the CLI.
  'trace-id': { type: 'string' },
  'user-id': { type: 'string' },
  'session-id': { type: 'string' },
} as const;

const RETENTION_FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  'telemetry-days': { type: 'string' },
  'content-days': { type: 'string' },
} as const;

type Counts = Record<string, number>;

/** Runs `argus erase …`; resolves to the exit code. */
export async function runEraseCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(
    {
      name: 'erase',
      usage: `${ERASE_USAGE}\n\nDeletes every span, log record and score of a trace, or of every trace of a user or\nsession, on a running server, and prints the receipt. The server keeps the receipt with\na keyed hash of the id, never the id itself (docs/security.md).`,
      flags: ERASE_FLAGS,
      positionals: false,
      descriptions: {
        'user-id': 'erase every trace of this user',
        'session-id': 'erase every trace of this session',
      },
    },
    args,
  );
  const given = (['trace-id', 'user-id', 'session-id'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) {
    const what =
      given.length === 0
        ? 'missing the subject'
        : `give one subject, not ${given.map((k) => `--${k}`).join(' and ')}`;
    return usageError('erase', what, ERASE_USAGE);
  }
  const kind = given[0]!;
  const field = { 'trace-id': 'traceId', 'user-id': 'userId', 'session-id': 'sessionId' }[kind];
  const { data } = await apiCall<{ data: { id: string; deleted: Counts; completedAt: string } }>(
    apiTarget(values, env),
    'POST',
    '/api/v1/erasures',
    { body: { [field]: values[kind] } },
  );
  printer(values.json)(
    data,
    `Erased ${kind.replace('-id', '')}: ${countsText(data.deleted)} (receipt ${data.id}, ${formatTime(data.completedAt)})\n`,
  );
  return 0;
}

/** A positive whole number of days from a flag, or undefined. */
function days(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Runs `argus retention …`; resolves to the exit code. */
export async function runRetentionCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      name: 'retention',
      usage: `${RETENTION_USAGE}\n\nshow    the project's policy: days telemetry and content are kept\nset     change it (content-days ≤ telemetry-days ≤ the server's --retention-days)\nsweep   enforce it now and print what was deleted and blanked`,
      flags: RETENTION_FLAGS,
    },
    args,
  );
  const target = apiTarget(values, env);
  const print = printer(values.json);
  const action = positionals[0] ?? 'show';
  switch (action) {
    case 'show':
    case 'set': {
      type Policy = { telemetryDays: number; contentDays: number; maxDays: number; source: string };
      let result: { data: Policy };
      if (action === 'show') {
        result = await apiCall<{ data: Policy }>(target, 'GET', '/api/v1/settings/retention');
      } else {
        const telemetryDays = days(values['telemetry-days']);
        const contentDays = days(values['content-days']);
        if (telemetryDays === undefined || contentDays === undefined) {
          return usageError(
            'retention',
            'set needs --telemetry-days and --content-days as whole days',
            RETENTION_USAGE,
          );
        }
        result = await apiCall<{ data: Policy }>(target, 'PUT', '/api/v1/settings/retention', {
          body: { telemetryDays, contentDays },
        });
      }
      const { data } = result;
      print(
        data,
        `Telemetry kept ${data.telemetryDays} days, content ${data.contentDays} days (limit ${data.maxDays}, ${data.source === 'project' ? "the project's policy" : 'the server default'})\n`,
      );
      return 0;
    }
    case 'sweep': {
      const { data } = await apiCall<{ data: { deleted: Counts; blanked: Counts; durationMs: number } }>(
        target,
        'POST',
        '/api/v1/retention/sweep',
      );
      print(
        data,
        `Deleted: ${countsText(data.deleted)}\nBlanked content: ${countsText(data.blanked)}\n(${data.durationMs} ms)\n`,
      );
      return 0;
    }
    default:
      return usageError('retention', unknownAction(action, ['show', 'set', 'sweep']), RETENTION_USAGE);
  }
}
