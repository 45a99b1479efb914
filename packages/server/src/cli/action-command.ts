/**
 * The scaffolding of the `argus <command> <action> …` commands that act on a running server:
 * flags parsed once, the usage on --help or without an action, one access (API key or user
 * sign-in) per run, unknown actions refused with the usage, and answers printed as text or, with
 * --json, as JSON.
 */
import { closest, type FlagSpecs, type FlagValues, parseCommandLine } from './flags.ts';
import { table } from './format.ts';
import type { ApiTarget } from './http.ts';
import { type AccessValues, withAccess } from './sign-in.ts';

/** Prints an answer: `value` as indented JSON with --json, else `text` as given. */
export type Print = (value: unknown, text: string) => void;

/** What an action runs with. */
export interface ActionContext<F extends FlagSpecs> {
  values: FlagValues<F>;
  /** The positionals after the action (`rotate <keyId>` → `[keyId]`). */
  operands: string[];
  target: ApiTarget;
  print: Print;
}

/** A command made of actions, e.g. `argus keys list | create | rotate | revoke`. */
export interface ActionCommand<F extends FlagSpecs> {
  /** The command's name in messages: `keys`. */
  name: string;
  usage: string;
  /** Its flags: the access flags and `json` among them. */
  flags: F;
  /** Descriptions of its flags where they differ from the common ones (flag-help.ts). */
  descriptions?: Readonly<Record<string, string>>;
  /** Each action by name; resolves to the exit code. */
  actions: Readonly<Record<string, (context: ActionContext<F>) => Promise<number>>>;
}

/** The printer of a command run with or without --json. */
export function printer(isJson: boolean | undefined): Print {
  return (value, text) => {
    process.stdout.write(isJson ? `${JSON.stringify(value, null, 2)}\n` : text);
  };
}

/** A usage error: the message and the usage on stderr; answers the exit code 2. */
export function usageError(command: string, what: string, usage: string): number {
  process.stderr.write(`argus ${command}: ${what}\n${usage}\n`);
  return 2;
}

/** The usage on stdout when the action is missing (exit code 2); undefined when the command goes on. */
export function usageRequested(action: string | undefined, usage: string): number | undefined {
  if (action !== undefined) return undefined;
  process.stdout.write(`${usage}\n`);
  return 2;
}

/** "unknown action 'lst'; did you mean 'list'?" */
export function unknownAction(action: string, actions: readonly string[]): string {
  const close = closest(action, actions);
  return `unknown action '${action}'${close ? `; did you mean '${close}'?` : ''}`;
}

/** The rows as a table, or `empty` (a line) when there are none. */
export function tableOr(rows: Record<string, unknown>[], columns: string[], empty: string): string {
  return rows.length ? table(rows, columns) : `${empty}\n`;
}

/** Counts in words: `spans 3, logs 2`. */
export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

/** Runs a command of actions; resolves to the exit code. */
export async function runActionCommand<F extends FlagSpecs>(
  command: ActionCommand<F>,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values, positionals } = parseCommandLine(command, args);
  const flags = values as AccessValues & { json?: boolean };
  const [action, ...operands] = positionals;
  const requested = usageRequested(action, command.usage);
  if (requested !== undefined || action === undefined) return requested ?? 2;
  return withAccess(flags, env, async (target) => {
    const run = Object.hasOwn(command.actions, action) ? command.actions[action] : undefined;
    if (!run)
      return usageError(command.name, unknownAction(action, Object.keys(command.actions)), command.usage);
    return run({ values, operands, target, print: printer(flags.json) });
  });
}
