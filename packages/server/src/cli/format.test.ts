import { describe, expect, it } from 'vitest';
import { formatCount, formatMs, formatPercent, formatTime, formatUsd, table } from './format.ts';

describe('CLI number formats', () => {
  it.each([
    // Nothing costs nothing.
    [0, '$0'],
    // Cents stay for prices per million tokens.
    [0.6, '$0.60'],
    [1.25, '$1.25'],
    [1234.5, '$1,234.50'],
    // One cheap call: three significant digits, never an exponent or a rounded-away zero.
    [3.46e-5, '$0.0000346'],
    [0.075, '$0.075'],
  ])('formats %s USD as %s', (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });

  it.each([
    [0.047244094488188976, '4.7%'],
    [0, '0%'],
    [0.0004, '<0.1%'],
    [1, '100%'],
  ])('formats the rate %s as %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it.each([
    [280.5448, '280.5 ms'],
    [0.4231, '0.42 ms'],
    [1280, '1.28 s'],
    [185_000, '3 min 5 s'],
  ])('formats %s ms as %s', (value, text) => {
    expect(formatMs(value)).toBe(text);
  });

  it('separates thousands and leaves non-numbers empty', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(undefined)).toBe('');
  });

  it('prints nanosecond ISO times as local readable times', () => {
    const text = formatTime('2026-12-06T17:25:36.136000000Z');
    expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:36$/);
    expect(
      formatTime(new Date(2026, 0, 2, 3, 4, 5).getTime(), { short: true, now: new Date(2026, 0, 2) }),
    ).toBe('03:04:05');
    expect(
      formatTime(new Date(2026, 0, 2, 3, 4, 5).getTime(), { short: true, now: new Date(2026, 5, 1) }),
    ).toBe('01-02 03:04');
  });

  it('prints API instants in table cells as local times', () => {
    const text = table([{ createdAt: '2026-12-06T17:25:36.136Z', name: 'a' }], ['createdAt', 'name']);
    expect(text.split('\n')[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:36 {2}a$/);
  });

  it('fits a fill column into the line width and aligns numbers right', () => {
    const text = table([{ id: 'a', cost: '$1.00', input: 'x'.repeat(300) }], ['id', 'cost', 'input'], {
      right: ['cost'],
      maxWidths: { input: 500 },
      fill: 'input',
      totalWidth: 40,
    });
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(text).toContain('…');
    expect(text.split('\n')[0]).toMatch(/^id +cost {2}input$/);
  });
});
