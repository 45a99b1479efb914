/**
 * A small, forgiving parser of the Prometheus text exposition format (0.0.4) and OpenMetrics
 * 1.0 text: `# HELP`, `# TYPE`, `# UNIT`, samples with labels (escapes, quoted UTF-8 names),
 * optional timestamps and exemplars, `# EOF`. It never throws: a line it cannot read is
 * skipped and reported in `errors`, so one odd line never loses a whole scrape.
 */

/** Family types of both formats (`untyped` is 0.0.4's `unknown`). */
export type FamilyType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'summary'
  | 'untyped'
  | 'unknown'
  | 'info'
  | 'stateset'
  | 'gaugehistogram';

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** As written: ms in 0.0.4, seconds in OpenMetrics. */
  timestamp?: number;
}

/** A metric family with its samples. */
export interface Family {
  name: string;
  type: FamilyType;
  help: string;
  unit: string;
  samples: Sample[];
}

/** The result of {@link parsePrometheusText}. */
export interface ParsedExposition {
  families: Family[];
  /** Up to {@link MAX_ERRORS} messages about skipped lines. */
  errors: string[];
  /** Skipped lines in all. */
  skipped: number;
}

/** Limits of the parser. */
export interface ParseLimits {
  /** Most samples kept (default 200,000); the rest are skipped. */
  maxSamples?: number;
}

/** Most skipped-line messages kept in `errors`. */
export const MAX_ERRORS = 10;
const TYPES = new Set<string>([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'info',
  'stateset',
  'gaugehistogram',
]);
const SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_info', '_gcount', '_gsum'];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses an exposition; never throws. */
export function parsePrometheusText(text: string, limits: ParseLimits = {}): ParsedExposition {
  const maxSamples = limits.maxSamples ?? 200_000;
  const families = new Map<string, Family>();
  const result: ParsedExposition = { families: [], errors: [], skipped: 0 };
  const skip = (lineNumber: number, why: string) => {
    result.skipped++;
    if (result.errors.length < MAX_ERRORS) result.errors.push(`line ${lineNumber}: ${why}`);
  };
  const familyOf = (name: string): Family => {
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', help: '', unit: '', samples: [] };
      families.set(name, family);
    }
    return family;
  };
  let samples = 0;
  const lines = typeof text === 'string' ? text.split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.trim() === '') continue;
    try {
      if (line.startsWith('#')) {
        if (line.trim() === '# EOF') break;
        readComment(line, familyOf);
        continue;
      }
      if (samples >= maxSamples) {
        skip(i + 1, `more than ${maxSamples} samples`);
        continue;
      }
      const sample = readSample(line);
      if (typeof sample === 'string') {
        skip(i + 1, sample);
        continue;
      }
      samples++;
      familyFor(sample.name, families, familyOf).samples.push(sample);
    } catch (error) {
      skip(i + 1, String(error));
    }
  }
  result.families = [...families.values()].filter((f) => f.samples.length > 0);
  return result;
}

function readComment(line: string, familyOf: (name: string) => Family): void {
  const match = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s(.*))?$/.exec(line);
  if (!match) return;
  const [, keyword, rawName = '', rest = ''] = match;
  const name = rawName.startsWith('"') ? unescapeText(rawName.slice(1, -1)) : rawName;
  const family = familyOf(name);
  if (keyword === 'HELP') family.help = unescapeText(rest);
  else if (keyword === 'UNIT') family.unit = rest.trim();
  else if (TYPES.has(rest.trim().toLowerCase())) family.type = rest.trim().toLowerCase() as FamilyType;
}

/** The family a sample belongs to: its own name, or a declared family its suffix points to. */
function familyFor(name: string, families: Map<string, Family>, familyOf: (n: string) => Family): Family {
  const own = families.get(name);
  if (own && own.type !== 'untyped') return own;
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && base.type !== 'untyped') return base;
  }
  return own ?? familyOf(name);
}

/** A sample, or why the line is not one. */
function readSample(line: string): Sample | string {
  let rest = line;
  let name = '';
  const nameMatch = NAME.exec(rest);
  if (nameMatch) {
    name = nameMatch[0];
    rest = rest.slice(name.length);
  }
  const labels: Record<string, string> = Object.create(null);
  if (rest.startsWith('{')) {
    const read = readLabels(rest, labels);
    if (typeof read === 'string') return read;
    if (read.name !== undefined) {
      if (name !== '') return 'the metric is named twice';
      name = read.name;
    }
    rest = read.rest;
  }
  if (name === '') return 'no metric name';
  if (!/^[ \t]/.test(rest)) return `no value after '${name.slice(0, 80)}'`;
  // An OpenMetrics exemplar follows ' # '; it is not part of the sample.
  const hash = rest.indexOf(' # ');
  const fields = (hash >= 0 ? rest.slice(0, hash) : rest).trim().split(/[ \t]+/);
  const value = parseNumber(fields[0] ?? '');
  if (value === undefined) return `'${(fields[0] ?? '').slice(0, 40)}' is not a number`;
  if (fields.length > 2) return 'unexpected text after the timestamp';
  const sample: Sample = { name, labels: { ...labels }, value };
  if (fields[1] !== undefined) {
    const timestamp = parseNumber(fields[1]);
    if (timestamp === undefined || !Number.isFinite(timestamp))
      return `'${fields[1].slice(0, 40)}' is not a timestamp`;
    sample.timestamp = timestamp;
  }
  return sample;
}

/** Reads `{a="b",…}`; a bare quoted string inside is the metric name (UTF-8 names). */
function readLabels(text: string, labels: Record<string, string>): { rest: string; name?: string } | string {
  let i = 1;
  let name: string | undefined;
  const space = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  for (;;) {
    space();
    if (text[i] === '}') return { rest: text.slice(i + 1), name };
    let key: string;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i);
      if (!quoted) return 'an unterminated quoted string';
      key = quoted.value;
      i = quoted.end;
    } else {
      const match = LABEL_NAME.exec(text.slice(i, i + 1024));
      if (!match) return `a bad label name at column ${i + 1}`;
      key = match[0];
      i += key.length;
    }
    space();
    if (text[i] === '=') {
      i++;
      space();
      const quoted = text[i] === '"' ? readQuoted(text, i) : undefined;
      if (!quoted) return `label '${key.slice(0, 80)}' has no quoted value`;
      labels[key] = quoted.value;
      i = quoted.end;
    } else if (name === undefined && text[i - 1] === '"') {
      name = key;
    } else {
      return `label '${key.slice(0, 80)}' has no value`;
    }
    space();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') return `expected ',' or '}' at column ${i + 1}`;
  }
}

function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      out += next === 'n' ? '\n' : next;
    } else {
      out += c;
    }
  }
  return undefined;
}

function unescapeText(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** A Go-style float: decimal, `+Inf`/`-Inf`/`Inf`, `NaN` (any case). */
export function parseNumber(raw: string): number | undefined {
  const lower = raw.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity')
    return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return FLOAT.test(raw) ? Number(raw) : undefined;
}
