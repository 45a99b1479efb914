import { describe, expect, it } from 'vitest';
import { advance, type Observation, type RuleState } from './state.ts';

const ids = { ruleId: 'r1', projectId: 'default' };
const T0 = Date.UTC(2025, 0, 1, 12);
const breach: Observation = { value: 10, breach: true, threshold: 5 };
const calm: Observation = { value: 1, breach: false, threshold: 5 };

/** Runs observations one second apart and returns the event kinds and the last state. */
function run(timing: { forMs: number; renotifyMs?: number }, observations: Observation[]) {
  let state: RuleState | undefined;
  const kinds: string[] = [];
  observations.forEach((observation, i) => {
    const next = advance(timing, state, observation, T0 + i * 1000, ids);
    state = next.state;
    kinds.push(...next.events.map((e) => e.kind));
  });
  return { kinds, state: state! };
}

describe('alert state machine', () => {
  it.each([
    // Without `for`, a breach fires at once and a calm value resolves it.
    [{ forMs: 0 }, [breach, breach, calm], ['firing', 'resolved'], 'resolved'],
    // With `for`, the breach must last: pending first, firing once it has lasted 2 s.
    [{ forMs: 2000 }, [breach, breach, breach, calm], ['pending', 'firing', 'resolved'], 'resolved'],
    // A breach shorter than `for` is cancelled without notifying.
    [{ forMs: 5000 }, [breach, breach, calm], ['pending', 'cancelled'], 'ok'],
    // No data is never a breach.
    [{ forMs: 0 }, [{ value: undefined, breach: false }], [], 'ok'],
    // Re-notification every 2 s while firing.
    [
      { forMs: 0, renotifyMs: 2000 },
      [breach, breach, breach, breach, breach],
      ['firing', 'renotified', 'renotified'],
      'firing',
    ],
  ])('%j over %# → %j', (timing, observations, kinds, last) => {
    const result = run(timing, observations as Observation[]);
    expect(result.kinds).toEqual(kinds);
    expect(result.state.state).toBe(last);
  });

  it('records value, threshold and band on events and state', () => {
    const { state, events } = advance(
      { forMs: 0 },
      undefined,
      { value: 9, breach: true, lower: 1, upper: 5 },
      T0,
      ids,
    );
    expect(events[0]).toMatchObject({ kind: 'firing', state: 'firing', value: 9, lower: 1, upper: 5 });
    expect(state).toMatchObject({
      state: 'firing',
      value: 9,
      since: new Date(T0).toISOString(),
      lastNotifiedAt: new Date(T0).toISOString(),
    });
  });

  it('escalates a budget when a higher percentage is reached, and starts over in a new period', () => {
    const budget = (level: number | undefined, periodKey = 'day:2025-01-01'): Observation => ({
      value: 1,
      breach: level !== undefined,
      level,
      periodKey,
    });
    const { kinds, state } = run({ forMs: 0 }, [
      budget(80),
      budget(80),
      budget(100),
      budget(100),
      budget(undefined, 'day:2025-01-02'),
    ]);
    expect(kinds).toEqual(['firing', 'escalated', 'resolved']);
    expect(state.level).toBeUndefined();
  });
});
