/**
 * A project's redaction policy as stored in the metadata settings (`redaction`): per-detector
 * actions over the default policy, plus custom regex detectors. Validation (zod, then a timed
 * probe of new regexes in a worker), compilation into a {@link StringRedactor}, and the
 * effective detector list the API shows.
 */
import {
  type CustomDetector,
  type EffectiveDetector,
  REDACTION_ACTIONS,
  type RedactionAction as WireAction,
  type RedactionPolicy as WirePolicy,
} from '@argus/shared';
import { z } from 'zod';
import { ArgusError } from '../errors.ts';
import {
  BUILTIN_DETECTORS,
  customDetector,
  DETECTOR_IDS,
  type Detector,
  type DetectorId,
} from './detectors.ts';
import {
  createStringRedactor,
  DEFAULT_POLICY,
  type RedactionAction,
  type RedactionPolicy,
  type StringRedactor,
} from './redactor.ts';
import { findSlowPattern, type ProbeOptions } from './regex-probe.ts';

/** Metadata setting key of a project's policy. */
export const REDACTION_SETTING = 'redaction';
/** Most custom detectors per project. */
export const MAX_CUSTOM_DETECTORS = 50;
/** Longest custom pattern, in characters. */
export const MAX_PATTERN_CHARS = 500;
/** What a detector does; `off` = it does not run. */
export const POLICY_ACTIONS = REDACTION_ACTIONS;
export type PolicyAction = WireAction;
/** A custom regex detector. */
export type CustomDetectorConfig = CustomDetector;
export type { EffectiveDetector };

/** A project's policy (the API's `RedactionPolicy`) with built-in detector ids as its keys. */
export interface ProjectRedactionPolicy extends Omit<WirePolicy, 'detectors'> {
  detectors: Partial<Record<DetectorId, PolicyAction>>;
}

const BUILTIN_IDS: ReadonlySet<string> = new Set(DETECTOR_IDS);
const actionSchema = z.enum(POLICY_ACTIONS);

/** Short strings on which a pattern must not match empty (cheap: no long backtracking possible). */
const EMPTY_MATCH_SAMPLES = ['', 'a', 'A1 _-.@', 'x\ny'];

/** Why a pattern cannot be used, or undefined (`g` added; empty matches would mark every position). */
function patternProblem(pattern: string, flags: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, `${flags}g`);
  } catch (error) {
    return `the pattern does not compile: ${(error as Error).message}`;
  }
  for (const sample of EMPTY_MATCH_SAMPLES) {
    for (const match of sample.matchAll(re)) {
      if (match[0].length === 0)
        return `the pattern matches the empty string (at ${JSON.stringify(sample)}); it must match at least one character`;
    }
  }
  return undefined;
}

const customSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,31}$/, 'use 1–32 characters a-z, 0-9 or _, starting with a letter'),
    pattern: z.string().min(1).max(MAX_PATTERN_CHARS),
    flags: z
      .string()
      .regex(/^(?!.*(.).*\1)[imsu]*$/, "use only the flags 'i', 'm', 's' and 'u', each at most once")
      .optional(),
    action: actionSchema,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (BUILTIN_IDS.has(value.name))
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `'${value.name}' is a built-in detector; choose another name`,
      });
    const problem = patternProblem(value.pattern, value.flags ?? '');
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

/** The stored shape, validated (everything but the time probe). */
export const policySchema = z
  .object({
    detectors: z
      .record(z.string(), actionSchema)
      .default({})
      .superRefine((detectors, ctx) => {
        for (const id of Object.keys(detectors)) {
          if (!BUILTIN_IDS.has(id))
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: `unknown detector '${id.slice(0, 64)}'; valid ids: ${DETECTOR_IDS.join(', ')}`,
            });
        }
      }),
    custom: z
      .array(customSchema)
      .max(MAX_CUSTOM_DETECTORS, `at most ${MAX_CUSTOM_DETECTORS} custom detectors`)
      .default([])
      .superRefine((custom, ctx) => {
        const seen = new Set<string>();
        custom.forEach((c, i) => {
          if (seen.has(c.name))
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${c.name}' is used twice` });
          seen.add(c.name);
        });
      }),
  })
  .strict();

/** The policy of a project with nothing configured. */
export const EMPTY_POLICY: ProjectRedactionPolicy = Object.freeze({ detectors: {}, custom: [] });

/** Identity of a pattern for the "already probed" memo. */
export const patternKey = (c: Pick<CustomDetectorConfig, 'pattern' | 'flags'>) =>
  `${c.flags ?? ''}/${c.pattern}`;

