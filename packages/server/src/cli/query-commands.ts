/**
 * `argus traces | spans | trace | series | health`: read a running server's API and print
 * tables (or, with --json, the API's answer).
 */
import { FILTER_PARAMS } from '../query/filters.ts';
import { type CommandSpec, type FlagSpecs, parseCommandLine, UsageError } from './flags.ts';
import { formatCount, formatMs, formatTime, formatUsd, oneLine, type TableOptions, table } from './format.ts';
import { type ApiTarget, apiCall, apiTarget, TARGET_FLAGS } from './http.ts';
import { toQuery, type Values } from './query-params.ts';
import { runSeries } from './series-command.ts';

/** The span filter flags, as in the API (docs/api.md). */
const FILTER_FLAGS = {
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
} as const;

const LIST_FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  ...FILTER_FLAGS,
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

const SERIES_FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  ...FILTER_FLAGS,
  metrics: { type: 'string' },
  'group-by': { type: 'string' },
  step: { type: 'string' },
} as const;

const TARGET_ONLY = { ...TARGET_FLAGS, json: { type: 'boolean' } } as const;

/** Every flag a query command knows (export reuses the filters). */
export const QUERY_FLAGS = { ...LIST_FLAGS, ...SERIES_FLAGS } as const;

const SPECS: Readonly<Record<string, CommandSpec<FlagSpecs>>> = {
  traces: {
    name: 'traces',
    usage:
      'Usage: argus traces [filters] [--limit N] [--cursor C] [--json]\n\nThe newest traces in the window (default the last 24 hours), newest first.',
    flags: LIST_FLAGS,
    positionals: false,
    descriptions: { limit: 'most traces to print (default 50)' },
  },
  spans: {
    name: 'spans',
    usage:
      'Usage: argus spans [filters] [--limit N] [--cursor C] [--json]\n\nThe newest spans in the window (default the last 24 hours), newest first.',
    flags: LIST_FLAGS,
    positionals: false,
    descriptions: { limit: 'most spans to print (default 50)' },
  },
  series: {
    name: 'series',
    usage: `Usage: argus series [--group-by model|provider|service|environment|kind] [--step 1h] [--metrics requests,costUsd] [filters] [--json]

Request metrics of LLM calls (without --kind): requests, errors and error rate, latency and time
to first token percentiles, tokens, cost and output speed. Without --step: one row for the whole
window (one per group with --group-by); with --step: one row per group per step that had traffic.`,
    flags: SERIES_FLAGS,
    positionals: false,
  },
  trace: {
    name: 'trace',
    usage: 'Usage: argus trace <traceId> [--json]\n\nOne trace as a tree of its spans.',
    flags: TARGET_ONLY,
  },
  health: {
    name: 'health',
    usage: "Usage: argus health [--json]\n\nA running server's health: storage, writer, version.",
    flags: TARGET_ONLY,
    positionals: false,
  },
};

/** Names of the query commands. */
export const QUERY_COMMANDS: readonly string[] = Object.keys(SPECS);

const FILTERS = [...FILTER_PARAMS, 'limit', 'cursor'];

/** The width tables fit: the terminal's, or 120 columns when output is not a terminal. */
const lineWidth = () => (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120);

/** Runs one query command (`command` is one of {@link QUERY_COMMANDS}); resolves to the exit code. */
export async function runQueryCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const spec = SPECS[command]!;
  const { values, positionals } = parseCommandLine(spec, args);
  const target = apiTarget(values as { url?: string; 'api-key'?: string; project?: string }, env);
  const print = (value: unknown, render: () => string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : render());
  switch (command) {
    case 'health': {
      const health = await apiCall(target, 'GET', '/health');
      print(health, () => `${JSON.stringify(health, null, 2)}\n`);
      return 0;
    }
    case 'trace': {
      const id = positionals[0];
      if (!id) throw new UsageError('trace', "Missing the trace id: usage 'argus trace <traceId>'");
      const trace = await apiCall<{ spans: Record<string, unknown>[] }>(
        target,
        'GET',
        `/api/v1/traces/${encodeURIComponent(id)}`,
      );
      print(trace, () => renderTree(trace.spans));
      return 0;
    }
    case 'series':
      return runSeries(values, target, print);
    default:
      return runList(command, values, target, print);
  }
}

