/**
 * CLI commands that read from a running server's API and print tables (or raw JSON).
 */
import { ArgusError } from '../errors.ts';
import { FILTER_PARAMS } from '../query/filters.ts';
import { type ApiTarget, apiCall, TARGET_FLAGS } from './http.ts';

/** Flags shared by the query commands (parseArgs options). */
export const QUERY_FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  service: { type: 'string', multiple: true },
  environment: { type: 'string', multiple: true },
  model: { type: 'string', multiple: true },
  provider: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  status: { type: 'string' },
  'user-id': { type: 'string' },
  'session-id': { type: 'string' },
  tag: { type: 'string' },
  'min-duration-ms': { type: 'string' },
  'max-duration-ms': { type: 'string' },
  'min-cost-usd': { type: 'string' },
  q: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  metrics: { type: 'string' },
  'group-by': { type: 'string' },
  step: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

const API_NAMES: Record<string, string> = {
  'user-id': 'userId',
  'session-id': 'sessionId',
  'min-duration-ms': 'minDurationMs',
  'max-duration-ms': 'maxDurationMs',
  'min-cost-usd': 'minCostUsd',
  'group-by': 'groupBy',
};

/** Query parameters of the filter flags that `allowed` names (API spelling); other flags are refused. */
export function toQuery(values: Values, allowed: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const [flag, value] of Object.entries(values)) {
    if (
      flag === 'url' ||
      flag === 'api-key' ||
      flag === 'project' ||
      flag === 'json' ||
      value === undefined ||
      value === false
    )
      continue;
    const name = API_NAMES[flag] ?? flag;
    if (!allowed.includes(name))
      throw new ArgusError('BAD_REQUEST', `Flag '--${flag}' does not apply to this command`);
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  return params;
}

const FILTERS = [...FILTER_PARAMS, 'limit', 'cursor'];

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '')));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!)))
      .join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

const round = (n: unknown, digits = 1) => (typeof n === 'number' ? n.toFixed(digits) : '');

/** Runs one query command; resolves to the exit code. */
export async function runQueryCommand(
  command: string,
  values: Values,
  positionals: string[],
  target: ApiTarget,
): Promise<number> {
  const base = target.base;
  const getJson = (path: string) => apiCall(target, 'GET', path);
  const out = process.stdout;
  const print = (value: unknown, render: () => string) =>
    out.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : render());
  if (command === 'health') {
    const health = await getJson(`/health`);
    print(health, () => `${JSON.stringify(health, null, 2)}\n`);
    return 0;
  }
  if (command === 'trace') {
    const id = positionals[0];
    if (!id) throw new ArgusError('BAD_REQUEST', "Missing trace id: usage 'argus trace <traceId>'");
    const trace = (await getJson(`/api/v1/traces/${encodeURIComponent(id)}`)) as {
      spans: Record<string, unknown>[];
    };
    print(trace, () => renderTree(trace.spans));
    return 0;
  }
  if (command === 'series') {
    const params = toQuery(values, [...FILTERS, 'metrics', 'groupBy', 'step']);
    const series = (await getJson(`/api/v1/metrics/series?${params}`)) as {
      totals: Record<string, unknown>;
    };
    print(series, () => table([series.totals], Object.keys(series.totals)));
    return 0;
  }
  const path = command === 'traces' ? 'traces' : 'spans';
  const page = (await getJson(`/api/v1/${path}?${toQuery(values, FILTERS)}`)) as {
    data: Record<string, unknown>[];
    nextCursor?: string;
  };
  print(page, () => {
    const rows = page.data.map((r) => ({
      ...r,
      durationMs: round(r.durationMs),
      costUsd: round(r.costUsd, 6),
      models: Array.isArray(r.models) ? r.models.join(',') : r.models,
      model: r.responseModel || r.requestModel,
    }));
    const columns =
      command === 'traces'
        ? [
            'startTime',
            'traceId',
            'rootName',
            'durationMs',
            'spanCount',
            'errorCount',
            'totalTokens',
            'costUsd',
            'models',
          ]
        : [
            'startTime',
            'traceId',
            'spanId',
            'name',
            'kind',
            'model',
            'status',
            'durationMs',
            'totalTokens',
            'costUsd',
          ];
    const more = page.nextCursor ? `\nMore: --cursor ${page.nextCursor}\n` : '';
    if (rows.length === 0) {
      return `No ${command} match in the window (default: the last 24 hours). Widen it with --from, or send data to ${base}/v1/traces.\n`;
    }
    return table(rows, columns) + more;
  });
  return 0;
}

function renderTree(spans: Record<string, unknown>[]): string {
  const children = new Map<string, Record<string, unknown>[]>();
  const ids = new Set(spans.map((s) => String(s.spanId)));
  for (const span of spans) {
    const parent = ids.has(String(span.parentSpanId)) ? String(span.parentSpanId) : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const model = span.responseModel || span.requestModel;
      const tokens = Number(span.totalTokens) > 0 ? ` ${span.totalTokens} tok` : '';
      const status = span.status === 'error' ? ` ERROR ${span.statusMessage ?? ''}` : '';
      lines.push(
        `${'  '.repeat(depth)}${span.name} [${span.kind}] ${round(span.durationMs)} ms${model ? ` ${model}` : ''}${tokens}${status}`,
      );
      walk(String(span.spanId), depth + 1);
    }
  };
  walk('', 0);
  return `${lines.join('\n')}\n`;
}
