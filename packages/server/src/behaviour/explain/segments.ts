/**
 * The segments of a recorded prompt that attribution removes: whole messages, sentences, word
 * windows or retrieved documents, each a set of character ranges in the messages; and the prompt
 * with a set of segments removed. Pure.
 */
import type { AttributionGranularity } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { ChatMessage } from '../../quality/connections-client.ts';

/** A character range of one message. */
export interface Range {
  messageIndex: number;
  start: number;
  end: number;
}

/** One removable piece of the prompt. */
export interface Segment {
  text: string;
  role: string;
  source: 'text' | 'document';
  ranges: Range[];
}

/** Words per window at `token-window` granularity (default). */
export const DEFAULT_WINDOW_WORDS = 8;
const MIN_DOCUMENT_CHARS = 12;

function sentenceRanges(content: string, messageIndex: number): Range[] {
  const ranges: Range[] = [];
  for (const match of content.matchAll(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)/g)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text === '') continue;
    const start = match.index + lead;
    ranges.push({ messageIndex, start, end: start + text.length });
  }
  return ranges;
}

function windowRanges(content: string, messageIndex: number, words: number): Range[] {
  const spans = [...content.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const ranges: Range[] = [];
  for (let i = 0; i < spans.length; i += words) {
    const last = spans[Math.min(spans.length, i + words) - 1]!;
    ranges.push({ messageIndex, start: spans[i]![0], end: last[1] });
  }
  return ranges;
}

function documentSegments(messages: ChatMessage[], documents: readonly string[]): Segment[] {
  const segments: Segment[] = [];
  for (const document of documents) {
    const text = document.trim();
    if (text.length < MIN_DOCUMENT_CHARS) continue;
    const messageIndex = messages.findIndex((m) => m.content.includes(text));
    if (messageIndex < 0) continue;
    const start = messages[messageIndex]!.content.indexOf(text);
    const range = { messageIndex, start, end: start + text.length };
    if (segments.some((s) => s.ranges[0]!.messageIndex === messageIndex && s.ranges[0]!.start === start))
      continue;
    segments.push({ text, role: messages[messageIndex]!.role, source: 'document', ranges: [range] });
  }
  if (segments.length === 0)
    throw new ArgusError(
      'INVALID_PARAMETER',
      "Invalid field 'granularity': no retrieved document of the trace's retriever spans appears in the prompt; use 'sentence' or 'message'",
    );
  return segments;
}

/**
 * The segments of `messages` at a granularity, in prompt order.
 * @throws ArgusError INVALID_PARAMETER when there is nothing to remove.
 */
export function segmentPrompt(
  messages: ChatMessage[],
  granularity: AttributionGranularity,
  options: { documents?: readonly string[]; windowWords?: number } = {},
): Segment[] {
  if (granularity === 'document') return documentSegments(messages, options.documents ?? []);
  const segments: Segment[] = [];
  messages.forEach((message, messageIndex) => {
    const { content, role } = message;
    const ranges =
      granularity === 'message'
        ? content.trim() === ''
          ? []
          : [{ messageIndex, start: 0, end: content.length }]
        : granularity === 'sentence'
          ? sentenceRanges(content, messageIndex)
          : windowRanges(content, messageIndex, options.windowWords ?? DEFAULT_WINDOW_WORDS);
    for (const range of ranges)
      segments.push({
        text: content.slice(range.start, range.end).trim(),
        role,
        source: 'text',
        ranges: [range],
      });
  });
  if (segments.length < 2)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'granularity': the prompt has ${segments.length} ${granularity} segment(s); attribution needs at least 2 (try a finer granularity)`,
    );
  return segments;
}

/** Merges neighbouring segments into at most `count` groups (to fit a call budget). */
export function mergeSegments(segments: Segment[], count: number): Segment[] {
  if (segments.length <= count) return segments;
  const size = Math.ceil(segments.length / count);
  const merged: Segment[] = [];
  for (let i = 0; i < segments.length; i += size) {
    const group = segments.slice(i, i + size);
    merged.push({
      text: group.map((s) => s.text).join(' '),
      role: [...new Set(group.map((s) => s.role))].join('+'),
      source: group.every((s) => s.source === 'document') ? 'document' : 'text',
      ranges: group.flatMap((s) => s.ranges),
    });
  }
  return merged;
}

/** The messages with the segments at `removed` (indexes) cut out; emptied messages are dropped. */
export function withoutSegments(
  messages: ChatMessage[],
  segments: readonly Segment[],
  removed: ReadonlySet<number>,
): ChatMessage[] {
  const cuts = new Map<number, Range[]>();
  for (const index of removed)
    for (const range of segments[index]?.ranges ?? [])
      cuts.set(range.messageIndex, [...(cuts.get(range.messageIndex) ?? []), range]);
  const out: ChatMessage[] = [];
  messages.forEach((message, i) => {
    const ranges = (cuts.get(i) ?? []).sort((a, b) => b.start - a.start);
    let content = message.content;
    for (const r of ranges) content = content.slice(0, r.start) + content.slice(r.end);
    content = content
      .replace(/[ \t]{2,}/g, ' ')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (content !== '') out.push({ role: message.role, content });
  });
  // A provider refuses a conversation without a user turn.
  if (!out.some((m) => m.role === 'user')) out.push({ role: 'user', content: '.' });
  return out;
}

/**
 * Applies text substitutions to every message in one pass (so `he→she` with `she→he` swaps),
 * whole words only, case-insensitive, a capital first letter kept.
 */
export function substitute(
  messages: ChatMessage[],
  substitutions: readonly { from: string; to: string }[],
): { messages: ChatMessage[]; count: number } {
  const table = new Map(substitutions.map((s) => [s.from.toLowerCase(), s.to]));
  const froms = [...table.keys()].sort((a, b) => b.length - a.length);
  const escaped = froms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  let count = 0;
  const swapped = messages.map((m) => ({
    ...m,
    content: m.content.replace(pattern, (found) => {
      count++;
      const to = table.get(found.toLowerCase()) ?? found;
      const capital = found[0] !== undefined && found[0] !== found[0].toLowerCase();
      return capital ? to.charAt(0).toUpperCase() + to.slice(1) : to;
    }),
  }));
  return { messages: swapped, count };
}