/** Prints `value` as JSON with --json, else what `render` answers. */
export type Print = (value: unknown, render: () => string) => void;

async function runList(command: string, values: Values, target: ApiTarget, print: Print): Promise<number> {
  const page = await apiCall<{ data: Record<string, unknown>[]; nextCursor?: string }>(
    target,
    'GET',
    `/api/v1/${command}?${toQuery(values, FILTERS)}`,
  );
  print(page, () => {
    if (page.data.length === 0)
      return `No ${command} match in the window (default: the last 24 hours). Widen it with --from, or send data to ${target.base}/v1/traces.\n`;
    const more = page.nextCursor ? `\nMore: --cursor ${page.nextCursor}\n` : '';
    return (command === 'traces' ? tracesTable(page.data) : spansTable(page.data)) + more;
  });
  return 0;
}

/** Headers of the columns the trace and span lists share. */
const LIST_HEADERS = { time: 'Time', traceId: 'Trace ID', duration: 'Duration', cost: 'Cost' };

function tracesTable(traces: Record<string, unknown>[]): string {
  const rows = traces.map((t) => ({
    time: formatTime(t.startTime, { short: true }),
    traceId: t.traceId,
    service: t.serviceName,
    user: t.userId,
    duration: formatMs(t.durationMs),
    errors: Number(t.errorCount) > 0 ? formatCount(t.errorCount) : '',
    cost: formatUsd(t.costUsd),
    input: oneLine(t.inputPreview) || oneLine(t.rootName),
  }));
  return table(rows, Object.keys(rows[0]!), {
    headers: { ...LIST_HEADERS, service: 'Service', user: 'User', errors: 'Err', input: 'Input' },
    right: ['duration', 'errors', 'cost'],
    maxWidths: { service: 14, user: 12, input: 200 },
    fill: 'input',
    totalWidth: lineWidth(),
  });
}

function spansTable(spans: Record<string, unknown>[]): string {
  const rows = spans.map((s) => ({
    time: formatTime(s.startTime, { short: true }),
    traceId: s.traceId,
    name: s.name,
    kind: s.kind,
    model: s.responseModel || s.requestModel,
    status: s.status === 'error' ? 'error' : '',
    duration: formatMs(s.durationMs),
    tokens: Number(s.totalTokens) > 0 ? formatCount(s.totalTokens) : '',
    cost: Number(s.costUsd) > 0 ? formatUsd(s.costUsd) : '',
  }));
  const options: TableOptions = {
    headers: {
      ...LIST_HEADERS,
      name: 'Name',
      kind: 'Kind',
      model: 'Model',
      status: 'Status',
      tokens: 'Tokens',
    },
    right: ['duration', 'tokens', 'cost'],
    maxWidths: { name: 200, kind: 9, model: 16 },
    fill: 'name',
    totalWidth: lineWidth(),
  };
  return table(rows, Object.keys(rows[0]!), options);
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
      const tokens = Number(span.totalTokens) > 0 ? ` ${formatCount(span.totalTokens)} tok` : '';
      const cost = Number(span.costUsd) > 0 ? ` ${formatUsd(span.costUsd)}` : '';
      const status = span.status === 'error' ? ` ERROR ${oneLine(span.statusMessage)}` : '';
      lines.push(
        `${'  '.repeat(depth)}${span.name} [${span.kind}] ${formatMs(span.durationMs)}${model ? ` ${model}` : ''}${tokens}${cost}${status}`,
      );
      walk(String(span.spanId), depth + 1);
    }
  };
  walk('', 0);
  return `${lines.join('\n')}\n`;
}
