/**
 * The review screen's score hotkeys: every choice of the queue's labelled scores (boolean and
 * categorical configs) gets the next digit 1–9 in config order, so a reviewer scores without the
 * mouse. Pure, so the key plan is tested without a browser.
 */
import type { ScoreConfig } from '@argus/shared';

/** One pickable choice: the config it belongs to, its label (sent as the value) and its key. */
export interface Choice {
  config: string;
  label: string;
  key: string;
}

/** The choices of the labelled configs, with the digits 1–9 handed out in order (later ones get none). */
export function choicesOf(configs: readonly ScoreConfig[]): Choice[] {
  const choices: Choice[] = [];
  for (const config of configs) {
    if (config.dataType === 'numeric') continue;
    const categories =
      config.dataType === 'boolean'
        ? [
            { label: 'true', value: 1 },
            { label: 'false', value: 0 },
          ]
        : (config.categories ?? []);
    for (const c of categories) {
      const n = choices.length + 1;
      choices.push({ config: config.name, label: c.label, key: n <= 9 ? String(n) : '' });
    }
  }
  return choices;
}

/** Whether every config has a value (numbers as text are checked for being numbers). */
export function isComplete(configs: readonly ScoreConfig[], values: Record<string, string>): boolean {
  return configs.every((c) => {
    const v = values[c.name];
    if (v === undefined || v === '') return false;
    return c.dataType !== 'numeric' || Number.isFinite(Number(v));
  });
}

/** The scores to send: numbers for numeric configs, labels for the rest (booleans as true/false). */
export function scoresOf(
  configs: readonly ScoreConfig[],
  values: Record<string, string>,
): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const c of configs) {
    const v = values[c.name];
    if (v === undefined || v === '') continue;
    out[c.name] = c.dataType === 'numeric' ? Number(v) : c.dataType === 'boolean' ? v === 'true' : v;
  }
  return out;
}
