/**
 * Anthropic `messages.create`: system prompt, content blocks (text, images, documents,
 * tool_use / tool_result, thinking), usage with the OTel rule input = input_tokens +
 * cache_read_input_tokens + cache_creation_input_tokens, and the SSE event stream.
 */
import type { Attributes } from '@opentelemetry/api';
import type { LlmCall, OperationAdapter, StreamRecorder, Usage } from './call.ts';
import { setJson, setNumber } from './openai-content.ts';
import {
  type CapturedMessage,
  estimateTokens,
  isObj,
  mediaPart,
  num,
  type Obj,
  objects,
  type Part,
  schemaFinishReason,
  str,
  textPart,
  toolCallPart,
  toolResponsePart,
} from './parts.ts';

function blocks(content: unknown): Obj[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : objects(content);
}

function blockText(content: unknown): string {
  return blocks(content)
    .map((b) => str(b.text) ?? '')
    .join('');
}

function sourcePart(source: unknown, modality: string): Part | undefined {
  if (!isObj(source)) return undefined;
  if (source.type === 'base64')
    return { type: 'blob', modality, mime_type: str(source.media_type), content: source.data };
  if (source.type === 'url' && typeof source.url === 'string') return mediaPart(source.url, modality);
  if (source.type === 'text' && typeof source.data === 'string') return textPart(source.data);
  if (source.type === 'file' && typeof source.file_id === 'string')
    return { type: 'file', modality, file_id: source.file_id };
  return undefined;
}

/** One content block as a part. */
function blockPart(b: Obj): Part | undefined {
  switch (b.type) {
    case 'text':
      return textPart(str(b.text) ?? '');
    case 'thinking':
      return textPart(str(b.thinking) ?? '', 'reasoning');
    case 'image':
      return sourcePart(b.source, 'image');
    case 'document':
      return sourcePart(b.source, 'document');
    case 'tool_use':
      return toolCallPart(b.id, b.name, b.input);
    case 'tool_result':
      return toolResponsePart(b.tool_use_id, blockText(b.content));
    case 'server_tool_use':
      return { type: 'server_tool_call', id: str(b.id), name: str(b.name) ?? '', server_tool_call: b.input };
    default:
      return typeof b.type === 'string' ? { type: b.type } : undefined;
  }
}

function partsOf(content: unknown): Part[] {
  const parts: Part[] = [];
  for (const b of blocks(content)) {
    const part = blockPart(b);
    if (part !== undefined) parts.push(part);
  }
  return parts;
}

/** A message; a user turn made only of tool results is a `tool` message in the parts schema. */
function inputMessage(m: Obj): CapturedMessage {
  const parts = partsOf(m.content);
  const isToolTurn = parts.length > 0 && parts.every((p) => p.type === 'tool_call_response');
  return { role: isToolTurn ? 'tool' : (str(m.role) ?? 'user'), parts };
}

/** Usage with cache reads and writes added to the input, as OTel requires. */
function anthropicUsage(usage: Obj): Usage {
  const input = num(usage.input_tokens);
  const cacheRead = num(usage.cache_read_input_tokens);
  const cacheWrite = num(usage.cache_creation_input_tokens);
  return {
    input: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    output: num(usage.output_tokens),
    cacheRead,
    cacheWrite,
  };
}

function recordMessage(call: LlmCall, message: Obj): void {
  const stop = str(message.stop_reason);
  call.setResponse(message.id, message.model, stop === undefined ? [] : [stop]);
  if (isObj(message.usage)) call.setUsage(anthropicUsage(message.usage));
  call.setOutput([
    { role: 'assistant', parts: partsOf(message.content), finish_reason: schemaFinishReason(stop) },
  ]);
}

function requestParams(body: Obj, out: Attributes): void {
  setNumber(out, 'gen_ai.request.temperature', body.temperature);
  setNumber(out, 'gen_ai.request.top_p', body.top_p);
  setNumber(out, 'gen_ai.request.top_k', body.top_k);
  setNumber(out, 'gen_ai.request.max_tokens', body.max_tokens);
  if (Array.isArray(body.stop_sequences))
    out['gen_ai.request.stop_sequences'] = body.stop_sequences.filter((s) => typeof s === 'string');
  if (body.stream === true) out['gen_ai.request.stream'] = true;
  if (isObj(body.thinking) && typeof body.thinking.budget_tokens === 'number')
    out['anthropic.thinking.budget_tokens'] = body.thinking.budget_tokens;
}

