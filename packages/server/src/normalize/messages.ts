/**
 * Messages in any producer's shape mapped to the canonical `Message[]` (OTel GenAI ≥1.37:
 * `{role, parts, name?, finishReason?}`): OTel parts, OpenAI chat/response objects, Anthropic,
 * Gemini, Vercel, LangChain/LangSmith, OpenInference and OpenLLMetry (once un-flattened), OTel
 * 1.28–1.36 event bodies, Python-repr strings and legacy `role: content` text.
 */
import type { Message, MessagePart } from '@argus/shared';
import { normalizePart, partsFromContent } from './parts.ts';
import { isRecord, parseStructured, toText } from './values.ts';

const ROLE_ALIASES: Record<string, string> = {
  human: 'user',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  function: 'tool',
  humanmessage: 'user',
  aimessage: 'assistant',
  aimessagechunk: 'assistant',
  systemmessage: 'system',
  toolmessage: 'tool',
  functionmessage: 'tool',
};

/** Lower-cased role with LangChain/Gemini names mapped to OTel ones. */
export function normalizeRole(raw: unknown, fallback: string): string {
  const role = toText(raw)?.toLowerCase();
  if (role === undefined) return fallback;
  return Object.hasOwn(ROLE_ALIASES, role) ? ROLE_ALIASES[role]! : role;
}

/** Options for {@link toMessages}. */
export interface MessageOptions {
  /** Role of messages that do not say (`user` for inputs, `assistant` for outputs). */
  role: string;
  /** Parse `user: …` line prefixes in plain text (legacy OpenLIT `gen_ai.prompt`). */
  rolePrefixed?: boolean;
}

const ROLE_LINE = /^(system|user|assistant|tool|developer|function|human|ai):\s?/i;

function fromRoleLines(text: string, fallback: string): Message[] {
  const messages: Message[] = [];
  for (const line of text.split('\n')) {
    const m = ROLE_LINE.exec(line);
    const last = messages[messages.length - 1];
    if (m)
      messages.push({
        role: normalizeRole(m[1], fallback),
        parts: [{ type: 'text', content: line.slice(m[0].length) }],
      });
    else if (last !== undefined) (last.parts[0] as MessagePart).content += `\n${line}`;
    else messages.push({ role: fallback, parts: [{ type: 'text', content: line }] });
  }
  return messages;
}

/** LangChain's serialized form: `{lc:1, type:'constructor', id:[…,'HumanMessage'], kwargs:{…}}`. */
function unwrapLangchain(m: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(m.kwargs) || m.lc === undefined) return m;
  const cls = Array.isArray(m.id) ? toText(m.id[m.id.length - 1]) : undefined;
  return { ...m.kwargs, role: m.kwargs.role ?? m.kwargs.type ?? cls };
}

function toolCallParts(calls: unknown): MessagePart[] {
  if (!Array.isArray(calls)) return [];
  return calls
    .map((c) =>
      normalizePart(
        isRecord(c) && c.type === undefined && !isRecord(c.tool_call) ? { ...c, type: 'tool_call' } : c,
      ),
    )
    .filter((p): p is MessagePart => p !== undefined)
    .map((p) => (p.type === 'function' ? { ...p, type: 'tool_call' } : p));
}

/** LangChain `type` values that name a role (`{type:'human', content}`). */
const LANGCHAIN_TYPES = new Set(['human', 'ai', 'system', 'tool', 'function', 'chat', 'generic']);

/** One message from one object; undefined when the object carries no message. */
export function normalizeMessage(value: unknown, fallbackRole: string): Message | undefined {
  if (typeof value === 'string')
    return value === '' ? undefined : { role: fallbackRole, parts: [{ type: 'text', content: value }] };
  if (!isRecord(value)) return undefined;
  const m = unwrapLangchain(value);
  // Wrappers: OpenAI/OTel choices `{message, finish_reason}`, OpenInference `{message:{…}}`.
  if (isRecord(m.message) && m.role === undefined) {
    const inner = normalizeMessage(m.message, fallbackRole);
    const info = isRecord(m.generation_info) ? m.generation_info : {}; // LangChain generations
    const finish = toText(m.finish_reason ?? m.finishReason ?? info.finish_reason);
    return inner === undefined || finish === undefined ? inner : { ...inner, finishReason: finish };
  }
  // LangChain names the role in `type`; any other `type` (a part's, an API item's) is not a role.
  const typeRole =
    typeof m.type === 'string' && LANGCHAIN_TYPES.has(m.type.toLowerCase()) ? m.type : undefined;
  const role = normalizeRole(m.role ?? typeRole, fallbackRole);
  const parts = Array.isArray(m.parts)
    ? m.parts.map(normalizePart).filter((p): p is MessagePart => p !== undefined)
    : partsFromContent(m.content ?? m.contents ?? m.text);
  parts.push(
    ...toolCallParts(m.tool_calls ?? m.toolCalls),
    ...toolCallParts(m.function_call ? [m.function_call] : []),
  );
  const callId = toText(m.tool_call_id ?? m.toolCallId ?? (role === 'tool' ? m.id : undefined));
  const message: Message = {
    role,
    parts: callId !== undefined && role === 'tool' ? asToolResponse(parts, callId) : parts,
  };
  const name = toText(m.name);
  if (name !== undefined) message.name = name;
  const finish = toText(m.finish_reason ?? m.finishReason ?? m.stop_reason);
  if (finish !== undefined) message.finishReason = finish;
  const known = parts.length > 0 || m.role !== undefined || m.parts !== undefined || m.content !== undefined;
  return known ? message : undefined;
}

