/**
 * `argus experiments run | list | show | compare | cancel`: experiments of offline evaluation
 * (docs/evaluation.md) on a running server. `run` starts a prompt experiment, follows it with a
 * progress bar (plain lines when stderr is not a terminal), prints its scores and, with
 * `--baseline`, the comparison; with `--fail-on-regression` a significant regression exits 1, so
 * CI can gate on it.
 */
import { readFileSync } from 'node:fs';
import type { Experiment, ExperimentComparison } from '@argus/shared';
import { type ActionCommand, type ActionContext, runActionCommand, tableOr } from './action-command.ts';
import { comparisonText, experimentText, progressBar } from './experiment-format.ts';
import { UsageError } from './flags.ts';
import { type ApiTarget, apiCall } from './http.ts';
import { findByIdOrName, findEachByIdOrName } from './quality-lookup.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  dataset: { type: 'string' },
  prompt: { type: 'string' },
  connection: { type: 'string' },
  model: { type: 'string' },
  evaluator: { type: 'string', multiple: true },
  name: { type: 'string' },
  repetitions: { type: 'string' },
  concurrency: { type: 'string' },
  baseline: { type: 'string' },
  'fail-on-regression': { type: 'boolean' },
  alpha: { type: 'string' },
  'poll-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = typeof FLAGS;

/** Usage of `argus experiments`. */
export const EXPERIMENTS_USAGE = `Usage: argus experiments <action> [flags] ${ACCESS_USAGE}

  run --dataset D --prompt prompt.json --connection C --model M --evaluator E [--evaluator E2 …]
      [--name N] [--repetitions R] [--concurrency K] [--baseline ID [--fail-on-regression]] [--alpha A]
          run a prompt over every item of dataset D through LLM connection C, score each answer,
          and print the scores; with --baseline also the comparison to that experiment, and with
          --fail-on-regression exit 1 when the candidate is significantly worse (a CI gate)
  list [--dataset D]     the project's experiments, newest first
  show <id>              an experiment's status and scores (mean and 95 % interval)
  compare <A> <B>        B (candidate) against A (baseline), item by item: means with intervals,
                         the difference with its interval, p-value, up/down counts and verdict
  cancel <id>            stop a running experiment

prompt.json is a list of messages, [{"role":"user","content":"{{input}}"}], or
{"messages": [...], "params": {"temperature": 0}}; {{input}}, {{input.field}}, {{expected}} and
{{metadata.x}} are filled from each item. D, C and E are ids or names. Exit codes: 0 done,
1 failed, cancelled or a significant regression with --fail-on-regression, 2 usage.`;

/** Runs `argus experiments …`; resolves to the exit code. */
export function runExperimentsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(EXPERIMENTS_COMMAND, args, env);
}

function usage(message: string): never {
  throw new UsageError('experiments', message);
}

function intFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    usage(`Invalid --${name} '${value}': expected an integer from ${min} to ${max}`);
  return n;
}

function alphaOf(value: string | undefined): number {
  if (value === undefined) return 0.05;
  const n = Number(value);
  if (!(n > 0 && n <= 0.5))
    usage(`Invalid --alpha '${value}': expected a significance level above 0 and at most 0.5, e.g. 0.05`);
  return n;
}

/** The prompt file: a message list, or `{ messages, params }`. */
function promptOf(file: string): { messages: unknown[]; params?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    usage(`Cannot read --prompt '${file}': ${e.code ?? e.message}`);
  }
  const prompt = Array.isArray(parsed)
    ? { messages: parsed }
    : (parsed as { messages?: unknown; params?: unknown });
  const ok =
    prompt !== null &&
    typeof prompt === 'object' &&
    Array.isArray(prompt.messages) &&
    prompt.messages.length > 0 &&
    prompt.messages.every(
      (m: unknown) =>
        typeof m === 'object' &&
        m !== null &&
        typeof (m as { role?: unknown }).role === 'string' &&
        typeof (m as { content?: unknown }).content === 'string',
    );
  if (!ok)
    usage(
      `Invalid --prompt '${file}': expected [{"role":"user","content":"… {{input}} …"}] or {"messages": [...], "params": {...}}`,
    );
  return {
    messages: prompt.messages as unknown[],
    ...(prompt.params === undefined ? {} : { params: prompt.params }),
  };
}

