/**
 * Input, output, system instructions, tool definitions, finish reasons and response id of a
 * span, from every source in precedence table 3.3 (first present wins). LLM spans get
 * normalized `Message[]`; other spans a plain value (parsed JSON or text) unless the value is
 * itself messages.
 */
import type { Message, MessagePart, SpanKind } from '@argus/shared';
import type { OtlpSpanEvent } from '../otlp/types.ts';
import type { AttrBag } from './attr-bag.ts';
import { isMessageList, systemFromMessages, withFinishReasons, withSystemMessage } from './conversation.ts';
import { groupEventContent } from './event-content.ts';
import { finishReasonsOf, isMessageLike, type MessageOptions, toMessages } from './messages.ts';
import { normalizePart } from './parts.ts';
import { mapToolDefinitions, normalizeSystemInstructions } from './tools.ts';
import { decodeMaybeJson, isRecord, parseStructured, toStringList, toText } from './values.ts';

/** Content fields of the canonical span. */
export interface ContentFields {
  input?: unknown;
  output?: unknown;
  systemInstructions?: unknown;
  toolDefinitions?: unknown;
  finishReasons: string[];
  responseId: string;
}

type Convert = (value: unknown) => unknown;
type Source = () => unknown;

const INPUT: MessageOptions = { role: 'user' };
const OUTPUT: MessageOptions = { role: 'assistant' };

/** Attributes defined to hold messages: unparseable JSON is not messages, so it stays raw. */
const strictMessages =
  (opts: MessageOptions): Convert =>
  (v) => {
    const decoded = typeof v === 'string' ? parseStructured(v) : v;
    return decoded === undefined ? undefined : toMessages(decoded, opts);
  };
const looseMessages =
  (opts: MessageOptions): Convert =>
  (v) =>
    toMessages(v, opts);
const plain: Convert = (v) => (v === '' || v === null ? undefined : decodeMaybeJson(v));

/** Generic I/O: messages for LLM spans (or when the value is messages), else the plain value. */
const flexible =
  (kind: SpanKind, opts: MessageOptions): Convert =>
  (v) => {
    const decoded = plain(v);
    if (decoded === undefined || kind === 'embedding') return decoded;
    const messageLike =
      isMessageLike(decoded) ||
      (Array.isArray(decoded) && decoded.length > 0 && decoded.every(isMessageLike));
    if (kind === 'llm' || messageLike) return toMessages(decoded, opts) ?? decoded;
    return decoded;
  };

/**
 * Generic I/O value of a span: JSON text parsed, then messages for LLM spans (or when the value
 * is itself messages), else the plain value.
 */
export function contentValue(value: unknown, kind: SpanKind, role: 'input' | 'output'): unknown {
  return flexible(kind, role === 'input' ? INPUT : OUTPUT)(value);
}

function attr(attrs: AttrBag, key: string, convert: Convert): Source {
  return () => attrs.pick([key], convert);
}

/** Flattened keys under `prefix` (OpenInference, OpenLLMetry), un-flattened then converted. */
function flat(attrs: AttrBag, prefix: string, convert: Convert): Source {
  return () => {
    const nested = attrs.nested(prefix);
    const value = nested === undefined ? undefined : convert(nested);
    if (value !== undefined) attrs.consumePrefix(prefix);
    return value;
  };
}

/** OpenInference `input.value`/`output.value`, read per its mime type: `text/plain` is never parsed. */
function ioValue(attrs: AttrBag, key: string, kind: SpanKind, opts: MessageOptions): Source {
  const mimeKey = key.replace(/\.value$/, '.mime_type');
  return () => {
    const isText = attrs.get(mimeKey) === 'text/plain';
    const asText = (v: unknown) => {
      const text = toText(v);
      if (text === undefined || kind !== 'llm') return text;
      return [{ role: opts.role, parts: [{ type: 'text', content: text }] }];
    };
    const value = attrs.pick([key], isText ? asText : flexible(kind, opts));
    if (value !== undefined) attrs.consume(mimeKey);
    return value;
  };
}

