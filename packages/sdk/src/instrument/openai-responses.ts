/**
 * `responses.create` (OpenAI Responses API): input items and instructions, output items
 * (messages, function calls, reasoning summaries) and the streamed events, whose final
 * `response.completed` / `response.incomplete` / `response.failed` carries the whole response.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { LlmCall, OperationAdapter, StreamRecorder, Usage } from './call.ts';
import { setOpenAiMeta } from './openai-chat.ts';
import {
  chatMessage,
  contentText,
  messagesChars,
  requestParams,
  setJson,
  toolDefinitions,
} from './openai-content.ts';
import {
  type CapturedMessage,
  estimateTokens,
  isObj,
  num,
  type Obj,
  objects,
  type Part,
  str,
  textPart,
  toolCallPart,
  toolResponsePart,
} from './parts.ts';

/** One input item (message, function call, function output, reasoning) as a message. */
function inputMessage(item: Obj): CapturedMessage {
  switch (item.type) {
    case 'function_call':
      return { role: 'assistant', parts: [toolCallPart(item.call_id, item.name, item.arguments)] };
    case 'function_call_output':
      return { role: 'tool', parts: [toolResponsePart(item.call_id, contentText(item.output))] };
    case 'reasoning':
      return { role: 'assistant', parts: [textPart(summaryText(item), 'reasoning')] };
    default:
      return chatMessage(item);
  }
}

function summaryText(item: Obj): string {
  return objects(item.summary)
    .map((s) => str(s.text) ?? '')
    .join('\n');
}

function inputMessages(input: unknown): CapturedMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [textPart(input)] }];
  return objects(input).map(inputMessage);
}

/** The output items as one assistant message; the finish reason follows the status. */
function outputMessage(response: Obj): CapturedMessage {
  const parts: Part[] = [];
  for (const item of objects(response.output)) {
    if (item.type === 'message') {
      for (const c of objects(item.content)) {
        if (typeof c.text === 'string') parts.push(textPart(c.text));
        else if (typeof c.refusal === 'string') parts.push(textPart(c.refusal, 'refusal'));
      }
    } else if (item.type === 'function_call')
      parts.push(toolCallPart(item.call_id, item.name, item.arguments));
    else if (item.type === 'reasoning') {
      const text = summaryText(item);
      if (text !== '') parts.push(textPart(text, 'reasoning'));
    } else if (typeof item.type === 'string')
      parts.push({ type: 'server_tool_call', id: str(item.id), name: item.type });
  }
  return { role: 'assistant', parts, finish_reason: finishReason(response) };
}

function finishReason(response: Obj): string {
  if (response.status === 'failed') return 'error';
  if (response.status === 'incomplete') {
    const reason = isObj(response.incomplete_details) ? str(response.incomplete_details.reason) : undefined;
    return reason === 'max_output_tokens' ? 'length' : (reason ?? 'length');
  }
  return objects(response.output).some((i) => i.type === 'function_call') ? 'tool_call' : 'stop';
}

function responseUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const input = isObj(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObj(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    input: num(usage.input_tokens),
    output: num(usage.output_tokens),
    cacheRead: num(input.cached_tokens),
    reasoning: num(output.reasoning_tokens),
  };
}

function recordResponse(call: LlmCall, response: Obj): void {
  call.setResponse(response.id, response.model, [finishReason(response)]);
  const usage = responseUsage(response.usage);
  if (usage !== undefined) call.setUsage(usage);
  setOpenAiMeta(call, response);
  call.setOutput([outputMessage(response)]);
  if (response.status === 'failed') {
    const error = isObj(response.error) ? response.error : {};
    call.span.setAttribute('error.type', str(error.code) ?? 'response_failed');
    call.span.setStatus({ code: SpanStatusCode.ERROR, message: str(error.message) ?? 'Response failed' });
  }
}

/** The Responses API adapter. */
export const responsesAdapter: OperationAdapter = {
  operation: 'chat',
  request(body, out) {
    requestParams(body, out);
    const reasoning = isObj(body.reasoning) ? str(body.reasoning.effort) : undefined;
    if (reasoning !== undefined) out['openai.request.reasoning_effort'] = reasoning;
    const format = isObj(body.text) && isObj(body.text.format) ? str(body.text.format.type) : undefined;
    if (format !== undefined) out['gen_ai.output.type'] = format === 'text' ? 'text' : 'json';
  },
  content(body, out) {
    setJson(out, 'gen_ai.input.messages', inputMessages(body.input));
    if (typeof body.instructions === 'string' && body.instructions !== '')
      setJson(out, 'gen_ai.system_instructions', [textPart(body.instructions)]);
    if (Array.isArray(body.tools) && body.tools.length > 0)
      setJson(out, 'gen_ai.tool.definitions', toolDefinitions(body.tools));
  },
  response(call, data) {
    if (isObj(data)) recordResponse(call, data);
  },
  stream: (call) => new ResponseStream(call),
};

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
const CONTENT_EVENTS = new Set([
  'response.output_text.delta',
  'response.function_call_arguments.delta',
  'response.refusal.delta',
  'response.reasoning_summary_text.delta',
]);

class ResponseStream implements StreamRecorder {
  readonly #call: LlmCall;
  #final: Obj | undefined;
  #started: Obj | undefined;
  #text: string[] = [];
  #chars = 0;

  constructor(call: LlmCall) {
    this.#call = call;
  }

  add(event: unknown): boolean {
    if (!isObj(event) || typeof event.type !== 'string') return false;
    if (event.type === 'response.created' && isObj(event.response)) this.#started = event.response;
    else if (FINAL_EVENTS.has(event.type) && isObj(event.response)) this.#final = event.response;
    if (!CONTENT_EVENTS.has(event.type)) return false;
    if (typeof event.delta === 'string') {
      this.#chars += event.delta.length;
      if (event.type === 'response.output_text.delta' && this.#call.capture) this.#text.push(event.delta);
    }
    return true;
  }

  finish(): void {
    const call = this.#call;
    if (this.#final !== undefined) {
      recordResponse(call, this.#final);
      if (this.#final.usage !== undefined && this.#final.usage !== null) return;
    } else {
      call.setResponse(this.#started?.id, this.#started?.model, []);
      if (this.#text.length > 0)
        call.setOutput([{ role: 'assistant', parts: [textPart(this.#text.join(''))] }]);
    }
    const input =
      typeof call.body.input === 'string' ? call.body.input.length : messagesChars(call.body.input);
    call.setUsage({ input: estimateTokens(input), output: estimateTokens(this.#chars) }, true);
  }
}
