import { EVALUATOR_TYPES } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { configTemplate, parseConfig, sampleValue } from './quality-forms.ts';

describe('evaluator forms', () => {
  it('gives every evaluator type a starting configuration that parses back', () => {
    for (const type of EVALUATOR_TYPES) {
      const text = JSON.stringify(configTemplate(type, 'conn-1'));
      expect(parseConfig(text).config).toEqual(configTemplate(type, 'conn-1'));
    }
    expect(configTemplate('llm_judge', 'conn-1')).toMatchObject({ connectionId: 'conn-1' });
  });

  it.each([
    ['not json', 'Cannot read the configuration: '],
    ['[1, 2]', 'expected a JSON object'],
    ['42', 'expected a JSON object'],
  ])('refuses %s with a clear error', (text, message) => {
    expect(parseConfig(text).error).toContain(message);
  });

  it('reads a test sample as JSON when it is JSON, else as text', () => {
    expect(sampleValue('{"a":1}')).toEqual({ a: 1 });
    expect(sampleValue('19')).toBe('19');
    expect(sampleValue('{broken')).toBe('{broken');
    expect(sampleValue('  ')).toBeUndefined();
  });
});
