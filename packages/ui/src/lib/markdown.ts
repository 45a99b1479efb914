/**
 * A small, safe markdown renderer: text in, React elements out. It never produces raw HTML
 * (no dangerouslySetInnerHTML anywhere): HTML in the input stays text, links keep only
 * absolute http(s) URLs and open with `rel="noopener noreferrer"`. Covers what LLM output
 * uses: headings, paragraphs, lists, block quotes, fenced code, tables, rules, inline code,
 * bold, italic, strikethrough and links.
 */
import { createElement, Fragment, type ReactNode } from 'react';

/** Inputs longer than this are shown as plain text (parsing cost stays bounded). */
export const MAX_MARKDOWN_CHARS = 200_000;
const MAX_DEPTH = 12;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w#+.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

/**
 * Returns an absolute http(s) URL, or undefined for anything else (`javascript:`, `data:`,
 * relative paths, malformed input).
 */
export function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Renders markdown text as React nodes. */
export function renderMarkdown(text: string): ReactNode[] {
  if (text.length > MAX_MARKDOWN_CHARS)
    return [createElement('pre', { key: 0, className: 'md-plain' }, text)];
  return renderBlocks(text.replace(/\r\n?/g, '\n').split('\n'), 0);
}

function renderBlocks(lines: string[], depth: number): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  const key = () => out.length;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i++;
      const code = createElement('code', { 'data-lang': fence[2] || undefined }, body.join('\n'));
      out.push(createElement('pre', { key: key(), className: 'md-code' }, code));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      out.push(createElement(`h${level}`, { key: key() }, renderInline(heading[2]!, depth)));
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push(createElement('hr', { key: key() }));
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(lines[i++]!.replace(QUOTE, ''));
      const inner = depth < MAX_DEPTH ? renderBlocks(body, depth + 1) : [body.join('\n')];
      out.push(createElement('blockquote', { key: key() }, inner));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = renderList(lines, i, depth, out);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_DIVIDER.test(lines[i + 1]!)) {
      i = renderTable(lines, i, depth, out);
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && (body.length === 0 || !startsBlock(lines[i]!)))
      body.push(lines[i++]!.trim());
    out.push(createElement('p', { key: key() }, joinLines(body, depth)));
  }
  return out;
}

function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) || HEADING.test(line) || QUOTE.test(line) || LIST_ITEM.test(line) || RULE.test(line)
  );
}

function joinLines(lines: string[], depth: number): ReactNode[] {
  const out: ReactNode[] = [];
  lines.forEach((line, n) => {
    if (n > 0) out.push(createElement('br', { key: `br${n}` }));
    out.push(createElement(Fragment, { key: `l${n}` }, renderInline(line, depth)));
  });
  return out;
}

