import type { EvaluationRule } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { draftOf, emptyDraft, filterOf, inputOf } from './rule-form.ts';

describe('rule form', () => {
  it('builds the API filter from the kind, lists and free pairs (a repeated name becomes a list)', () => {
    const draft = {
      ...emptyDraft(),
      models: 'gpt-4o, gpt-4o-mini',
      services: 'chat',
      otherFilters: 'tag=beta\nstatus=ok; tag=prod',
    };
    expect(filterOf(draft)).toEqual({
      kind: 'llm',
      model: ['gpt-4o', 'gpt-4o-mini'],
      service: 'chat',
      tag: ['beta', 'prod'],
      status: 'ok',
    });
  });

  it('leaves empty optional limits out and reads numbers', () => {
    const input = inputOf({
      ...emptyDraft(),
      name: ' r ',
      evaluators: ['e1'],
      samplingRate: '0.25',
      maxPerMinute: '60',
    });
    expect(input).toEqual({
      name: 'r',
      evaluators: ['e1'],
      filter: { kind: 'llm' },
      samplingRate: 0.25,
      target: 'span',
      delaySeconds: 0,
      maxPerMinute: 60,
    });
  });

  it('round-trips a stored rule', () => {
    const rule = {
      id: 'rule_1',
      projectId: 'default',
      name: 'r',
      enabled: true,
      filter: { kind: 'llm', model: ['a', 'b'], tag: 'x' },
      target: 'trace',
      samplingRate: 0.5,
      evaluators: ['e1'],
      variables: {},
      delaySeconds: 30,
      dailyBudgetUsd: 2,
      createdAt: '',
      updatedAt: '',
    } satisfies EvaluationRule;
    const draft = draftOf(rule);
    expect(draft).toMatchObject({
      kind: 'llm',
      models: 'a, b',
      otherFilters: 'tag=x',
      target: 'trace',
      dailyBudgetUsd: '2',
    });
    expect(inputOf(draft)).toMatchObject({
      filter: rule.filter,
      samplingRate: 0.5,
      delaySeconds: 30,
      dailyBudgetUsd: 2,
    });
  });
});
