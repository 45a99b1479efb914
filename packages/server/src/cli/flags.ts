/**
 * The one argument parser of every `argus` command: `--name value`, `--name=value`, `-x value`,
 * bare booleans, repeatable flags, `--` before positionals; a value may start with a dash
 * (`--retention-days -1` reaches the validator instead of being "ambiguous"). `--help` / `-h`
 * prints the command's usage and its flags with descriptions (exit code 0); anything else it
 * cannot take is a {@link UsageError} (exit code 2) with a "did you mean" where one is close.
 */
import { FLAG_HELP } from './flag-help.ts';

/** One flag: a value (`string`) or a switch (`boolean`), possibly repeatable. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

/** Flags by long name (without the dashes). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S> = S extends { type: 'boolean' }
  ? S extends { multiple: true }
    ? boolean[]
    : boolean
  : S extends { multiple: true }
    ? string[]
    : string;

/** The parsed values of the flags `F` (absent when not given). */
export type FlagValues<F> = { -readonly [K in keyof F]?: FlagValue<F[K]> };

/** What {@link parseCommandLine} needs to know about a command. */
export interface CommandSpec<F extends FlagSpecs> {
  /** The command's words after `argus`: `keys`, `admin`. */
  name: string;
  /** The usage (and any explanation) printed first by `--help`. */
  usage: string;
  flags: F;
  /** Whether operands (positionals) are taken; default true. */
  positionals?: boolean;
  /** Descriptions of this command's flags where they differ from the common ones (flag-help.ts). */
  descriptions?: Readonly<Record<string, string>>;
}

/** The parsed command line. */
export interface ParsedCommandLine<F> {
  values: FlagValues<F>;
  positionals: string[];
}

/** A command line the CLI cannot take; main prints it with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
  readonly command: string;
  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** A finished command that must end with this exit code (after `--help`: 0). */
export class CliExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
    this.code = code;
  }
}

/**
 * Parses `args` against the command's flags. Prints the help and throws {@link CliExit}(0) on
 * `--help`/`-h`.
 * @throws UsageError for an unknown flag (with the closest known one), a missing or unexpected
 *   value, or operands the command does not take.
 */
export function parseCommandLine<F extends FlagSpecs>(
  spec: CommandSpec<F>,
  args: readonly string[],
): ParsedCommandLine<F> {
  const flags: Record<string, FlagSpec> = { ...spec.flags };
  const byShort = new Map<string, string>();
  for (const [name, flag] of Object.entries(flags)) if (flag.short) byShort.set(flag.short, name);
  const values: Record<string, string | boolean | (string | boolean)[]> = {};
  const positionals: string[] = [];
  let isHelp = false;
  const fail = (message: string): never => {
    throw new UsageError(spec.name, message);
  };
  const set = (name: string, value: string | boolean) => {
    if (flags[name]?.multiple) values[name] = [...((values[name] as (string | boolean)[]) ?? []), value];
    else values[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      isHelp = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const given = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const name = long ? given : byShort.get(given);
    const flag = name === undefined ? undefined : flags[name];
    if (!flag || name === undefined) {
      const known = Object.keys(flags).map((f) => `--${f}`);
      const close = closest(long ? `--${given}` : arg, [...known, '--help']);
      fail(`Unknown flag '${long ? `--${given}` : arg}'${close ? `; did you mean '${close}'?` : ''}`);
      continue;
    }
    if (flag.type === 'boolean') {
      if (eq >= 0) fail(`Flag '--${name}' takes no value (given '${arg.slice(eq + 1)}')`);
      set(name, true);
      continue;
    }
    if (eq >= 0) {
      set(name, arg.slice(eq + 1));
      continue;
    }
    const next = args[i + 1];
    // A following flag is not a value; a dash-led number or text that is no known flag is.
    if (next === undefined || next === '--' || (next.startsWith('-') && isFlagLike(next, byShort)))
      fail(`Flag '--${name}' needs a value`);
    set(name, next!);
    i++;
  }
  if (isHelp) {
    process.stdout.write(commandHelp(spec));
    throw new CliExit(0);
  }
  if (spec.positionals === false && positionals.length > 0)
    fail(`Unexpected argument '${positionals[0]}': this command takes flags only`);
  return { values: values as FlagValues<F>, positionals };
}

/** True when `arg` reads as a flag of this command (or as any `--word`), not as a value. */
function isFlagLike(arg: string, byShort: Map<string, string>): boolean {
  if (/^-\d/.test(arg)) return false;
  if (arg.startsWith('--')) return true;
  return byShort.has(arg.slice(1)) || arg === '-h';
}

/** The `--help` text of a command: its usage, then every flag with its description. */
export function commandHelp<F extends FlagSpecs>(spec: CommandSpec<F>): string {
  const rows = Object.entries(spec.flags)
    .filter(([name]) => name !== 'help')
    .map(([name, flag]) => {
      const left = `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.type === 'string' ? ` ${valueName(name)}` : ''}`;
      const text = spec.descriptions?.[name] ?? FLAG_HELP[name] ?? '';
      return [left, `${text}${flag.multiple ? ' (repeatable)' : ''}`] as const;
    });
  rows.push(['-h, --help', 'print this help']);
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  const lines = rows.map(([left, text]) =>
    left.length > width ? `  ${left}\n  ${''.padEnd(width)}  ${text}` : `  ${left.padEnd(width)}  ${text}`,
  );
  return `${spec.usage.trimEnd()}\n\nFlags:\n${lines.join('\n')}\n`;
}

/** The placeholder of a flag's value in help: `--limit N`, `--url URL`. */
function valueName(flag: string): string {
  if (/days|limit|ms|usd|^rate$|^seed$|^port$/.test(flag)) return 'N';
  if (flag === 'url' || flag.endsWith('-url')) return 'URL';
  if (flag === 'from' || flag === 'to') return 'TIME';
  return flag.replace(/^.*-/, '').toUpperCase();
}

/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a likely typo
 * (at most a third of its length, and at least one edit allowed); undefined otherwise.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
