/**
 * `embeddings.create` and the legacy `completions.create` (`text_completion`).
 */
import type { OperationAdapter } from './call.ts';
import { type ChoiceState, ChoicesStream } from './choices-stream.ts';
import { setOpenAiMeta } from './openai-chat.ts';
import { requestParams, setChoicesAnswer, setJson } from './openai-content.ts';
import {
  type CapturedMessage,
  isObj,
  num,
  type Obj,
  objects,
  schemaFinishReason,
  str,
  textPart,
} from './parts.ts';

/** Texts of an embeddings input (token arrays are not text and are left out). */
function inputTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.filter((i): i is string => typeof i === 'string') : [];
}

/** The embeddings adapter: input texts, dimension count and input tokens. */
export const embeddingsAdapter: OperationAdapter = {
  operation: 'embeddings',
  request(body, out) {
    if (typeof body.encoding_format === 'string')
      out['gen_ai.request.encoding_formats'] = [body.encoding_format];
    if (typeof body.dimensions === 'number') out['gen_ai.embeddings.dimension.count'] = body.dimensions;
  },
  content(body, out) {
    const texts = inputTexts(body.input);
    if (texts.length > 0)
      setJson(out, 'gen_ai.input.messages', [{ role: 'user', parts: texts.map((t) => textPart(t)) }]);
  },
  response(call, data) {
    if (!isObj(data)) return;
    call.setResponse(undefined, data.model, []);
    const usage = isObj(data.usage) ? data.usage : {};
    call.setUsage({ input: num(usage.prompt_tokens) });
    const first = objects(data.data)[0]?.embedding;
    if (Array.isArray(first)) call.span.setAttribute('gen_ai.embeddings.dimension.count', first.length);
  },
};

function promptTexts(prompt: unknown): string[] {
  if (typeof prompt === 'string') return [prompt];
  return Array.isArray(prompt) ? prompt.filter((p): p is string => typeof p === 'string') : [];
}

function completionMessage(choice: Obj): CapturedMessage {
  return {
    role: 'assistant',
    parts: [textPart(str(choice.text) ?? '')],
    finish_reason: schemaFinishReason(str(choice.finish_reason)),
  };
}

/** The legacy text completions adapter. */
export const completionsAdapter: OperationAdapter = {
  operation: 'text_completion',
  request: requestParams,
  content(body, out) {
    const prompts = promptTexts(body.prompt);
    if (prompts.length > 0)
      setJson(
        out,
        'gen_ai.input.messages',
        prompts.map((p) => ({ role: 'user', parts: [textPart(p)] })),
      );
  },
  response(call, data) {
    if (!isObj(data)) return;
    const choices = objects(data.choices);
    const finishReasons = choices.map((c) => str(c.finish_reason) ?? '');
    setChoicesAnswer(call, { id: data.id, model: data.model, finishReasons, usage: data.usage });
    setOpenAiMeta(call, data);
    call.setOutput(choices.map(completionMessage));
  },
  stream: (call) => new CompletionStream(call),
};

interface CompletionChoice extends ChoiceState {
  text: string[];
}

class CompletionStream extends ChoicesStream<CompletionChoice> {
  protected newChoice(): CompletionChoice {
    return { text: [], finishReason: undefined };
  }

  protected addChoice(state: CompletionChoice, c: Obj): boolean {
    if (typeof c.text !== 'string' || c.text === '') return false;
    this.chars += c.text.length;
    if (this.call.capture) state.text.push(c.text);
    return true;
  }

  protected inputChars(): number {
    return promptTexts(this.call.body.prompt).reduce((sum, p) => sum + p.length, 0);
  }

  protected finishChoices(ordered: [number, CompletionChoice][]): void {
    this.call.setOutput(
      ordered.map(([, s]) => completionMessage({ text: s.text.join(''), finish_reason: s.finishReason })),
    );
  }
}
