/** Reading span content: normalized messages, text length, and the parts a chat view shows. */
import type { Message, MessagePart } from '../../api-types.ts';

/** Text longer than this (or with more lines) starts collapsed. */
export const LONG_TEXT_CHARS = 1200;

/** True for an array of `{ role, parts }` messages (the normalized shape of LLM spans). */
export function isMessageList(value: unknown): value is Message[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (m) =>
        typeof m === 'object' &&
        m !== null &&
        typeof (m as Message).role === 'string' &&
        Array.isArray((m as Message).parts),
    )
  );
}

/** System instructions as messages: a list of parts, a message list, or plain text. */
export function systemMessages(value: unknown): Message[] {
  if (value === undefined || value === null || value === '') return [];
  if (isMessageList(value)) return value;
  if (typeof value === 'string') return [{ role: 'system', parts: [{ type: 'text', content: value }] }];
  if (Array.isArray(value) && value.every((p) => typeof p === 'object' && p !== null && 'type' in p))
    return [{ role: 'system', parts: value as MessagePart[] }];
  return [{ role: 'system', parts: [{ type: 'json', content: JSON.stringify(value, null, 2) }] }];
}

/** True when text should start collapsed. */
export function isLongText(text: string): boolean {
  return text.length > LONG_TEXT_CHARS || text.split('\n').length > 24;
}

/** Parses a JSON string argument; other values are returned as they are. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** False for nothing: undefined, null, blank text, and empty lists or objects (also as JSON text). */
export function hasContent(value: unknown): boolean {
  const parsed = parseMaybeJson(value);
  if (parsed === undefined || parsed === null) return false;
  if (typeof parsed === 'string') return parsed.trim() !== '';
  if (Array.isArray(parsed)) return parsed.length > 0;
  if (typeof parsed === 'object') return Object.keys(parsed).length > 0;
  return true;
}
