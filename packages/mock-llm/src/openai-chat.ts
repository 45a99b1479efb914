/**
 * OpenAI `POST /v1/chat/completions`: text answers, tool calls, `n` choices, logprobs,
 * `max_tokens` truncation, usage with cached and reasoning tokens, and SSE streaming with the
 * optional final usage chunk (`stream_options.include_usage`).
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
import { evalModelAnswer, isEvalModel } from './eval-models.ts';
import type { SseEvent } from './http.ts';
import { inAskedLanguage } from './language.ts';
import { mockLogprobs } from './logprobs.ts';
import {
  argumentsFor,
  countTokens,
  datedModel,
  isReasoningModel,
  type MockTool,
  mockAnswer,
  mockId,
  pickTool,
  toolResultAnswer,
  truncateWords,
} from './text.ts';

/** One generated choice before it is shaped as a message or chunks. */
interface Choice {
  index: number;
  text: string | undefined;
  toolCall: { id: string; name: string; arguments: string } | undefined;
  finishReason: 'stop' | 'length' | 'tool_calls';
  completionTokens: number;
}

/** OpenAI chat messages: the texts, tool-call arguments and tool results all count as prompt words. */
function promptWords(messages: Record<string, unknown>[]): { total: number; cached: number } {
  let total = 0;
  let cached = 0;
  for (const m of messages) {
    let words = countTokens(textOf(m.content));
    for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      if (isRecord(call) && isRecord(call.function))
        words += countTokens(String(call.function.arguments ?? ''));
    }
    total += words;
    // The system prompt stands for a cached prefix.
    if (m.role === 'system' || m.role === 'developer') cached += words;
  }
  return { total, cached };
}

function toolsOf(body: Record<string, unknown>): MockTool[] {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((t) =>
    isRecord(t) && isRecord(t.function) && typeof t.function.name === 'string'
      ? [{ name: t.function.name, parameters: t.function.parameters }]
      : [],
  );
}

function forcedTool(choice: unknown): string | undefined {
  if (choice === 'required') return 'any';
  if (typeof choice === 'string') return choice;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string')
    return choice.function.name;
  return undefined;
}

function makeChoices(
  body: Record<string, unknown>,
  messages: Record<string, unknown>[],
  ctx: HandlerContext,
) {
  const last = messages.at(-1);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const prompt = textOf(lastUser?.content);
  // The system prompt is where a RAG app puts its retrieved notes: answers may come from it.
  const context = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
  const maxTokens = optionalCount(body, 'max_completion_tokens') ?? optionalCount(body, 'max_tokens');
  const tool =
    last?.role === 'user' ? pickTool(toolsOf(body), prompt, forcedTool(body.tool_choice)) : undefined;
  const n = Math.min(Math.max(optionalCount(body, 'n') ?? 1, 1), 8);
  const choices: Choice[] = [];
  for (let index = 0; index < n; index++) {
    if (tool !== undefined) {
      const args = JSON.stringify(argumentsFor(tool.parameters, prompt));
      const id = mockId('call_', ctx.seed, ctx.rawBody, index);
      choices.push({
        index,
        text: undefined,
        toolCall: { id, name: tool.name, arguments: args },
        finishReason: 'tool_calls',
        completionTokens: countTokens(`${tool.name} ${args}`),
      });
      continue;
    }
    // After a tool ran, the answer reports its result, as a model would.
    const answer =
      last?.role === 'tool'
        ? toolResultAnswer(textOf(last.content))
        : inAskedLanguage(mockAnswer(prompt, index, context), `${context}\n${prompt}`, index);
    const { text, truncated } = truncateWords(answer, maxTokens);
    choices.push({
      index,
      text,
      toolCall: undefined,
      finishReason: truncated ? 'length' : 'stop',
      completionTokens: countTokens(text),
    });
  }
  return { choices, prompt };
}

/** The one choice of an evaluation model (eval-models.ts), or undefined for other models. */
function evalModelChoices(
  model: string,
  body: Record<string, unknown>,
  messages: Record<string, unknown>[],
  ctx: HandlerContext,
): { choices: Choice[]; prompt: string } | undefined {
  if (!isEvalModel(model)) return undefined;
  const texts = messages.map((m) => ({ role: String(m.role), text: textOf(m.content) }));
  const answer = evalModelAnswer(model, texts, toolsOf(body)[0]?.name);
  if (answer === undefined) return undefined;
  const prompt = [...texts].reverse().find((m) => m.role === 'user')?.text ?? '';
  if ('text' in answer) {
    const choice = { index: 0, text: answer.text, toolCall: undefined, finishReason: 'stop' as const };
    return { choices: [{ ...choice, completionTokens: countTokens(answer.text) }], prompt };
  }
  const args = JSON.stringify(answer.arguments);
  const toolCall = { id: mockId('call_', ctx.seed, ctx.rawBody, 0), name: answer.tool, arguments: args };
  const completionTokens = countTokens(`${answer.tool} ${args}`);
  return {
    choices: [{ index: 0, text: undefined, toolCall, finishReason: 'tool_calls', completionTokens }],
    prompt,
  };
}

