/**
 * Adversarial inputs for a custom redaction regex: long runs that make a backtracking engine
 * blow up when the pattern is ambiguous (`(a+)+$`, `(\w+\s?)+$`) or quadratic (`\w+@\w+`).
 * The classic ReDoS shape is prefix + pumped character + a failing suffix, so the inputs pump
 * every representative character of the pattern (after the part of a sample match that leads to
 * it) and a set of common characters, each ended by a character that rarely matches. Pure.
 */

/** Characters pumped for every pattern, besides the pattern's own. */
const COMMON = ['a', 'A', '1', ' ', '-', '_', '.', '@', '/', ':', '='];
/** Characters tried, in order, as the representative of a class or escape. */
const CANDIDATES = ['a', 'A', '1', '0', 'x', ' ', '-', '_', '.', '@', '/', ':', '=', ',', '+', '#', '!'];
/** Suffixes that fail most patterns: NUL, and a newline (`.` and `$` without `m` stop there). */
const SUFFIXES = ['\u0000', '\n'];
/** Longest sample, in atoms. */
const MAX_ATOMS = 200;
/** Most sample positions pumped (the starts of runs of equal atoms), over all alternatives. */
const MAX_PUMPS = 32;
/** Most characters pumped alone. */
const MAX_SINGLES = 48;
/** Most top-level alternatives sampled. */
const MAX_BRANCHES = 8;

/** One adversarial input. */
export interface ProbeInput {
  text: string;
  /** How it was built, for messages: `'EMP-' + '1' × 20000 + '\n'`. */
  label: string;
}

/** The representative of a class or escape: the first candidate it matches, else undefined. */
function representative(atom: string, flags: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${atom})$`, flags.replace(/[gy]/g, ''));
  } catch {
    return undefined;
  }
  return CANDIDATES.find((c) => re.test(c));
}

/** Index just past the `]` closing the class that starts at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Index of the `)` closing the group we are in (from inside it), or the end. */
function groupEnd(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return source.length;
}

/** The top-level alternatives of a pattern (`a|b(c|d)` → `a`, `b(c|d)`). */
export function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/**
 * One character per atom of a match of the pattern's first alternatives (quantifiers, anchors
 * and group syntax skipped): `EMP-\d{6}` → `E M P - 1`. A heuristic, not a parser: it only
 * chooses which characters to pump. With `allBranches`, every alternative and lookaround is
 * walked instead (not a match any more: the pattern's alphabet).
 */
export function sampleAtoms(source: string, flags = '', allBranches = false): string[] {
  const atoms: string[] = [];
  let depth = 0;
  let i = 0;
  // Atoms pushed by the previous token (0 after a group), so `{n}` can repeat a single atom.
  let before = atoms.length;
  let last = 0;
  while (i < source.length && atoms.length < MAX_ATOMS) {
    const c = source[i]!;
    last = atoms.length - before;
    before = atoms.length;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[dDwWsSpP]/.test(next)) {
        const property = /[pP]/.test(next) ? (source.slice(i).match(/^\\[pP]\{[^}]*\}/)?.[0] ?? '') : '';
        const atom = property || source.slice(i, i + 2);
        const rep = representative(atom, flags);
        if (rep !== undefined) atoms.push(rep);
        i += atom.length;
      } else if (/[bB1-9k]/.test(next)) {
        i += next === 'k' ? (source.slice(i).match(/^\\k<[^>]*>/)?.[0].length ?? 2) : 2;
      } else {
        const escaped = source
          .slice(i)
          .match(/^\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|c[A-Za-z]|.)/);
        const atom = escaped?.[0] ?? '\\';
        const rep = representative(atom, flags);
        if (rep !== undefined) atoms.push(rep);
        else if (/^\\[^a-zA-Z0-9]$/.test(atom)) atoms.push(atom[1]!);
        i += atom.length;
      }
    } else if (c === '[') {
      const end = classEnd(source, i);
      const rep = representative(source.slice(i, end), flags);
      if (rep !== undefined) atoms.push(rep);
      i = end;
    } else if (c === '(') {
      const prefix = source.slice(i).match(/^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/)![0];
      if (!allBranches && (prefix === '(?=' || prefix === '(?!' || prefix === '(?<!')) {
        // Lookaheads and negative lookbehinds consume nothing: the sample skips them.
        i = groupEnd(source, i + prefix.length) + 1;
        continue;
      }
      depth++;
      i += prefix.length;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === '|') {
      if (allBranches) {
        i++;
        continue;
      }
      if (depth === 0) break;
      // Later alternatives of a group are skipped: the sample follows the first one.
      i = groupEnd(source, i + 1);
    } else if (c === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(i))) {
      const quantifier = source.slice(i).match(/^\{(\d+)(?:,\d*)?\}/)!;
      // `[A-Z]{3}`: the sample needs the minimum count for what follows to be reachable.
      const atom = atoms.at(-1);
      if (last === 1 && atom !== undefined) {
        const extra = Math.min(Number(quantifier[1]) - 1, MAX_ATOMS - atoms.length);
        for (let k = 0; k < extra; k++) atoms.push(atom);
      }
      i += quantifier[0].length;
    } else if ('*+?^$'.includes(c)) {
      i++;
    } else if (c === '.') {
      atoms.push('a');
      i++;
    } else {
      atoms.push(c);
      i++;
    }
  }
  return atoms;
}

const show = (s: string) => JSON.stringify(s);

/**
 * The adversarial inputs of a pattern: each common character and each character of the pattern
 * repeated `length` times with each failing suffix, and, in a sample match of each top-level
 * alternative, each atom pumped after the part of the sample before it.
 */
export function probeInputs(source: string, flags = '', length = 20_000): ProbeInput[] {
  const inputs: ProbeInput[] = [];
  const seen = new Set<string>();
  const add = (prefix: string, pumped: string, suffix: string) => {
    const key = `${prefix}\u0001${pumped}\u0001${suffix}`;
    if (seen.has(key)) return;
    seen.add(key);
    const count = Math.max(1, Math.floor(length / pumped.length));
    inputs.push({
      text: prefix + pumped.repeat(count) + suffix,
      label: `${prefix ? `${show(prefix)} + ` : ''}${show(pumped)} × ${count} + ${show(suffix)}`,
    });
  };
  const singles = [...new Set([...COMMON, ...sampleAtoms(source, flags, true)])].slice(0, MAX_SINGLES);
  for (const c of singles) for (const suffix of SUFFIXES) add('', c, suffix);
  let pumps = 0;
  for (const branch of topLevelAlternatives(source).slice(0, MAX_BRANCHES)) {
    const atoms = sampleAtoms(branch, flags);
    for (let i = 1; i < atoms.length && pumps < MAX_PUMPS; i++) {
      if (atoms[i] === atoms[i - 1]) continue;
      add(atoms.slice(0, i).join(''), atoms[i]!, SUFFIXES[0]!);
      pumps++;
    }
    if (atoms.length > 1) add('', atoms.join(''), SUFFIXES[0]!);
  }
  return inputs;
}
