/**
 * A small parser for Python `repr()` literals (`[{'role': 'user', 'content': "it's"}]`), which
 * old OpenLIT/OTel ≤1.26 `gen_ai.prompt` values and OpenInference examples contain. It reads
 * dicts, lists, tuples, strings, numbers, True/False/None and nothing else.
 */
interface Cursor {
  text: string;
  pos: number;
  maxDepth: number;
}

const FAILED = Symbol('failed');

/** The value of a Python literal, or undefined when `text` is not one (or nests deeper than `maxDepth`). */
export function parsePythonRepr(text: string, maxDepth: number): unknown {
  const cur: Cursor = { text, pos: 0, maxDepth };
  const value = readValue(cur, 0);
  skipSpace(cur);
  return value === FAILED || cur.pos !== text.length ? undefined : value;
}

function skipSpace(cur: Cursor): void {
  while (cur.pos < cur.text.length && /\s/.test(cur.text[cur.pos]!)) cur.pos++;
}

function readValue(cur: Cursor, depth: number): unknown {
  skipSpace(cur);
  const c = cur.text[cur.pos];
  if (c === undefined) return FAILED;
  if (c === '{' || c === '[' || c === '(') {
    return depth >= cur.maxDepth ? FAILED : readContainer(cur, depth, c);
  }
  if (c === "'" || c === '"') return readString(cur, c);
  return readAtom(cur);
}

function readContainer(cur: Cursor, depth: number, open: string): unknown {
  const close = open === '{' ? '}' : open === '[' ? ']' : ')';
  const isDict = open === '{';
  const list: unknown[] = [];
  const dict = Object.create(null) as Record<string, unknown>;
  cur.pos++;
  for (;;) {
    skipSpace(cur);
    if (cur.text[cur.pos] === close) {
      cur.pos++;
      return isDict ? dict : list;
    }
    const item = readValue(cur, depth + 1);
    if (item === FAILED) return FAILED;
    if (isDict) {
      skipSpace(cur);
      if (cur.text[cur.pos] !== ':') return FAILED;
      cur.pos++;
      const value = readValue(cur, depth + 1);
      if (value === FAILED) return FAILED;
      dict[typeof item === 'string' ? item : String(item)] = value;
    } else list.push(item);
    skipSpace(cur);
    if (cur.text[cur.pos] === ',') cur.pos++;
    else if (cur.text[cur.pos] !== close) return FAILED;
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function readString(cur: Cursor, quote: string): unknown {
  let out = '';
  cur.pos++;
  while (cur.pos < cur.text.length) {
    const c = cur.text[cur.pos]!;
    if (c === quote) {
      cur.pos++;
      return out;
    }
    if (c === '\\') {
      const e = cur.text[cur.pos + 1];
      if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        const hex = cur.text.slice(cur.pos + 2, cur.pos + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return FAILED;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        cur.pos += 2 + len;
        continue;
      }
      out += e !== undefined && Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : `\\${e ?? ''}`;
      cur.pos += 2;
      continue;
    }
    out += c;
    cur.pos++;
  }
  return FAILED;
}

function readAtom(cur: Cursor): unknown {
  const match = /^(?:True|False|None|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
    cur.text.slice(cur.pos, cur.pos + 64),
  );
  if (!match) return FAILED;
  cur.pos += match[0].length;
  if (match[0] === 'True') return true;
  if (match[0] === 'False') return false;
  if (match[0] === 'None') return null;
  return Number(match[0]);
}
