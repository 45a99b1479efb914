/**
 * `argus redaction show | set --detector id=action … | add-custom --name n --pattern p --action a
 * | remove-custom --name n | test "<text>"`: the project's PII redaction policy on a running
 * server, through its API (changes need an admin).
 */
import type { CustomDetector, RedactionAction, RedactionPolicy, RedactionSettings } from '@argus/shared';
import { countsText, printer, unknownAction, usageError } from './action-command.ts';
import { parseCommandLine } from './flags.ts';
import { table } from './format.ts';
import { type ApiTarget, apiCall, apiTarget, TARGET_FLAGS } from './http.ts';

/** Usage of `argus redaction`. */
export const REDACTION_USAGE = `Usage: argus redaction <show | set --detector id=action … | add-custom --name NAME --pattern REGEX --action ACTION [--flags imsu] | remove-custom --name NAME | test "<text>" [--detector id=action …]> [--url URL] [--api-key KEY] [--project ID] [--json]`;

const HELP = `${REDACTION_USAGE}

show            the project's policy: every detector and its action (mask, hash, drop, off)
set             change built-in detectors' actions, e.g. --detector email=hash --detector phone=mask;
                'id=default' goes back to the default action
add-custom      add (or replace) a custom regex detector, e.g.
                --name employee_id --pattern 'EMP-\\d{6}' --action mask
remove-custom   remove a custom detector by name
test            redact sample text with the saved policy, or with --detector changes applied
                to it, without saving anything (a dry run)

Actions: mask → [REDACTED:id], hash → [id:8 hex] (keyed HMAC, stays joinable), drop → the whole
field becomes [REDACTED], off → the detector does not run. Patterns must be fast on adversarial
input: use bounded repetitions (\\w{1,64}, not \\w+). See docs/security.md.
`;

const FLAGS = {
  ...TARGET_FLAGS,
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  detector: { type: 'string', multiple: true },
  name: { type: 'string' },
  pattern: { type: 'string' },
  flags: { type: 'string' },
  action: { type: 'string' },
} as const;

const PATH = '/api/v1/settings/redaction';

/** A usage error: message and usage on stderr, exit code 2. */
const usage = (what: string) => usageError('redaction', what, REDACTION_USAGE);

/** Applies `id=action` pairs to a policy's detectors; answers an error message or undefined. */
function applyDetectors(policy: RedactionPolicy, pairs: readonly string[]): string | undefined {
  for (const pair of pairs) {
    const match = /^([a-z0-9_]+)=([a-z]+)$/.exec(pair);
    if (!match) return `--detector '${pair}' is not id=action (e.g. email=hash)`;
    const [, id, action] = match as unknown as [string, string, string];
    if (action === 'default') delete policy.detectors[id];
    // Sent as typed: the server names an unknown action in its answer.
    else policy.detectors[id] = action as RedactionAction;
  }
  return undefined;
}

function render(settings: RedactionSettings): string {
  const rows = settings.effective.map((d) => ({ ...d, kind: d.builtin ? 'built-in' : 'custom' }));
  const lines = [
    table(rows, ['id', 'action', 'kind', 'description']).trimEnd(),
    '',
    settings.source === 'project'
      ? "The project's own policy."
      : 'The default policy (this project never saved one).',
  ];
  if (settings.globallyOff)
    lines.push(
      'WARNING: the server runs with --redaction off: nothing is redacted until it restarts without it.',
    );
  return `${lines.join('\n')}\n`;
}

async function save(target: ApiTarget, policy: RedactionPolicy): Promise<RedactionSettings> {
  return apiCall<RedactionSettings>(target, 'PUT', PATH, { body: policy });
}

/** Runs `argus redaction …`; resolves to the exit code. */
export async function runRedactionCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      name: 'redaction',
      usage: HELP,
      flags: FLAGS,
      descriptions: {
        name: 'name of the custom detector (add-custom, remove-custom)',
        action: 'action of the custom detector: mask (default), hash, drop or off',
      },
    },
    args,
  );
  const target = apiTarget(values, env);
  const out = printer(values.json);
  const action = positionals[0] ?? 'show';
  const current = async () => (await apiCall<RedactionSettings>(target, 'GET', PATH)).policy;
  switch (action) {
    case 'show': {
      const settings = await apiCall<RedactionSettings>(target, 'GET', PATH);
      out(settings, render(settings));
      return 0;
    }
    case 'set': {
      if (!values.detector?.length) return usage('set needs at least one --detector id=action');
      const policy = await current();
      const problem = applyDetectors(policy, values.detector);
      if (problem) return usage(problem);
      const settings = await save(target, policy);
      out(settings, render(settings));
      return 0;
    }
    case 'add-custom': {
      const { name, pattern } = values;
      if (!name || !pattern) return usage('add-custom needs --name and --pattern');
      const policy = await current();
      const action = (values.action ?? 'mask') as RedactionAction;
      const detector: CustomDetector = { name, pattern, action };
      if (values.flags) detector.flags = values.flags;
      const existing = policy.custom.findIndex((c) => c.name === name);
      if (existing >= 0) policy.custom[existing] = detector;
      else policy.custom.push(detector);
      const settings = await save(target, policy);
      out(
        settings,
        `${existing >= 0 ? 'Replaced' : 'Added'} custom detector '${name}'.\n${render(settings)}`,
      );
      return 0;
    }
    case 'remove-custom': {
      const { name } = values;
      if (!name) return usage('remove-custom needs --name');
      const policy = await current();
      const kept = policy.custom.filter((c) => c.name !== name);
      if (kept.length === policy.custom.length) {
        process.stderr.write(`argus redaction: no custom detector named '${name}' in this project\n`);
        return 1;
      }
      const settings = await save(target, { ...policy, custom: kept });
      out(settings, `Removed custom detector '${name}'.\n${render(settings)}`);
      return 0;
    }
    case 'test': {
      const text = positionals.slice(1).join(' ');
      if (!text)
        return usage('test needs the text to redact, e.g. argus redaction test "mail ada@example.com"');
      let policy: RedactionPolicy | undefined;
      if (values.detector?.length) {
        policy = await current();
        const problem = applyDetectors(policy, values.detector);
        if (problem) return usage(problem);
      }
      const result = await apiCall<{ redacted: string; counts: Record<string, number> }>(
        target,
        'POST',
        `${PATH}/test`,
        { body: policy ? { text, policy } : { text } },
      );
      out(result, `${result.redacted}\n(${countsText(result.counts) || 'nothing redacted'})\n`);
      return 0;
    }
    default:
      return usage(unknownAction(action, ['show', 'set', 'add-custom', 'remove-custom', 'test']));
  }
}
