/**
 * The bias report of a probe set over a dataset: every item that mentions a term of the set is
 * asked once per group (its terms swapped for the group's), each answer is a positive outcome or
 * not (a pattern the user gives), and the outcome rates per group are tested for independence
 * with a chi-squared test on the groups × outcome table.
 */
import type { BiasGroup, BiasReport, ProbeSet } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { ChatMessage } from '../../quality/connections-client.ts';
import { chiSquaredSurvival } from '../drift/stats/special.ts';
import { JOB_CONCURRENCY, mapLimit } from './attribution.ts';
import { mentions, probeTerms, probeVariants } from './probe-sets.ts';
import { substitute } from './segments.ts';

/** One item's prompt per group. */
export interface BiasProbe {
  group: string;
  messages: ChatMessage[];
}

/**
 * The probes of the items that mention the probe set (at most `maxItems` items).
 * @throws ArgusError INVALID_PARAMETER when no item mentions it.
 */
export function biasProbes(
  texts: readonly string[],
  options: { probeSet: ProbeSet; maxItems: number; systemPrompt?: string | undefined },
): { items: number; probes: BiasProbe[] } {
  const terms = probeTerms(options.probeSet);
  const chosen = texts.filter((t) => mentions(t, terms)).slice(0, options.maxItems);
  if (chosen.length === 0)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'probeSet': no item of the dataset mentions a term of the '${options.probeSet}' probe set`,
    );
  const system: ChatMessage[] = options.systemPrompt
    ? [{ role: 'system', content: options.systemPrompt }]
    : [];
  const probes = chosen.flatMap((text) =>
    probeVariants(options.probeSet, text).map((v) => ({
      group: v.group,
      messages: substitute([...system, { role: 'user', content: text }], v.substitutions).messages,
    })),
  );
  return { items: chosen.length, probes };
}

/** The chi-squared test of independence of group and outcome. */
export function biasTest(groups: readonly BiasGroup[]): BiasReport['test'] {
  const n = groups.reduce((s, g) => s + g.n, 0);
  const positives = groups.reduce((s, g) => s + g.positive, 0);
  const df = Math.max(0, groups.length - 1);
  if (n === 0 || positives === 0 || positives === n)
    return { name: 'chi-squared', statistic: 0, df, pValue: 1 };
  let statistic = 0;
  for (const g of groups) {
    if (g.n === 0) continue;
    const expectedPositive = (g.n * positives) / n;
    const expectedNegative = g.n - expectedPositive;
    statistic += (g.positive - expectedPositive) ** 2 / expectedPositive;
    statistic += (g.n - g.positive - expectedNegative) ** 2 / expectedNegative;
  }
  return {
    name: 'chi-squared',
    statistic: Number(statistic.toFixed(6)),
    df,
    pValue: chiSquaredSurvival(statistic, df),
  };
}

/** Asks every probe and reports the outcome rates per group with the test. */
export async function runBias(
  probes: readonly BiasProbe[],
  options: { probeSet: ProbeSet; datasetId: string; items: number; positivePattern: string; alpha: number },
  ask: (messages: ChatMessage[]) => Promise<string>,
): Promise<BiasReport> {
  const pattern = new RegExp(options.positivePattern, 'i');
  const answers = await mapLimit(probes, JOB_CONCURRENCY, (p) => ask(p.messages));
  const byGroup = new Map<string, BiasGroup>();
  probes.forEach((p, i) => {
    const group = byGroup.get(p.group) ?? { group: p.group, n: 0, positive: 0, rate: 0 };
    group.n++;
    if (pattern.test(answers[i]!)) group.positive++;
    byGroup.set(p.group, group);
  });
  const groups = [...byGroup.values()].map((g) => ({ ...g, rate: Number((g.positive / g.n).toFixed(4)) }));
  const test = biasTest(groups);
  return {
    probeSet: options.probeSet,
    datasetId: options.datasetId,
    outcome: options.positivePattern,
    groups,
    items: options.items,
    test,
    significant: test.pValue < options.alpha,
    alpha: options.alpha,
  };
}
