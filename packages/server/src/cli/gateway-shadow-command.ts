/**
 * `argus gateway shadow list | set <name> … | delete <name>` (docs/gateway.md, "Shadow traffic"):
 * a share of the calls for a model sent again to a candidate, each pair recorded as an experiment.
 */
import type { GatewayShadow, GatewayShadowStatus } from '@argus/shared';
import type { ActionContext } from './action-command.ts';
import { tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';

/** The flags of `argus gateway shadow`. */
export const SHADOW_FLAGS = {
  model: { type: 'string' },
  candidate: { type: 'string' },
  share: { type: 'string' },
  evaluator: { type: 'string', multiple: true },
  'max-pairs': { type: 'string' },
  concurrency: { type: 'string' },
  queue: { type: 'string' },
} as const;

/** Their descriptions in `--help`. */
export const SHADOW_FLAG_DESCRIPTIONS = {
  model: 'the model (name, alias or glob) whose calls a shadow copies',
  candidate: 'the candidate: <model> (routed) or <connectionId>:<model>',
  share: 'share of the matching calls shadowed, 0–1',
  evaluator: 'an evaluator id run on both answers of each pair',
  'max-pairs': 'pairs recorded before the shadow completes (default 1000)',
  concurrency: 'candidate calls of the shadow at once (default 4)',
  queue: 'pairs waiting before new ones are dropped (default 100)',
};

/** Its usage lines. */
export const SHADOW_USAGE = `  shadow list | set <name> --model M --candidate [<connectionId>:]<model> --share X
         [--evaluator <id> …] [--max-pairs N] [--concurrency N] [--queue N] | delete <name>
                       shadow traffic: a share of the calls for M also goes to the candidate,
                       off the callers' path; each pair is recorded as an experiment (candidate
                       calls are paid)`;

/** `[<connectionId>:]<model>` as a candidate. */
export function candidateOf(text: string): { connectionId?: string; model: string } {
  const colon = text.indexOf(':');
  const [connectionId, model] = colon < 0 ? [undefined, text] : [text.slice(0, colon), text.slice(colon + 1)];
  if (!model || connectionId === '')
    throw new UsageError('gateway', `Invalid --candidate '${text}': expected [<connectionId>:]<model>`);
  return connectionId === undefined ? { model } : { connectionId, model };
}

function numberOf(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new UsageError('gateway', `Invalid --${name} '${raw}': expected a number`);
  return n;
}

type Context = ActionContext<typeof SHADOW_FLAGS>;

function bodyOf(values: Context['values']): Record<string, unknown> {
  if (!values.model || !values.candidate || values.share === undefined)
    throw new UsageError('gateway', 'shadow set needs --model, --candidate and --share');
  const body: Record<string, unknown> = {
    model: values.model,
    candidate: candidateOf(values.candidate),
    share: numberOf('share', values.share),
    evaluators: values.evaluator ?? [],
    maxPairs: numberOf('max-pairs', values['max-pairs']),
    concurrency: numberOf('concurrency', values.concurrency),
    queue: numberOf('queue', values.queue),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** Runs `argus gateway shadow …`. */
export async function shadowAction({ values, operands, target, print }: Context): Promise<number> {
  const path = '/api/v1/gateway/shadows';
  const name = operands[1];
  if (operands[0] === 'list') {
    const { data } = await apiCall<{ data: GatewayShadowStatus[] }>(target, 'GET', path);
    const rows = data.map((s) => ({
      ...s,
      candidate: s.candidate.connectionId
        ? `${s.candidate.connectionId}:${s.candidate.model}`
        : s.candidate.model,
      pairs: `${s.pairs}/${s.maxPairs}`,
    }));
    const columns = ['name', 'model', 'candidate', 'share', 'pairs', 'sent', 'failed', 'dropped', 'state'];
    print(data, tableOr(rows, [...columns, 'candidateExperimentId'], 'No shadows.'));
    return 0;
  }
  if (operands[0] !== 'set' && operands[0] !== 'delete')
    throw new UsageError('gateway', `Unknown shadow action '${operands[0] ?? ''}': one of list, set, delete`);
  if (!name) throw new UsageError('gateway', `shadow ${operands[0]} needs the shadow name`);
  const at = `${path}/${encodeURIComponent(name)}`;
  if (operands[0] === 'delete') {
    await apiCall(target, 'DELETE', at);
    print({ deleted: name }, `Deleted shadow ${name}; its experiments are completed and kept\n`);
    return 0;
  }
  const { data } = await apiCall<{ data: GatewayShadow }>(target, 'PUT', at, { body: bodyOf(values) });
  print(
    data,
    `Shadow ${data.name}: ${data.share * 100} % of ${data.model} → ${data.candidate.model}; experiments ${data.primaryExperimentId} (primary) and ${data.candidateExperimentId} (candidate)\n`,
  );
  return 0;
}
