/**
 * Wire types of a project's PII redaction policy (docs/security.md): what
 * `/api/v1/settings/redaction` answers and accepts.
 */

/** What a detector does with a match; `off` = it does not run. */
export const REDACTION_ACTIONS = ['mask', 'hash', 'drop', 'off'] as const;
export type RedactionAction = (typeof REDACTION_ACTIONS)[number];

/** A custom regex detector of a project. */
export interface CustomDetector {
  /** `^[a-z][a-z0-9_]{0,31}$`, not a built-in id; shown in masks (`[REDACTED:name]`) and counts. */
  name: string;
  /** JavaScript regex source; `g` is added. */
  pattern: string;
  /** Regex flags among `i`, `m`, `s`, `u`. */
  flags?: string;
  action: RedactionAction;
}

/** A project's policy as stored: built-in detectors not listed keep their default action. */
export interface RedactionPolicy {
  detectors: Record<string, RedactionAction>;
  custom: CustomDetector[];
}

/** One detector as it applies to a project. */
export interface EffectiveDetector {
  id: string;
  description: string;
  action: RedactionAction;
  builtin: boolean;
}

/** `GET /api/v1/settings/redaction`. */
export interface RedactionSettings {
  policy: RedactionPolicy;
  /** `project` when the project set a policy, `default` when it follows the default policy. */
  source: 'project' | 'default';
  effective: EffectiveDetector[];
  /** `--redaction off`: nothing is redacted, whatever the policy. */
  globallyOff: boolean;
}
