/**
 * What the streams of chat completions and legacy text completions share: chunks carry the id,
 * model and (last) usage, and per choice index a finish reason and content; at the end the
 * choices in index order make the answer.
 */
import type { LlmCall, StreamRecorder } from './call.ts';
import { setChoicesAnswer } from './openai-content.ts';
import { estimateTokens, isObj, type Obj, objects } from './parts.ts';

/** One streamed choice's state; a subclass adds what it gathers. */
export interface ChoiceState {
  finishReason: string | undefined;
}

/** A stream of `choices[]` chunks; subclasses read each choice and shape the output. */
export abstract class ChoicesStream<S extends ChoiceState> implements StreamRecorder {
  protected readonly call: LlmCall;
  /** Characters of generated content, for the token estimate when no usage was sent. */
  protected chars = 0;
  readonly #choices = new Map<number, S>();
  #id: unknown;
  #model: unknown;
  #usage: unknown;

  constructor(call: LlmCall) {
    this.call = call;
  }

  add(chunk: unknown): boolean {
    if (!isObj(chunk)) return false;
    this.#id ??= chunk.id;
    this.#model ??= chunk.model;
    this.noteChunk(chunk);
    if (isObj(chunk.usage)) this.#usage = chunk.usage;
    let hasContent = false;
    for (const c of objects(chunk.choices)) {
      const index = typeof c.index === 'number' ? c.index : 0;
      let state = this.#choices.get(index);
      if (state === undefined) {
        state = this.newChoice();
        this.#choices.set(index, state);
      }
      if (typeof c.finish_reason === 'string') state.finishReason = c.finish_reason;
      if (this.addChoice(state, c)) hasContent = true;
    }
    return hasContent;
  }

  finish(): void {
    const ordered = [...this.#choices.entries()].sort(([a], [b]) => a - b);
    setChoicesAnswer(this.call, {
      id: this.#id,
      model: this.#model,
      finishReasons: ordered.map(([, s]) => s.finishReason ?? ''),
      usage: this.#usage,
      estimate: () => ({ input: estimateTokens(this.inputChars()), output: estimateTokens(this.chars) }),
    });
    this.finishChoices(ordered);
  }

  /** Sees every chunk (before its choices); nothing by default. */
  protected noteChunk(_chunk: Obj): void {}
  protected abstract newChoice(): S;
  /** Reads one choice of a chunk into its state; true when it carried generated content. */
  protected abstract addChoice(state: S, choice: Obj): boolean;
  /** Characters of the request's input, for the token estimate when no usage was sent. */
  protected abstract inputChars(): number;
  /** Records the output from the choices in index order. */
  protected abstract finishChoices(ordered: [number, S][]): void;
}
