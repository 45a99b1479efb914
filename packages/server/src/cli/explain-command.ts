/**
 * `argus explain …` on a running server (docs/explainability.md): attribution and counterfactual
 * jobs on a recorded LLM call (the plan alone with --plan; otherwise the job runs and the command
 * waits for it), a job's state, cancel, concepts and feature importance.
 */
import type {
  AttributionResult,
  Concept,
  ConceptScores,
  CounterfactualResult,
  ExplainJob,
  ExplainPlan,
  ImportanceReport,
} from '@argus/shared';
import { type ActionCommand, type ActionContext, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  trace: { type: 'string' },
  span: { type: 'string' },
  connection: { type: 'string' },
  granularity: { type: 'string' },
  method: { type: 'string' },
  measure: { type: 'string' },
  'judge-model': { type: 'string' },
  'max-calls': { type: 'string' },
  plan: { type: 'boolean' },
  replace: { type: 'string', multiple: true },
  'probe-set': { type: 'string' },
  name: { type: 'string' },
  positive: { type: 'string', multiple: true },
  negative: { type: 'string', multiple: true },
  field: { type: 'string' },
  target: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  service: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;
type Context = ActionContext<typeof FLAGS>;

/** Usage of `argus explain`. */
export const EXPLAIN_USAGE = `Usage: argus explain <action> [--json] ${ACCESS_USAGE}

  attribution --trace T --span S [--granularity sentence|message|document|token-window]
          [--method occlusion|shapley-sampling] [--measure embedding|logprob|judge]
          [--judge-model M] [--connection C] [--max-calls N] [--plan]
                       which parts of the prompt moved the answer (waits for the job)
  counterfactual --trace T --span S (--replace from=to … | --probe-set gender|names|nationality|age|negation)
          [--connection C] [--max-calls N] [--plan]
                       replay with words swapped and compare the answers
  job <kind> <id>      a job's state and result (kind: attribution, counterfactuals, bias)
  cancel <kind> <id>   stop a job
  concepts             the project's concepts
  concept --name N --positive T … [--negative T …] [--field output|input] [--connection C]
                       learn a concept from example texts (random traffic as negatives if none)
  scores <concept> [--from T] [--to T]
                       a concept's scores over time
  importance --target latency|cost|error|perplexity|outputTokens|score:<name> [--from T] [--to T] [--service S …]
                       which span properties explain the target`;

/** Runs `argus explain …`; resolves to the exit code. */
export function runExplainCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(EXPLAIN_COMMAND, args, env);
}

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;

function planText(plan: ExplainPlan): string {
  const cost = plan.estimatedCostUsd === undefined ? 'cost unknown' : `about $${plan.estimatedCostUsd}`;
  return `Plan: ${plan.calls} calls to ${plan.model} and ${plan.measureCalls} measuring calls, ${cost}${plan.capped ? ' (capped by --max-calls)' : ''}\n${plan.notes.map((n) => `  ${n}\n`).join('')}`;
}

function spanFields(values: Context['values']) {
  if (!values.trace || !values.span)
    throw new UsageError('explain', 'needs --trace and --span (the LLM call to explain)');
  const maxCalls = values['max-calls'] === undefined ? undefined : Number(values['max-calls']);
  if (maxCalls !== undefined && !Number.isInteger(maxCalls))
    throw new UsageError('explain', `Invalid --max-calls '${values['max-calls']}': expected a whole number`);
  return {
    traceId: values.trace,
    spanId: values.span,
    ...(values.connection ? { connectionId: values.connection } : {}),
    ...(maxCalls === undefined ? {} : { maxCalls }),
    ...(values.plan ? { dryRun: true } : {}),
  };
}