/** The Anthropic messages adapter. */
export const anthropicAdapter: OperationAdapter = {
  operation: 'chat',
  request: requestParams,
  content(body, out) {
    setJson(out, 'gen_ai.input.messages', objects(body.messages).map(inputMessage));
    if (body.system !== undefined) setJson(out, 'gen_ai.system_instructions', partsOf(body.system));
    const tools = objects(body.tools);
    if (tools.length > 0)
      setJson(
        out,
        'gen_ai.tool.definitions',
        tools.map((t) => {
          const def: Obj = {
            type: t.input_schema === undefined ? (str(t.type) ?? 'function') : 'function',
            name: str(t.name) ?? '',
          };
          if (typeof t.description === 'string') def.description = t.description;
          if (t.input_schema !== undefined) def.parameters = t.input_schema;
          return def;
        }),
      );
  },
  response(call, data) {
    if (isObj(data)) recordMessage(call, data);
  },
  stream: (call) => new MessageEvents(call),
};

/** Rebuilds the message from `message_start`, content block events and `message_delta`. */
class MessageEvents implements StreamRecorder {
  readonly #call: LlmCall;
  #message: Obj = {};
  #usage: Obj = {};
  readonly #blocks: { block: Obj; text: string[]; json: string[] }[] = [];
  #chars = 0;

  constructor(call: LlmCall) {
    this.#call = call;
  }

  add(event: unknown): boolean {
    if (!isObj(event)) return false;
    switch (event.type) {
      case 'message_start':
        if (isObj(event.message)) {
          this.#message = event.message;
          if (isObj(event.message.usage)) this.#usage = { ...event.message.usage };
        }
        return false;
      case 'content_block_start':
        if (typeof event.index === 'number' && isObj(event.content_block))
          this.#blocks[event.index] = { block: event.content_block, text: [], json: [] };
        return false;
      case 'content_block_delta':
        return this.#addDelta(event);
      case 'message_delta':
        if (isObj(event.delta)) this.#message = { ...this.#message, ...event.delta };
        // Counts here are cumulative; a null keeps the value from message_start.
        if (isObj(event.usage))
          for (const [k, v] of Object.entries(event.usage))
            if (v !== null && v !== undefined) this.#usage[k] = v;
        return false;
      default:
        return false;
    }
  }

  #addDelta(event: Obj): boolean {
    const entry = typeof event.index === 'number' ? this.#blocks[event.index] : undefined;
    const delta = isObj(event.delta) ? event.delta : {};
    const piece = str(delta.text) ?? str(delta.thinking) ?? str(delta.partial_json);
    if (piece === undefined) return false;
    this.#chars += piece.length;
    if (entry !== undefined && this.#call.capture)
      (delta.partial_json === undefined ? entry.text : entry.json).push(piece);
    return piece !== '';
  }

  finish(): void {
    const call = this.#call;
    const content = this.#blocks
      .filter((b) => b !== undefined)
      .map(({ block, text, json }) => {
        if (block.type === 'text') return { ...block, text: text.join('') };
        if (block.type === 'thinking') return { ...block, thinking: text.join('') };
        if (json.length === 0) return block;
        try {
          return { ...block, input: JSON.parse(json.join('')) };
        } catch {
          return { ...block, input: json.join('') };
        }
      });
    const hasUsage = typeof this.#usage.output_tokens === 'number';
    recordMessage(call, { ...this.#message, content, usage: hasUsage ? this.#usage : undefined });
    if (!hasUsage) {
      let inputChars = 0;
      for (const m of objects(call.body.messages)) inputChars += blockText(m.content).length;
      call.setUsage({ input: estimateTokens(inputChars), output: estimateTokens(this.#chars) }, true);
    }
  }
}
