/**
 * Anthropic `POST /v1/messages`: text and `tool_use` answers, `max_tokens` truncation, usage with
 * cache reads/writes, and the SSE sequence `message_start` … `message_stop`.
 *
 * Cache accounting is deterministic: words of `system` blocks marked `cache_control` count as
 * cache reads (a long-lived prefix), words of message blocks marked `cache_control` as cache
 * writes; `input_tokens` is the rest, as Anthropic reports it (cache excluded).
 */
import {
  type Answer,
  argumentFragments,
  failureFromMarker,
  type HandlerContext,
  isRecord,
  json,
  optionalCount,
  requireString,
  streamPieces,
  textOf,
} from './answer.ts';
import { InvalidRequest, wantsStreamFailure } from './errors.ts';
import { evalModelAnswer, isEvalModel } from './eval-models.ts';
import type { SseEvent } from './http.ts';
import {
  argumentsFor,
  countTokens,
  datedModel,
  type MockTool,
  mockAnswer,
  mockId,
  pickTool,
  truncateWords,
} from './text.ts';

type Block = Record<string, unknown>;

function blocksOf(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/** Input words split into uncached, cache-read and cache-write buckets. */
function inputUsage(system: Block[], messages: Block[]) {
  let total = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  for (const block of system) {
    const words = countTokens(textOf([block]));
    total += words;
    if (block.cache_control !== undefined) cacheRead += words;
  }
  for (const m of messages) {
    for (const block of blocksOf(m.content)) {
      const words = countTokens(textOf([block]));
      total += words;
      if (block.cache_control !== undefined) cacheWrite += words;
    }
  }
  return {
    input_tokens: total - cacheRead - cacheWrite,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

function toolsOf(body: Record<string, unknown>): MockTool[] {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((t) =>
    isRecord(t) && typeof t.name === 'string' && t.input_schema !== undefined
      ? [{ name: t.name, parameters: t.input_schema }]
      : [],
  );
}

function forcedTool(choice: unknown): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (choice.type === 'tool' && typeof choice.name === 'string') return choice.name;
  return typeof choice.type === 'string' ? choice.type : undefined;
}

/** Handles one Messages API request body. */
export function createMessage(body: Record<string, unknown>, ctx: HandlerContext): Answer {
  const model = requireString(body, 'model');
  const maxTokens = optionalCount(body, 'max_tokens');
  if (maxTokens === undefined) throw new InvalidRequest('max_tokens: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw new InvalidRequest('messages: Field required');
  const messages = body.messages.filter(isRecord);
  const system = blocksOf(body.system);
  const allText = [...system, ...messages].map((m) => textOf(m.content ?? [m])).join('\n');
  const failed = failureFromMarker('anthropic', allText);
  if (failed !== undefined) return failed;
  const last = messages.at(-1);
  const lastBlocks = blocksOf(last?.content);
  const isToolResult = lastBlocks.some((b) => b.type === 'tool_result');
  const lastUser = [...messages]
    .reverse()
    .find((m) => m.role === 'user' && !blocksOf(m.content).some((b) => b.type === 'tool_result'));
  const prompt = textOf(lastUser?.content);
  const tool =
    last?.role === 'user' && !isToolResult
      ? pickTool(toolsOf(body), prompt, forcedTool(body.tool_choice))
      : undefined;
  const id = mockId('msg_', ctx.seed, ctx.rawBody);
  let content: Block[];
  let stopReason: string;
  let outputTokens: number;
  // Evaluation models (eval-models.ts) answer the same as on the OpenAI endpoint.
  const special = isEvalModel(model)
    ? evalModelAnswer(
        model,
        messages.map((m) => ({ role: String(m.role), text: textOf(m.content) })),
        toolsOf(body)[0]?.name,
      )
    : undefined;
  if (special !== undefined && 'tool' in special) {
    content = [{ type: 'tool_use', id: mockId('toolu_', id), name: special.tool, input: special.arguments }];
    stopReason = 'tool_use';
    outputTokens = countTokens(`${special.tool} ${JSON.stringify(special.arguments)}`);
  } else if (special !== undefined) {
    content = [{ type: 'text', text: special.text }];
    stopReason = 'end_turn';
    outputTokens = countTokens(special.text);
  } else if (tool !== undefined) {
    const input = argumentsFor(tool.parameters, prompt);
    content = [{ type: 'tool_use', id: mockId('toolu_', id), name: tool.name, input }];
    stopReason = 'tool_use';
    outputTokens = countTokens(`${tool.name} ${JSON.stringify(input)}`);
  } else {
    const { text, truncated } = truncateWords(mockAnswer(prompt), maxTokens);
    content = [{ type: 'text', text }];
    stopReason = truncated ? 'max_tokens' : 'end_turn';
    outputTokens = countTokens(text);
  }
  const usage = { ...inputUsage(system, messages), output_tokens: outputTokens, service_tier: 'standard' };
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: datedModel(model),
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
  const headers = { 'request-id': mockId('req_', ctx.seed, ctx.rawBody) };
  if (body.stream !== true) return json(message, headers);
  return {
    type: 'sse',
    events: messageEvents(message, wantsStreamFailure(allText, ctx.failStream)),
    headers,
  };
}

function messageEvents(
  message: { content: Block[]; stop_reason: string; usage: Record<string, unknown> } & Block,
  fail: boolean,
): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, data: Block) => events.push({ event: type, data: { type, ...data } });
  emit('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  for (const [index, block] of message.content.entries()) {
    if (block.type === 'text') {
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (index === 0) emit('ping', {});
      const pieces = streamPieces(String(block.text));
      for (const [j, text] of pieces.entries()) {
        if (fail && j === Math.ceil(pieces.length / 2)) {
          emit('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
          return events;
        }
        emit('content_block_delta', { index, delta: { type: 'text_delta', text } });
      }
    } else {
      emit('content_block_start', { index, content_block: { ...block, input: {} } });
      for (const partial_json of argumentFragments(JSON.stringify(block.input)))
        emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
    }
    emit('content_block_stop', { index });
  }
  const { service_tier: _, ...usage } = message.usage;
  emit('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage });
  emit('message_stop', {});
  return events;
}
