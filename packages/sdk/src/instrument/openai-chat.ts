/**
 * `chat.completions.create`: request, response and streamed chunks (content, reasoning,
 * refusals, tool-call fragments, logprobs and the optional final usage chunk).
 */
import type { LlmCall, OperationAdapter } from './call.ts';
import { type ChoiceState, ChoicesStream } from './choices-stream.ts';
import {
  addLogprobsEvent,
  chatMessage,
  messagesChars,
  requestParams,
  setChoicesAnswer,
  setJson,
  toolDefinitions,
} from './openai-content.ts';
import {
  type CapturedMessage,
  isObj,
  type Obj,
  objects,
  type Part,
  schemaFinishReason,
  str,
  textPart,
  toolCallPart,
} from './parts.ts';

function outputMessage(choice: Obj): CapturedMessage {
  const message = chatMessage(isObj(choice.message) ? choice.message : {});
  return { ...message, role: 'assistant', finish_reason: schemaFinishReason(str(choice.finish_reason)) };
}

/** The chat completions adapter. */
export const chatAdapter: OperationAdapter = {
  operation: 'chat',
  request: requestParams,
  content(body, out) {
    setJson(out, 'gen_ai.input.messages', objects(body.messages).map(chatMessage));
    if (Array.isArray(body.tools) && body.tools.length > 0)
      setJson(out, 'gen_ai.tool.definitions', toolDefinitions(body.tools));
  },
  response(call, data) {
    if (!isObj(data)) return;
    const choices = objects(data.choices);
    const finishReasons = choices.map((c) => str(c.finish_reason) ?? '');
    setChoicesAnswer(call, { id: data.id, model: data.model, finishReasons, usage: data.usage });
    call.setOutput(choices.map(outputMessage));
    setOpenAiMeta(call, data);
    if (call.body.logprobs === true) {
      for (const c of choices) {
        const lp = isObj(c.logprobs) ? objects(c.logprobs.content) : [];
        addLogprobsEvent(call.span, typeof c.index === 'number' ? c.index : 0, lp, call.capture);
      }
    }
  },
  stream: (call) => new ChatStream(call),
};

/** `openai.response.service_tier` / `system_fingerprint` when the response has them. */
export function setOpenAiMeta(call: LlmCall, data: Obj): void {
  if (typeof data.service_tier === 'string')
    call.span.setAttribute('openai.response.service_tier', data.service_tier);
  if (typeof data.system_fingerprint === 'string')
    call.span.setAttribute('openai.response.system_fingerprint', data.system_fingerprint);
}

/** What one streamed choice accumulated. */
interface ChatChoice extends ChoiceState {
  text: string[];
  reasoning: string[];
  refusal: string[];
  tools: { id: unknown; name: string; args: string[] }[];
  logprobs: Obj[];
}

class ChatStream extends ChoicesStream<ChatChoice> {
  #meta: Obj | undefined;

  protected override noteChunk(chunk: Obj): void {
    this.#meta ??= chunk;
  }

  protected newChoice(): ChatChoice {
    return { text: [], reasoning: [], refusal: [], tools: [], finishReason: undefined, logprobs: [] };
  }

  protected addChoice(state: ChatChoice, c: Obj): boolean {
    if (isObj(c.logprobs)) state.logprobs.push(...objects(c.logprobs.content));
    return isObj(c.delta) && this.#addDelta(state, c.delta);
  }

  #addDelta(state: ChatChoice, delta: Obj): boolean {
    let hasContent = false;
    for (const [key, list] of [
      ['content', state.text],
      ['reasoning_content', state.reasoning],
      ['refusal', state.refusal],
    ] as const) {
      const piece = delta[key];
      if (typeof piece === 'string' && piece !== '') {
        this.chars += piece.length;
        if (this.call.capture) list.push(piece);
        hasContent = true;
      }
    }
    for (const t of objects(delta.tool_calls)) {
      const i = typeof t.index === 'number' ? t.index : state.tools.length;
      const fn = isObj(t.function) ? t.function : {};
      state.tools[i] ??= { id: t.id, name: '', args: [] };
      const tool = state.tools[i]!;
      if (typeof fn.name === 'string') tool.name += fn.name;
      if (typeof fn.arguments === 'string') {
        tool.args.push(fn.arguments);
        this.chars += fn.arguments.length;
      }
      hasContent = true;
    }
    return hasContent;
  }

  protected inputChars(): number {
    return messagesChars(this.call.body.messages);
  }

  protected finishChoices(ordered: [number, ChatChoice][]): void {
    const call = this.call;
    if (this.#meta !== undefined) setOpenAiMeta(call, this.#meta);
    call.setOutput(ordered.map(([, s]) => streamedMessage(s)));
    if (call.body.logprobs === true)
      for (const [index, s] of ordered) addLogprobsEvent(call.span, index, s.logprobs, call.capture);
  }
}

function streamedMessage(s: ChatChoice): CapturedMessage {
  const parts: Part[] = [];
  if (s.reasoning.length > 0) parts.push(textPart(s.reasoning.join(''), 'reasoning'));
  if (s.text.length > 0) parts.push(textPart(s.text.join('')));
  if (s.refusal.length > 0) parts.push(textPart(s.refusal.join(''), 'refusal'));
  for (const t of s.tools) if (t !== undefined) parts.push(toolCallPart(t.id, t.name, t.args.join('')));
  return { role: 'assistant', parts, finish_reason: schemaFinishReason(s.finishReason) };
}
