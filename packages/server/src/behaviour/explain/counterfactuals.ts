/**
 * Counterfactual probes of a recorded LLM call: the prompt with terms substituted (given pairs or
 * a probe set's groups) is replayed and each answer compared with the replay of the original —
 * embedding similarity, a label flip for classification-like answers (a short label), and a
 * judge's verdict when a judge model is named.
 */
import type { CounterfactualResult, CounterfactualVariant, ProbeSet } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { ChatMessage } from '../../quality/connections-client.ts';
import { cosine } from '../../quality/stats/vectors.ts';
import type { Embedder } from '../drift/embedding-result.ts';
import { JOB_CONCURRENCY, mapLimit } from './attribution.ts';
import type { JobCalls } from './calls.ts';
import type { Measurer } from './measures.ts';
import { probeVariants } from './probe-sets.ts';
import type { RecordedCall } from './recorded.ts';
import { substitute } from './segments.ts';

/** Default similarity under which an answer counts as changed. */
export const DEFAULT_CHANGE_THRESHOLD = 0.8;
const MAX_LABEL_WORDS = 3;

/** A variant prompt to replay. */
export interface PlannedVariant {
  group?: string;
  substitutions: { from: string; to: string }[];
  messages: ChatMessage[];
}

/**
 * The variants of a call's prompt that differ from it.
 * @throws ArgusError INVALID_PARAMETER when no substitution occurs in the prompt.
 */
export function plannedVariants(
  call: Pick<RecordedCall, 'messages'>,
  request: { substitutions?: { from: string; to: string }[] | undefined; probeSet?: ProbeSet | undefined },
): PlannedVariant[] {
  const text = call.messages.map((m) => m.content).join('\n');
  const wanted = request.probeSet
    ? probeVariants(request.probeSet, text)
    : [{ group: undefined, substitutions: request.substitutions ?? [] }];
  const variants: PlannedVariant[] = [];
  for (const v of wanted) {
    const { messages, count } = substitute(call.messages, v.substitutions);
    if (count === 0) continue;
    const used = v.substitutions.filter((s) =>
      new RegExp(
        `(?<![\\p{L}\\p{N}])${s.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'iu',
      ).test(text),
    );
    variants.push({ ...(v.group ? { group: v.group } : {}), substitutions: used, messages });
  }
  if (variants.length === 0)
    throw new ArgusError(
      'INVALID_PARAMETER',
      request.probeSet
        ? `Invalid field 'probeSet': the prompt mentions no term of the '${request.probeSet}' probe set`
        : "Invalid field 'substitutions': none of the 'from' terms occurs in the prompt",
    );
  return variants;
}

/** The label of a classification-like answer (a few words), else undefined. */
export function labelOf(output: string): string | undefined {
  const words = output
    .trim()
    .toLowerCase()
    .replace(/[.!?,;:"'`]+$/g, '')
    .split(/\s+/)
    .filter(Boolean);
  return words.length > 0 && words.length <= MAX_LABEL_WORDS ? words.join(' ') : undefined;
}

/** The last user message, as the console shows a variant's prompt. */
function promptText(messages: readonly ChatMessage[]): string {
  return messages.findLast((m) => m.role === 'user')?.content ?? messages.at(-1)?.content ?? '';
}

/** Replays the variants and compares each answer with the replayed original. */
export async function runCounterfactuals(
  call: RecordedCall,
  variants: readonly PlannedVariant[],
  deps: { calls: JobCalls; embed: Embedder; judge?: Measurer; threshold: number },
): Promise<CounterfactualResult> {
  const replay = await deps.calls.chat(call, call.messages);
  const outputs = await mapLimit(variants, JOB_CONCURRENCY, (v) => deps.calls.chat(call, v.messages));
  const { vectors } = await deps.embed([replay || ' ', ...outputs.map((o) => o || ' ')]);
  const original = labelOf(replay);
  const results: CounterfactualVariant[] = await mapLimit(
    variants.map((v, i) => ({ v, i })),
    JOB_CONCURRENCY,
    async ({ v, i }) => {
      const output = outputs[i]!;
      const similarity = Number(Math.max(0, cosine(vectors[0] ?? [], vectors[i + 1] ?? [])).toFixed(4));
      const label = labelOf(output);
      const flipped = original !== undefined && label !== undefined ? original !== label : undefined;
      const judged = deps.judge ? 1 - (await deps.judge.distance(v.messages)).distance : undefined;
      return {
        substitutions: v.substitutions,
        ...(v.group ? { group: v.group } : {}),
        prompt: promptText(v.messages),
        output,
        similarity,
        changed: similarity < deps.threshold || flipped === true || (judged !== undefined && judged < 0.5),
        ...(original !== undefined && label !== undefined
          ? { originalLabel: original, label, labelFlipped: flipped }
          : {}),
        ...(judged !== undefined ? { judgeScore: Number(judged.toFixed(4)) } : {}),
      };
    },
  );
  return {
    originalOutput: call.output,
    replayOutput: replay,
    variants: results,
    changedCount: results.filter((r) => r.changed).length,
    threshold: deps.threshold,
  };
}
