/**
 * `argus score-configs list | create` and `argus queues list | create | add | show` on a running
 * server (docs/evaluation.md, "Human review"). Reviews themselves happen in the console's review
 * screen or through the API.
 */
import { readFileSync } from 'node:fs';
import { type AnnotationQueue, SCORE_DATA_TYPES, type ScoreConfig } from '@argus/shared';
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const CONFIG_FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  type: { type: 'string' },
  min: { type: 'string' },
  max: { type: 'string' },
  category: { type: 'string', multiple: true },
  description: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus score-configs`. */
export const SCORE_CONFIGS_USAGE = `Usage: argus score-configs <list | create --name N --type T [--min X --max Y] [--category label=value …]> [--json] ${ACCESS_USAGE}

  list     the project's score configs
  create   a new config; T is one of ${SCORE_DATA_TYPES.join(', ')}; categorical configs need
           --category for each label (--category bad=0 --category good=1)`;

function numberFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new UsageError('score-configs', `Invalid --${flag} '${raw}': expected a number`);
  return value;
}

function categoriesOf(raw: string[] | undefined): { label: string; value: number }[] | undefined {
  if (!raw || raw.length === 0) return undefined;
  return raw.map((entry) => {
    const at = entry.lastIndexOf('=');
    const value = at > 0 ? Number(entry.slice(at + 1)) : Number.NaN;
    if (!Number.isFinite(value))
      throw new UsageError(
        'score-configs',
        `Invalid --category '${entry}': expected label=number, e.g. good=1`,
      );
    return { label: entry.slice(0, at), value };
  });
}

const SCORE_CONFIGS_COMMAND: ActionCommand<typeof CONFIG_FLAGS> = {
  name: 'score-configs',
  usage: SCORE_CONFIGS_USAGE,
  flags: CONFIG_FLAGS,
  descriptions: {
    name: 'the score name the config governs',
    type: `the data type: ${SCORE_DATA_TYPES.join(', ')}`,
    min: 'least numeric value',
    max: 'greatest numeric value',
    category: 'a categorical label and its number, label=value (repeat)',
    description: 'what reviewers should judge',
  },
  actions: {
    async list({ target, print }) {
      const { data } = await apiCall<{ data: ScoreConfig[] }>(target, 'GET', '/api/v1/score-configs');
      const rows = data.map((c) => ({
        ...c,
        range:
          c.dataType === 'numeric'
            ? `${c.min ?? '−∞'} … ${c.max ?? '∞'}`
            : (c.categories ?? []).map((k) => `${k.label}=${k.value}`).join(' '),
      }));
      print(
        data,
        tableOr(
          rows,
          ['id', 'name', 'dataType', 'range'],
          'No score configs. Create one with: argus score-configs create --name correct --type boolean',
        ),
      );
      return 0;
    },
    async create({ values, target, print }) {
      if (!values.name)
        throw new UsageError('score-configs', `Missing --name. ${SCORE_CONFIGS_USAGE.split('\n')[0]}`);
      if (!values.type || !(SCORE_DATA_TYPES as readonly string[]).includes(values.type))
        throw new UsageError(
          'score-configs',
          `Missing or invalid --type (one of ${SCORE_DATA_TYPES.join(', ')})`,
        );
      const min = numberFlag('min', values.min);
      const max = numberFlag('max', values.max);
      const categories = categoriesOf(values.category);
      const body = {
        name: values.name,
        dataType: values.type,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        ...(categories ? { categories } : {}),
        ...(values.description ? { description: values.description } : {}),
      };
      const { data } = await apiCall<{ data: ScoreConfig }>(target, 'POST', '/api/v1/score-configs', {
        body,
      });
      print(data, `Created score config ${data.id} (${data.name}, ${data.dataType})\n`);
      return 0;
    },
  },
};

const QUEUE_FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: 'string' },
  'score-config': { type: 'string', multiple: true },
  assignee: { type: 'string', multiple: true },
  'double-review': { type: 'boolean' },
  trace: { type: 'string', multiple: true },
  'traces-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus queues`. */
export const QUEUES_USAGE = `Usage: argus queues <list | create --name N --score-config ID… | add <queueId> --trace ID… | show <queueId>> [--json] ${ACCESS_USAGE}

  list     the project's annotation queues with their progress
  create   a queue; --score-config (repeat) names what reviewers fill in, --assignee (repeat)
           keeps it to those reviewers, --double-review asks two reviews per item
  add      traces to a queue: --trace ID (repeat) or --traces-file (one trace id a line)
  show     a queue's progress overall and per reviewer`;

