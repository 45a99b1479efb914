/**
 * The rule form's state and its translation to and from the API's rule: the filter is edited
 * as a kind, lists of models and services, and free `name=value` pairs for the other `/spans`
 * filters. Pure, so it is tested without a browser.
 */
import type { EvaluationRule, EvaluationRuleInput, RuleFilter } from '@argus/shared';

/** What the form edits. */
export interface RuleDraft {
  name: string;
  evaluators: string[];
  kind: string;
  models: string;
  services: string;
  /** Other filters, `name=value` separated by new lines or semicolons. */
  otherFilters: string;
  samplingRate: string;
  target: 'span' | 'trace';
  delaySeconds: string;
  maxPerMinute: string;
  dailyBudgetUsd: string;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The form of a new rule: every LLM span, all of them. */
export function emptyDraft(): RuleDraft {
  return {
    name: '',
    evaluators: [],
    kind: 'llm',
    models: '',
    services: '',
    otherFilters: '',
    samplingRate: '1',
    target: 'span',
    delaySeconds: '0',
    maxPerMinute: '',
    dailyBudgetUsd: '',
  };
}

const asList = (value: RuleFilter[string] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [String(value)];

/** The form of a stored rule. */
export function draftOf(rule: EvaluationRule): RuleDraft {
  const { kind, model, service, ...others } = rule.filter;
  return {
    name: rule.name,
    evaluators: [...rule.evaluators],
    kind: asList(kind)[0] ?? '',
    models: asList(model).join(', '),
    services: asList(service).join(', '),
    otherFilters: Object.entries(others)
      .flatMap(([key, value]) => asList(value).map((v) => `${key}=${v}`))
      .join('\n'),
    samplingRate: String(rule.samplingRate),
    target: rule.target,
    delaySeconds: String(rule.delaySeconds),
    maxPerMinute: rule.maxPerMinute === undefined ? '' : String(rule.maxPerMinute),
    dailyBudgetUsd: rule.dailyBudgetUsd === undefined ? '' : String(rule.dailyBudgetUsd),
  };
}

/** The API's filter object of a draft. */
export function filterOf(draft: RuleDraft): RuleFilter {
  const filter: RuleFilter = {};
  const put = (key: string, values: string[]) => {
    if (values.length === 0) return;
    const current = filter[key];
    const merged = [...asList(current), ...values];
    filter[key] = merged.length === 1 ? (merged[0] as string) : merged;
  };
  if (draft.kind) put('kind', [draft.kind]);
  put('model', list(draft.models));
  put('service', list(draft.services));
  for (const pair of draft.otherFilters.split(/[\n;]/).map((s) => s.trim())) {
    const at = pair.indexOf('=');
    if (at > 0) put(pair.slice(0, at).trim(), [pair.slice(at + 1).trim()]);
  }
  return filter;
}

/** The API's rule of a draft (empty optional numbers left out). */
export function inputOf(draft: RuleDraft): EvaluationRuleInput {
  const optional = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const maxPerMinute = optional(draft.maxPerMinute);
  const dailyBudgetUsd = optional(draft.dailyBudgetUsd);
  return {
    name: draft.name.trim(),
    evaluators: draft.evaluators,
    filter: filterOf(draft),
    samplingRate: Number(draft.samplingRate),
    target: draft.target,
    delaySeconds: Number(draft.delaySeconds || 0),
    ...(maxPerMinute === undefined ? {} : { maxPerMinute }),
    ...(dailyBudgetUsd === undefined ? {} : { dailyBudgetUsd }),
  };
}