function first(sources: Source[]): unknown {
  for (const source of sources) {
    const value = source();
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Vercel legacy output: `ai.response.text` plus `ai.response.toolCalls` form one assistant message. */
function vercelOutput(attrs: AttrBag): Source {
  return () => {
    const text = attrs.pick(['ai.response.text', 'ai.result.text'], toText);
    const calls = attrs.pick(['ai.response.toolCalls', 'ai.result.toolCalls'], (v) => {
      const list = decodeMaybeJson(v);
      return Array.isArray(list)
        ? list.map((c) => normalizePart(isRecord(c) ? { ...c, type: 'tool-call' } : c))
        : undefined;
    });
    // Structured output (generateObject) is the answer's text when there is no plain text.
    const body = text ?? attrs.pick(['ai.response.object', 'ai.result.object'], toText);
    const parts: MessagePart[] = body === undefined ? [] : [{ type: 'text', content: body }];
    for (const call of calls ?? []) if (call !== undefined) parts.push(call);
    if (parts.length === 0) return undefined;
    const finish = toText(attrs.get('ai.response.finishReason'));
    const message: Message = { role: 'assistant', parts };
    if (finish !== undefined) message.finishReason = finish;
    return [message];
  };
}

/** Input sources in precedence order (table 3.3, row "input messages" plus generic I/O). */
function inputSources(
  attrs: AttrBag,
  kind: SpanKind,
  events: ReturnType<typeof groupEventContent>,
): Source[] {
  const messages = kind === 'embedding' ? plain : strictMessages(INPUT);
  const loose = kind === 'embedding' ? plain : looseMessages(INPUT);
  return [
    attr(attrs, 'langfuse.observation.input', flexible(kind, INPUT)),
    attr(attrs, 'gen_ai.input.messages', messages),
    () => events[0].input ?? events[1].input ?? events[2].input,
    flat(attrs, 'llm.input_messages.', loose),
    flat(attrs, 'llm.prompts.', (v) => toMessages(promptTexts(v), INPUT)),
    attr(attrs, 'llm.prompts', (v) => toMessages(promptTexts(v), INPUT)),
    flat(attrs, 'gen_ai.prompt.', loose),
    attr(
      attrs,
      'gen_ai.prompt',
      kind === 'embedding' ? plain : looseMessages({ ...INPUT, rolePrefixed: true }),
    ),
    // OpenLIT May 2024 put the prompt text in an attribute named like the later event.
    attr(attrs, 'gen_ai.content.prompt', looseMessages({ ...INPUT, rolePrefixed: true })),
    attr(attrs, 'ai.prompt.messages', messages),
    attr(attrs, 'ai.prompt', flexible(kind === 'embedding' ? kind : 'llm', INPUT)),
    attr(attrs, 'gen_ai.tool.call.arguments', plain),
    attr(attrs, 'ai.toolCall.args', plain),
    attr(attrs, 'gen_ai.tool.args', plain),
    attr(attrs, 'gen_ai.retrieval.query.text', plain),
    attr(attrs, 'langfuse.trace.input', flexible(kind, INPUT)),
    attr(attrs, 'traceloop.entity.input', flexible(kind, INPUT)),
    ioValue(attrs, 'input.value', kind, INPUT),
    flat(attrs, 'embedding.embeddings.', embeddingTexts),
    attr(attrs, 'ai.values', plain),
    attr(attrs, 'ai.value', plain),
  ];
}

/** Output sources in precedence order. */
function outputSources(
  attrs: AttrBag,
  kind: SpanKind,
  events: ReturnType<typeof groupEventContent>,
): Source[] {
  return [
    attr(attrs, 'langfuse.observation.output', flexible(kind, OUTPUT)),
    attr(attrs, 'gen_ai.output.messages', strictMessages(OUTPUT)),
    () => events[0].output ?? events[1].output ?? events[2].output,
    flat(attrs, 'llm.output_messages.', looseMessages(OUTPUT)),
    flat(attrs, 'llm.choices.', (v) => toMessages(promptTexts(v), OUTPUT)),
    flat(attrs, 'gen_ai.completion.', looseMessages(OUTPUT)),
    attr(attrs, 'gen_ai.completion', looseMessages({ ...OUTPUT, rolePrefixed: true })),
    attr(attrs, 'gen_ai.content.completion', looseMessages({ ...OUTPUT, rolePrefixed: true })),
    vercelOutput(attrs),
    attr(attrs, 'gen_ai.tool.call.result', plain),
    attr(attrs, 'ai.toolCall.result', plain),
    attr(attrs, 'langfuse.trace.output', flexible(kind, OUTPUT)),
    attr(attrs, 'traceloop.entity.output', flexible(kind, OUTPUT)),
    ioValue(attrs, 'output.value', kind, OUTPUT),
  ];
}

/** OpenInference completions: `llm.prompts.{i}.prompt.text` / `llm.choices.{i}.completion.text`, or a string list. */
function promptTexts(value: unknown): unknown {
  const list = decodeMaybeJson(value);
  if (!Array.isArray(list)) return undefined;
  return list.map((item) => {
    if (!isRecord(item)) return item;
    const inner = isRecord(item.prompt) ? item.prompt : isRecord(item.completion) ? item.completion : item;
    return toText(inner.text) ?? '';
  });
}

/** OpenInference embedding spans: the embedded texts (vectors are dropped on purpose: they are large and never displayed). */
function embeddingTexts(value: unknown): unknown {
  if (!Array.isArray(value)) return undefined;
  const texts = value.map((e) =>
    isRecord(e) && isRecord(e.embedding) ? toText(e.embedding.text) : undefined,
  );
  const kept = texts.filter((t): t is string => t !== undefined);
  return kept.length > 0 ? kept : undefined;
}

/** Maps every content field; consumed attributes leave `attributes`. */
export function mapContent(
  attrs: AttrBag,
  spanEvents: readonly OtlpSpanEvent[],
  kind: SpanKind,
): ContentFields {
  const events = groupEventContent(spanEvents);
  let input = first(inputSources(attrs, kind, events));
  const output = first(outputSources(attrs, kind, events));
  // Embedding vectors would otherwise stay raw: drop them with the texts' source.
  attrs.consumePrefix('embedding.embeddings.');
  const systemInstructions =
    attrs.pick(['gen_ai.system_instructions'], normalizeSystemInstructions) ??
    events[0].systemInstructions ??
    systemFromMessages(input);
  // One view of the conversation whatever the generation: instructions first, as Langfuse shows them.
  input = withSystemMessage(input, systemInstructions);
  const toolDefinitions = mapToolDefinitions(attrs) ?? events[0].toolDefinitions;
  const finishReasons =
    attrs.pick(
      [
        'gen_ai.response.finish_reasons',
        'ai.response.finishReason',
        'gen_ai.finishReason',
        'llm.finish_reason',
      ],
      toStringList,
    ) ??
    events[0].finishReasons ??
    events[1].finishReasons ??
    (isMessageList(output) ? finishReasonsOf(output) : []);
  return {
    input,
    output: withFinishReasons(output, finishReasons),
    systemInstructions,
    toolDefinitions,
    finishReasons,
    responseId:
      attrs.pick(['gen_ai.response.id', 'ai.response.id', 'llm.response.id'], toText) ?? responseIdOf(attrs),
  };
}

/** OpenInference keeps the provider response in `output.value`; its `id` is the response id. */
function responseIdOf(attrs: AttrBag): string {
  const raw = attrs.get('output.value');
  const body = typeof raw === 'string' && raw.includes('"choices"') ? parseStructured(raw) : undefined;
  return (isRecord(body) && Array.isArray(body.choices) ? toText(body.id) : undefined) ?? '';
}
