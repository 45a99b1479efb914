/**
 * `argus drift compare | monitors …` on a running server (docs/behaviour.md#drift): compare a
 * reference window (or a dataset) with a current window, and manage drift monitors. `compare`
 * exits 1 with `--fail-on-drift` when any feature drifted, for CI.
 */
import type { DriftFeatureResult, DriftMonitor, DriftMonitorResult, DriftReport } from '@argus/shared';
import { type ActionCommand, type ActionContext, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'reference-from': { type: 'string' },
  'reference-to': { type: 'string' },
  dataset: { type: 'string' },
  feature: { type: 'string', multiple: true },
  service: { type: 'string', multiple: true },
  model: { type: 'string', multiple: true },
  sample: { type: 'string' },
  'fail-on-drift': { type: 'boolean' },
  name: { type: 'string' },
  window: { type: 'string' },
  every: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Context = ActionContext<typeof FLAGS>;

/** Usage of `argus drift`. */
export const DRIFT_USAGE = `Usage: argus drift <action> [--json] ${ACCESS_USAGE}

  compare --from T --to T (--reference-from T --reference-to T | --dataset D)
          [--feature F …] [--service S …] [--model M …] [--sample N] [--fail-on-drift]
                       the current window [from, to] against the reference; features default to
                       input, output, inputTokens, outputTokens, latency, cost, model, finishReason
  monitors list        the project's drift monitors
  monitors create --name N [--feature F …] [--window 1h] [--every 1h] [--service S …] [--model M …]
                       compare each window with the one before it, on a schedule
  monitors run <id>    run a monitor now
  monitors results <id> [--from T] [--to T]
                       its runs (default the last 7 days)
  monitors delete <id>`;

/** Runs `argus drift …`; resolves to the exit code. */
export function runDriftCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(DRIFT_COMMAND, args, env);
}

const round = (n: number | undefined) => (n === undefined ? '' : String(Number(n.toFixed(4))));

function filterOf(values: Context['values']): Record<string, string[]> {
  return {
    ...(values.service?.length ? { service: values.service } : {}),
    ...(values.model?.length ? { model: values.model } : {}),
  };
}

function featureRows(
  features: Pick<DriftFeatureResult, 'feature' | 'test' | 'statistic' | 'pValue' | 'threshold' | 'drifted'>[],
) {
  return features.map((f) => ({
    feature: f.feature,
    test: f.test ?? ('skipped' in f ? `skipped: ${(f as DriftFeatureResult).skipped}` : ''),
    statistic: round(f.statistic),
    pValue: round(f.pValue),
    threshold: round(f.threshold),
    drifted: f.drifted ? 'DRIFTED' : 'no',
  }));
}

function reportText(report: DriftReport): string {
  const lines = [
    `${report.drifted ? 'Drift found' : 'No drift'}: ${report.reference.count} reference and ${report.current.count} current spans (${report.tookMs} ms)\n`,
    tableOr(
      featureRows(report.features),
      ['feature', 'test', 'statistic', 'pValue', 'threshold', 'drifted'],
      'No features.',
    ),
  ];
  for (const f of report.features) {
    if (!f.words) continue;
    lines.push(
      `\n${f.feature}: words of the reference: ${f.words.reference.map((w) => w.word).join(', ') || '–'}\n`,
    );
    lines.push(
      `${f.feature}: words of the current window: ${f.words.current.map((w) => w.word).join(', ') || '–'}\n`,
    );
  }
  return lines.join('');
}

async function compare({ values, target, print }: Context): Promise<number> {
  if (!values.from || !values.to)
    throw new UsageError('drift', 'compare needs --from and --to (the current window)');
  const hasWindow = values['reference-from'] !== undefined || values['reference-to'] !== undefined;
  if (hasWindow === (values.dataset !== undefined))
    throw new UsageError('drift', 'compare needs either --reference-from and --reference-to, or --dataset');
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !Number.isInteger(sample))
    throw new UsageError('drift', `Invalid --sample '${values.sample}': expected a whole number`);
  const body = {
    filter: filterOf(values),
    reference: values.dataset
      ? { datasetId: values.dataset }
      : { from: values['reference-from'], to: values['reference-to'] },
    current: { from: values.from, to: values.to },
    ...(values.feature?.length ? { features: values.feature } : {}),
    ...(sample === undefined ? {} : { sampleSize: sample }),
  };
  const { data } = await apiCall<{ data: DriftReport }>(target, 'POST', '/api/v1/drift/compare', { body });
  print(data, reportText(data));
  return values['fail-on-drift'] && data.drifted ? 1 : 0;
}

