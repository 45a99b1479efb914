/**
 * `argus audit [--action key.] [--scope all] [--limit N] | audit verify`: the audit log of a
 * running server (project admins see their project; instance administrators everything).
 */
import type { AuditEntry } from '@argus/shared';
import { printer, tableOr, unknownAction, usageError } from './action-command.ts';
import { parseCommandLine } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE, withAccess } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  action: { type: 'string' },
  actor: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  scope: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus audit`. */
export const AUDIT_USAGE = `Usage: argus audit [verify] [--action NAME | --action PREFIX.] [--actor ID] [--from T] [--to T] [--scope project|all] [--limit N] [--cursor C] [--json] ${ACCESS_USAGE}

  (no action)   entries newest first; --action key. matches every key action
  verify        recompute the hash chain and report the first altered entry (instance admins)`;

/** Runs `argus audit …`; resolves to the exit code. */
export async function runAuditCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine({ name: 'audit', usage: AUDIT_USAGE, flags: FLAGS }, args);
  const [action] = positionals;
  if (action !== undefined && action !== 'verify')
    return usageError('audit', unknownAction(action, ['verify']), AUDIT_USAGE);
  const print = printer(values.json);
  return withAccess(values, env, async (target) => {
    if (action === 'verify') {
      const result = await apiCall<{ ok: boolean; checked: number; brokenAt?: number }>(
        target,
        'GET',
        '/api/v1/audit/verify',
      );
      print(
        result,
        result.ok
          ? `Audit log intact: ${result.checked} entries checked.\n`
          : `AUDIT LOG ALTERED: entry ${result.brokenAt} does not match its hash chain (${result.checked} entries before it are intact).\n`,
      );
      return result.ok ? 0 : 1;
    }
    const query = new URLSearchParams();
    for (const name of ['action', 'actor', 'from', 'to', 'scope', 'limit', 'cursor'] as const) {
      const value = values[name];
      if (value !== undefined) query.set(name, value);
    }
    const page = await apiCall<{ data: AuditEntry[]; nextCursor: string | null }>(
      target,
      'GET',
      `/api/v1/audit${query.size ? `?${query}` : ''}`,
    );
    const rows = page.data.map((e) => ({
      ...e,
      actor: `${e.actor.type}:${e.actor.name}`,
      project: e.projectId || '(instance)',
      details: JSON.stringify(e.details),
    }));
    const more = page.nextCursor ? `More: --cursor ${page.nextCursor}\n` : '';
    print(
      page,
      tableOr(
        rows,
        ['seq', 'time', 'actor', 'action', 'target', 'project', 'outcome', 'details'],
        'No audit entries match.',
      ) + more,
    );
    return 0;
  });
}
