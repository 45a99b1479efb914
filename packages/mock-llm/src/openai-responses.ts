/**
 * OpenAI Responses API `POST /v1/responses`: text and function-call outputs, usage with cached
 * and reasoning tokens, `max_output_tokens` truncation (`status: incomplete`) and the streamed
 * event sequence (`response.created` … `response.completed`).
 */
import {
  type Answer,
  argumentFragments,
  CREATED_AT,
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
import type { SseEvent } from './http.ts';
import {
  argumentsFor,
  countTokens,
  datedModel,
  isReasoningModel,
  type MockTool,
  mockAnswer,
  mockId,
  pickTool,
  truncateWords,
} from './text.ts';

type Item = Record<string, unknown>;

function inputItems(input: unknown): Item[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (Array.isArray(input)) return input.filter(isRecord);
  throw new InvalidRequest("Missing required parameter: 'input'");
}

function itemText(item: Item): string {
  if (item.type === 'function_call') return String(item.arguments ?? '');
  if (item.type === 'function_call_output')
    return typeof item.output === 'string' ? item.output : textOf(item.output);
  return textOf(item.content);
}

function toolsOf(body: Record<string, unknown>): MockTool[] {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((t) =>
    isRecord(t) && t.type === 'function' && typeof t.name === 'string'
      ? [{ name: t.name, parameters: t.parameters }]
      : [],
  );
}

function forcedTool(choice: unknown): string | undefined {
  if (choice === 'required') return 'any';
  if (typeof choice === 'string') return choice;
  return isRecord(choice) && typeof choice.name === 'string' ? choice.name : undefined;
}

/** Handles one Responses API request body. */
export function createResponse(body: Record<string, unknown>, ctx: HandlerContext): Answer {
  const model = requireString(body, 'model');
  const items = inputItems(body.input);
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const texts = items.map(itemText);
  const failed = failureFromMarker('openai', texts.join('\n'));
  if (failed !== undefined) return failed;
  const lastUser = [...items].reverse().find((i) => i.role === 'user');
  const prompt = lastUser === undefined ? '' : itemText(lastUser);
  const isUserTurn = items.at(-1)?.role === 'user';
  const tool = isUserTurn ? pickTool(toolsOf(body), prompt, forcedTool(body.tool_choice)) : undefined;
  const id = mockId('resp_', ctx.seed, ctx.rawBody);
  const output: Item[] = [];
  let answerTokens: number;
  let incomplete = false;
  if (isReasoningModel(model)) output.push({ type: 'reasoning', id: mockId('rs_', id), summary: [] });
  if (tool !== undefined) {
    const args = JSON.stringify(argumentsFor(tool.parameters, prompt));
    output.push({
      type: 'function_call',
      id: mockId('fc_', id),
      call_id: mockId('call_', id),
      name: tool.name,
      arguments: args,
      status: 'completed',
    });
    answerTokens = countTokens(`${tool.name} ${args}`);
  } else {
    const { text, truncated } = truncateWords(mockAnswer(prompt), optionalCount(body, 'max_output_tokens'));
    incomplete = truncated;
    output.push({
      type: 'message',
      id: mockId('msg_', id),
      status: truncated ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    });
    answerTokens = countTokens(text);
  }
  let inputTokens = countTokens(instructions);
  let cached = inputTokens;
  items.forEach((item, i) => {
    const words = countTokens(texts[i]!);
    inputTokens += words;
    if (item.role === 'system' || item.role === 'developer') cached += words;
  });
  const reasoning = isReasoningModel(model) ? answerTokens * 2 : 0;
  const response = {
    id,
    object: 'response',
    created_at: CREATED_AT,
    status: incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: datedModel(model),
    output,
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: cached },
      output_tokens: answerTokens + reasoning,
      output_tokens_details: { reasoning_tokens: reasoning },
      total_tokens: inputTokens + answerTokens + reasoning,
    },
    user: null,
    metadata: body.metadata ?? {},
  };
  const headers = { 'x-request-id': mockId('req_', ctx.seed, ctx.rawBody) };
  if (body.stream !== true) return json(response, headers);
  return {
    type: 'sse',
    events: responseEvents(response, wantsStreamFailure(texts.join('\n'), ctx.failStream)),
    headers,
  };
}

/** The streamed events of a finished response, in the order the API sends them. */
function responseEvents(response: { output: Item[]; status: string } & Item, fail: boolean): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, data: Item) =>
    events.push({ event: type, data: { type, sequence_number: events.length, ...data } });
  const pending = { ...response, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  emit('response.created', { response: pending });
  emit('response.in_progress', { response: pending });
  for (const [outputIndex, item] of response.output.entries()) {
    const itemId = String(item.id);
    if (item.type === 'message') {
      const part = (item.content as Item[])[0]!;
      const text = String(part.text);
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      emit('response.content_part.added', {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part: { ...part, text: '' },
      });
      const pieces = streamPieces(text);
      for (const [j, delta] of pieces.entries()) {
        if (fail && j === Math.ceil(pieces.length / 2)) {
          emit('error', {
            code: 'server_error',
            message: 'The server had an error while streaming.',
            param: null,
          });
          return events;
        }
        emit('response.output_text.delta', {
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          delta,
          logprobs: [],
        });
      }
      emit('response.output_text.done', {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        text,
        logprobs: [],
      });
      emit('response.content_part.done', {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part,
      });
    } else if (item.type === 'function_call') {
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of argumentFragments(String(item.arguments)))
        emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta });
      emit('response.function_call_arguments.done', {
        item_id: itemId,
        output_index: outputIndex,
        arguments: item.arguments,
      });
    } else {
      emit('response.output_item.added', { output_index: outputIndex, item });
    }
    emit('response.output_item.done', { output_index: outputIndex, item });
  }
  emit(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  return events;
}
