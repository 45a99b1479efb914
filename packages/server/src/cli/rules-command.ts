/**
 * `argus rules list | get | create | update | delete | runs | backfill | validate`: online
 * evaluation rules (docs/evaluation.md, "Online evaluation") on a running server. A rule is
 * written with flags (`--evaluator`, `--filter kind=llm`, `--sampling 0.1` …) or as JSON
 * (`--file rule.json`, the API's body; flags given too override its fields).
 */
import { readFileSync } from 'node:fs';
import type { BackfillStatus, EvaluationRule, EvaluationRuleRun, RuleDryRun } from '@argus/shared';
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  file: { type: 'string' },
  name: { type: 'string' },
  evaluator: { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  sampling: { type: 'string' },
  target: { type: 'string' },
  delay: { type: 'string' },
  'max-per-minute': { type: 'string' },
  'daily-budget': { type: 'string' },
  enabled: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  kind: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus rules`. */
export const RULES_USAGE = `Usage: argus rules <action> [--json] ${ACCESS_USAGE}

  list                         the project's rules with their lag and today's counts
  get <id>                     one rule
  create --name N --evaluator E [--evaluator E2 …] [--filter kind=llm …] [--sampling 0.1]
         [--target span|trace] [--delay S] [--max-per-minute N] [--daily-budget USD] [--file rule.json]
  update <id> [--enabled true|false] [any create flag] [--file patch.json]
  delete <id>
  runs <id> [--kind failure|skipped|action_failed] [--limit N]   failures and skips with their reasons
  backfill <id> --from T [--to T]   apply the rule to stored spans that started in [from, to]
  validate [create flags | --file rule.json] [--limit N]          dry run on the newest matching spans`;

/** Runs `argus rules …`; resolves to the exit code. */
export function runRulesCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(RULES_COMMAND, args, env);
}

type Values = Partial<Record<keyof typeof FLAGS, string | string[] | boolean>>;

function numberFlag(name: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new UsageError('rules', `Invalid --${name} '${String(raw)}': expected a number`);
  return value;
}

function fileBody(path: unknown): Record<string, unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(String(path), 'utf8');
  } catch (error) {
    throw new UsageError(
      'rules',
      `Cannot read '${String(path)}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new UsageError('rules', `Cannot parse '${String(path)}' as a rule: ${(error as Error).message}`);
  }
}

/** `--filter kind=llm --filter model=a --filter model=b` → `{ kind: 'llm', model: ['a', 'b'] }`. */
function filterOf(pairs: string[]): Record<string, string | string[]> {
  const filter: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1)
      throw new UsageError('rules', `Invalid --filter '${pair}': expected name=value, e.g. kind=llm`);
    const [key, value] = [pair.slice(0, at), pair.slice(at + 1)];
    const current = filter[key];
    filter[key] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value];
  }
  return filter;
}

/** The rule fields the flags set, over those of `--file`. */
function ruleBody(values: Values): Record<string, unknown> {
  const body = fileBody(values.file);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set('name', values.name);
  const evaluators = values.evaluator as string[] | undefined;
  if (evaluators?.length) body.evaluators = evaluators;
  const filters = values.filter as string[] | undefined;
  if (filters?.length) body.filter = filterOf(filters);
  set('samplingRate', numberFlag('sampling', values.sampling));
  set('target', values.target);
  set('delaySeconds', numberFlag('delay', values.delay));
  set('maxPerMinute', numberFlag('max-per-minute', values['max-per-minute']));
  set('dailyBudgetUsd', numberFlag('daily-budget', values['daily-budget']));
  if (values.enabled !== undefined) {
    if (values.enabled !== 'true' && values.enabled !== 'false')
      throw new UsageError('rules', `Invalid --enabled '${String(values.enabled)}': expected true or false`);
    body.enabled = values.enabled === 'true';
  }
  return body;
}

function idOf(operands: string[], action: string): string {
  const id = operands[0];
  if (!id) throw new UsageError('rules', `Missing the rule id: argus rules ${action} <id>`);
  return encodeURIComponent(id);
}

const ruleRow = (r: EvaluationRule) => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled,
  target: r.target,
  sampling: r.samplingRate,
  evaluators: r.evaluators.length,
  lag: r.status?.lagSeconds === undefined ? '' : `${r.status.lagSeconds}s`,
  today: `${r.status?.today.evaluated ?? 0} ok, ${r.status?.today.failed ?? 0} failed, ${r.status?.today.skipped ?? 0} skipped`,
});

const RULE_COLUMNS = ['id', 'name', 'enabled', 'target', 'sampling', 'evaluators', 'lag', 'today'];

