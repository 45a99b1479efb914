/** The editable copy of a redaction policy: per-detector actions, custom detectors, local checks. Pure. */
import {
  type CustomDetector,
  REDACTION_ACTIONS,
  type RedactionAction,
  type RedactionPolicy,
  type RedactionSettings,
} from '@argus/shared';

/** Actions a detector can take, for the selects. */
export const ACTIONS: readonly RedactionAction[] = REDACTION_ACTIONS;

/** What each action does, for the legend. */
export const ACTION_HELP: Record<RedactionAction, string> = {
  mask: 'the match becomes [REDACTED:<detector>]',
  hash: 'the match becomes [<detector>:<8 hex>], equal values stay joinable',
  drop: 'the whole field becomes [REDACTED]',
  off: 'the detector does not run',
};

/** A custom detector being edited (flags as text). */
export interface CustomDraft {
  name: string;
  pattern: string;
  flags: string;
  action: RedactionAction;
}

/** The policy being edited. */
export interface RedactionDraft {
  /** Overrides of built-in actions (a built-in not listed keeps its default). */
  detectors: Record<string, RedactionAction>;
  custom: CustomDraft[];
}

/** The draft of saved settings. */
export function draftOf(settings: Pick<RedactionSettings, 'policy'>): RedactionDraft {
  return {
    detectors: { ...settings.policy.detectors },
    custom: settings.policy.custom.map((c) => ({ ...c, flags: c.flags ?? '' })),
  };
}

/** The action a built-in detector takes under the draft. */
export function builtinAction(
  draft: RedactionDraft,
  settings: RedactionSettings,
  id: string,
): RedactionAction {
  return draft.detectors[id] ?? settings.effective.find((d) => d.id === id)?.action ?? 'off';
}

/** The policy to send (empty flags left out). */
export function policyOf(draft: RedactionDraft): RedactionPolicy {
  return {
    detectors: draft.detectors,
    custom: draft.custom.map(
      ({ name, pattern, flags, action }): CustomDetector =>
        flags ? { name, pattern, flags, action } : { name, pattern, action },
    ),
  };
}

/** True when the draft differs from the saved policy. */
export function isChanged(draft: RedactionDraft, settings: Pick<RedactionSettings, 'policy'>): boolean {
  return JSON.stringify(policyOf(draft)) !== JSON.stringify(policyOf(draftOf(settings)));
}

/** A problem of one custom detector row. */
export interface CustomProblem {
  row: number;
  field: 'name' | 'pattern' | 'flags';
  message: string;
}

/**
 * Checks custom detectors before they are sent (the server checks again, and also times each
 * pattern against adversarial inputs): names, duplicates, built-in names, compiling patterns.
 */
export function customProblems(
  custom: readonly CustomDraft[],
  builtinIds: readonly string[],
): CustomProblem[] {
  const problems: CustomProblem[] = [];
  const seen = new Set<string>();
  custom.forEach((c, row) => {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(c.name))
      problems.push({
        row,
        field: 'name',
        message: 'use 1–32 characters a-z, 0-9 or _, starting with a letter',
      });
    else if (builtinIds.includes(c.name))
      problems.push({ row, field: 'name', message: `'${c.name}' is a built-in detector` });
    else if (seen.has(c.name)) problems.push({ row, field: 'name', message: `'${c.name}' is used twice` });
    seen.add(c.name);
    if (!/^(?!.*(.).*\1)[imsu]*$/.test(c.flags))
      problems.push({ row, field: 'flags', message: 'use only i, m, s and u, each at most once' });
    if (c.pattern === '') problems.push({ row, field: 'pattern', message: 'is empty' });
    else {
      try {
        new RegExp(c.pattern, c.flags.replace(/[^imsu]/g, ''));
      } catch (error) {
        problems.push({ row, field: 'pattern', message: `does not compile: ${(error as Error).message}` });
      }
    }
  });
  return problems;
}

/** Sample text for the try-it box: one of most things the default policy catches. */
export const SAMPLE_TEXT = [
  'Hi, I am Jane (jane.doe@example.com, +1 415 555 2671).',
  'Please charge card 4111 1111 1111 1111 and refund to DE89 3704 0044 0532 0130 00.',
  'Our key is sk-proj-4f9aQ2xLm8Rt7VbN3kPz1WcY, server 10.0.12.7, ticket TCK-204518.',
].join('\n');