function traceIdsOf(values: { trace?: string[]; 'traces-file'?: string }): string[] {
  const ids = [...(values.trace ?? [])];
  if (values['traces-file'] !== undefined) {
    let text: string;
    try {
      text = readFileSync(values['traces-file'], 'utf8');
    } catch (error) {
      throw new UsageError(
        'queues',
        `Cannot read '${values['traces-file']}': ${(error as NodeJS.ErrnoException).code}`,
      );
    }
    ids.push(...text.split(/\s+/).filter((line) => line.length > 0));
  }
  if (ids.length === 0) throw new UsageError('queues', 'Missing --trace ID (repeat) or --traces-file FILE');
  return ids;
}

function progressText(queue: AnnotationQueue): string {
  const lines = [`${queue.name}: ${queue.progress.completed}/${queue.progress.total} items completed`];
  for (const [reviewer, p] of Object.entries(queue.progress.byAssignee))
    lines.push(`  ${reviewer}: ${p.completed} completed, ${p.inProgress} in progress`);
  return `${lines.join('\n')}\n`;
}

const QUEUES_COMMAND: ActionCommand<typeof QUEUE_FLAGS> = {
  name: 'queues',
  usage: QUEUES_USAGE,
  flags: QUEUE_FLAGS,
  descriptions: {
    name: 'name of the new queue',
    description: 'what the queue is for',
    'score-config': 'a score config id reviewers fill in (repeat)',
    assignee: 'a reviewer allowed on the queue (repeat; none = anyone with write access)',
    'double-review': 'two different reviewers per item (human-vs-human agreement)',
    trace: 'a trace id to add (repeat)',
    'traces-file': 'a file of trace ids, one a line',
  },
  actions: {
    async list({ target, print }) {
      const { data } = await apiCall<{ data: AnnotationQueue[] }>(target, 'GET', '/api/v1/annotation-queues');
      const rows = data.map((q) => ({ ...q, progress: `${q.progress.completed}/${q.progress.total}` }));
      print(data, tableOr(rows, ['id', 'name', 'progress', 'reviewsPerItem'], 'No annotation queues.'));
      return 0;
    },
    async create({ values, target, print }) {
      if (!values.name) throw new UsageError('queues', `Missing --name. ${QUEUES_USAGE.split('\n')[0]}`);
      if (!values['score-config']?.length)
        throw new UsageError('queues', 'Missing --score-config ID (repeat)');
      const body = {
        name: values.name,
        scoreConfigIds: values['score-config'],
        ...(values.description ? { description: values.description } : {}),
        ...(values.assignee?.length ? { assignees: values.assignee } : {}),
        ...(values['double-review'] ? { reviewsPerItem: 2 } : {}),
      };
      const { data } = await apiCall<{ data: AnnotationQueue }>(target, 'POST', '/api/v1/annotation-queues', {
        body,
      });
      print(data, `Created annotation queue ${data.id} (${data.name})\n`);
      return 0;
    },
    async add({ values, operands, target, print }) {
      const queueId = operands[0];
      if (!queueId)
        throw new UsageError('queues', 'Missing the queue id: argus queues add <queueId> --trace ID');
      const items = traceIdsOf(values).map((objectId) => ({ objectType: 'trace', objectId }));
      const { data } = await apiCall<{ data: { added: number; existing: number } }>(
        target,
        'POST',
        `/api/v1/annotation-queues/${encodeURIComponent(queueId)}/items`,
        { body: { items } },
      );
      print(data, `Added ${data.added} item(s); ${data.existing} already in the queue\n`);
      return 0;
    },
    async show({ operands, target, print }) {
      const queueId = operands[0];
      if (!queueId) throw new UsageError('queues', 'Missing the queue id: argus queues show <queueId>');
      const { data } = await apiCall<{ data: AnnotationQueue }>(
        target,
        'GET',
        `/api/v1/annotation-queues/${encodeURIComponent(queueId)}`,
      );
      print(data, progressText(data));
      return 0;
    },
  },
};

/** Runs `argus score-configs …`; resolves to the exit code. */
export function runScoreConfigsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(SCORE_CONFIGS_COMMAND, args, env);
}

/** Runs `argus queues …`; resolves to the exit code. */
export function runQueuesCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(QUEUES_COMMAND, args, env);
}