function usageOf(model: string, promptTokens: number, cached: number, choices: Choice[]) {
  const answerTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const reasoning = isReasoningModel(model) ? answerTokens * 2 : 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: answerTokens + reasoning,
    total_tokens: promptTokens + answerTokens + reasoning,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Handles one chat completion request body. */
export function chatCompletion(body: Record<string, unknown>, ctx: HandlerContext): Answer {
  const model = requireString(body, 'model');
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw new InvalidRequest("Missing required parameter: 'messages'");
  const messages = body.messages.filter(isRecord);
  const allText = messages.map((m) => textOf(m.content)).join('\n');
  const failed = failureFromMarker('openai', allText);
  if (failed !== undefined) return failed;
  const { choices, prompt } =
    evalModelChoices(model, body, messages, ctx) ?? makeChoices(body, messages, ctx);
  const words = promptWords(messages);
  const usage = usageOf(model, words.total, words.cached, choices);
  const base = {
    id: mockId('chatcmpl-', ctx.seed, ctx.rawBody),
    created: CREATED_AT,
    model: datedModel(model),
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
  const headers = { 'x-request-id': mockId('req_', ctx.seed, ctx.rawBody) };
  const top = optionalCount(body, 'top_logprobs') ?? 0;
  const wantsLogprobs = body.logprobs === true;
  if (body.stream === true) {
    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    const fail = wantsStreamFailure(allText, ctx.failStream);
    return {
      type: 'sse',
      events: chatChunks(base, choices, { includeUsage, usage, fail, wantsLogprobs, top, prompt }),
      headers,
    };
  }
  return json(
    {
      ...base,
      object: 'chat.completion',
      choices: choices.map((c) => ({
        index: c.index,
        message: {
          role: 'assistant',
          content: c.text ?? null,
          refusal: null,
          ...(c.toolCall === undefined
            ? {}
            : {
                tool_calls: [
                  {
                    id: c.toolCall.id,
                    type: 'function',
                    function: { name: c.toolCall.name, arguments: c.toolCall.arguments },
                  },
                ],
              }),
          annotations: [],
        },
        logprobs:
          wantsLogprobs && c.text !== undefined
            ? { content: mockLogprobs(streamPieces(c.text), `${prompt}#${c.index}`, top), refusal: null }
            : null,
        finish_reason: c.finishReason,
      })),
      usage,
    },
    headers,
  );
}

interface ChunkOptions {
  includeUsage: boolean;
  usage: unknown;
  fail: boolean;
  wantsLogprobs: boolean;
  top: number;
  prompt: string;
}

function chatChunks(base: Record<string, unknown>, choices: Choice[], o: ChunkOptions): SseEvent[] {
  const events: SseEvent[] = [];
  const chunk = (choice: Record<string, unknown>) => ({
    data: {
      ...base,
      object: 'chat.completion.chunk',
      choices: [choice],
      ...(o.includeUsage ? { usage: null } : {}),
    },
  });
  for (const c of choices) {
    events.push(
      chunk({
        index: c.index,
        delta: { role: 'assistant', content: c.text === undefined ? null : '', refusal: null },
        logprobs: null,
        finish_reason: null,
      }),
    );
    if (c.toolCall !== undefined) {
      const { id, name, arguments: args } = c.toolCall;
      events.push(
        chunk({
          index: c.index,
          delta: { tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] },
          logprobs: null,
          finish_reason: null,
        }),
      );
      for (const fragment of argumentFragments(args))
        events.push(
          chunk({
            index: c.index,
            delta: { tool_calls: [{ index: 0, function: { arguments: fragment } }] },
            logprobs: null,
            finish_reason: null,
          }),
        );
    } else {
      const pieces = streamPieces(c.text ?? '');
      const logprobs = o.wantsLogprobs ? mockLogprobs(pieces, `${o.prompt}#${c.index}`, o.top) : [];
      for (const [j, piece] of pieces.entries()) {
        if (o.fail && j === Math.ceil(pieces.length / 2)) {
          // The stream breaks here: an error event, then the connection closes.
          events.push({
            data: {
              error: {
                message: 'The server had an error while streaming.',
                type: 'server_error',
                param: null,
                code: null,
              },
            },
          });
          return events;
        }
        events.push(
          chunk({
            index: c.index,
            delta: { content: piece },
            logprobs: o.wantsLogprobs ? { content: [logprobs[j]], refusal: null } : null,
            finish_reason: null,
          }),
        );
      }
    }
    events.push(chunk({ index: c.index, delta: {}, logprobs: null, finish_reason: c.finishReason }));
  }
  if (o.includeUsage)
    events.push({ data: { ...base, object: 'chat.completion.chunk', choices: [], usage: o.usage } });
  events.push({ data: '[DONE]' });
  return events;
}
