import type { AlertRule } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import {
  describeCondition,
  draftToRule,
  emptyDraft,
  errorField,
  parsePairs,
  ruleToDraft,
} from './rule-form.ts';

const stored = (rule: Partial<AlertRule>): AlertRule => ({
  id: 'r1',
  projectId: 'default',
  name: 'x',
  description: '',
  type: 'threshold',
  enabled: true,
  source: { kind: 'series', metric: 'requests', filters: {} },
  window: '5m',
  for: '0s',
  comparison: '>',
  severity: 'warning',
  channels: [],
  labels: {},
  createdAt: '',
  updatedAt: '',
  ...rule,
});

describe('rule form mapping', () => {
  it('maps a threshold draft to rule JSON with filters and lists', () => {
    const { rule, errors } = draftToRule({
      ...emptyDraft(),
      name: ' Busy ',
      metric: 'latencyP95',
      filters: 'service=chat-api\nmodel=gpt-4o|gpt-4o-mini',
      threshold: '4000',
      for: '2m',
      channels: ['ch_1'],
      labels: 'team=chat',
    });
    expect(errors).toEqual({});
    expect(rule).toEqual({
      name: 'Busy',
      type: 'threshold',
      enabled: true,
      source: {
        kind: 'series',
        metric: 'latencyP95',
        filters: { service: 'chat-api', model: ['gpt-4o', 'gpt-4o-mini'] },
      },
      window: '5m',
      comparison: '>',
      threshold: 4000,
      for: '2m',
      severity: 'warning',
      channels: ['ch_1'],
      labels: { team: 'chat' },
    });
  });

  it('flags inputs that are not numbers and leaves an empty threshold to the server', () => {
    expect(draftToRule({ ...emptyDraft(), name: 'a', threshold: 'abc' }).errors).toEqual({
      threshold: 'not a number',
    });
    expect(draftToRule({ ...emptyDraft(), name: 'a' }).rule.threshold).toBeUndefined();
  });

  it('maps anomaly, budget, OTLP and score drafts', () => {
    const anomaly = draftToRule({
      ...emptyDraft(),
      name: 'a',
      type: 'anomaly',
      sensitivity: '2.5',
      direction: 'above',
    }).rule;
    expect(anomaly.anomaly).toEqual({
      sensitivity: 2.5,
      historyDays: 14,
      direction: 'above',
      minBandWidth: 0,
      minRelativeWidth: 0.1,
    });
    expect(anomaly.threshold).toBeUndefined();
    const budget = draftToRule({
      ...emptyDraft(),
      name: 'b',
      type: 'budget',
      amountUsd: '500',
      percentages: '50, 80 100',
    }).rule;
    expect(budget.budget).toEqual({ period: 'month', amountUsd: 500, percentages: [50, 80, 100] });
    expect(budget.source).toBeUndefined();
    const otlp = draftToRule({
      ...emptyDraft(),
      name: 'c',
      sourceKind: 'otlpMetric',
      sourceName: 'gpu',
      attributes: 'gpu=0',
      aggregation: 'max',
      threshold: '1',
    }).rule;
    expect(otlp.source).toEqual({
      kind: 'otlpMetric',
      name: 'gpu',
      attributes: { gpu: '0' },
      aggregation: 'max',
    });
    const score = draftToRule({
      ...emptyDraft(),
      name: 'd',
      sourceKind: 'score',
      sourceName: 'helpfulness',
      threshold: '0.6',
    }).rule;
    expect(score.source).toEqual({ kind: 'score', name: 'helpfulness', aggregation: 'avg' });
  });

  it('round-trips a stored rule through the draft', () => {
    const rule = stored({
      name: 'Latency',
      source: { kind: 'series', metric: 'latencyP95', filters: { service: 'chat', model: ['a', 'b'] } },
      comparison: '>=',
      threshold: 10,
      for: '1m',
      severity: 'critical',
      channels: ['ch_1'],
      labels: { team: 'x' },
      renotifyInterval: '1h',
    });
    const back = draftToRule(ruleToDraft(rule)).rule;
    expect(back).toMatchObject({
      name: 'Latency',
      source: rule.source,
      comparison: '>=',
      threshold: 10,
      for: '1m',
      severity: 'critical',
      channels: ['ch_1'],
      labels: { team: 'x' },
      renotifyInterval: '1h',
    });
  });

  it('finds the input a server error names', () => {
    expect(errorField("Invalid rule field 'threshold': a threshold rule needs it")).toBe('threshold');
    expect(errorField("Invalid rule field 'anomaly.sensitivity': too small")).toBe('sensitivity');
    expect(errorField("Invalid rule field 'source.metric': bad")).toBe('metric');
    expect(errorField("Invalid rule field 'budget.amountUsd': bad")).toBe('amountUsd');
    expect(errorField("Invalid rule field 'window': bad")).toBe('window');
    expect(errorField('Something else')).toBeUndefined();
  });

  it('parses pairs and describes conditions', () => {
    expect(parsePairs('a=1; b = x|y\nbad', true)).toEqual({ a: '1', b: ['x', 'y'] });
    expect(describeCondition(stored({ threshold: 0 }))).toBe('requests > 0 over 5m');
    expect(
      describeCondition(
        stored({ type: 'budget', budget: { period: 'day', amountUsd: 5, percentages: [80, 100] } }),
      ),
    ).toBe('cost per day ≥ 80/100% of $5');
  });
});