/** A tool-role message with a call id is the result of that call (rule 3.4.6). */
function asToolResponse(parts: MessagePart[], id: string): MessagePart[] {
  if (parts.some((p) => p.type === 'tool_call_response')) return parts;
  const texts = parts.filter((p) => p.type === 'text').map((p) => p.content ?? '');
  const response = texts.length === parts.length ? texts.join('') : parts;
  return [{ type: 'tool_call_response', id, response }];
}

/** True for an object that is a message (not a bare part or an arbitrary payload). */
export function isMessageLike(item: unknown): item is Record<string, unknown> {
  if (!isRecord(item)) return false;
  if (item.role !== undefined || item.lc !== undefined || isRecord(item.message)) return true;
  if (typeof item.type === 'string' && LANGCHAIN_TYPES.has(item.type.toLowerCase())) return true;
  return Array.isArray(item.parts) || (item.content !== undefined && item.type === undefined);
}

function fromList(list: unknown[], opts: MessageOptions, depth: number): Message[] {
  const out: Message[] = [];
  for (const item of list) {
    if (Array.isArray(item) && depth < 2)
      out.push(...fromList(item, opts, depth + 1)); // LangChain [[msg…]]
    else if (isMessageLike(item)) {
      const msg = normalizeMessage(item, opts.role);
      if (msg !== undefined) out.push(msg);
    } else if (typeof item === 'string' && item !== '')
      out.push({ role: opts.role, parts: [{ type: 'text', content: item }] });
    else if (isRecord(item) && item.text !== undefined) {
      const msg = completionToMessage(item, opts.role);
      if (msg !== undefined) out.push(msg);
    }
  }
  return out;
}

/** Completion-API choices and LangChain generations: `{text, finish_reason | generation_info}`. */
function completionToMessage(item: Record<string, unknown>, role: string): Message | undefined {
  const msg = normalizeMessage(item.message ?? item.text, role);
  const info = isRecord(item.generation_info) ? item.generation_info : {};
  const finish = toText(item.finish_reason ?? info.finish_reason);
  return msg === undefined || finish === undefined ? msg : { ...msg, finishReason: finish };
}

/** Messages inside a wrapper object (request/response payloads, Vercel `ai.prompt`, LLMResult). */
function fromWrapper(obj: Record<string, unknown>, opts: MessageOptions): Message[] | undefined {
  // Anthropic/Vercel payloads carry the system prompt beside the messages (text or blocks).
  const systemParts = obj.system === undefined || obj.system === null ? [] : partsFromContent(obj.system);
  const head: Message[] = systemParts.length === 0 ? [] : [{ role: 'system', parts: systemParts }];
  if (Array.isArray(obj.messages)) return [...head, ...fromList(obj.messages, opts, 0)];
  if (obj.prompt !== undefined && obj.role === undefined)
    return [...head, ...(toMessages(obj.prompt, opts) ?? [])];
  if (Array.isArray(obj.choices))
    return obj.choices
      .map((c) =>
        isRecord(c) && c.text !== undefined && c.message === undefined
          ? completionToMessage(c, opts.role)
          : normalizeMessage(c, opts.role),
      )
      .filter((m): m is Message => m !== undefined);
  if (Array.isArray(obj.generations)) return fromList(obj.generations, opts, 0);
  if (Array.isArray(obj.output) && obj.role === undefined) return fromList(obj.output, opts, 0);
  const single = normalizeMessage(obj, opts.role);
  return single === undefined ? undefined : [...head, single];
}

/**
 * Messages from any value: a list, one message, a wrapper, or a (JSON / Python-repr /
 * role-prefixed / plain) string. Undefined when nothing message-like is found.
 */
export function toMessages(value: unknown, opts: MessageOptions): Message[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const parsed = parseStructured(value);
    if (parsed !== undefined) return toMessages(parsed, opts);
    if (value === '') return undefined;
    if (opts.rolePrefixed && ROLE_LINE.test(value)) return fromRoleLines(value, opts.role);
    return [{ role: opts.role, parts: [{ type: 'text', content: value }] }];
  }
  const messages = Array.isArray(value)
    ? fromList(value, opts, 0)
    : isRecord(value)
      ? fromWrapper(value, opts)
      : undefined;
  return messages !== undefined && messages.length > 0 ? messages : undefined;
}

/** Finish reasons of output messages, in order. */
export function finishReasonsOf(messages: readonly Message[] | undefined): string[] {
  return (messages ?? []).map((m) => m.finishReason).filter((r): r is string => r !== undefined);
}
