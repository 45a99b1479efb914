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
import { type EventContentGroups, groupEventContent } from './event-content.ts';
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

/**
 * A content source: evaluated in precedence order until one answers. The lists below are built
 * once; a source whose attribute is absent costs one lookup and allocates nothing.
 */
type Source = (attrs: AttrBag, kind: SpanKind, events: EventContentGroups) => unknown;
/** The converter of a source for the span's kind. */
type ConvertFor = (kind: SpanKind) => Convert;

const always =
  (convert: Convert): ConvertFor =>
  () =>
    convert;

function attr(key: string, convertFor: ConvertFor): Source {
  return (attrs, kind) => (attrs.get(key) === undefined ? undefined : attrs.pick([key], convertFor(kind)));
}

/** Flattened keys under `prefix` (OpenInference, OpenLLMetry), un-flattened then converted. */
function flat(prefix: string, convertFor: ConvertFor): Source {
  return (attrs, kind) => {
    const nested = attrs.nested(prefix);
    const value = nested === undefined ? undefined : convertFor(kind)(nested);
    if (value !== undefined) attrs.consumePrefix(prefix);
    return value;
  };
}

/** OpenInference `input.value`/`output.value`, read per its mime type: `text/plain` is never parsed. */
function ioValue(key: string, opts: MessageOptions): Source {
  const mimeKey = key.replace(/\.value$/, '.mime_type');
  return (attrs, kind) => {
    if (attrs.get(key) === undefined) return undefined;
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

function first(
  sources: readonly Source[],
  attrs: AttrBag,
  kind: SpanKind,
  events: EventContentGroups,
): unknown {
  for (const source of sources) {
    const value = source(attrs, kind, events);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Vercel legacy output: `ai.response.text` plus `ai.response.toolCalls` form one assistant message. */
const vercelOutput: Source = (attrs) => {
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

const STRICT_INPUT = strictMessages(INPUT);
const LOOSE_INPUT = looseMessages(INPUT);
const PREFIXED_INPUT = looseMessages({ ...INPUT, rolePrefixed: true });
const STRICT_OUTPUT = strictMessages(OUTPUT);
const LOOSE_OUTPUT = looseMessages(OUTPUT);
const PREFIXED_OUTPUT = looseMessages({ ...OUTPUT, rolePrefixed: true });
const PROMPT_TEXTS: Convert = (v) => toMessages(promptTexts(v), INPUT);
const CHOICE_TEXTS: Convert = (v) => toMessages(promptTexts(v), OUTPUT);
const flexibleInput: ConvertFor = (kind) => flexible(kind, INPUT);
const flexibleOutput: ConvertFor = (kind) => flexible(kind, OUTPUT);
/** Embedding spans keep their input as the plain value. */
const unlessEmbedding =
  (convert: Convert): ConvertFor =>
  (kind) =>
    kind === 'embedding' ? plain : convert;

/** Input sources in precedence order (table 3.3, row "input messages" plus generic I/O). */
const INPUT_SOURCES: readonly Source[] = [
  attr('langfuse.observation.input', flexibleInput),
  attr('gen_ai.input.messages', unlessEmbedding(STRICT_INPUT)),
  (_attrs, _kind, events) => events[0].input ?? events[1].input ?? events[2].input,
  flat('llm.input_messages.', unlessEmbedding(LOOSE_INPUT)),
  flat('llm.prompts.', always(PROMPT_TEXTS)),
  attr('llm.prompts', always(PROMPT_TEXTS)),
  flat('gen_ai.prompt.', unlessEmbedding(LOOSE_INPUT)),
  attr('gen_ai.prompt', unlessEmbedding(PREFIXED_INPUT)),
  // OpenLIT May 2024 put the prompt text in an attribute named like the later event.
  attr('gen_ai.content.prompt', always(PREFIXED_INPUT)),
  attr('ai.prompt.messages', unlessEmbedding(STRICT_INPUT)),
  attr('ai.prompt', (kind) => flexible(kind === 'embedding' ? kind : 'llm', INPUT)),
  attr('gen_ai.tool.call.arguments', always(plain)),
  attr('ai.toolCall.args', always(plain)),
  attr('gen_ai.tool.args', always(plain)),
  attr('gen_ai.retrieval.query.text', always(plain)),
  attr('langfuse.trace.input', flexibleInput),
  attr('traceloop.entity.input', flexibleInput),
  ioValue('input.value', INPUT),
  flat('embedding.embeddings.', always(embeddingTexts)),
  attr('ai.values', always(plain)),
  attr('ai.value', always(plain)),
];

/** Output sources in precedence order. */
const OUTPUT_SOURCES: readonly Source[] = [
  attr('langfuse.observation.output', flexibleOutput),
  attr('gen_ai.output.messages', always(STRICT_OUTPUT)),
  (_attrs, _kind, events) => events[0].output ?? events[1].output ?? events[2].output,
  flat('llm.output_messages.', always(LOOSE_OUTPUT)),
  flat('llm.choices.', always(CHOICE_TEXTS)),
  flat('gen_ai.completion.', always(LOOSE_OUTPUT)),
  attr('gen_ai.completion', always(PREFIXED_OUTPUT)),
  attr('gen_ai.content.completion', always(PREFIXED_OUTPUT)),
  vercelOutput,
  attr('gen_ai.tool.call.result', always(plain)),
  attr('ai.toolCall.result', always(plain)),
  attr('langfuse.trace.output', flexibleOutput),
  attr('traceloop.entity.output', flexibleOutput),
  ioValue('output.value', OUTPUT),
];

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
  let input = first(INPUT_SOURCES, attrs, kind, events);
  const output = first(OUTPUT_SOURCES, attrs, kind, events);
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