function renderList(lines: string[], start: number, depth: number, out: ReactNode[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const indent = first[1]!.length;
  const isOrdered = /\d/.test(first[2]!);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const item = LIST_ITEM.exec(line);
    if (item && item[1]!.length <= indent + 1 && /\d/.test(item[2]!) === isOrdered) {
      items.push([item[3]!]);
      i++;
      continue;
    }
    const isBlank = line.trim() === '';
    const next = lines[i + 1];
    const leading = line.length - line.trimStart().length;
    if (!isBlank && leading > indent) {
      items.at(-1)!.push(line.slice(Math.min(leading, indent + 2)));
      i++;
    } else if (
      isBlank &&
      next !== undefined &&
      next.length - next.trimStart().length > indent &&
      next.trim()
    ) {
      items.at(-1)!.push('');
      i++;
    } else {
      break;
    }
  }
  const children = items.map((body, n) => {
    const isSimple = body.length === 1 || depth >= MAX_DEPTH;
    const content = isSimple ? renderInline(body.join(' '), depth) : renderBlocks(body, depth + 1);
    return createElement('li', { key: n }, content);
  });
  const startAt = isOrdered ? Number.parseInt(first[2]!, 10) : undefined;
  const props = { key: out.length, start: startAt !== 1 ? startAt : undefined };
  out.push(createElement(isOrdered ? 'ol' : 'ul', props, children));
  return i;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

function renderTable(lines: string[], start: number, depth: number, out: ReactNode[]): number {
  const header = splitRow(lines[start]!);
  let i = start + 2;
  const rows: string[][] = [];
  while (i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== '')
    rows.push(splitRow(lines[i++]!));
  const head = createElement(
    'thead',
    null,
    createElement(
      'tr',
      null,
      header.map((cell, n) => createElement('th', { key: n }, renderInline(cell, depth))),
    ),
  );
  const body = createElement(
    'tbody',
    null,
    rows.map((row, r) =>
      createElement(
        'tr',
        { key: r },
        header.map((_, n) => createElement('td', { key: n }, renderInline(row[n] ?? '', depth))),
      ),
    ),
  );
  out.push(
    createElement(
      'div',
      { key: out.length, className: 'md-table' },
      createElement('table', null, head, body),
    ),
  );
  return i;
}

interface InlineRule {
  /** Sticky pattern tried at the current position. */
  pattern: RegExp;
  /** Only where a word starts (underscore emphasis, bare URLs). */
  isWordStartOnly?: boolean;
  render: (match: RegExpExecArray, depth: number, key: number) => ReactNode;
}

// Tried in order at each special character; the first that matches at that position wins.
const INLINE: InlineRule[] = [
  { pattern: /\\([\\`*_{}[\]()#+\-.!~|<>])/y, render: (m) => m[1] },
  {
    pattern: /(`+)([^`][\s\S]{0,500}?)\1(?!`)/y,
    render: (m, _d, key) => createElement('code', { key }, m[2]!.trim()),
  },
  {
    pattern: /\*\*(?=\S)([\s\S]{0,500}?\S)\*\*/y,
    render: (m, d, key) => createElement('strong', { key }, renderInline(m[1]!, d + 1)),
  },
  {
    pattern: /__(?=\S)([\s\S]{0,500}?\S)__(?!\w)/y,
    isWordStartOnly: true,
    render: (m, d, key) => createElement('strong', { key }, renderInline(m[1]!, d + 1)),
  },
  {
    pattern: /~~(?=\S)([\s\S]{0,500}?\S)~~/y,
    render: (m, d, key) => createElement('del', { key }, renderInline(m[1]!, d + 1)),
  },
  {
    pattern: /\*(?=[^\s*])([\s\S]{0,500}?[^\s*])\*(?!\*)/y,
    render: (m, d, key) => createElement('em', { key }, renderInline(m[1]!, d + 1)),
  },
  {
    pattern: /_(?=[^\s_])([\s\S]{0,500}?[^\s_])_(?!\w)/y,
    isWordStartOnly: true,
    render: (m, d, key) => createElement('em', { key }, renderInline(m[1]!, d + 1)),
  },
  {
    pattern: /\[([^\]]{0,1000})\]\(\s*<?([^\s)<>]{0,1000})>?(?:\s+"[^"]{0,400}")?\s*\)/y,
    render: (m, d, key) => link(m[2]!, renderInline(m[1]!, d + 1), key),
  },
  { pattern: /<(https?:\/\/[^\s<>]+)>/y, render: (m, _d, key) => link(m[1]!, m[1]!, key) },
  {
    pattern: /https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"]/y,
    isWordStartOnly: true,
    render: (m, _d, key) => link(m[0], m[0], key),
  },
];

const SPECIAL = /[\\`*_~[<h]/g;

function link(href: string, children: ReactNode, key: number): ReactNode {
  const safe = safeHref(href);
  if (!safe) return createElement('span', { key, className: 'md-unsafe-link' }, children);
  return createElement(
    'a',
    { key, href: safe, target: '_blank', rel: 'noopener noreferrer nofollow' },
    children,
  );
}

/** Renders one line of inline markdown. */
export function renderInline(text: string, depth = 0): ReactNode[] {
  if (depth > MAX_DEPTH) return [text];
  const out: ReactNode[] = [];
  let plain = '';
  let i = 0;
  const special = new RegExp(SPECIAL.source, 'g');
  while (i < text.length) {
    special.lastIndex = i;
    const next = special.exec(text);
    if (!next) {
      plain += text.slice(i);
      break;
    }
    plain += text.slice(i, next.index);
    i = next.index;
    const isWordStart = i === 0 || !/\w/.test(text[i - 1]!);
    let matched = false;
    for (const rule of INLINE) {
      if (rule.isWordStartOnly && !isWordStart) continue;
      rule.pattern.lastIndex = i;
      const match = rule.pattern.exec(text);
      if (!match) continue;
      if (plain) out.push(plain);
      plain = '';
      out.push(rule.render(match, depth, out.length));
      i += match[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      plain += text[i];
      i++;
    }
  }
  if (plain) out.push(plain);
  return out;
}
