/**
 * GenAI content carried by events, whether they arrive as OTLP log records (OTel 1.28–1.36,
 * the ≥1.37 details event) or as span events (OTel ≤1.27, OpenLIT-era code): one message per
 * event, `gen_ai.choice` as an output message with its finish reason (conventions.md 1.4).
 */
import type { Message } from '@argus/shared';
import { finishReasonsOf, normalizeMessage, toMessages } from './messages.ts';
import { normalizeSystemInstructions, normalizeToolDefinitions } from './tools.ts';
import type { SpanContent } from './types.ts';
import { decodeMaybeJson, isRecord, record, toStringList, toText } from './values.ts';

/** Per-message events and the role each implies. */
const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** Every event name that carries GenAI content. */
export const CONTENT_EVENTS = new Set([
  ...Object.keys(MESSAGE_EVENTS),
  'gen_ai.choice',
  'gen_ai.client.inference.operation.details',
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
]);

/**
 * The event payload: the attributes (structured fields decoded: on span events they arrive as
 * JSON strings), overlaid with a JSON `gen_ai.event.content` attribute and a structured body.
 */
function payloadOf(body: unknown, attributes: Record<string, unknown>): Record<string, unknown> {
  const out = record<unknown>();
  for (const [k, v] of Object.entries(attributes)) {
    out[k] = k === 'message' || k === 'tool_calls' ? decodeMaybeJson(v) : v;
  }
  const content = decodeMaybeJson(attributes['gen_ai.event.content']);
  if (isRecord(content)) Object.assign(out, content);
  const decoded = decodeMaybeJson(body);
  if (isRecord(decoded)) Object.assign(out, decoded);
  // A plain string body is the message content itself (some SDKs send it that way), unless it
  // merely repeats the event name as OpenLIT's details events do.
  else if (typeof decoded === 'string' && out.content === undefined && !CONTENT_EVENTS.has(decoded)) {
    out.content = decoded;
  }
  return out;
}

/** One message with the role its event name implies; none when capture was off (no parts). */
function withRole(message: Message | undefined, role: string): Message[] | undefined {
  return message === undefined || message.parts.length === 0 ? undefined : [{ ...message, role }];
}

/** `gen_ai.choice` body: `{index, finish_reason, message:{content?, role?, tool_calls?}}`. */
function choiceContent(payload: Record<string, unknown>): SpanContent {
  const finish = toText(payload.finish_reason ?? payload.finishReason);
  const inner = isRecord(payload.message) ? payload.message : payload;
  const message = withRole(normalizeMessage({ ...inner, role: 'assistant' }, 'assistant'), 'assistant');
  const output = message?.map((m) => (finish === undefined ? m : { ...m, finishReason: finish }));
  return { output, finishReasons: finish === undefined ? undefined : [finish] };
}

function detailsContent(payload: Record<string, unknown>): SpanContent {
  const output = toMessages(payload['gen_ai.output.messages'], { role: 'assistant' });
  return {
    input: toMessages(payload['gen_ai.input.messages'], { role: 'user' }),
    output,
    systemInstructions: normalizeSystemInstructions(payload['gen_ai.system_instructions']),
    toolDefinitions: normalizeToolDefinitions(payload['gen_ai.tool.definitions']),
    finishReasons:
      toStringList(payload['gen_ai.response.finish_reasons']) ?? nonEmpty(finishReasonsOf(output)),
  };
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.length > 0 ? list : undefined;
}

/**
 * Content of one event, or undefined when the event carries none (unknown name, or capture
 * off so that only metadata such as `index` arrived).
 */
export function contentFromEvent(
  name: string,
  body: unknown,
  attributes: Record<string, unknown>,
): SpanContent | undefined {
  if (!CONTENT_EVENTS.has(name)) return undefined;
  const payload = payloadOf(body, attributes);
  let content: SpanContent;
  if (Object.hasOwn(MESSAGE_EVENTS, name)) {
    const role = MESSAGE_EVENTS[name]!;
    content = { input: withRole(normalizeMessage({ ...payload, role }, role), role) };
  } else if (name === 'gen_ai.choice') content = choiceContent(payload);
  else if (name === 'gen_ai.content.prompt') {
    content = {
      input: toMessages(payload['gen_ai.prompt'] ?? payload.content, { role: 'user', rolePrefixed: true }),
    };
  } else if (name === 'gen_ai.content.completion') {
    const output = toMessages(payload['gen_ai.completion'] ?? payload.content, {
      role: 'assistant',
      rolePrefixed: true,
    });
    content = { output };
  } else content = detailsContent(payload);
  return isEmpty(content) ? undefined : content;
}

function isEmpty(content: SpanContent): boolean {
  return Object.values(content).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** Several events' content combined in the given (time) order: messages concatenated, first instructions/definitions kept. */
export function concatContents(contents: readonly SpanContent[]): SpanContent {
  const out: SpanContent = {};
  for (const c of contents) {
    if (c.input !== undefined) out.input = [...(out.input ?? []), ...c.input];
    if (c.output !== undefined) out.output = [...(out.output ?? []), ...c.output];
    if (c.finishReasons !== undefined) out.finishReasons = [...(out.finishReasons ?? []), ...c.finishReasons];
    out.systemInstructions ??= c.systemInstructions;
    out.toolDefinitions ??= c.toolDefinitions;
  }
  return out;
}

/** The details event, per-message events and legacy prompt/completion events, in precedence order. */
export type EventContentGroups = [details: SpanContent, messages: SpanContent, legacy: SpanContent];

/** Content of a span's own events, grouped so the caller can apply precedence between generations. */
export function groupEventContent(
  events: readonly { name: string; timeUnixNano: bigint; attributes: Record<string, unknown> }[],
): EventContentGroups {
  // Most spans carry no events (the same groups as concatenating nothing).
  if (events.length === 0) return [{}, {}, {}];
  const groups: SpanContent[][] = [[], [], []];
  const ordered = [...events].sort((a, b) =>
    a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0,
  );
  for (const event of ordered) {
    const content = contentFromEvent(event.name, undefined, event.attributes);
    if (content === undefined) continue;
    const group =
      event.name === 'gen_ai.client.inference.operation.details'
        ? 0
        : event.name.startsWith('gen_ai.content.')
          ? 2
          : 1;
    groups[group]!.push(content);
  }
  return [concatContents(groups[0]!), concatContents(groups[1]!), concatContents(groups[2]!)];
}