const experimentPath = (id: string) => `/api/v1/experiments/${encodeURIComponent(id)}`;

async function fetchExperiment(target: ApiTarget, id: string): Promise<Experiment> {
  return (await apiCall<{ data: Experiment }>(target, 'GET', experimentPath(id))).data;
}

async function fetchComparison(target: ApiTarget, baseline: string, candidate: string, alpha: number) {
  const query = new URLSearchParams({ baseline, candidate, alpha: String(alpha) });
  return (
    await apiCall<{ data: ExperimentComparison }>(target, 'GET', `/api/v1/experiments/compare?${query}`)
  ).data;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Polls until the experiment ends, drawing progress on stderr; Ctrl-C cancels it. */
async function follow(target: ApiTarget, created: Experiment, pollMs: number): Promise<Experiment> {
  const tty = process.stderr.isTTY === true;
  let lastStep = -1;
  let cancelling = false;
  const onInterrupt = () => {
    if (cancelling) process.exit(130);
    cancelling = true;
    process.stderr.write(`\nCancelling experiment ${created.id} (Ctrl-C again to leave it running)\n`);
    apiCall(target, 'POST', `${experimentPath(created.id)}/cancel`).catch(() => undefined);
  };
  process.on('SIGINT', onInterrupt);
  try {
    let e = created;
    for (;;) {
      const { done, total } = e.progress;
      const failed = e.summary.errors;
      if (tty) process.stderr.write(`\r${progressBar(done, total, failed)}`);
      else {
        const step = total > 0 ? Math.floor((done / total) * 10) : 0;
        if (step !== lastStep) {
          lastStep = step;
          process.stderr.write(
            `progress ${done}/${total} (${total > 0 ? Math.floor((done / total) * 100) : 0}%)${failed ? `, ${failed} failed` : ''}\n`,
          );
        }
      }
      if (TERMINAL.has(e.status)) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      e = await fetchExperiment(target, created.id);
    }
    if (tty) process.stderr.write('\n');
    return e;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function runAction({ values, target, print }: ActionContext<Flags>): Promise<number> {
  for (const required of ['dataset', 'prompt', 'connection', 'model'] as const) {
    if (!values[required]) usage(`Missing --${required}. ${EXPERIMENTS_USAGE.split('\n')[2]?.trim()}`);
  }
  if (values['fail-on-regression'] && !values.baseline)
    usage('--fail-on-regression needs --baseline ID: the experiment to compare with');
  const alpha = alphaOf(values.alpha);
  const repetitions = intFlag('repetitions', values.repetitions, 1, 20);
  const concurrency = intFlag('concurrency', values.concurrency, 1, 32);
  const pollMs = intFlag('poll-ms', values['poll-ms'], 50, 60_000) ?? 1000;
  const prompt = promptOf(values.prompt!);
  const [dataset, connection] = await Promise.all([
    findByIdOrName(target, 'dataset', values.dataset!),
    findByIdOrName(target, 'LLM connection', values.connection!),
  ]);
  const evaluators = await findEachByIdOrName(target, 'evaluator', values.evaluator ?? []);
  if (values.baseline) await fetchExperiment(target, values.baseline);
  const created = (
    await apiCall<{ data: Experiment }>(target, 'POST', '/api/v1/experiments', {
      body: {
        name: values.name ?? `${dataset.name} · ${values.model} · ${new Date().toISOString().slice(0, 16)}`,
        datasetId: dataset.id,
        target: { type: 'prompt', connectionId: connection.id, model: values.model, ...prompt },
        evaluators: evaluators.map((e) => e.id),
        ...(repetitions === undefined ? {} : { repetitions }),
        ...(concurrency === undefined ? {} : { concurrency }),
        metadata: { runner: 'argus-cli' },
      },
    })
  ).data;
  process.stderr.write(
    `Experiment ${created.id} (${created.name}) started: ${created.progress.total} item runs\n`,
  );
  const finished = await follow(target, created, pollMs);
  let comparison: ExperimentComparison | undefined;
  let baseline: Experiment | undefined;
  if (values.baseline && finished.status === 'completed') {
    [comparison, baseline] = await Promise.all([
      fetchComparison(target, values.baseline, finished.id, alpha),
      fetchExperiment(target, values.baseline),
    ]);
  }
  print(
    { experiment: finished, ...(comparison ? { comparison } : {}) },
    `${experimentText(finished)}${comparison ? `\n${comparisonText(comparison, baseline, finished)}` : ''}`,
  );
  if (finished.status !== 'completed') return 1;
  return values['fail-on-regression'] && comparison?.regression ? 1 : 0;
}

const EXPERIMENTS_COMMAND: ActionCommand<Flags> = {
  name: 'experiments',
  usage: EXPERIMENTS_USAGE,
  flags: FLAGS,
  descriptions: {
    dataset: 'the dataset to run, by id or name (run); only its experiments (list)',
    prompt: 'JSON file with the prompt: a message list or {"messages": [...], "params": {...}}',
    connection: 'the LLM connection that calls the model, by id or name',
    model: 'the model the connection calls',
    evaluator: 'an evaluator that scores each answer, by id or name; repeatable',
    name: 'name of the new experiment (default: dataset · model · time)',
    repetitions: 'runs of each item (1–20, default 1)',
    concurrency: 'model calls at once (1–32, default 4)',
    baseline: 'an experiment id to compare the new one with when it ends',
    'fail-on-regression': 'exit 1 when the comparison finds a significant regression (needs --baseline)',
    alpha: 'significance level of the comparison (default 0.05)',
    'poll-ms': 'how often progress is read, in milliseconds (default 1000)',
  },
  actions: {
    run: runAction,
    async list({ values, target, print }) {
      const query = new URLSearchParams({ limit: '50' });
      if (values.dataset)
        query.set('datasetId', (await findByIdOrName(target, 'dataset', values.dataset)).id);
      const { data } = await apiCall<{ data: Experiment[] }>(target, 'GET', `/api/v1/experiments?${query}`);
      const rows = data.map((e) => ({
        ...e,
        progress: `${e.progress.done}/${e.progress.total}`,
        target: e.target.type === 'prompt' ? e.target.model : 'external',
      }));
      print(
        data,
        tableOr(rows, ['id', 'name', 'status', 'progress', 'target', 'createdAt'], 'No experiments.'),
      );
      return 0;
    },
    async show({ operands, target, print }) {
      const [id] = operands;
      if (!id) usage('Missing the experiment id. Usage: argus experiments show <id>');
      const e = await fetchExperiment(target, id);
      print(e, experimentText(e));
      return 0;
    },
    async compare({ operands, values, target, print }) {
      const [a, b] = operands;
      if (!a || !b)
        usage(
          'Missing an experiment id. Usage: argus experiments compare <baselineId> <candidateId> [--alpha 0.05]',
        );
      const alpha = alphaOf(values.alpha);
      const [comparison, baseline, candidate] = await Promise.all([
        fetchComparison(target, a, b, alpha),
        fetchExperiment(target, a),
        fetchExperiment(target, b),
      ]);
      print(comparison, comparisonText(comparison, baseline, candidate));
      return values['fail-on-regression'] && comparison.regression ? 1 : 0;
    },
    async cancel({ operands, target, print }) {
      const [id] = operands;
      if (!id) usage('Missing the experiment id. Usage: argus experiments cancel <id>');
      const e = (await apiCall<{ data: Experiment }>(target, 'POST', `${experimentPath(id)}/cancel`)).data;
      print(e, `Experiment ${e.id} is ${e.status}\n`);
      return 0;
    },
  },
};