function idOf(operands: string[], action: string): string {
  const id = operands[1];
  if (!id) throw new UsageError('drift', `monitors ${action} needs the monitor id`);
  return encodeURIComponent(id);
}

async function monitors(context: Context): Promise<number> {
  const { values, operands, target, print } = context;
  const action = operands[0];
  const path = '/api/v1/drift-monitors';
  if (action === 'list') {
    const { data } = await apiCall<{ data: DriftMonitor[] }>(target, 'GET', path);
    const rows = data.map((m) => ({
      ...m,
      features: m.features.join(','),
      state: m.lastError
        ? `failed: ${m.lastError}`
        : m.lastDrifted === undefined
          ? 'not run'
          : m.lastDrifted
            ? 'DRIFTED'
            : 'stable',
    }));
    print(
      data,
      tableOr(
        rows,
        ['id', 'name', 'features', 'window', 'schedule', 'lastRunAt', 'state'],
        'No drift monitors. Create one with: argus drift monitors create --name N',
      ),
    );
    return 0;
  }
  if (action === 'create') {
    if (!values.name) throw new UsageError('drift', 'monitors create needs --name');
    const body = {
      name: values.name,
      filter: filterOf(values),
      ...(values.feature?.length ? { features: values.feature } : {}),
      ...(values.window ? { window: values.window } : {}),
      ...(values.every ? { schedule: values.every } : {}),
    };
    const { data } = await apiCall<{ data: DriftMonitor }>(target, 'POST', path, { body });
    print(
      data,
      `Created drift monitor ${data.id} (${data.name}: ${data.features.join(', ')}; window ${data.window}, every ${data.schedule})\n`,
    );
    return 0;
  }
  if (action === 'run') {
    const { data } = await apiCall<{ data: DriftMonitorResult }>(
      target,
      'POST',
      `${path}/${idOf(operands, action)}/run`,
    );
    print(
      data,
      `${data.drifted ? 'Drift found' : 'No drift'} in ${data.from} – ${data.to}\n${tableOr(featureRows(data.features), ['feature', 'test', 'statistic', 'pValue', 'threshold', 'drifted'], '')}`,
    );
    return 0;
  }
  if (action === 'results') {
    const query = new URLSearchParams({
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
    });
    const { data } = await apiCall<{ data: DriftMonitorResult[] }>(
      target,
      'GET',
      `${path}/${idOf(operands, action)}/results${query.size ? `?${query}` : ''}`,
    );
    const rows = data.map((r) => ({
      time: r.time,
      drifted: r.drifted ? 'DRIFTED' : 'no',
      features: r.features
        .filter((f) => f.drifted)
        .map((f) => f.feature)
        .join(','),
    }));
    print(data, tableOr(rows, ['time', 'drifted', 'features'], 'No runs in this window.'));
    return 0;
  }
  if (action === 'delete') {
    await apiCall(target, 'DELETE', `${path}/${idOf(operands, action)}`);
    print({ deleted: operands[1] }, `Deleted drift monitor ${operands[1]}\n`);
    return 0;
  }
  throw new UsageError(
    'drift',
    `Unknown monitors action '${action ?? ''}': one of list, create, run, results, delete`,
  );
}

const DRIFT_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'drift',
  usage: DRIFT_USAGE,
  flags: FLAGS,
  descriptions: {
    from: 'start of the current window (ISO 8601 or epoch ms)',
    to: 'end of the current window',
    'reference-from': 'start of the reference window',
    'reference-to': 'end of the reference window',
    dataset: "a dataset whose items' inputs and expected outputs are the reference",
    feature: 'a feature to compare (repeat): input, output, inputEmbedding, latency, model, score:<name> …',
    service: 'only spans of this service (repeat)',
    model: 'only spans of this model (repeat)',
    sample: 'spans sampled per window (default 2000)',
    'fail-on-drift': 'exit 1 when any feature drifted',
    name: 'name of the new monitor',
    window: 'length of the current window of a monitor (default 1h)',
    every: 'how often a monitor runs (default 1h)',
  },
  actions: { compare, monitors },
};