function resultText(job: ExplainJob): string {
  if (job.status !== 'succeeded') return `Job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}\n`;
  if (job.kind === 'attribution') {
    const r = job.result as AttributionResult;
    const rows = [...r.segments]
      .sort((a, b) => b.importance - a.importance)
      .map((s) => ({ importance: pct(s.importance), role: s.role, segment: s.text.slice(0, 80) }));
    return `Attribution (${r.method}, ${r.granularity}, ${r.measure}); replay noise ${r.replayDistance.toFixed(3)}\n${tableOr(rows, ['importance', 'role', 'segment'], 'No segments.')}`;
  }
  if (job.kind === 'counterfactuals') {
    const r = job.result as CounterfactualResult;
    const rows = r.variants.map((v) => ({
      variant: v.group ?? v.substitutions.map((s) => `${s.from}→${s.to}`).join(', '),
      similarity: v.similarity.toFixed(2),
      changed: v.changed ? 'CHANGED' : 'same',
      output: v.output.slice(0, 60),
    }));
    return `${r.changedCount} of ${r.variants.length} variants changed the answer\n${tableOr(rows, ['variant', 'similarity', 'changed', 'output'], '')}`;
  }
  return `${JSON.stringify(job.result, null, 2)}\n`;
}

async function waitFor(context: Context, kind: string, id: string): Promise<ExplainJob> {
  for (;;) {
    const { data } = await apiCall<{ data: ExplainJob }>(
      context.target,
      'GET',
      `/api/v1/explain/${kind}/${encodeURIComponent(id)}`,
    );
    if (data.status !== 'queued' && data.status !== 'running') return data;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function submit(
  context: Context,
  kind: 'attribution' | 'counterfactuals',
  body: object,
): Promise<number> {
  const { data } = await apiCall<{ data: { plan: ExplainPlan; id?: string } }>(
    context.target,
    'POST',
    `/api/v1/explain/${kind}`,
    { body },
  );
  if (!data.id) {
    context.print(data, planText(data.plan));
    return 0;
  }
  const job = await waitFor(context, kind, data.id);
  context.print(job, planText(data.plan) + resultText(job));
  return job.status === 'succeeded' ? 0 : 1;
}

function attribution(context: Context): Promise<number> {
  const { values } = context;
  return submit(context, 'attribution', {
    ...spanFields(values),
    ...(values.granularity ? { granularity: values.granularity } : {}),
    ...(values.method ? { method: values.method } : {}),
    ...(values.measure ? { outputMeasure: values.measure } : {}),
    ...(values['judge-model'] ? { judgeModel: values['judge-model'] } : {}),
  });
}

function counterfactual(context: Context): Promise<number> {
  const { values } = context;
  const substitutions = (values.replace ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError('explain', `Invalid --replace '${pair}': expected from=to`);
    return { from: pair.slice(0, at), to: pair.slice(at + 1) };
  });
  return submit(context, 'counterfactuals', {
    ...spanFields(values),
    ...(substitutions.length ? { substitutions } : {}),
    ...(values['probe-set'] ? { probeSet: values['probe-set'] } : {}),
  });
}

function kindAndId(operands: string[], action: string): [string, string] {
  const [kind, id] = operands;
  if (!kind || !id)
    throw new UsageError('explain', `${action} needs the job kind and id: ${action} attribution <id>`);
  return [encodeURIComponent(kind), encodeURIComponent(id)];
}

async function job(context: Context): Promise<number> {
  const [kind, id] = kindAndId(context.operands, 'job');
  const { data } = await apiCall<{ data: ExplainJob }>(
    context.target,
    'GET',
    `/api/v1/explain/${kind}/${id}`,
  );
  context.print(
    data,
    `${data.kind} ${data.id}: ${data.status} (${data.progress.done}/${data.progress.total} calls)\n${resultText(data)}`,
  );
  return 0;
}

async function cancel(context: Context): Promise<number> {
  const [kind, id] = kindAndId(context.operands, 'cancel');
  const { data } = await apiCall<{ data: ExplainJob }>(
    context.target,
    'POST',
    `/api/v1/explain/${kind}/${id}/cancel`,
  );
  context.print(data, `${data.kind} ${data.id}: ${data.status}\n`);
  return 0;
}

async function concepts({ target, print }: Context): Promise<number> {
  const { data } = await apiCall<{ data: Concept[] }>(target, 'GET', '/api/v1/concepts');
  const rows = data.map((c) => ({
    ...c,
    accuracy: pct(c.accuracy),
    examples: `${c.positives}+/${c.negatives}-`,
  }));
  print(
    data,
    tableOr(
      rows,
      ['name', 'field', 'accuracy', 'examples', 'embedding'],
      'No concepts. Learn one with: argus explain concept --name N --positive T …',
    ),
  );
  return 0;
}

async function concept({ values, target, print }: Context): Promise<number> {
  if (!values.name || !values.positive?.length)
    throw new UsageError('explain', 'concept needs --name and --positive (repeat)');
  const body = {
    name: values.name,
    positives: values.positive,
    ...(values.negative?.length ? { negatives: values.negative } : {}),
    ...(values.field ? { field: values.field } : {}),
    ...(values.connection ? { connectionId: values.connection } : {}),
  };
  const { data } = await apiCall<{ data: Concept }>(target, 'POST', '/api/v1/concepts', { body });
  print(
    data,
    `Learned concept ${data.name} (${data.id}): held-out accuracy ${pct(data.accuracy)} on ${data.heldOutCount} examples${data.accuracy < 0.7 ? ' — weak: add more or clearer examples' : ''}\n`,
  );
  return 0;
}

async function scores({ values, operands, target, print }: Context): Promise<number> {
  if (!operands[0]) throw new UsageError('explain', 'scores needs the concept name or id');
  const query = new URLSearchParams({
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
  });
  const { data } = await apiCall<{ data: ConceptScores }>(
    target,
    'GET',
    `/api/v1/concepts/${encodeURIComponent(operands[0])}/scores${query.size ? `?${query}` : ''}`,
  );
  print(
    data,
    tableOr(
      data.points.map((p) => ({ ...p, share: pct(p.share) })),
      ['time', 'count', 'mean', 'share'],
      'No spans in this window.',
    ),
  );
  return 0;
}

async function importance({ values, target, print }: Context): Promise<number> {
  if (!values.target)
    throw new UsageError(
      'explain',
      'importance needs --target (latency, cost, error, perplexity, outputTokens or score:<name>)',
    );
  const body = {
    target: values.target,
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.service?.length ? { filter: { service: values.service } } : {}),
  };
  const { data } = await apiCall<{ data: ImportanceReport }>(target, 'POST', '/api/v1/explain/importance', {
    body,
  });
  const rows = data.features.map((f) => ({
    feature: f.feature,
    importance: f.importance.toPrecision(3),
    interval: `${f.low.toPrecision(3)} – ${f.high.toPrecision(3)}`,
    direction: f.direction,
    significant: f.significant ? 'yes' : 'no',
  }));
  print(
    data,
    `${data.spans} spans, held-out R² ${data.r2}\n${tableOr(rows, ['feature', 'importance', 'interval', 'direction', 'significant'], '')}`,
  );
  return 0;
}

const EXPLAIN_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'explain',
  usage: EXPLAIN_USAGE,
  flags: FLAGS,
  descriptions: {
    trace: 'the trace id of the LLM call',
    span: 'the span id of the LLM call',
    connection: 'the LLM connection to replay through (default: one that serves the model)',
    granularity: 'what attribution removes: sentence (default), message, document, token-window',
    method: 'occlusion (default) or shapley-sampling',
    measure: 'how answers are compared: embedding (default), logprob or judge',
    'judge-model': 'the judge model of --measure judge',
    'max-calls': 'most model calls the job may make (default 100)',
    plan: 'only show the plan: calls and estimated cost',
    replace: 'a substitution from=to (repeat)',
    'probe-set': 'a built-in probe set: gender, names, nationality, age, negation',
    name: 'name of the new concept',
    positive: 'an example text of the concept (repeat)',
    negative: 'an example text without it (repeat; default random traffic)',
    field: 'which text of spans is scored: output (default) or input',
    target: 'what importance explains',
    from: 'window start (ISO 8601 or epoch ms)',
    to: 'window end',
    service: 'only spans of this service (repeat)',
  },
  actions: { attribution, counterfactual, job, cancel, concepts, concept, scores, importance },
};