const RULES_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'rules',
  usage: RULES_USAGE,
  flags: FLAGS,
  descriptions: {
    file: 'a JSON file with the rule (the API body); flags override its fields',
    evaluator: 'an evaluator id (repeat for several)',
    filter: 'a /spans filter as name=value, e.g. kind=llm, model=gpt-4o (repeat for several)',
    sampling: 'share of traces to evaluate, 0 to 1 (by trace id)',
    target: 'span (each matching span) or trace (each trace once)',
    delay: 'seconds to wait after a span is stored',
    'max-per-minute': 'most evaluations a minute (the rest are skipped and recorded)',
    'daily-budget': 'most judge spend a UTC day, in USD',
    enabled: 'true or false',
    from: 'backfill window start (ISO 8601 or epoch ms)',
    to: 'backfill window end (default now)',
    kind: 'runs of this kind: failure, skipped or action_failed',
    limit: 'most runs to list / spans to dry-run',
  },
  actions: {
    async list({ target, print }) {
      const { data } = await apiCall<{ data: EvaluationRule[] }>(target, 'GET', '/api/v1/evaluation-rules');
      print(
        data,
        tableOr(
          data.map(ruleRow),
          RULE_COLUMNS,
          'No evaluation rules. Create one with: argus rules create --name N --evaluator <id> --filter kind=llm',
        ),
      );
      return 0;
    },
    async get({ operands, target, print }) {
      const { data } = await apiCall<{ data: EvaluationRule }>(
        target,
        'GET',
        `/api/v1/evaluation-rules/${idOf(operands, 'get')}`,
      );
      print(data, `${JSON.stringify(data, null, 2)}\n`);
      return 0;
    },
    async create({ values, target, print }) {
      const body = ruleBody(values);
      if (!body.name) throw new UsageError('rules', 'Missing --name (or a name in --file)');
      if (!Array.isArray(body.evaluators) || body.evaluators.length === 0)
        throw new UsageError('rules', 'Missing --evaluator (an evaluator id; see argus evaluators list)');
      const { data } = await apiCall<{ data: EvaluationRule }>(target, 'POST', '/api/v1/evaluation-rules', {
        body,
      });
      print(
        data,
        `Created rule ${data.id} (${data.name}): ${data.evaluators.length} evaluator(s), sampling ${data.samplingRate}\n`,
      );
      return 0;
    },
    async update({ operands, values, target, print }) {
      const id = idOf(operands, 'update');
      const { data } = await apiCall<{ data: EvaluationRule }>(
        target,
        'PATCH',
        `/api/v1/evaluation-rules/${id}`,
        {
          body: ruleBody(values),
        },
      );
      print(data, `Updated rule ${data.id} (${data.name}${data.enabled ? '' : ', disabled'})\n`);
      return 0;
    },
    async delete({ operands, target, print }) {
      const id = idOf(operands, 'delete');
      await apiCall(target, 'DELETE', `/api/v1/evaluation-rules/${id}`);
      print({ deleted: decodeURIComponent(id) }, `Deleted rule ${decodeURIComponent(id)}\n`);
      return 0;
    },
    async runs({ operands, values, target, print }) {
      const id = idOf(operands, 'runs');
      const query = new URLSearchParams();
      if (values.kind) query.set('kind', String(values.kind));
      if (values.limit) query.set('limit', String(values.limit));
      const { data } = await apiCall<{ data: EvaluationRuleRun[] }>(
        target,
        'GET',
        `/api/v1/evaluation-rules/${id}/runs${query.size ? `?${query}` : ''}`,
      );
      print(
        data,
        tableOr(
          data.map((r) => ({ ...r })),
          ['time', 'kind', 'traceId', 'spanId', 'reason'],
          'No failures or skips recorded.',
        ),
      );
      return 0;
    },
    async backfill({ operands, values, target, print }) {
      const id = idOf(operands, 'backfill');
      if (!values.from) throw new UsageError('rules', 'Missing --from (ISO 8601 or epoch milliseconds)');
      const from = /^\d+$/.test(String(values.from)) ? Number(values.from) : String(values.from);
      const to =
        values.to === undefined
          ? undefined
          : /^\d+$/.test(String(values.to))
            ? Number(values.to)
            : String(values.to);
      const { data } = await apiCall<{ data: BackfillStatus }>(
        target,
        'POST',
        `/api/v1/evaluation-rules/${id}/backfill`,
        {
          body: { from, ...(to === undefined ? {} : { to }) },
        },
      );
      print(
        data,
        `Backfill started over ${data.from} – ${data.to}; follow it with: argus rules get ${decodeURIComponent(id)}\n`,
      );
      return 0;
    },
    async validate({ values, target, print }) {
      const body = ruleBody(values);
      const limit = numberFlag('limit', values.limit);
      if (limit !== undefined) body.limit = limit;
      const { data } = await apiCall<{ data: RuleDryRun }>(
        target,
        'POST',
        '/api/v1/evaluation-rules/validate',
        { body },
      );
      const rows = data.results.map((r) => ({
        spanId: r.spanId,
        evaluatorId: r.evaluatorId,
        score: r.score ?? '',
        label: r.label ?? '',
        error: r.error ?? '',
      }));
      print(
        data,
        `${data.matched} recent span(s) match; ${data.sampled} evaluated\n${tableOr(rows, ['spanId', 'evaluatorId', 'score', 'label', 'error'], 'No matching spans in the window.')}`,
      );
      return 0;
    },
  },
};