/** Options of {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** Patterns already probed (see {@link patternKey}): not probed again. */
  isKnownFast?: (key: string) => boolean;
  probe?: ProbeOptions;
}

/**
 * Validates a policy, then times its new custom patterns on adversarial inputs.
 * @throws ArgusError INVALID_PARAMETER naming the field: `Invalid redaction policy field 'custom.0.pattern': …`.
 */
export async function parsePolicy(
  value: unknown,
  options: ParsePolicyOptions = {},
): Promise<ProjectRedactionPolicy> {
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw new ArgusError('INVALID_PARAMETER', `Invalid redaction policy field '${field}': ${issue.message}`);
  }
  const policy = parsed.data as ProjectRedactionPolicy;
  const pending = policy.custom
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => !options.isKnownFast?.(patternKey(c)));
  const slow = await findSlowPattern(
    pending.map(({ c }) => ({ source: c.pattern, flags: c.flags ?? '' })),
    options.probe,
  );
  if (slow) {
    const { c, index } = pending[slow.index]!;
    const input = slow.label.slice(0, 120);
    let how = `did not finish in time on the input ${input}`;
    if (slow.ms !== undefined) {
      how = `took ${Math.round(slow.ms)} ms on the input ${input}`;
      if (slow.shortMs !== undefined)
        how += `, ${Math.round(slow.ms / Math.max(slow.shortMs, 0.05))}× the time of a quarter of it`;
    }
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid redaction policy field 'custom.${index}.pattern': the pattern of '${c.name}' backtracks catastrophically (it ${how}); avoid nested or adjacent unbounded quantifiers such as (a+)+ or \\w+\\w+, and bound repetitions, e.g. \\w{1,64} instead of \\w+`,
    );
  }
  return policy;
}

/** The action of every detector under a policy, built-ins first (in their run order). */
export function effectiveDetectors(policy: ProjectRedactionPolicy): EffectiveDetector[] {
  const builtins = BUILTIN_DETECTORS.map((d) => ({
    id: d.id,
    description: d.description ?? d.id,
    action: policy.detectors[d.id as DetectorId] ?? DEFAULT_POLICY[d.id as DetectorId],
    builtin: true,
  }));
  const custom = policy.custom.map((c) => ({
    id: c.name,
    description: `custom regex /${c.pattern}/${c.flags ?? ''}`,
    action: c.action,
    builtin: false,
  }));
  return [...builtins, ...custom];
}

/**
 * The redactor of a policy, or undefined when every detector is off (nothing to do: the span is
 * not even walked). Patterns must have passed {@link parsePolicy}.
 */
export function compilePolicy(policy: ProjectRedactionPolicy, hashKey: string): StringRedactor | undefined {
  const actions: RedactionPolicy = { ...DEFAULT_POLICY, ...policy.detectors };
  const custom: Detector[] = [];
  for (const c of policy.custom) {
    actions[c.name] = c.action;
    if (c.action !== 'off')
      custom.push({ ...customDetector(c.name, c.pattern, c.flags), description: c.name });
  }
  const active = Object.values(actions).some((a) => a !== undefined && a !== 'off');
  return active ? createStringRedactor({ policy: actions, hashKey, custom }) : undefined;
}

/** Which actions differ between two policies (for the audit log; never patterns' matches). */
export function policyChanges(
  before: ProjectRedactionPolicy,
  after: ProjectRedactionPolicy,
): Record<string, unknown> {
  const detectors: Record<string, { from: RedactionAction | 'off'; to: RedactionAction | 'off' }> = {};
  for (const id of DETECTOR_IDS) {
    const from = before.detectors[id] ?? DEFAULT_POLICY[id];
    const to = after.detectors[id] ?? DEFAULT_POLICY[id];
    if (from !== to) detectors[id] = { from, to };
  }
  const old = new Map(before.custom.map((c) => [c.name, c]));
  const now = new Map(after.custom.map((c) => [c.name, c]));
  const added = [...now.keys()].filter((n) => !old.has(n));
  const removed = [...old.keys()].filter((n) => !now.has(n));
  const changed = [...now.entries()]
    .filter(([n, c]) => {
      const o = old.get(n);
      return o !== undefined && (o.pattern !== c.pattern || o.flags !== c.flags || o.action !== c.action);
    })
    .map(([n]) => n);
  return { detectors, custom: { added, removed, changed } };
}
