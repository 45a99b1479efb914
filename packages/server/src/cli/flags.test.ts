import { describe, expect, it } from 'vitest';
import { closest, parseCommandLine, UsageError } from './flags.ts';

const SPEC = {
  name: 'demo-cmd',
  usage: 'Usage: argus demo-cmd',
  flags: {
    model: { type: 'string', multiple: true },
    'retention-days': { type: 'string' },
    json: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },
} as const;

describe('parseCommandLine', () => {
  it('reads values, repeated flags, --name=value, short flags and operands', () => {
    const { values, positionals } = parseCommandLine(SPEC, [
      'list',
      '--model',
      'a',
      '--model=b',
      '--json',
      '-o',
      'file.ndjson',
      '--',
      '--not-a-flag',
    ]);
    expect(values).toEqual({ model: ['a', 'b'], json: true, output: 'file.ndjson' });
    expect(positionals).toEqual(['list', '--not-a-flag']);
  });

  it('takes a negative number as a value, for the validator to judge', () => {
    expect(parseCommandLine(SPEC, ['--retention-days', '-1']).values['retention-days']).toBe('-1');
  });

  it.each([
    [['--modle', 'x'], "Unknown flag '--modle'; did you mean '--model'?"],
    [['--zzzzzz'], "Unknown flag '--zzzzzz'"],
    [['--model'], "Flag '--model' needs a value"],
    [['--model', '--json'], "Flag '--model' needs a value"],
    [['--json=yes'], "Flag '--json' takes no value (given 'yes')"],
  ])('refuses %j as a usage error', (args, message) => {
    expect(() => parseCommandLine(SPEC, args)).toThrow(UsageError);
    expect(() => parseCommandLine(SPEC, args)).toThrow(message);
  });

  it('refuses operands when the command takes none', () => {
    expect(() => parseCommandLine({ ...SPEC, positionals: false }, ['extra'])).toThrow(
      "Unexpected argument 'extra'",
    );
  });
});

describe('closest', () => {
  it('suggests only likely typos', () => {
    expect(closest('--modle', ['--json', '--model'])).toBe('--model');
    expect(closest('tarces', ['traces', 'trace'])).toBe('traces');
    expect(closest('--q', ['--model'])).toBeUndefined();
  });
});
